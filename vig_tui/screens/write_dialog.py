"""The one "write to a folder" dialog: what to write, the folder, the file's name.

The meeting pack, a request's summary and the service report are each written
from a dialog that differs only in what it offers above the folder (a format, a
redaction tick, the meeting's record) and in what it writes. Everything else
lives here, once: the folder box (``~`` for the home folder), the name the file
will have and whether a file of that name is already there, the question before
replacing it, the write in a worker thread (owner-only files, in one step, by
:func:`vig_tui.export.write.write_file`), and every failure (no such folder, a
folder that cannot be written to, a full disk) said beside the folder box with
the dialog left open and nothing typed lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioSet, Static

from ..export import ExportError, PackExistsError
from ..store import StoreError
from ..widgets.answer import ShortAnswer
from ..widgets.choice import Choice
from ..widgets.footer import DIALOG_HELP, KeysFooter
from ..widgets.marked_checkbox import MarkedCheckbox
from .base import VigModal

#: The longest path most systems accept (PATH_MAX).
FOLDER_MAX_LENGTH = 4096
#: The redaction tick box's words, wherever a file about families is written.
REDACT_LABEL = "Redact: leave out names, addresses, phone numbers and emails"


def default_folder() -> Path:
    """~/Documents when there is one, else the home folder."""
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


@dataclass(frozen=True)
class WriteChoices:
    """What the user chose above the folder, read once on the screen's thread."""

    fmt: str
    redact: bool = False
    record: bool = False


def write_bindings(prefix: str, label: str, tooltip: str) -> list[BindingType]:
    """Escape closes, Ctrl+S writes: the keys of every write dialog, with its own ids."""
    return [
        Binding("escape", "close", "Close", id=f"{prefix}.close", tooltip="Close this dialog"),
        Binding("ctrl+s", "write", label, id=f"{prefix}.write", tooltip=tooltip, priority=True),
    ]


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


class WriteDialog(VigModal[Path | None]):
    """Base of the dialogs that write a file to a folder; dismisses with the path written.

    A dialog says what it writes (:attr:`WHAT`, :attr:`WRITE_LABEL`), yields its own
    choices (:meth:`compose_choices`) and reads them back (:meth:`choices`), names the
    file for them (:meth:`file_name`) and writes it (:meth:`write`, in a worker).
    """

    CSS_PATH = ["decision.tcss", "write_dialog.tcss"]
    #: What is written, as the messages name it: "meeting pack", "summary", "report".
    WHAT: ClassVar[str] = "file"
    #: The button's words, and Ctrl+S's in the footer.
    WRITE_LABEL: ClassVar[str] = "Write file"

    class Written(Message):
        def __init__(self, path: Path) -> None:
            self.path = path
            super().__init__()

    class Exists(Message):
        def __init__(self, choices: WriteChoices, path: Path) -> None:
            self.choices, self.path = choices, path
            super().__init__()

    class Failed(Message):
        def __init__(self, message: str) -> None:
            self.message = message
            super().__init__()

    def __init__(self) -> None:
        super().__init__()
        self.written: Path | None = None

    # What each dialog says, offers and writes.

    def heading(self) -> str:
        raise NotImplementedError

    def lead(self) -> str:
        raise NotImplementedError

    def compose_choices(self) -> ComposeResult:
        raise NotImplementedError

    def choices(self) -> WriteChoices:
        raise NotImplementedError

    def file_name(self, choices: WriteChoices) -> str:
        """The name the file gets in the folder for these choices."""
        raise NotImplementedError

    def problem(self, choices: WriteChoices) -> str | None:
        """Why these choices cannot be written, if they cannot."""
        return None

    def write(self, choices: WriteChoices, target: Path, *, force: bool) -> Path:
        """Write the file to ``target`` (a worker thread); a file there raises
        :class:`PackExistsError` unless ``force``."""
        raise NotImplementedError

    # The parts most dialogs offer.

    def format_and_redaction(
        self, formats: Sequence[tuple[str, str]], *, redact: bool | None
    ) -> ComposeResult:
        """The format's choice (the first of ``formats`` chosen), then the redaction tick
        box, ticked at first if ``redact`` (``None``: not offered)."""
        yield Label("Format", classes="field-label")
        yield Choice(list(formats), formats[0][1], id="field-format")
        if redact is not None:
            yield MarkedCheckbox(REDACT_LABEL, value=redact, id="field-redact")

    def format_chosen(self, default: str) -> WriteChoices:
        """The format and redaction chosen in :meth:`format_and_redaction`'s boxes."""
        boxes = self.query("#field-redact").results(MarkedCheckbox)
        return WriteChoices(
            fmt=str(self.query_one(Choice).selected or default),
            redact=any(box.value for box in boxes),
        )

    # The shared part.

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Label(self.heading(), classes="dialog-title")
            yield Static(self.lead(), classes="dialog-lead", markup=False)
            yield from self.compose_choices()
            yield Label("Folder", classes="field-label")
            yield Static("", id="error-folder", classes="field-error", markup=False)
            yield ShortAnswer(
                str(default_folder()), id="field-folder", max_length=FOLDER_MAX_LENGTH
            )
            yield Static("", id="write-file", classes="field-hint", markup=False)
            yield Static("", id="export-result", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.WRITE_LABEL, variant="primary", id="confirm")
                yield Button("Close", id="cancel")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(Choice).focus()
        self._show_file()

    def action_close(self) -> None:
        self.dismiss(self.written)

    @on(Button.Pressed, "#cancel")
    def _close_pressed(self) -> None:
        self.action_close()

    @on(Input.Changed, "#field-folder")
    @on(RadioSet.Changed)
    @on(Checkbox.Changed)
    def _choices_changed(self) -> None:
        self._show_file()

    @on(Button.Pressed, "#confirm")
    @on(Input.Submitted, "#field-folder")
    def action_write(self) -> None:
        self._show_error("")
        folder = self._folder()
        if folder is None:
            return
        choices = self.choices()
        problem = self.problem(choices)
        if problem is not None:
            self._show_error(problem)
            return
        self._write(choices, folder / self.file_name(choices))

    def _folder(self) -> Path | None:
        """The folder typed, or ``None`` with the reason said beside it."""
        typed = self.query_one("#field-folder", Input).value.strip()
        if not typed:
            self._show_error(f"Enter the folder to write the {self.WHAT} to")
            return None
        try:
            return Path(typed).expanduser()
        except RuntimeError:  # "~name" for someone with no home folder here
            self._show_error(f"There is no home folder for {typed.split('/')[0]}")
            return None

    def _show_file(self) -> None:
        """The file's name, and whether one of that name is already in the folder."""
        typed = self.query_one("#field-folder", Input).value.strip()
        name = self.file_name(self.choices())
        said = f"File name: {name}"
        try:
            there = bool(typed) and (Path(typed).expanduser() / name).exists()
        except (OSError, RuntimeError, ValueError):  # a folder the system refuses
            there = False
        if there:
            said += (
                "\nA file of this name is already in the folder: "
                "you will be asked before it is replaced."
            )
        self.query_one("#write-file", Static).update(said)

    @work(thread=True, exclusive=True, group="write-dialog", exit_on_error=False)
    def _write(self, choices: WriteChoices, target: Path, *, force: bool = False) -> None:
        try:
            written = self.write(choices, target, force=force)
        except PackExistsError as error:
            self.post_message(self.Exists(choices, error.path))
        except (ExportError, StoreError) as error:
            self.post_message(self.Failed(str(error)))
        except (OSError, ValueError) as error:  # a folder name the system refuses
            self.post_message(
                self.Failed(f"The {self.WHAT} could not be written to {target.parent}: {error}")
            )
        else:
            self.post_message(self.Written(written))

    @on(Exists)
    def _exists(self, message: Exists) -> None:
        def answered(replace: bool | None) -> None:
            if replace:
                self._write(message.choices, message.path, force=True)

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
        self._show_file()
        self.query_one("#cancel", Button).focus()
        self.notify(str(message.path), title="File written")

    def _show_error(self, message: str) -> None:
        error = self.query_one("#error-folder", Static)
        error.update(message)
        error.set_class(bool(message), "shown")
        if message:
            self.query_one("#field-folder", Input).focus()
