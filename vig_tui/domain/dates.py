"""Forgiving date entry and exact ages.

Workers type dates the way they write them ("3/12/2024", "03-12-2024",
"3 Dec 2024", "2024-12-03"); UK order (day first) is assumed. Where only the
month is known ("Jun 2024", "06/2024", "June 2024") :func:`parse_day_or_month`
reads it as the first of that month and says only the month was given, so it
is shown back as the month ("June 2024"), never as a day nobody typed.
"""

from __future__ import annotations

import re
from datetime import date

from .wording import plural

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

_NUMERIC = re.compile(r"^(\d{1,2})\s*[/\-. ]\s*(\d{1,2})\s*[/\-. ]\s*(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{2}|\d{4})$")
#: Month and year only: "Jun 2024", "June 2024", "06/2024", "6-2024", "2024-06".
_MONTH_WORDS = re.compile(r"^([A-Za-z]+)\.?,?\s*(\d{4})$")
_MONTH_NUMERIC = re.compile(r"^(\d{1,2})\s*[/\-. ]\s*(\d{4})$")
_MONTH_ISO = re.compile(r"^(\d{4})-(\d{1,2})$")


class DateError(ValueError):
    """A date that could not be read; the message is fit to show the user."""


def parse_date(text: str, *, label: str = "Date") -> date:
    """Read a typed date, or raise :class:`DateError` saying what is wrong."""
    value = text.strip()
    if not value:
        raise DateError(f"Enter {label[0].lower() + label[1:]}")
    if match := _ISO.match(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _NUMERIC.match(value):
        day, month, year = (int(g) for g in match.groups())
    elif match := _WORDS.match(value):
        day = int(match.group(1))
        month_name = match.group(2).lower()
        if month_name not in _MONTHS:
            raise DateError(f"{label} must be a real date, for example 3/12/2024")
        month = _MONTHS[month_name]
        year = int(match.group(3))
    else:
        raise DateError(f"{label} must be a real date, for example 3/12/2024 or 3 Dec 2024")
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"{label} must be a real date") from None


def parse_day_or_month(text: str, *, label: str = "Date") -> tuple[date, bool]:
    """Read a typed date or a month and year: (the date, True when only the month was given).

    A month is read as its first day. Raises :class:`DateError` saying what is wrong.
    """
    value = text.strip()
    month_year = _month_and_year(value)
    if month_year is None:
        try:
            return parse_date(value, label=label), False
        except DateError:
            if not value:
                raise
            raise DateError(
                f"{label} must be a real date or a month and year, "
                "for example 3/6/2024 or June 2024"
            ) from None
    year, month = month_year
    if not 1 <= month <= 12:
        raise DateError(f"{label} must be a real month, for example June 2024 or 06/2024")
    return date(year, month, 1), True


def _month_and_year(value: str) -> tuple[int, int] | None:
    if match := _MONTH_WORDS.match(value):
        name = match.group(1).lower()
        if name not in _MONTHS:
            return None
        return int(match.group(2)), _MONTHS[name]
    if match := _MONTH_NUMERIC.match(value):
        return int(match.group(2)), int(match.group(1))
    if match := _MONTH_ISO.match(value):
        return int(match.group(1)), int(match.group(2))
    return None


def format_month(value: date) -> str:
    """A month as UK readers expect it: June 2024."""
    return f"{value:%B %Y}"


def format_day_or_month(
    value: date | None, *, month_only: bool, missing: str = "Not provided"
) -> str:
    """'3 June 2024', or 'June 2024' when only the month was given."""
    if value is None:
        return missing
    return format_month(value) if month_only else format_date(value)


def same_or_later_month(value: date, other: date) -> bool:
    """Is ``value``'s month the same as or after ``other``'s?"""
    return (value.year, value.month) >= (other.year, other.month)


def format_date(value: date | None, *, missing: str = "Not provided") -> str:
    """A date as UK readers expect it: 3 December 2024."""
    if value is None:
        return missing
    return f"{value.day} {value:%B %Y}"


def age_in_years(born: date, on: date) -> int:
    """Whole years of age on a day; exact at birthdays.

    A child born on 29 February has their birthday on 1 March in other years,
    as English law counts it.
    """
    years = on.year - born.year
    birthday_month, birthday_day = born.month, born.day
    if (birthday_month, birthday_day) == (2, 29) and not _is_leap(on.year):
        birthday_month, birthday_day = 3, 1
    if (on.month, on.day) < (birthday_month, birthday_day):
        years -= 1
    return years


def describe_age(born: date, on: date) -> str:
    """'2 years 3 months', '7 months' or '3 weeks' for a child's age on a day."""
    if born > on:
        return "not born yet"
    months = (on.year - born.year) * 12 + on.month - born.month - (on.day < born.day)
    if months < 1:
        weeks = (on - born).days // 7
        return plural(weeks, "week")
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(plural(years, "year"))
    if months:
        parts.append(plural(months, "month"))
    return " ".join(parts)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
