"""Coming to a filled text box never selects its answer (issue #9).

Textual's Input selects all of its text when focused, so the next key typed
replaced a whole answer. Every text box of the app puts the caret after the
answer instead, with nothing selected.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Button

from vig_tui.app import VigApp
from vig_tui.screens.register import RegisterScreen
from vig_tui.screens.sections import ReferrerSection
from vig_tui.widgets.answer import LongAnswer, ShortAnswer
from vig_tui.widgets.date_input import DateInput

from .keys import type_text


class Boxes(App[None]):
    def compose(self) -> ComposeResult:
        yield Button("Before")
        yield ShortAnswer("Sam Pen", id="short")
        yield DateInput(None, id="date")
        yield LongAnswer("First line\nsecond line", id="long")


async def test_tab_into_filled_boxes_adds_to_the_answer() -> None:
    app = Boxes()
    async with app.run_test() as pilot:
        short = app.query_one("#short", ShortAnswer)
        long = app.query_one("#long", LongAnswer)
        date_box = app.query_one("#date", DateInput)
        date_box.value = "3/12/2024"
        await pilot.press("tab")  # Before -> the short answer
        assert app.focused is short
        assert short.selection.is_empty
        assert short.cursor_position == len("Sam Pen")
        await pilot.press("x")
        assert short.value == "Sam Penx"

        await pilot.press("tab")
        assert app.focused is date_box
        assert date_box.selection.is_empty
        await pilot.press("5")
        assert date_box.value == "3/12/20245"

        await pilot.press("tab")
        assert app.focused is long
        assert long.selection.is_empty
        await pilot.press("!")
        assert long.text == "First line\nsecond line!"

        # Back again from the far side: still nothing selected, caret at the end.
        short.cursor_position = 0
        await pilot.press("shift+tab", "shift+tab")
        assert app.focused is short
        await pilot.press("y")
        assert short.value == "Sam Penxy"


async def test_tab_back_to_a_filled_answer_on_a_question_page(app: VigApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReferrerSection)
        await pilot.press("ctrl+u")
        await type_text(pilot, "Sam")
        await pilot.press("tab", "shift+tab")
        await type_text(pilot, " Pen")
        assert screen.query_one("#referrer-name", ShortAnswer).value == "Sam Pen"


async def test_the_register_filter_keeps_its_text_when_focused_again(app: VigApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RegisterScreen)
        await pilot.press("slash", "a", "m")
        await pilot.press("escape")  # back to the table
        await pilot.press("slash", "y")
        await pilot.pause()
        box = screen.query_one("FilterInput")
        assert box.value == "amy"  # type: ignore[attr-defined]
