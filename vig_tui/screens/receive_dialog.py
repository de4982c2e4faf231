"""Receive files in the app: what `vig-tui receive` does, from the Inbox (``r``).

The coordinator names the files that came by email (or the folder they were saved
to): sealed request files, a meeting pack's JSON, or, on a referrer's computer,
decision notices. Each is read and checked whole first (a file refused writes
nothing), then taken by :mod:`vig_tui.service.taking_files` in a worker; the
dialog lists what each file did and what was refused, and why.
"""

from __future__ import annotations

import shlex
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Label, Static

from ..domain.wording import plural
from ..widgets.answer import ShortAnswer
from .base import VigModal
from .write_dialog import FOLDER_MAX_LENGTH, default_folder

NEEDS_PASSPHRASE = (
    "The service's key is protected by a passphrase: type it in the passphrase box, "
    "then Receive. Nothing was received."
)
#: The most a passphrase box takes (age's own passphrases are far shorter).
PASSPHRASE_MAX_LENGTH = 200


def paths_typed(text: str) -> list[Path]:
    """The paths in what was typed: one path as it stands (spaces and all) when it
    exists, else paths separated as a shell would (quotes keep spaces)."""
    whole = Path(text).expanduser()
    if whole.exists():
        return [whole]
    try:
        parts = shlex.split(text)
    except ValueError:
        parts = [text]
    return [Path(part).expanduser() for part in parts]


def _file_name(path: Path) -> str:
    """A file as the dialog names it: its name (the folder is the one typed)."""
    return path.name


class ReceiveDialog(VigModal[bool]):
    """Take files into this register; dismisses with whether anything was taken."""

    CSS_PATH = "decision.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        *VigModal.BINDINGS,
        Binding("escape", "close", "Close", id="receive.close", tooltip="Close"),
    ]

    class Taken(Message):
        def __init__(
            self,
            lines: list[str],
            refused: list[str],
            conflicts: int,
            *,
            passphrase_problem: bool = False,
        ) -> None:
            self.lines = lines
            self.refused = refused
            self.conflicts = conflicts
            self.passphrase_problem = passphrase_problem
            super().__init__()

    def __init__(self) -> None:
        super().__init__(classes="receive-dialog")
        self.anything_taken = False

    @property
    def HELP_TITLE(self) -> str:
        return "Receive files"

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Label("Receive files", classes="dialog-title")
            yield Static(
                "Request files sealed to the service, a meeting pack's JSON, or decision "
                "notices sent back to you. Each file is checked whole first: a file cut "
                "short, changed, or sealed for someone else is refused and nothing from it "
                "is written.",
                classes="dialog-lead",
            )
            yield Static("", id="receive-problem", classes="error-summary", markup=False)
            yield Label("The file, or the folder holding the files")
            yield Static(
                "Several files: separate them with spaces; put a name with spaces in quotes.",
                classes="field-hint",
            )
            yield ShortAnswer(
                str(default_folder()), id="receive-paths", max_length=FOLDER_MAX_LENGTH
            )
            yield Label("The service key's passphrase (only if it has one)")
            yield Input(id="receive-passphrase", password=True, max_length=PASSPHRASE_MAX_LENGTH)
            yield Static("", id="receive-result", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Receive", id="receive-take", variant="primary")
                yield Button("Close", id="receive-close")

    def on_mount(self) -> None:
        self.query_one("#receive-problem").display = False
        self.query_one("#receive-paths", ShortAnswer).focus()

    @on(Button.Pressed, "#receive-take")
    @on(Input.Submitted)
    def _take_pressed(self) -> None:
        text = self.query_one("#receive-paths", ShortAnswer).value.strip()
        if not text:
            self._problem("Enter the file, or the folder holding the files")
            return
        if self.vig.store.read_only:
            self._problem("This register is open read-only, so nothing can be received")
            return
        passphrase = self.query_one("#receive-passphrase", Input).value or None
        self.query_one("#receive-take", Button).disabled = True
        self._take(paths_typed(text), passphrase)

    def _problem(self, message: str) -> None:
        problem = self.query_one("#receive-problem", Static)
        problem.update(f"There is a problem: {message}")
        problem.display = True

    @work(thread=True, exclusive=True, group="receive", exit_on_error=False)
    def _take(self, paths: list[Path], passphrase: str | None) -> None:
        from ..exchange.keys import PassphraseNeeded
        from ..exchange.sealing import ExchangeError
        from ..preferences import preferences_path
        from ..service.taking_files import files_in, keys_here, open_files, take_files

        store = self.vig.store
        try:
            chosen = files_in(paths)
        except OSError as error:
            self.post_message(self.Taken([], [f"{error.strerror or error}"], 0))
            return
        if not chosen:
            self.post_message(self.Taken([], ["There are no files there"], 0))
            return
        folder = preferences_path().parent
        try:
            opened, refused = open_files(
                chosen, lambda: keys_here(store, folder, passphrase), named=_file_name
            )
        except PassphraseNeeded as error:
            problem = NEEDS_PASSPHRASE if passphrase is None else f"{error} Nothing was received."
            self.post_message(self.Taken([], [problem], 0, passphrase_problem=True))
            return
        except ExchangeError as error:
            self.post_message(self.Taken([], [str(error)], 0))
            return
        taken = (
            take_files(store, self.vig.actor, opened, on=date.today(), named=_file_name)
            if opened
            else None
        )
        if taken is not None:
            refused += taken.refused
        self.post_message(
            self.Taken(taken.lines if taken else [], refused, taken.conflicts if taken else 0)
        )

    @on(Taken)
    def _taken(self, message: Taken) -> None:
        self.query_one("#receive-take", Button).disabled = False
        lines = list(message.lines)
        if lines:
            self.anything_taken = True
            self.vig.register_changed.publish(None)
        if message.conflicts:
            lines.append(
                f"{plural(message.conflicts, 'answer')} changed on both sides "
                f"{'waits' if message.conflicts == 1 else 'wait'} for your choice in the Inbox."
            )
        if message.refused:
            self._problem(" ".join(message.refused))
        else:
            self.query_one("#receive-problem").display = False
        self.query_one("#receive-result", Static).update("\n".join(lines))
        if message.passphrase_problem:
            self.query_one("#receive-passphrase", Input).focus()
        elif message.refused:
            self.query_one("#receive-paths", ShortAnswer).focus()  # to put it right
        elif lines:
            self.query_one("#receive-close", Button).focus()

    @on(Button.Pressed, "#receive-close")
    def action_close(self) -> None:
        self.dismiss(self.anything_taken)
