"""Someone else changed a request while it was open here: the two versions side by side.

Shown when a save is refused with a version conflict (the meeting deciding on
a request that was corrected meanwhile, or a correction made over another).
It says who changed it and when, lists each answer as it was opened and as it
is now, and lets the worker apply their own change again to the current
version (True) or leave it (False). Nothing is saved until they choose.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Label, Static

from ..domain.changes import (
    describe_entry,
    describe_value,
    differences,
    entries_since,
    month_only_flags,
)
from ..domain.models import VigRequest
from .base import VigModal


class ConflictScreen(VigModal[bool]):
    """The version opened and the version stored, side by side; re-apply or leave."""

    CSS_PATH = "conflict.tcss"
    HELP_TITLE = "Changed since you opened it"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "cancel",
            "Leave it",
            id="conflict.cancel",
            tooltip="Do not save your change; the request stays as it is now",
        ),
    ]

    def __init__(self, loaded: VigRequest, current: VigRequest, mine: str, *, confirm: str) -> None:
        """``mine`` says what the worker was doing ("Allocate to Jo Pascoe, High
        priority"); ``confirm`` is the button that applies it to the current version."""
        super().__init__(classes="conflict")
        self._loaded = loaded
        self._current = current
        self._mine = mine
        self._confirm = confirm

    def compose(self) -> ComposeResult:
        current = self._current
        label = current.reference or "This draft"
        since = entries_since(self._loaded, current)
        who = since[-1].who.described if since else "someone else"
        with VerticalScroll(classes="dialog"):
            yield Label(f"{label} has changed since you opened it", classes="dialog-title")
            yield Static(
                f"It was changed by {who} (now version {current.version}; you opened version "
                f"{self._loaded.version}). Your change has not been saved.",
                classes="dialog-lead",
                markup=False,
            )
            yield Static(self._side_by_side(), id="conflict-differences")
            if since:
                flags = month_only_flags(current)
                by_hash = {e.hash: f for e, f in zip(current.history, flags, strict=True)}
                lines = [line for e in since for line in describe_entry(e, by_hash.get(e.hash))]
                yield Static(
                    Text("What they did:\n" + "\n".join(lines)),
                    id="conflict-entries",
                    classes="field-hint",
                )
            yield Static(Text(f"Your change: {self._mine}"), id="conflict-mine")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._confirm, variant="primary", id="reapply")
                yield Button("Leave it", id="cancel")

    def _side_by_side(self) -> Table:
        table = Table(expand=True, show_edge=False)
        table.add_column("Answer", ratio=2)
        table.add_column("When you opened it", ratio=2)
        table.add_column("Now", ratio=2)
        rows = differences(self._loaded, self._current)
        for change in rows:
            table.add_row(change.label, describe_value(change.old), describe_value(change.new))
        if not rows:
            table.add_row("(no answers differ)", "", "")
        return table

    def on_mount(self) -> None:
        self.query_one("#reapply", Button).focus()

    @on(Button.Pressed, "#reapply")
    def _reapply(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
