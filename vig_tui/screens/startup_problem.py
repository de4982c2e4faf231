"""Why the database could not be opened, and what the worker can do about it.

Shown instead of a stack trace when the file is in use by another copy of
vig-tui (offering to open it read-only), or damaged (the file is left exactly
as it was; the only way on is to quit and get help).
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from ..widgets.footer import KeysFooter
from .base import VigModal


class StartupProblemScreen(VigModal[bool]):
    """Dismisses with True to open the database read-only, False to quit."""

    CSS_PATH = "startup_problem.tcss"
    HELP_TITLE = "The database could not be opened"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r",
            "read_only",
            "Open read-only",
            id="vig.startup.read_only",
            tooltip="Look at the requests without changing anything",
        ),
        Binding("q,escape", "quit_app", "Quit", id="vig.startup.quit", tooltip="Close vig-tui"),
    ]

    def __init__(self, message: str, *, offer_read_only: bool) -> None:
        super().__init__()
        self.message = message
        self.offer_read_only = offer_read_only

    def compose(self) -> ComposeResult:
        with Vertical(id="startup-problem"):
            yield Static("The database could not be opened", classes="heading")
            yield Static(self.message, id="startup-message", markup=False)
            if self.offer_read_only:
                yield Static(
                    "You can look at the requests read-only while the other copy has it "
                    "open; nothing you do will be saved.",
                    classes="lede",
                )
            else:
                yield Static(
                    "Nothing has been changed. Quit, then do what the message says, "
                    "or ask for help before changing the file.",
                    classes="lede",
                )
            with Horizontal(classes="actions"):
                if self.offer_read_only:
                    yield Button("Open read-only", id="read-only", variant="primary")
                yield Button("Quit", id="quit")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "read_only":
            return self.offer_read_only
        return True

    def action_read_only(self) -> None:
        self.dismiss(True)

    def action_quit_app(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#read-only")
    def _read_only(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.dismiss(False)
