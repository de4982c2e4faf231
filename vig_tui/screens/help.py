"""Help: the keys that work on the screen underneath, built from its bindings.

Nothing here lists a key by hand: the rows come from the same ``Binding``
objects that drive the footer and the command palette.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from .base import VigModal


@dataclass(frozen=True)
class KeyHelp:
    key: str
    description: str
    detail: str


def _bindings(node: DOMNode) -> list[Binding]:
    """The bindings a screen or app class declares, its base classes' first."""
    found: list[Binding] = []
    for cls in reversed(type(node).__mro__):
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding):
                found.append(binding)
    return found


#: Textual's own moves, listed with ours; its other built-in keys are left to its docs.
_MOVES = {"app.focus_next", "app.focus_previous"}


def _available(node: DOMNode, binding: Binding) -> bool:
    if not (binding.id or "").startswith("vig.") and binding.action not in _MOVES:
        return False
    name = binding.action.split("(", 1)[0].removeprefix("app.").removeprefix("screen.")
    return node.check_action(name, ()) is not False


def keys_for(screen: Screen[object]) -> tuple[list[KeyHelp], list[KeyHelp]]:
    """(keys for this screen, keys that work everywhere), from the declared bindings.

    Declared rather than active bindings, so a key a text box also uses (Enter
    continues from it) is still listed.
    """
    app = screen.app
    groups: tuple[list[KeyHelp], list[KeyHelp]] = ([], [])
    seen: set[str] = set()
    for node, rows in ((screen, groups[0]), (app, groups[1])):
        for binding in _bindings(node):
            key = app.get_key_display(binding)
            if not binding.description or key in seen or not _available(node, binding):
                continue
            seen.add(key)
            rows.append(KeyHelp(key, binding.description, binding.tooltip))
    if app.ENABLE_COMMAND_PALETTE:
        palette = Binding(app.COMMAND_PALETTE_BINDING, "command_palette")
        groups[1].append(
            KeyHelp(app.get_key_display(palette), "Commands", "Search every main action by name")
        )
    return groups


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
