"""Help: the keys that work on the screen underneath, built from its bindings.

Nothing here lists a key by hand: the rows come from the same ``Binding``
objects that drive the footer and the command palette.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from .base import VigModal


@dataclass(frozen=True)
class KeyHelp:
    key: str
    description: str
    detail: str


def keys_for(screen: Screen[object]) -> tuple[list[KeyHelp], list[KeyHelp]]:
    """(keys for this screen, keys that work everywhere), from the active bindings."""
    app = screen.app
    here: list[KeyHelp] = []
    everywhere: list[KeyHelp] = []
    seen: set[tuple[str, str]] = set()
    for active in screen.active_bindings.values():
        binding, node = active.binding, active.node
        if not binding.description or not isinstance(node, (Screen, App)):
            continue
        key = app.get_key_display(binding)
        if (key, binding.action) in seen:
            continue
        seen.add((key, binding.action))
        row = KeyHelp(key, binding.description, binding.tooltip)
        (everywhere if isinstance(node, App) else here).append(row)
    return here, everywhere


class HelpScreen(VigModal[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", "Close help", id="vig.help.close", tooltip="Close help"),
    ]

    def __init__(self, title: str, here: list[KeyHelp], everywhere: list[KeyHelp]) -> None:
        super().__init__(classes="help")
        self._title = title
        self._here = here
        self._everywhere = everywhere

    @classmethod
    def for_screen(cls, screen: Screen[object]) -> HelpScreen:
        here, everywhere = keys_for(screen)
        name = type(screen).__name__.removesuffix("Screen")
        heading = getattr(screen, "HELP_TITLE", "") or re.sub(r"(?<!^)(?=[A-Z])", " ", name)
        return cls(str(heading), here, everywhere)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-panel"):
            yield Static(f"Help: {self._title}", classes="heading", markup=False)
            with VerticalScroll(id="help-keys", can_focus=True):
                yield from self._group("Keys on this screen", self._here)
                yield from self._group("Keys that work everywhere", self._everywhere)
                yield Static(
                    "Text boxes take every letter you type: use F1 for help there, and "
                    "Tab or Shift+Tab to move on.",
                    classes="lede",
                )
        yield Footer()

    def _group(self, title: str, rows: list[KeyHelp]) -> ComposeResult:
        if not rows:
            return
        yield Static(title, classes="subheading", markup=False)
        for row in rows:
            with Horizontal(classes="help-row"):
                yield Label(row.key, classes="help-key", markup=False)
                detail = f"{row.description}: {row.detail}" if row.detail else row.description
                yield Static(detail, classes="help-detail", markup=False)

    def on_mount(self) -> None:
        self.query_one("#help-keys").focus()

    def action_close(self) -> None:
        self.dismiss(None)
