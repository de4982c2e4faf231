"""Ask before doing something that cannot be undone, naming what it is done to.

The safe answer has focus, so an Enter typed in a hurry keeps things as they are.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Label, Static

from ..widgets.footer import KeysFooter
from .base import VigModal


class ConfirmDialog(VigModal[bool]):
    """Dismisses True to go ahead, False (Escape, or the safe button) to leave things be."""

    CSS_PATH = "decision.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "answer(False)",
            "Cancel",
            id="vig.confirm.cancel",
            tooltip="Leave things as they are",
        ),
    ]

    def __init__(self, title: str, lead: str, *, confirm: str, keep: str) -> None:
        super().__init__(classes="confirm")
        self.HELP_TITLE = title
        self._title = title
        self._lead = lead
        self._confirm = confirm
        self._keep = keep

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Label(self._title, classes="dialog-title", markup=False)
            yield Static(self._lead, classes="dialog-lead", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._keep, id="keep", variant="primary")
                yield Button(self._confirm, id="confirm", variant="error")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def action_answer(self, go_ahead: bool) -> None:
        self.dismiss(go_ahead)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm")


def confirm_delete_draft(described: str) -> ConfirmDialog:
    """Ask before deleting a draft, naming it as Home lists it."""
    return ConfirmDialog(
        "Delete this draft?",
        f"{described}\n\nIts answers will be gone for good: this cannot be undone. A request "
        "already sent cannot be deleted; it is withdrawn or closed from its page.",
        confirm="Delete draft",
        keep="Keep the draft",
    )
