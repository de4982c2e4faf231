"""Help: every key that works on the screen underneath, built from its bindings.

Nothing here lists a key by hand: the rows come from the same ``Binding``
objects that drive the footer and the command palette: the screen's own, the
focused widget's (a table's, a text box's) and the app's. Keys a footer leaves
out to fit 80 columns are all here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.actions import parse
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    Label,
    ListView,
    OptionList,
    RadioSet,
    Select,
    Static,
    TextArea,
)

from ..widgets.footer import KeysFooter
from ..widgets.key_names import binding_key, key_name
from .base import VigModal


@dataclass(frozen=True)
class KeyHelp:
    #: The keys as Textual names them ("ctrl+q", "escape"), for matching bindings.
    keys: tuple[str, ...]
    #: The keys as a person reads them ("Ctrl+Q, Esc").
    shown: str
    description: str
    detail: str


@dataclass(frozen=True)
class KeyGroup:
    title: str
    rows: tuple[KeyHelp, ...]

    @property
    def keys(self) -> set[str]:
        return {key for row in self.rows for key in row.keys}


#: What the focused widget is called in help's heading for its keys.
_WIDGET_NAMES: tuple[tuple[type[Widget], str], ...] = (
    (Input, "a text box"),
    (TextArea, "a text box"),
    (DataTable, "the table"),
    (Select, "a drop-down list"),
    (RadioSet, "a choice"),
    (ListView, "the list"),
    (OptionList, "the list"),
    (Checkbox, "a tick box"),
    (Button, "a button"),
)


def declared_bindings(node: DOMNode) -> list[Binding]:
    """Every binding a node's class declares (its base classes' first), one per key."""
    by_key: dict[str, list[Binding]] = {}
    for cls in reversed(type(node).__mro__):
        declared: dict[str, list[Binding]] = {}
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
            declared.setdefault(binding.key, []).append(binding)
        # A subclass's key replaces its base's (the question pages' Tab, "Next answer",
        # is not also Textual's "Focus Next"); one class may give a key two meanings.
        by_key.update(declared)
    return [binding for bindings in by_key.values() for binding in bindings]


def _works(node: DOMNode, binding: Binding) -> bool:
    """False when the node says the action does not apply here (check_action is False)."""
    namespace, name, parameters = parse(binding.action)
    target: DOMNode = node
    if namespace == "app":
        target = node.app
    elif namespace == "screen" and isinstance(node, Widget):
        target = node.screen
    return target.check_action(name, parameters) is not False


def _describe(binding: Binding) -> tuple[str, str]:
    """(what the key does, more detail) from the binding, never from a list typed by hand."""
    description = binding.description or binding.tooltip
    if not description:
        name = parse(binding.action)[1]
        description = name.replace("_", " ").capitalize()
    detail = binding.tooltip if binding.tooltip != description else ""
    return description, detail


def _rows(
    node: DOMNode, bindings: list[Binding], taken: set[tuple[str, str]]
) -> tuple[KeyHelp, ...]:
    """One row per thing a key does (its keys together), leaving out what is already listed.

    A key may do two things (Enter selects an option in a choice and continues
    from a text box): it is listed once for each.
    """
    by_meaning: dict[tuple[str, str], list[Binding]] = {}
    for binding in bindings:
        # The same action under another namespace ("focus_next" and "app.focus_next")
        # is the same key doing the same thing: listed once.
        done = (binding.key, parse(binding.action)[1])
        if done in taken or (binding.system and not binding.description):
            continue
        if not _works(node, binding):
            continue
        taken.add(done)
        by_meaning.setdefault(_describe(binding), []).append(binding)
    rows = []
    for (description, detail), same in by_meaning.items():
        keys = tuple(dict.fromkeys(b.key for b in same))
        shown = ", ".join(dict.fromkeys(binding_key(b) for b in same))
        rows.append(KeyHelp(keys, shown, description, detail))
    return tuple(rows)


def _widget_name(widget: Widget) -> str:
    return next((name for kind, name in _WIDGET_NAMES if isinstance(widget, kind)), "")


def keys_for(screen: Screen[object]) -> list[KeyGroup]:
    """The keys that work on ``screen``: its own, the focused widget's, then the app's.

    Declared rather than active bindings, so a key a text box also uses (Enter
    continues from it) is still listed. On a dialog only the app's priority
    keys reach past it (Textual stops the others at a modal screen).
    """
    app = screen.app
    taken: set[tuple[str, str]] = set()
    groups: list[KeyGroup] = []
    own = [b for b in declared_bindings(screen) if b.priority]
    own += [b for b in declared_bindings(screen) if not b.priority]
    groups.append(KeyGroup("Keys on this screen", _rows(screen, own, taken)))
    focused = screen.focused
    if focused is not None:
        widget_rows: list[KeyHelp] = []
        for node in focused.ancestors_with_self:
            if node is screen:
                break
            widget_rows.extend(_rows(node, declared_bindings(node), taken))
        name = _widget_name(focused)
        title = f"Keys in {name}" if name else "Keys where you are"
        groups.append(KeyGroup(title, tuple(widget_rows)))
    everywhere = [b for b in declared_bindings(app) if b.priority or not screen.is_modal]
    rows = list(_rows(app, everywhere, taken))
    if app.ENABLE_COMMAND_PALETTE:
        rows.append(
            KeyHelp(
                (app.COMMAND_PALETTE_BINDING,),
                key_name(app.COMMAND_PALETTE_BINDING),
                "Commands",
                "Search every main action by name",
            )
        )
    groups.append(KeyGroup("Keys that work everywhere", tuple(rows)))
    return [group for group in groups if group.rows]


def help_title(screen: Screen[object]) -> str:
    """What the screen is called for people: its HELP_TITLE, else its title, never a class name."""
    return str(getattr(screen, "HELP_TITLE", "") or screen.title or screen.app.title)


class HelpScreen(VigModal[None]):
    HELP_TITLE = "Help"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", "Close help", id="vig.help.close", tooltip="Close help"),
    ]

    def __init__(self, title: str, groups: list[KeyGroup]) -> None:
        super().__init__(classes="help")
        self._title = title
        self.groups = groups

    @classmethod
    def for_screen(cls, screen: Screen[object]) -> HelpScreen:
        return cls(help_title(screen), keys_for(screen))

    def compose(self) -> ComposeResult:
        with Vertical(id="help-panel"):
            yield Static(f"Help: {self._title}", classes="heading", markup=False)
            with VerticalScroll(id="help-keys", can_focus=True):
                for group in self.groups:
                    yield from self._group(group)
                yield Static(
                    "Text boxes take every letter you type: use F1 for help there, and "
                    "Tab or Shift+Tab to move on.",
                    classes="lede",
                )
        yield KeysFooter()

    def _group(self, group: KeyGroup) -> ComposeResult:
        yield Static(group.title, classes="subheading", markup=False)
        for row in group.rows:
            with Horizontal(classes="help-row"):
                yield Label(row.shown, classes="help-key", markup=False)
                detail = f"{row.description}: {row.detail}" if row.detail else row.description
                yield Static(detail, classes="help-detail", markup=False)

    def on_mount(self) -> None:
        self.query_one("#help-keys").focus()

    def action_close(self) -> None:
        self.dismiss(None)
