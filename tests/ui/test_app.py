"""App-wide keys: help from the bindings, the command palette, the remembered theme."""

from __future__ import annotations

import stat

from vig_tui.app import VigApp
from vig_tui.preferences import load_preferences, preferences_path
from vig_tui.screens.help import HelpScreen
from vig_tui.screens.home import HomeScreen
from vig_tui.screens.sections import ReferrerSection
from vig_tui.screens.walkthrough import RequestWalkthrough
from vig_tui.store import Store

from .conftest import TODAY


def _help_text(screen: HelpScreen) -> str:
    from textual.widgets import Label, Static

    widgets = [*screen.query(Label), *screen.query(Static)]
    return "\n".join(str(w.render()) for w in widgets)


async def test_help_lists_the_keys_of_the_screen_below(app: VigApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "enter")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = _help_text(app.screen)
        for words in ("Continue", "Check these answers and go on", "Back", "Save", "Quit"):
            assert words in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReferrerSection)
        # In a text box "?" is typed, not help.
        await pilot.press("?")
        await pilot.pause()
        assert isinstance(app.screen, ReferrerSection)
        assert app.screen.query_one("#referrer-name").value == "?"  # type: ignore[attr-defined]


async def test_question_mark_opens_help_outside_text_boxes(app: VigApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "New request" in _help_text(app.screen)


async def test_the_command_palette_offers_the_main_actions(app: VigApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"new request")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RequestWalkthrough)


async def test_the_theme_choice_is_remembered(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "vig-high-contrast"
        await pilot.pause()
    path = preferences_path()
    assert load_preferences().theme == "vig-high-contrast"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    again = VigApp(store, today=TODAY)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "vig-high-contrast"
        assert isinstance(again.screen, HomeScreen)


async def test_home_shows_the_meeting_drafts_and_counts(app: VigApp, store: Store) -> None:
    from vig_tui.tools.gallery import example_request

    store.save(example_request(), base_version=None)
    store.submit(example_request(), TODAY, base_version=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        from textual.widgets import Label, Static

        text = "\n".join(str(w.render()) for w in app.screen.query(Static))
        text += "\n".join(str(w.render()) for w in app.screen.query(Label))
        assert "Thursday 3 December 2026" in text
        assert "1 request queued for it." in text
        assert "Amelia Tregear" in text
        # each count is kept whole (no-break spaces), so a narrow terminal wraps between them
        assert "Draft:\u00a01" in text
        assert "Submitted:\u00a01" in text
        assert "Not\u00a0accepted:\u00a00" in text
