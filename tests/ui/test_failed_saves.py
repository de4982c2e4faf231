"""A save that fails never takes the app down or loses the draft (issue #9).

The failure is real: the database lives on a small disk that the test fills
(tests/small_disk.py). Nothing in the store is replaced or mocked.
"""

from __future__ import annotations

from datetime import date

from textual.widgets import Input

from tests.small_disk import Disk
from tests.ui.keys import settle
from vig_tui.app import VigApp
from vig_tui.screens.decision import MoreInformationDialog
from vig_tui.screens.sections import ReferrerSection
from vig_tui.screens.unsaved_work import UnsavedWorkScreen
from vig_tui.store import Store
from vig_tui.widgets.answer import ShortAnswer

from .conftest import TODAY


def _messages(app: VigApp) -> str:
    return "\n".join(f"{n.title}: {n.message}" for n in app._notifications)


async def _start_request(app: VigApp, pilot, name: str) -> ShortAnswer:  # type: ignore[no-untyped-def]
    await pilot.press("n", "enter")
    await pilot.pause()
    assert isinstance(app.screen, ReferrerSection)
    box = app.screen.query_one("#referrer-name", ShortAnswer)
    # The name filled in from the profile: cleared, as a worker would (focus selects nothing).
    await pilot.press("ctrl+u")
    await pilot.press(*name)
    return box


async def test_a_failed_autosave_is_shown_keeps_the_answers_and_saves_when_it_can(
    small_store: Store, disk: Disk
) -> None:
    app = VigApp(small_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        box = await _start_request(app, pilot, "Sam")
        app.screen._save_draft()  # type: ignore[attr-defined]  # what the autosave timer runs
        await settle(pilot)
        assert small_store.requests()[0].referrer.name == "Sam"
        disk.fill()
        await pilot.press(*" Rowe")
        app.screen._save_draft()  # type: ignore[attr-defined]
        await settle(pilot)
        assert app.is_running
        assert box.value == "Sam Rowe"  # the answers stay on screen
        assert "Your draft could not be saved" in _messages(app)
        assert app.sub_title.startswith("NOT SAVED:")
        assert small_store.requests()[0].referrer.name == "Sam"
        disk.free()
        app._retry_saves()  # what the retry timer runs every few seconds
        await settle(pilot)
        assert small_store.requests()[0].referrer.name == "Sam Rowe"
        assert app.sub_title == "" and not app.unsaved
        assert "Your draft is saved now." in _messages(app)


async def test_ctrl_s_says_draft_saved_only_once_it_is_written(
    small_store: Store, disk: Disk
) -> None:
    app = VigApp(small_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await _start_request(app, pilot, "Sam")
        with app._save_lock:  # the write waits: nothing may claim it is saved yet
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "Draft saved" not in _messages(app)
        await settle(pilot)
        assert "Draft saved" in _messages(app)
        assert small_store.requests()[0].referrer.name == "Sam"
        app.clear_notifications()
        disk.fill()
        await pilot.press("x", "ctrl+s")
        await settle(pilot)
        assert "Draft saved" not in _messages(app)
        assert "Your draft could not be saved" in _messages(app)


async def test_quitting_after_a_failed_save_asks_and_try_again_saves_then_quits(
    small_store: Store, disk: Disk
) -> None:
    app = VigApp(small_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        box = await _start_request(app, pilot, "Sam")
        disk.fill()
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.is_running
        dialog = app.screen
        assert isinstance(dialog, UnsavedWorkScreen)
        assert any("Sam" not in r for r in dialog.reasons)
        await pilot.press("escape")  # Go back: the answers are still there
        await pilot.pause()
        assert isinstance(app.screen, ReferrerSection) and box.value == "Sam"
        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.press("enter")  # Try again, still full: asked again
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, UnsavedWorkScreen)
        disk.free()
        await pilot.press("enter")  # Try again
        await settle(pilot)
    assert not app.is_running
    assert small_store.requests()[0].referrer.name == "Sam"


async def test_quit_without_saving_closes_and_says_so(small_store: Store, disk: Disk) -> None:
    app = VigApp(small_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await _start_request(app, pilot, "Sam")
        disk.fill()
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedWorkScreen)
        await pilot.press("tab", "enter")  # Quit without saving
        await settle(pilot)
    assert not app.is_running
    assert small_store.requests() == []


async def test_a_meeting_decision_that_cannot_be_saved_keeps_its_answers(
    small_store: Store, disk: Disk
) -> None:
    from .test_meeting_decisions import open_meeting, sent

    small_store.save(sent(1, "Amelia Tregear", date(2025, 9, 1)), base_version=None)
    app = VigApp(small_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(app, pilot)
        disk.fill()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, MoreInformationDialog)
        await pilot.press(*"Health visitor report", "enter", *"Alex Worker", "enter")
        await settle(pilot)
        assert app.is_running
        assert "The decision was not saved" in _messages(app)
        dialog = app.screen  # open again, with what was typed
        assert isinstance(dialog, MoreInformationDialog)
        assert dialog.query_one("#field-information_needed", Input).value == (
            "Health visitor report"
        )
        assert dialog.query_one("#field-information_from", Input).value == "Alex Worker"
        disk.free()
        await pilot.press("ctrl+s")
        await settle(pilot)
        decision = small_store.requests()[0].latest_decision
        assert decision is not None and decision.information_from == "Alex Worker"
