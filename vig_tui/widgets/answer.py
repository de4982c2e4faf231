"""The text boxes of the question pages: their editing keys act where they were typed."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from .keys import KeysInOrder


class ShortAnswer(KeysInOrder, Input):
    """A one-line answer."""


class LongAnswer(KeysInOrder, TextArea):
    """An answer of a few sentences."""
