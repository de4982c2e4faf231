"""Quitting while the last save failed: say why, and let the worker choose.

A full disk or a folder that has gone must never close the app and lose a
draft without a word: the worker can try the save again (after freeing
space, say), go back to their work, or quit knowing what is lost.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from .base import VigModal

#: "retry": save again and quit if it works; "quit": close without saving.
QuitChoice = Literal["retry", "quit"]


class UnsavedWorkScreen(VigModal[QuitChoice | None]):
    """Dismisses "retry", "quit", or None (Escape) to go back to work."""

    CSS_PATH = "unsaved_work.tcss"
    HELP_TITLE = "Your work has not been saved"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "stay",
            "Go back",
            id="vig.unsaved.back",
            tooltip="Close this message and go back to your work; nothing is lost yet",
        ),
        Binding(
            "r",
            "retry",
            "Try again",
            id="vig.unsaved.retry",
            tooltip="Save again, then close vig-tui if the save works",
        ),
    ]

    def __init__(self, reasons: list[str]) -> None:
        super().__init__()
        self.reasons = reasons

    def compose(self) -> ComposeResult:
        with Vertical(id="unsaved-work"):
            yield Static("Your work has not been saved", classes="heading")
            yield Static("vig-tui could not save your latest changes:", classes="lede")
            for reason in self.reasons:
                yield Static(reason, classes="unsaved-reason", markup=False)
            yield Static(
                "If the disk is full, free some space, then try again. If you quit without "
                "saving, the changes since the last save are lost.",
                classes="lede",
            )
            with Horizontal(classes="actions"):
                yield Button("Try again", id="retry", variant="primary")
                yield Button("Quit without saving", id="quit", variant="error")
                yield Button("Go back", id="stay")

    def on_mount(self) -> None:
        self.query_one("#retry", Button).focus()

    def action_retry(self) -> None:
        self.dismiss("retry")

    def action_stay(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#retry")
    def _retry(self) -> None:
        self.dismiss("retry")

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.dismiss("quit")

    @on(Button.Pressed, "#stay")
    def _stay(self) -> None:
        self.dismiss(None)
