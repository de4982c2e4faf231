"""The record of a meeting, entered on the meeting screen and written from the export dialog."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from textual.widgets import Checkbox, TextArea

from vig_tui.app import VigApp
from vig_tui.domain.history import Action
from vig_tui.screens.export_dialog import ExportDialog
from vig_tui.screens.meeting import MeetingScreen
from vig_tui.screens.meeting_record import MeetingRecordDialog
from vig_tui.store import Store

from .keys import settle
from .meeting_register import DECEMBER, from_the_meeting
from .pages import choose, write_to_folder


async def test_attendees_apologies_and_actions_are_saved_and_shown_again(
    meeting_store: Store, app: VigApp
) -> None:
    store = meeting_store
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await from_the_meeting(app, pilot, "r")
        assert isinstance(dialog, MeetingRecordDialog)
        await pilot.press(*"Ann Coordinator", "enter", *"Ben Practitioner")
        dialog.query_one("#field-apologies", TextArea).text = "Cat Manager\n\n"
        dialog.query_one("#field-actions", TextArea).text = "Ring the health visitor"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen)
        kept = store.meeting_record(DECEMBER)
        assert kept.attendees == ["Ann Coordinator", "Ben Practitioner"]
        assert kept.apologies == ["Cat Manager"]
        assert kept.actions == "Ring the health visitor"
        said = [f"{n.title}: {n.message}" for n in app._notifications]
        assert "Meeting record saved: 2 present, 1 apology, 1 action" in said, said
        # Saved by the named service command: the ledger says who, with old and new.
        entry = store.ledger()[-1]
        assert entry.action == Action.MEETING_RECORDED and entry.who == app.actor
        assert {c.field: c.new for c in entry.changes}["meeting_record.attendees"] == [
            "Ann Coordinator",
            "Ben Practitioner",
        ]

        await pilot.press("r")
        await pilot.pause()
        again = app.screen
        assert isinstance(again, MeetingRecordDialog)
        assert again.query_one("#field-attendees", TextArea).text == (
            "Ann Coordinator\nBen Practitioner"
        )
        await pilot.press("escape")
        await pilot.pause()
        assert store.meeting_record(DECEMBER).attendees == kept.attendees


async def test_a_name_too_long_is_shown_beside_its_box_and_nothing_is_lost(
    meeting_store: Store, app: VigApp
) -> None:
    store = meeting_store
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await from_the_meeting(app, pilot, "r")
        typed = "Ann\n" + "x" * 201
        dialog.query_one("#field-attendees", TextArea).text = typed
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        error = str(dialog.query_one("#error-attendees").render())
        assert "200 characters or fewer" in error
        assert "There is a problem" in str(dialog.query_one("#error-summary").render())
        assert dialog.query_one("#field-attendees", TextArea).text == typed
        assert store.meeting_record(DECEMBER).attendees == []


async def test_the_export_dialog_writes_the_record_as_word(
    meeting_store: Store, app: VigApp, tmp_path: Path
) -> None:
    from vig_tui.domain.models import MeetingRecord

    record = MeetingRecord(meeting=DECEMBER, attendees=["Ann Coordinator"])
    meeting_store.save_meeting_record(record)
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await from_the_meeting(app, pilot, "e")
        assert isinstance(dialog, ExportDialog)
        choose(dialog, "Word")
        dialog.query_one("#field-record", Checkbox).value = True
        await write_to_folder(pilot, dialog, tmp_path)
        path = tmp_path / "vig-meeting-record-2026-12-03-redacted.docx"
        assert dialog.written == path
        word = docx.Document(io.BytesIO(path.read_bytes()))
        text = "\n".join(p.text for p in word.paragraphs)
        assert "Record of the VIG allocation meeting" in text and "Ann Coordinator" in text

        choose(dialog, "CSV")
        await write_to_folder(pilot, dialog, tmp_path)
        assert "Markdown, HTML, PDF or Word" in str(dialog.query_one("#error-folder").render())


async def test_a_pasted_tab_in_a_name_line_is_shown_as_it_is_stored(
    meeting_store: Store, app: VigApp
) -> None:
    """Each name is short text: a tab is stored as a space, so the box shows a space
    (what is shown is what is stored); the actions box keeps its tabs, as long text does."""
    from textual import events

    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await from_the_meeting(app, pilot, "r")
        assert isinstance(dialog, MeetingRecordDialog)
        attendees = dialog.query_one("#field-attendees", TextArea)
        attendees.focus()
        app.post_message(events.Paste("Ann\tCoordinator\nBen\t\tPractitioner"))
        await pilot.pause()
        actions = dialog.query_one("#field-actions", TextArea)
        actions.focus()
        app.post_message(events.Paste("Ring\tthe health visitor"))
        await pilot.pause()
        assert attendees.text == "Ann Coordinator\nBen  Practitioner"
        assert actions.text == "Ring\tthe health visitor"
        await pilot.press("ctrl+s")
        await settle(pilot)
        kept = meeting_store.meeting_record(DECEMBER)
        assert "\n".join(kept.attendees) == attendees.text
