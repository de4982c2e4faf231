"""Keys as a person reads them, written one way everywhere the app writes a key.

"Ctrl+R", "Shift+S", "F1", "Enter", "Esc", and a plain letter as typed ("a"):
the footers (through :meth:`vig_tui.app.VigApp.get_key_display`), help and the
command palette all name keys with :func:`key_name`, so "shift+s" never sits
beside "Ctrl+R" and "^r".
"""

from __future__ import annotations

from textual.binding import Binding
from textual.keys import format_key

__all__ = ["binding_key", "key_name"]

_KEY_NAMES = {
    "escape": "Esc",
    "enter": "Enter",
    "tab": "Tab",
    "space": "Space",
    "up": "Up",
    "down": "Down",
    "left": "Left",
    "right": "Right",
    "home": "Home",
    "end": "End",
    "pageup": "Page Up",
    "pagedown": "Page Down",
    "backspace": "Backspace",
    "delete": "Delete",
    "insert": "Insert",
}


def key_name(key: str) -> str:
    """'ctrl+q' -> 'Ctrl+Q', 'escape' -> 'Esc', 'question_mark' -> '?', 'S' -> 'Shift+S'."""
    *modifiers, name = key.split("+")
    if not modifiers and len(name) == 1 and name.isalpha() and name.isupper():
        return f"Shift+{name}"  # Textual names Shift and a letter by the capital
    if name in _KEY_NAMES:
        shown = _KEY_NAMES[name]
    elif len(name) > 1 and name[0] == "f" and name[1:].isdigit():
        shown = name.upper()
    else:
        shown = format_key(name)
        if modifiers and len(shown) == 1:
            shown = shown.upper()
    return "".join(f"{m.capitalize()}+" for m in modifiers) + shown


def binding_key(binding: Binding) -> str:
    """The key of a binding as shown: the one it declares for display ("/", "["), or its name."""
    return binding.key_display or key_name(binding.key)
