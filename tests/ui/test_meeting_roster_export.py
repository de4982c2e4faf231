"""The roster (added practitioners are offered when allocating) and the pack export dialog."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from vig_tui.app import VigApp
from vig_tui.domain.models import Priority
from vig_tui.screens.decision import AllocateDialog
from vig_tui.screens.export_dialog import ExportDialog
from vig_tui.screens.meeting import MeetingScreen
from vig_tui.screens.roster import PractitionerDialog, RosterScreen
from vig_tui.store import Store

from .keys import settle
from .meeting_register import allocated, from_the_meeting
from .pages import table_rows, write_to_folder


async def test_roster_shows_caseloads_and_adds_a_practitioner(
    meeting_store: Store, app: VigApp
) -> None:
    store = meeting_store
    async with app.run_test(size=(100, 30)) as pilot:
        roster = await from_the_meeting(app, pilot, "p")
        assert isinstance(roster, RosterScreen)
        rows = table_rows(roster)
        assert ["Jo Pascoe", "", "", "Yes", "1 of 2"] in rows
        assert any(r[0] == "Old Hand" and r[3] == "No" for r in rows)

        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, PractitionerDialog)
        await pilot.press(*"Sam Newcomer", "enter", *"not-an-email", "enter", "enter", "enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PractitionerDialog)
        assert "correct format" in str(dialog.query_one("#error-email").render())
        dialog.query_one("#field-email", Input).value = "sam@example.org"
        dialog.query_one("#field-capacity", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is roster
        added = next(p for p in store.practitioners() if p.name == "Sam Newcomer")
        assert added.active and added.email == "sam@example.org" and added.capacity == 6

        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        allocate = app.screen
        assert isinstance(allocate, AllocateDialog)
        labels = [label for label, _ in allocate.options]
        assert labels == ["Jo Pascoe: 1 of 2", "Sam Newcomer: 0 of 6"]  # not the inactive


async def test_deactivate_from_roster(meeting_store: Store, app: VigApp) -> None:
    store = meeting_store
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(RosterScreen())
        await settle(pilot)
        await pilot.press("d")  # Jo Pascoe, listed first
        await settle(pilot)
        jo = next(p for p in store.practitioners() if p.name == "Jo Pascoe")
        assert not jo.active


async def test_the_pack_is_redacted_by_default_and_escape_goes_back_to_the_meeting(
    meeting_store: Store, app: VigApp, tmp_path: Path
) -> None:
    # Naming, owner-only files, replacing and failed writes: tests/ui/test_write_dialog.py.
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await from_the_meeting(app, pilot, "e")
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#field-folder", Input).value  # the default folder is shown
        await write_to_folder(pilot, dialog, tmp_path)
        path = tmp_path / "vig-meeting-pack-2026-12-03-redacted.md"
        assert dialog.written == path
        assert "VIG-2026-0002" in path.read_text()
        assert "Piran" not in path.read_text()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)


async def test_every_tick_box_label_in_the_export_dialog_fits_80_columns(
    meeting_store: Store, app: VigApp
) -> None:
    # "After the meeting: write its record (present, apologies, decisions" was cut off.
    from textual.widgets import Checkbox

    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await from_the_meeting(app, pilot, "e")
        assert isinstance(dialog, ExportDialog)
        boxes = list(dialog.query(Checkbox))
        assert len(boxes) == 2
        for box in boxes:
            label = box.label.plain
            # The box itself ("▐X▌") and a space come before the label, and the box
            # is drawn inside the dialog, not past its edge.
            assert len(label) + 4 <= box.content_size.width, label
            assert box.region.right <= box.parent.content_region.right, label  # type: ignore[union-attr]
        assert "write its record" in boxes[1].label.plain


async def test_the_roster_says_over_capacity_not_full(meeting_store: Store, app: VigApp) -> None:
    """ "9 of 8 (full)" hid how far over someone was: over is "over capacity"."""
    jo = next(p for p in meeting_store.practitioners() if p.name == "Jo Pascoe")
    for number, name in ((3, "Tamsin Rowe"), (4, "Kerensa Hall")):
        meeting_store.save(allocated(number, name, jo, Priority.MEDIUM), base_version=None)
    async with app.run_test(size=(100, 30)) as pilot:
        rows = table_rows(await from_the_meeting(app, pilot, "p"))
        assert ["Jo Pascoe", "", "", "Yes", "3 of 2 (over capacity)"] in rows
