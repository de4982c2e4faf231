"""Every screen's keys are discoverable at 80x24: the footer fits and shows F1, and
F1 lists every key that works there (the screen's, the focused widget's, the app's)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable

from tests.ui.keys import settle
from vig_tui.app import VigApp
from vig_tui.domain.models import RequestStatus, VigRequest
from vig_tui.domain.rules import Section, evaluate, ineligible
from vig_tui.screens.cannot_accept import CannotAcceptScreen
from vig_tui.screens.confirmation import ConfirmationScreen
from vig_tui.screens.help import HelpScreen, keys_for
from vig_tui.screens.request_view import RequestViewScreen
from vig_tui.screens.startup_problem import StartupProblemScreen
from vig_tui.screens.walkthrough import RequestWalkthrough
from vig_tui.screens.write_dialog import ConfirmReplace
from vig_tui.store import Store
from vig_tui.tools.demo import fill_database
from vig_tui.widgets.footer import KeysFooter

from .conftest import TODAY

Route = Callable[[VigApp, Pilot[None]], Awaitable[None]]

#: How the app writes a key: modifiers capitalised with "+", named keys capitalised,
#: function keys in capitals, a plain letter or sign as typed.
KEY_STYLE = re.compile(
    r"(?:(?:Ctrl|Shift|Alt)\+)*(?:[A-Z][a-z]+(?: [A-Z][a-z]+)?|F\d+|[A-Z]|[a-z0-9]|[^\w\s])"
)


async def _keys(app: VigApp, pilot: Pilot[None], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def _press(*keys: str) -> Route:
    async def route(app: VigApp, pilot: Pilot[None]) -> None:
        await _keys(app, pilot, *keys)

    return route


def _section(section: Section) -> Route:
    async def route(app: VigApp, pilot: Pilot[None]) -> None:
        await _keys(app, pilot, "n")
        assert isinstance(app.screen, RequestWalkthrough)
        app.screen.open_section(section)
        await settle(pilot)

    return route


def _push(make: Callable[[VigApp], Screen[object]]) -> Route:
    async def route(app: VigApp, pilot: Pilot[None]) -> None:
        app.push_screen(make(app))
        await settle(pilot)

    return route


def _sent(app: VigApp) -> VigRequest:
    return next(r for r in app.store.requests() if r.status is RequestStatus.SUBMITTED)


def _cannot_accept(app: VigApp) -> Screen[object]:
    return CannotAcceptScreen(ineligible(evaluate(VigRequest(), TODAY)))


async def _meeting_row(app: VigApp, pilot: Pilot[None], *keys: str) -> None:
    """The meeting screen with a request waiting for a decision highlighted, then ``keys``."""
    await _keys(app, pilot, "m")
    table = app.screen.query_one(DataTable)
    items = app.screen.items  # type: ignore[attr-defined]
    index = next(i for i, item in enumerate(items) if item.awaiting)
    table.move_cursor(row=index)
    await settle(pilot)
    await _keys(app, pilot, *keys)


def _request_page(*keys: str) -> Route:
    async def route(app: VigApp, pilot: Pilot[None]) -> None:
        app.push_screen(RequestViewScreen(_sent(app).id))
        await settle(pilot)
        await _keys(app, pilot, *keys)

    return route


def _meeting(*keys: str) -> Route:
    async def route(app: VigApp, pilot: Pilot[None]) -> None:
        await _meeting_row(app, pilot, *keys)

    return route


ROUTES: dict[str, Route] = {
    "home": _press(),
    "task list": _press("n"),
    **{f"section {s.value}": _section(s) for s in Section},
    "check answers": _press("n", "c"),
    "cannot accept": _push(_cannot_accept),
    "confirmation": _push(lambda app: ConfirmationScreen(_sent(app))),
    "register": _press("r"),
    "reports": _press("s"),
    "request page": _push(lambda app: RequestViewScreen(_sent(app).id)),
    "meeting": _meeting(),
    "allocate dialog": _meeting("a"),
    "not accepted dialog": _meeting("n"),
    "defer dialog": _meeting("d"),
    "more information dialog": _meeting("i"),
    "move meeting dialog": _meeting("m"),
    "export dialog": _meeting("e"),
    "meeting record dialog": _meeting("r"),
    "roster": _meeting("p"),
    "practitioner dialog": _meeting("p", "a"),
    "replace file": _push(lambda app: ConfirmReplace(Path("/tmp/pack.md"))),
    "delete draft question": _press("x"),
    "withdraw reason dialog": _request_page("w"),
    "correction task list": _request_page("c"),
    "startup problem": _push(lambda app: StartupProblemScreen("In use", offer_read_only=True)),
    "help": _press("f1"),
}


@pytest.fixture
def full_app(store: Store) -> VigApp:
    fill_database(store, 60, today=TODAY)
    return VigApp(store, today=TODAY)


def _footer_keys(screen: Screen[object]) -> list[Widget]:
    footer = screen.query_one(KeysFooter)
    return [w for w in footer.children if w.display]


@pytest.mark.parametrize("name", list(ROUTES))
async def test_every_key_is_discoverable_at_80x24(full_app: VigApp, name: str) -> None:
    """The footer fits 80 columns with F1 at its right; F1 lists every key that works."""
    app = full_app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ROUTES[name](app, pilot)
        screen = app.screen
        _check_footer(screen, name)
        _check_help(screen, name, set(screen.active_bindings))
        if isinstance(screen, HelpScreen):
            return
        await pilot.press("f1")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen), name
        listed = set().union(*(group.keys for group in help_screen.groups))
        working = set(screen.active_bindings)
        assert working <= listed, f"{name}: help leaves out {sorted(working - listed)}"
        heading = str(help_screen.query(".heading").first().render())
        assert type(screen).__name__ not in heading.replace(" ", "")
        assert "Dialog" not in heading and "Screen" not in heading


def _check_footer(screen: Screen[object], name: str) -> None:
    footer = screen.query_one(KeysFooter)
    keys = _footer_keys(screen)
    help_keys = [k for k in keys if k.has_class("-help")]
    assert len(help_keys) == 1, f"{name}: no F1 in the footer"
    help_region = help_keys[0].region
    assert help_region.right <= 80 and help_region.width > 0
    expected = "Close help" if name == "help" else "More keys"
    assert expected in str(help_keys[0].render())
    for key in keys:
        # Every key written one way: "Ctrl+R", "Shift+S", "Esc", "F1", "a" (not "^r", "shift+s").
        shown = getattr(key, "key_display", "")
        assert KEY_STYLE.fullmatch(shown), f"{name}: the footer writes a key as {shown!r}"
        # "w Write report": the gap is the key's own, so no run of text starts with a
        # space (an SVG-to-PNG converter drops one: the gallery showed "wWrite report").
        drawn = key.render()
        assert isinstance(drawn, Text), name
        described = getattr(key, "description", "")
        assert drawn.plain == f"{shown} {described}", f"{name}: {drawn.plain!r}"
        assert not any(drawn.plain[s.start : s.end].startswith(" ") for s in drawn.spans), name
        if key is help_keys[0]:
            continue
        # Every other key is whole on screen, left of F1, not under it.
        assert key.region.width > 0, f"{name}: {key} is not drawn"
        assert key.region.right <= help_region.x, f"{name}: {key} runs under F1"
        assert key.region.y == footer.region.y


def _check_help(screen: Screen[object], name: str, working: set[str]) -> None:
    groups = keys_for(screen)
    listed = set().union(*(group.keys for group in groups))
    assert working <= listed, f"{name}: help leaves out {sorted(working - listed)}"
    # Tab was listed twice on the question pages: "Next answer", and Textual's own
    # "Focus Next" for the same move.
    for key in ("tab", "shift+tab"):
        rows = [row.description for group in groups for row in group.rows if key in row.keys]
        assert len(rows) <= 1, f"{name}: {key} listed as {rows}"
