"""A text box for a date, typed the way people write them ("3/12/2024", "3 Dec 2024")."""

from __future__ import annotations

from datetime import date

from ..domain.dates import parse_date
from .answer import ShortAnswer

#: Room for any way of writing a date ("Wednesday 3rd of December 2024"), and no more.
DATE_MAX_LENGTH = 40


class DateInput(ShortAnswer):
    """A one-line answer whose text is read with :func:`vig_tui.domain.dates.parse_date`."""

    DEFAULT_CSS = """
    DateInput {
        width: 30;
    }
    """

    def __init__(self, value: date | None = None, *, id: str | None = None) -> None:
        text = f"{value.day}/{value.month}/{value.year}" if value else ""
        super().__init__(
            text, placeholder="For example 3/12/2024", id=id, max_length=DATE_MAX_LENGTH
        )

    def read(self, label: str) -> date | None:
        """The date typed (None when empty); raises DateError saying what is wrong."""
        if not self.value.strip():
            return None
        return parse_date(self.value, label=label)
