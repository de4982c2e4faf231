"""The folder boxes of the export and report dialogs: a folder the system refuses (a
"~name" with no home here, a name far too long) is said beside the box, never a crash."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
from textual import events
from textual.screen import Screen
from textual.widgets import Static

from vig_tui.app import VigApp
from vig_tui.domain.meetings import MeetingCalendar
from vig_tui.domain.report import build_report
from vig_tui.screens.export_dialog import ExportDialog
from vig_tui.screens.reports import ReportWriteDialog
from vig_tui.widgets.answer import ShortAnswer

from .conftest import TODAY

REFUSED = ["~nobody-has-this-name/packs", "x" * 3000, "a/\x00b"]


def _dialogs() -> list[Screen[object]]:
    meeting = MeetingCalendar().meeting_in(2026, 12)
    data = build_report([], start=date(2026, 1, 1), end=TODAY, made_on=TODAY)
    return [ExportDialog(meeting, []), ReportWriteDialog(data)]


@pytest.mark.parametrize("folder", REFUSED, ids=["no-such-home", "too-long", "nul"])
@pytest.mark.parametrize("which", [0, 1], ids=["export", "report"])
async def test_a_refused_folder_is_said_beside_the_box(
    app: VigApp, folder: str, which: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a relative folder lands here, if anywhere
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = _dialogs()[which]
        await app.push_screen(dialog)
        await pilot.pause()
        box = dialog.query_one("#field-folder", ShortAnswer)
        box.focus()
        box.select_all()
        app.post_message(events.Paste(folder))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await asyncio.wait_for(app.workers.wait_for_complete(), 30)
        await pilot.pause()
        assert app.is_running
        error = str(dialog.query_one("#error-folder", Static).render())
        assert error, "the dialog says why nothing was written"
