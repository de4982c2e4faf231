"""First start: the app asks once who the worker is, keeps it, and fills in About you with it."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from textual.widgets import Input

from vig_tui.app import VigApp
from vig_tui.preferences import load_preferences
from vig_tui.screens.profile import ProfileScreen
from vig_tui.screens.sections import ReferrerSection
from vig_tui.screens.walkthrough import RequestWalkthrough
from vig_tui.store import Store
from vig_tui.widgets.error_summary import ErrorSummary

from .conftest import TODAY


async def _continue(pilot, screen: ProfileScreen) -> None:  # type: ignore[no-untyped-def]
    """Enter in the name box is Continue (as on every question page)."""
    screen.query_one("#profile-name", Input).focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()


async def test_the_first_start_asks_once_and_fills_in_about_you(
    no_profile: Path, store: Store
) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 50)) as pilot:
        for _ in range(50):
            await pilot.pause()
            if isinstance(app.screen, ProfileScreen):
                break
        screen = app.screen
        assert isinstance(screen, ProfileScreen)
        assert "Before you start" in _captions(screen)
        await _continue(pilot, screen)
        messages = [e.message for e in screen.query_one(ErrorSummary).errors]
        assert messages == ["Enter your name", "Choose your role"]
        screen.query_one("#profile-name", Input).value = "Ann Kitto"
        screen.query_one("#profile-role").focus()
        await pilot.press("enter")  # the first role: Health visitor
        screen.query_one("#profile-team", Input).value = "Truro Health Visiting"
        screen.query_one("#profile-email", Input).value = "ann@example"
        await _continue(pilot, screen)
        assert isinstance(app.screen, ProfileScreen)
        assert [e.message for e in screen.query_one(ErrorSummary).errors] == [
            "Enter your email address in the correct format, like name@example.com"
        ]
        screen.query_one("#profile-email", Input).value = "ann@example.org"
        await _continue(pilot, screen)
        assert not isinstance(app.screen, ProfileScreen)
        # Kept, owner-only, and used for the next request.
        saved = json.loads(no_profile.read_text())
        assert saved["profile"]["name"] == "Ann Kitto"
        assert stat.S_IMODE(os.stat(no_profile).st_mode) == 0o600
        assert load_preferences().profile == app.preferences.profile
        await pilot.press("n")
        await pilot.pause()
        walkthrough = app.screen
        assert isinstance(walkthrough, RequestWalkthrough)
        referrer = walkthrough.request.referrer
        assert (referrer.name, referrer.team, referrer.email) == (
            "Ann Kitto",
            "Truro Health Visiting",
            "ann@example.org",
        )
        assert walkthrough.request.history[0].who.name == "Ann Kitto"
        walkthrough.open_section(walkthrough_section := ReferrerSection.SECTION)
        await pilot.pause()
        assert isinstance(app.screen, ReferrerSection) and walkthrough_section
        assert app.screen.query_one("#referrer-name", Input).value == "Ann Kitto"


async def test_a_worker_with_a_profile_is_not_asked(app: VigApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, ProfileScreen)


async def test_p_on_home_changes_your_details_later(app: VigApp) -> None:
    # Once given at the first start, the details could be changed only on the command line.
    from vig_tui.screens.help import HelpScreen

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        listed = set().union(*(group.keys for group in help_screen.groups))
        assert "p" in listed
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProfileScreen)
        # Changing them is not "Before you start" (it said so, after months of use).
        assert _captions(screen) == ["Your details"]
        name = screen.query_one("#profile-name", Input)
        before = name.value
        assert before  # the details given before are shown to change
        name.value = "Tess Tester-Rowe"
        await _continue(pilot, screen)
        assert not isinstance(app.screen, ProfileScreen)
    assert app.preferences.profile is not None
    assert app.preferences.profile.name == "Tess Tester-Rowe"
    assert load_preferences().profile == app.preferences.profile


def _captions(screen: ProfileScreen) -> list[str]:
    from textual.widgets import Static

    return [str(caption.render()) for caption in screen.query(".caption").results(Static)]
