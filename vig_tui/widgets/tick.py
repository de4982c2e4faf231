"""A checkbox whose label wraps, for the service's long criteria.

Textual's Checkbox keeps its label to one line; the service's wording must be
shown in full at 80 columns, so this one lays the box and the label side by
side and lets the label wrap under itself.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Label, Static

from .keys import KeysInOrder


class Tick(KeysInOrder, Horizontal, can_focus=True):
    DEFAULT_CSS = """
    Tick {
        height: auto;
        width: 1fr;
    }
    Tick > .tick--box {
        width: 4;
        color: $text-muted;
    }
    Tick.-on > .tick--box {
        color: $text-success;
        text-style: bold;
    }
    Tick > .tick--label {
        width: 1fr;
    }
    Tick:focus > .tick--label {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "tick", "Tick or untick", show=False),
    ]

    value: reactive[bool] = reactive(False, init=False)

    class Changed(Message):
        def __init__(self, tick: Tick, value: bool) -> None:
            super().__init__()
            self.tick = tick
            self.value = value

        @property
        def control(self) -> Tick:
            return self.tick

    def __init__(self, label: str, value: bool = False, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._label = label
        self.set_reactive(Tick.value, value)
        self.set_class(value, "-on")

    def compose(self) -> ComposeResult:
        yield Label(self._box(), classes="tick--box", markup=False)
        yield Static(self._label, classes="tick--label", markup=False)

    def _box(self) -> str:
        return "[X]" if self.value else "[ ]"

    def watch_value(self, value: bool) -> None:
        self.set_class(value, "-on")
        self.query_one(".tick--box", Label).update(self._box())
        self.post_message(self.Changed(self, value))

    def action_tick(self) -> None:
        self.value = not self.value

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.focus()
        self.action_tick()
