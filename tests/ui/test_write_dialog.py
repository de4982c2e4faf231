"""The one "write to a folder" dialog, through each of its three callers: the meeting
pack (meeting screen, e), a request's summary (request page, e) and the service report
(Reports, w). Each names the file it will write and says when one is already there,
asks before replacing it, writes owner-only, and keeps the dialog open with the reason
beside the folder when the write fails (no such folder, a file in the way, a full disk).
"""

from __future__ import annotations

import stat
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.small_disk import Disk
from vig_tui.app import VigApp
from vig_tui.screens.reports import ReportsScreen
from vig_tui.screens.request_view import RequestViewScreen
from vig_tui.screens.write_dialog import ConfirmReplace, WriteDialog
from vig_tui.store import Store

from .keys import settle
from .meeting_register import from_the_meeting
from .pages import choose, footer_text, press_and_settle, write_to_folder

Opener = Callable[[VigApp, Pilot[None]], Awaitable[object]]


async def _pack(app: VigApp, pilot: Pilot[None]) -> object:
    return await from_the_meeting(app, pilot, "e")


async def _summary(app: VigApp, pilot: Pilot[None]) -> object:
    (waiting,) = [r for r in app.store.requests() if r.reference == "VIG-2026-0002"]
    await app.push_screen(RequestViewScreen(waiting.id))
    await settle(pilot)
    return await press_and_settle(pilot, "e")


async def _report(app: VigApp, pilot: Pilot[None]) -> object:
    await app.push_screen(ReportsScreen())
    await settle(pilot)
    return await press_and_settle(pilot, "w")


#: Each caller: how it opens the dialog, the key its footer shows for writing, and the
#: Markdown file it writes (Markdown: quick to make on a busy machine).
CALLERS = {
    "pack": (_pack, "Write pack", "vig-meeting-pack-2026-12-03.md"),
    "summary": (_summary, "Write summary", "vig-request-summary-VIG-2026-0002.md"),
    "report": (_report, "Write report", "vig-service-report-"),
}


async def _open(app: VigApp, pilot: Pilot[None], caller: str) -> WriteDialog:
    dialog = await CALLERS[caller][0](app, pilot)
    assert isinstance(dialog, WriteDialog)
    choose(dialog, "Markdown")
    redact = dialog.query("#field-redact")
    if redact:
        redact.first().value = False  # type: ignore[attr-defined]
    await pilot.pause()
    return dialog


def _said(dialog: WriteDialog, selector: str) -> str:
    return " ".join(str(dialog.query_one(selector).render()).split())


@pytest.mark.parametrize("caller", CALLERS)
async def test_the_file_is_named_written_owner_only_and_replaced_only_when_asked(
    meeting_store: Store, app: VigApp, caller: str, tmp_path: Path
) -> None:
    _, write_key, name = CALLERS[caller]
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await _open(app, pilot, caller)
        assert f"Ctrl+S {write_key}" in footer_text(dialog)
        await pilot.pause()
        dialog.query_one("#field-folder", Input).value = str(tmp_path)
        await pilot.pause()
        assert f"File name: {name}" in _said(dialog, "#write-file")
        assert "already in the folder" not in _said(dialog, "#write-file")

        await write_to_folder(pilot, dialog, tmp_path)
        assert app.screen is dialog and dialog.written is not None
        written = dialog.written
        assert written.parent == tmp_path and written.name.startswith(name)
        assert written.suffix == ".md"
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
        assert str(written) in "".join(_said(dialog, "#export-result").split())
        assert "already in the folder: you will be asked" in _said(dialog, "#write-file")

        written.write_text("kept")
        await write_to_folder(pilot, dialog, tmp_path)
        assert isinstance(app.screen, ConfirmReplace)
        assert await press_and_settle(pilot, "n") is dialog
        assert written.read_text() == "kept"
        await write_to_folder(pilot, dialog, tmp_path)
        assert await press_and_settle(pilot, "y") is dialog
        assert written.read_text() != "kept"
        assert stat.S_IMODE(written.stat().st_mode) == 0o600


@pytest.mark.parametrize("caller", CALLERS)
async def test_a_folder_that_is_missing_or_a_file_is_said_beside_the_box(
    meeting_store: Store, app: VigApp, caller: str, tmp_path: Path
) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await _open(app, pilot, caller)
        await write_to_folder(pilot, dialog, tmp_path / "nowhere")
        assert app.screen is dialog and dialog.written is None
        assert f"The folder {tmp_path / 'nowhere'} does not exist" in _said(dialog, "#error-folder")
        await write_to_folder(pilot, dialog, a_file)
        assert app.screen is dialog and dialog.written is None
        assert f"{a_file} is a file, not a folder" in _said(dialog, "#error-folder")
        # What was typed stays, and the cursor is back in the box to change it.
        assert dialog.query_one("#field-folder", Input).value == str(a_file)
        assert app.focused is dialog.query_one("#field-folder")
        await write_to_folder(pilot, dialog, "")
        assert "Enter the folder to write the" in _said(dialog, "#error-folder")


@pytest.mark.parametrize("caller", CALLERS)
async def test_a_full_disk_keeps_the_dialog_open_and_says_what_to_do(
    meeting_store: Store, app: VigApp, caller: str, disk: Disk
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await _open(app, pilot, caller)
        disk.fill()
        try:
            await write_to_folder(pilot, dialog, disk.folder)
            assert app.screen is dialog and dialog.written is None
            said = _said(dialog, "#error-folder")
            assert "could not be written" in said and "Traceback" not in said
            if disk.mounted:
                assert f"the disk holding {disk.folder} is full" in said
                assert "Free some space, or choose a folder on another disk" in said
            else:
                assert f"you cannot save files in {disk.folder}" in said
            assert [p.name for p in disk.folder.iterdir() if p.suffix == ".md"] == []
        finally:
            disk.free()
        # Space again: the same dialog, as it was left, writes the file.
        await write_to_folder(pilot, dialog, disk.folder)
        assert dialog.written is not None and dialog.written.parent == disk.folder
        assert _said(dialog, "#error-folder") == ""
