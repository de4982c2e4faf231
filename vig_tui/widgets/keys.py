"""Keys handled by the widget they were typed into, in the order they were typed.

Textual runs a widget's key bindings (Space on a radio set, Backspace in a
text box) only once the key has bubbled from the widget, through each of its
containers, up to the app, and it runs them against whatever has focus *then*
(Textual issue #6605). A key that moves focus at once, such as the section
pages' Tab, can overtake a key still on that journey, which then acts on the
next answer instead: a radio button left unselected, a Backspace spent in the
wrong box. Widgets with :class:`KeysInOrder` run their own bindings as soon as
the key reaches them, so every key acts where it was typed; a screen can also
act on a key the moment it is read with :func:`run_own_binding`.
"""

from __future__ import annotations

from functools import cache

from textual import events
from textual.binding import Binding
from textual.widget import Widget


@cache
def _bindings_by_key(widget_type: type[Widget]) -> dict[str, tuple[Binding, ...]]:
    """The widget class's own (non-priority) bindings by key, a subclass's replacing its base's."""
    by_key: dict[str, tuple[Binding, ...]] = {}
    for base in reversed(widget_type.__mro__):
        declared: dict[str, list[Binding]] = {}
        for binding in Binding.make_bindings(base.__dict__.get("BINDINGS", [])):
            if not binding.priority:
                declared.setdefault(binding.key, []).append(binding)
        by_key.update({key: tuple(bindings) for key, bindings in declared.items()})
    return by_key


async def run_own_binding(widget: Widget, key: str) -> bool:
    """Run ``widget``'s own binding for ``key`` now; False when it has none that applies."""
    for binding in _bindings_by_key(type(widget)).get(key, ()):
        if await widget.app.run_action(binding.action, widget):
            return True
    return False


class KeysInOrder:
    """Mix into a focusable widget (before the Textual class) to run its bindings where typed."""

    async def on_key(self, event: events.Key) -> None:
        assert isinstance(self, Widget)
        if await run_own_binding(self, event.key):
            # Handled here: the app must not run it again against another widget.
            event.stop()
            event.prevent_default()
