"""Send a meeting's decisions back: one sealed notice per referrer, with a letter.

The notices are built from the store and written by
:mod:`vig_tui.service.notices` in a worker; the dialog says how many referrers
and decisions there are before anything is written, and afterwards where each
file is and what to do with it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Label, Static

from ..domain.dates import format_date
from ..domain.meetings import Meeting
from ..domain.wording import plural
from ..widgets.answer import ShortAnswer
from .base import VigModal
from .write_dialog import FOLDER_MAX_LENGTH, default_folder


class NoticesDialog(VigModal[None]):
    """Write the decisions of ``meeting`` back to the referrers who sent by file."""

    CSS_PATH = "decision.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        *VigModal.BINDINGS,
        Binding("escape", "close", "Close", id="notices.close", tooltip="Close"),
    ]

    class Written(Message):
        def __init__(self, lines: list[str], problem: str | None) -> None:
            self.lines = lines
            self.problem = problem
            super().__init__()

    def __init__(self, meeting: Meeting) -> None:
        super().__init__(classes="notices-dialog")
        self.meeting = meeting

    @property
    def HELP_TITLE(self) -> str:
        return "Send the decisions back"

    def compose(self) -> ComposeResult:
        held = format_date(self.meeting.date)
        folder = default_folder() / f"vig-decisions-{self.meeting.date.isoformat()}"
        with VerticalScroll(classes="dialog"):
            yield Label(f"Send the decisions of {held} back", classes="dialog-title")
            yield Static(
                "Each referrer who sent requests by file gets one file, sealed so only their "
                "computer opens it, and a letter to read without the app. Nothing is sent: "
                "attach each pair to a secure email.",
                classes="dialog-lead",
            )
            yield Static("", id="notices-problem", classes="error-summary", markup=False)
            yield Label("Folder to write them to")
            yield ShortAnswer(str(folder), id="notices-folder", max_length=FOLDER_MAX_LENGTH)
            yield Static("", id="notices-result", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Write the notices", id="notices-write", variant="primary")
                yield Button("Close", id="notices-close")

    def on_mount(self) -> None:
        self.query_one("#notices-problem").display = False
        self.query_one("#notices-write", Button).focus()

    @on(Button.Pressed, "#notices-write")
    @on(ShortAnswer.Submitted, "#notices-folder")
    def _write_pressed(self) -> None:
        text = self.query_one("#notices-folder", ShortAnswer).value.strip()
        if not text:
            self._problem("Enter the folder to write the notices to")
            return
        self._write(Path(text).expanduser())

    def _problem(self, message: str) -> None:
        problem = self.query_one("#notices-problem", Static)
        problem.update(f"There is a problem: {message}")
        problem.display = True

    @work(thread=True, exclusive=True, group="notices", exit_on_error=False)
    def _write(self, folder: Path) -> None:
        from ..service.notices import meeting_notices, write_notices
        from ..store import StoreError

        try:
            notices = meeting_notices(self.vig.store, self.meeting.date, sent_at=datetime.now(UTC))
            if not notices.notices:
                self.post_message(
                    self.Written(
                        [],
                        "No decisions of this meeting are on requests received by file, so "
                        "there is nothing to send back: tell the referrers another way",
                    )
                )
                return
            written = write_notices(notices, folder)
        except (OSError, StoreError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            self.post_message(self.Written([], f"The notices were not written: {reason}"))
            return
        lines = [
            f"{notice.sender_name}: {plural(len(notice.document.decisions), 'decision')}: "
            f"{sealed.name} and {letter.name}"
            for notice, sealed, letter in written
        ]
        lines += [
            f"{request.reference}: not received by file; tell the referrer another way"
            for request in notices.not_by_file
        ]
        lines.append(f"Written to {folder}. Attach each pair to a secure email to the referrer.")
        self.post_message(self.Written(lines, None))

    @on(Written)
    def _written(self, message: Written) -> None:
        if message.problem is not None:
            self._problem(message.problem)
            return
        self.query_one("#notices-problem").display = False
        self.query_one("#notices-result", Static).update("\n".join(message.lines))
        self.query_one("#notices-close", Button).focus()

    @on(Button.Pressed, "#notices-close")
    def action_close(self) -> None:
        self.dismiss(None)
