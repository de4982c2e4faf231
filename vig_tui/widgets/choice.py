"""A set of radio buttons that answers with a value, not an index."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from textual.widgets import RadioButton, RadioSet

from .keys import KeysInOrder

T = TypeVar("T")


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
                RadioButton(label, value=selected is not None and value == selected)
                for label, value in self._options
            ],
            id=id,
            classes=classes,
        )

    @property
    def selected(self) -> T | None:
        for button, (_, value) in zip(self.query(RadioButton), self._options, strict=True):
            if button.value:
                return value
        return None


def yes_no(selected: bool | None, *, id: str | None = None) -> Choice[bool]:
    return Choice([("Yes", True), ("No", False)], selected, id=id, classes="inline")
