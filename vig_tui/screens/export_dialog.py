"""Write a meeting's pack: choose the format, whether to redact, and the folder.

The pack is built and written by :mod:`vig_tui.export` in a worker thread. A
file already there is never replaced without asking; once written, the
dialog says where, and dismisses with that path.
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from ..domain.dates import format_date
from ..domain.meetings import Meeting
from ..domain.models import VigRequest
from ..domain.wording import plural
from ..export import FORMATS, ExportError, PackExistsError, build_pack, write_pack
from ..export.record import RECORD_FORMATS, build_minutes, write_record
from ..widgets.answer import ShortAnswer
from ..widgets.choice import Choice
from ..widgets.footer import DIALOG_HELP, KeysFooter
from .base import VigModal

#: The longest path most systems accept (PATH_MAX).
FOLDER_MAX_LENGTH = 4096


def default_folder() -> Path:
    """~/Documents when there is one, else the home folder."""
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


class ConfirmReplace(ModalScreen[bool]):
    """Ask before replacing a file that is already there."""

    CSS_PATH = "decision.tcss"
    HELP_TITLE = "Replace the existing file?"
    BINDINGS = [
        DIALOG_HELP,
        Binding("y", "answer(True)", "Replace", id="replace.yes", tooltip="Replace the file"),
        Binding(
            "n,escape",
            "answer(False)",
            "Keep it",
            id="replace.no",
            tooltip="Keep the file that is there and choose again",
        ),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Label("Replace the existing file?", classes="dialog-title")
            yield Static(
                f"{self.path} already exists. Replacing it cannot be undone.",
                classes="dialog-lead",
                markup=False,
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Replace it (y)", variant="error", id="yes")
                yield Button("Keep it (n)", id="no")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, replace: bool) -> None:
        self.dismiss(replace)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class ExportDialog(VigModal[Path | None]):
    """The meeting pack export, from the meeting screen."""

    CSS_PATH = ["decision.tcss", "export_dialog.tcss"]
    HELP_TITLE = "Write the meeting pack"
    BINDINGS = [
        Binding("escape", "close", "Close", id="export.close", tooltip="Close this dialog"),
        Binding(
            "ctrl+s",
            "export",
            "Write pack",
            id="export.write",
            tooltip="Write the meeting pack to the folder",
            priority=True,
        ),
    ]

    class Written(Message):
        def __init__(self, path: Path) -> None:
            self.path = path
            super().__init__()

    class Exists(Message):
        def __init__(self, fmt: str, redact: bool, path: Path, *, record: bool = False) -> None:
            self.fmt, self.redact, self.path, self.record = fmt, redact, path, record
            super().__init__()

    class Failed(Message):
        def __init__(self, message: str) -> None:
            self.message = message
            super().__init__()

    def __init__(self, meeting: Meeting, requests: list[VigRequest]) -> None:
        super().__init__()
        self.meeting = meeting
        self.requests = requests
        self.written: Path | None = None

    def compose(self) -> ComposeResult:
        count = len(self.requests)
        with VerticalScroll(classes="dialog"):
            yield Label("Write the meeting pack", classes="dialog-title")
            yield Static(
                f"Meeting on {format_date(self.meeting.date)}: {plural(count, 'request')}.",
                classes="dialog-lead",
            )
            yield Label("Format", classes="field-label")
            yield Choice(
                [(f"{f.label}: {f.description}", f.key) for f in FORMATS],
                FORMATS[0].key,
                id="field-format",
            )
            yield Checkbox(
                "Redact: leave out names, addresses, phone numbers and emails",
                value=True,
                id="field-redact",
            )
            yield Checkbox(
                # One line at 80 columns (a longer label ran past the dialog).
                "After the meeting: write its record instead of the pack",
                value=False,
                id="field-record",
            )
            yield Label("Folder", classes="field-label")
            yield Static("", id="error-folder", classes="field-error")
            yield ShortAnswer(
                str(default_folder()), id="field-folder", max_length=FOLDER_MAX_LENGTH
            )
            yield Static("", id="export-result", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Write pack", variant="primary", id="confirm")
                yield Button("Close", id="cancel")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(Choice).focus()

    def action_close(self) -> None:
        self.dismiss(self.written)

    @on(Button.Pressed, "#cancel")
    def _close_pressed(self) -> None:
        self.action_close()

    @on(Button.Pressed, "#confirm")
    @on(Input.Submitted, "#field-folder")
    def action_export(self) -> None:
        self._show_error("")
        folder = self.query_one("#field-folder", Input).value.strip()
        if not folder:
            self._show_error("Enter the folder to write the pack to")
            return
        fmt = self.query_one(Choice).selected or FORMATS[0].key
        redact = self.query_one("#field-redact", Checkbox).value
        try:
            target = Path(folder).expanduser()
        except RuntimeError:  # "~name" for someone with no home folder here
            self._show_error(f"There is no home folder for {folder.split('/')[0]}")
            return
        if self.query_one("#field-record", Checkbox).value:
            if fmt not in RECORD_FORMATS:
                self._show_error("A meeting record is written as Markdown, HTML, PDF or Word")
                return
            self._write_record(fmt, redact, target)
            return
        self._write(fmt, redact, target)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _write(self, fmt: str, redact: bool, folder: Path, path: Path | None = None) -> None:
        """Build and write the pack; ``path`` given means replace that file."""
        today = self.vig.today
        try:
            pack = build_pack(self.requests, self.meeting, today, redact=redact)
            written = write_pack(pack, fmt, path, folder, force=path is not None)
        except PackExistsError as error:
            self.post_message(self.Exists(fmt, redact, error.path))
        except ExportError as error:
            self.post_message(self.Failed(str(error)))
        except (OSError, ValueError) as error:  # a folder name the system refuses
            self.post_message(self.Failed(f"The pack could not be written to {folder}: {error}"))
        else:
            self.post_message(self.Written(written))

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _write_record(self, fmt: str, redact: bool, folder: Path, path: Path | None = None) -> None:
        """Build and write the record of the meeting; ``path`` given means replace that file."""
        try:
            record = self.vig.store.meeting_record(self.meeting.date)
            minutes = build_minutes(
                self.requests, self.meeting, self.vig.today, record, redact=redact
            )
            written = write_record(minutes, fmt, path, folder, force=path is not None)
        except PackExistsError as error:
            self.post_message(self.Exists(fmt, redact, error.path, record=True))
        except Exception as error:  # ExportError, StoreError: shown beside the folder
            self.post_message(self.Failed(str(error)))
        else:
            self.post_message(self.Written(written))

    @on(Exists)
    def _exists(self, message: Exists) -> None:
        def answered(replace: bool | None) -> None:
            if replace:
                write = self._write_record if message.record else self._write
                write(message.fmt, message.redact, message.path.parent, message.path)

        self.app.push_screen(ConfirmReplace(message.path), answered)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._show_error(message.message)

    @on(Written)
    def _written(self, message: Written) -> None:
        self.written = message.path
        result = self.query_one("#export-result", Static)
        result.update(f"Written to\n{message.path}")
        result.add_class("shown")
        self.query_one("#cancel", Button).focus()
        self.notify(str(message.path), title="File written")

    def _show_error(self, message: str) -> None:
        error = self.query_one("#error-folder", Static)
        error.update(message)
        error.set_class(bool(message), "shown")
        if message:
            self.query_one("#field-folder", Input).focus()
