"""A set of radio buttons that answers with a value, not an index.

Each option shows its state with a mark, "(•)" chosen and "( )" not, so the
choice reads the same in monochrome, on the high-contrast theme and to anyone
who cannot tell the colours apart (Textual's own button differs by colour only).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from textual.widgets import RadioButton, RadioSet

from .keys import KeysInOrder

T = TypeVar("T")


class ChoiceOption(RadioButton):
    """One option: "(•)" when chosen, "( )" when not."""

    BUTTON_LEFT = ""
    BUTTON_RIGHT = ""
    CHOSEN = "(•)"
    NOT_CHOSEN = "( )"

    def __init__(self, label: str, value: bool = False) -> None:
        super().__init__(label, value)
        self.BUTTON_INNER = self._mark()

    def _mark(self) -> str:
        return self.CHOSEN if self.value else self.NOT_CHOSEN

    def watch_value(self) -> None:
        self.BUTTON_INNER = self._mark()
        super().watch_value()


class Choice(KeysInOrder, RadioSet, Generic[T]):
    """Pick one of ``options`` (label, value); ``selected`` is the value or None."""

    DEFAULT_CSS = """
    Choice {
        width: 1fr;
        height: auto;
    }
    Choice > RadioButton {
        width: 1fr;
    }
    Choice > ChoiceOption > .toggle--button {
        color: $text;
        background: transparent;
        text-style: bold;
    }
    Choice > ChoiceOption.-on > .toggle--button {
        color: $text-success;
    }
    """

    def __init__(
        self,
        options: Sequence[tuple[str, T]],
        selected: T | None = None,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        self._options = list(options)
        super().__init__(
            *[
                ChoiceOption(label, value=selected is not None and value == selected)
                for label, value in self._options
            ],
            id=id,
            classes=classes,
        )

    def on_mount(self) -> None:
        # Textual highlights the first option whatever is chosen, so Enter (or Space) on
        # a page opened again chose the first option over the answer given. Its own
        # mounting (which highlights the first) runs first: move on from there after it.
        self.call_later(self._highlight_chosen)

    def _highlight_chosen(self) -> None:
        chosen = next((i for i, b in enumerate(self.query(RadioButton)) if b.value), 0)
        for _ in range(chosen):
            self.action_next_button()

    @property
    def selected(self) -> T | None:
        for button, (_, value) in zip(self.query(RadioButton), self._options, strict=True):
            if button.value:
                return value
        return None


def yes_no(selected: bool | None, *, id: str | None = None) -> Choice[bool]:
    return Choice([("Yes", True), ("No", False)], selected, id=id, classes="inline")
