"""A text box for a date, typed the way people write them ("3/12/2024", "3 Dec 2024")."""

from __future__ import annotations

from datetime import date

from ..domain.dates import format_month, parse_date, parse_day_or_month
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


class MonthOrDateInput(ShortAnswer):
    """A date or just a month and year ("June 2024", "06/2024"): what practitioners know
    of when a difficulty began. A month is shown back as a month, never as its first day."""

    DEFAULT_CSS = """
    MonthOrDateInput {
        width: 30;
    }
    """

    def __init__(
        self, value: date | None = None, *, month_only: bool = False, id: str | None = None
    ) -> None:
        if value is None:
            text = ""
        elif month_only:
            text = format_month(value)
        else:
            text = f"{value.day}/{value.month}/{value.year}"
        super().__init__(
            text, placeholder="For example June 2024", id=id, max_length=DATE_MAX_LENGTH
        )

    def read(self, label: str) -> tuple[date | None, bool]:
        """(the date, True when only a month was given); (None, False) when empty.

        Raises DateError saying what is wrong."""
        if not self.value.strip():
            return None, False
        return parse_day_or_month(self.value, label=label)
