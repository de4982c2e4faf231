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
        await pilot.press("ctrl+u", "?")
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


async def test_the_command_palette_lists_only_the_apps_own_commands(app: VigApp) -> None:
    """Textual's own commands (Screenshot, Maximize, its keys panel) came first."""
    from textual.command import CommandPalette
    from textual.widgets import OptionList

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.5)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        results = palette.query_one(OptionList)
        titles = [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]
        assert titles, "the palette offers the app's commands before anything is typed"
        assert any("New request" in title for title in titles)
        for textual_own in ("Screenshot", "Maximize", "Keys", "Quit the application"):
            assert not any(title.startswith(textual_own) for title in titles), titles


def test_every_key_is_named_one_way() -> None:
    """One function names keys for the footers, help and messages."""
    from textual.binding import Binding

    from vig_tui.widgets.key_names import binding_key, key_name

    names = ["ctrl+r", "S", "f1", "enter", "escape", "a", "shift+tab", "question_mark"]
    assert [key_name(k) for k in names] == [
        "Ctrl+R",
        "Shift+S",
        "F1",
        "Enter",
        "Esc",
        "a",
        "Shift+Tab",
        "?",
    ]
    app = VigApp()
    assert app.get_key_display(Binding("ctrl+r", "reload")) == "Ctrl+R"
    assert app.get_key_display(Binding("S", "reverse")) == "Shift+S"
    assert binding_key(Binding("left_square_bracket", "x", key_display="[")) == "["
