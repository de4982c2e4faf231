"""Write one request's summary: choose the format, whether to redact, and the folder.

Opened with ``e`` from the confirmation page and the request page. The
summary is built and written by :mod:`vig_tui.export.request_summary` in a
worker thread; a file already there is never replaced without asking.
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Label, Static

from ..domain.models import VigRequest
from ..export import ExportError, PackExistsError
from ..export.request_summary import build_summary, number_of, write_summary
from ..widgets.answer import ShortAnswer
from ..widgets.choice import Choice
from ..widgets.footer import KeysFooter
from .base import VigModal
from .export_dialog import FOLDER_MAX_LENGTH, ConfirmReplace, default_folder

#: The formats offered, in the order a worker most often wants them.
SUMMARY_CHOICES = (
    ("PDF: A4 pages to attach or print", "pdf"),
    ("Word: a document to edit", "docx"),
    ("HTML: a page to open in a browser", "html"),
    ("Markdown: plain text for an email", "md"),
    ("CSV: one row per answer, for a spreadsheet", "csv"),
    ("JSON: the summary as data", "json"),
)


class SummaryDialog(VigModal[Path | None]):
    """One request's summary, to attach to the Early Help Hub's form or a team manager's
    decision; dismisses with the path written, if any."""

    CSS_PATH = ["decision.tcss", "export_dialog.tcss"]
    HELP_TITLE = "Write the request's summary"
    BINDINGS = [
        Binding("escape", "close", "Close", id="summary.close", tooltip="Close this dialog"),
        Binding(
            "ctrl+s",
            "export",
            "Write summary",
            id="summary.write",
            tooltip="Write the summary to the folder",
            priority=True,
        ),
    ]

    class Written(Message):
        def __init__(self, path: Path) -> None:
            self.path = path
            super().__init__()

    class Exists(Message):
        def __init__(self, fmt: str, redact: bool, path: Path) -> None:
            self.fmt, self.redact, self.path = fmt, redact, path
            super().__init__()

    class Failed(Message):
        def __init__(self, message: str) -> None:
            self.message = message
            super().__init__()

    def __init__(self, request: VigRequest) -> None:
        super().__init__()
        self.request = request
        self.written: Path | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Label(f"Write the summary of {number_of(self.request)}", classes="dialog-title")
            yield Static(
                "Every answer, the service's checks and the suggested priority: attach it to "
                "the Early Help Hub's request form or a team manager's decision.",
                classes="dialog-lead",
            )
            yield Label("Format", classes="field-label")
            yield Choice(list(SUMMARY_CHOICES), SUMMARY_CHOICES[0][1], id="field-format")
            yield Checkbox(
                "Redact: leave out names, addresses, phone numbers and emails",
                value=False,
                id="field-redact",
            )
            yield Label("Folder", classes="field-label")
            yield Static("", id="error-folder", classes="field-error")
            yield ShortAnswer(
                str(default_folder()), id="field-folder", max_length=FOLDER_MAX_LENGTH
            )
            yield Static("", id="export-result", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Write summary", variant="primary", id="confirm")
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
            self._show_error("Enter the folder to write the summary to")
            return
        fmt = self.query_one(Choice).selected or SUMMARY_CHOICES[0][1]
        redact = self.query_one("#field-redact", Checkbox).value
        try:
            target = Path(folder).expanduser()
        except RuntimeError:  # "~name" for someone with no home folder here
            self._show_error(f"There is no home folder for {folder.split('/')[0]}")
            return
        self._write(str(fmt), redact, target)

    @work(thread=True, exclusive=True, group="summary", exit_on_error=False)
    def _write(self, fmt: str, redact: bool, folder: Path, path: Path | None = None) -> None:
        """Build and write the summary; ``path`` given means replace that file."""
        try:
            summary = build_summary(self.request, self.vig.today, redact=redact)
            written = write_summary(summary, fmt, path, folder, force=path is not None)
        except PackExistsError as error:
            self.post_message(self.Exists(fmt, redact, error.path))
        except ExportError as error:
            self.post_message(self.Failed(str(error)))
        except (OSError, ValueError) as error:  # a folder name the system refuses
            self.post_message(self.Failed(f"The summary could not be written to {folder}: {error}"))
        else:
            self.post_message(self.Written(written))

    @on(Exists)
    def _exists(self, message: Exists) -> None:
        def answered(replace: bool | None) -> None:
            if replace:
                self._write(message.fmt, message.redact, message.path.parent, message.path)

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
