"""Forgiving date entry, UK date display and exact ages."""

from __future__ import annotations

from datetime import date

import pytest

from vig_tui.domain.dates import DateError, age_in_years, describe_age, format_date, parse_date


@pytest.mark.parametrize(
    "text",
    [
        "3/12/2024",
        "03/12/2024",
        "3-12-2024",
        "3.12.2024",
        "3 12 2024",
        "3/12/24",
        " 3 / 12 / 2024 ",
        "2024-12-03",
        "3 Dec 2024",
        "3 December 2024",
        "3rd December 2024",
        "3 dec. 2024",
        "3 DECEMBER, 2024",
        "3 Dec 24",
    ],
)
def test_parse_date_reads_the_ways_workers_write_dates(text: str) -> None:
    assert parse_date(text) == date(2024, 12, 3)


def test_parse_date_assumes_day_first() -> None:
    assert parse_date("4/5/2025") == date(2025, 5, 4)
    assert parse_date("12 Sept 2025") == date(2025, 9, 12)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter date of birth"),
        ("   ", "Enter date of birth"),
        ("31/2/2024", "Date of birth must be a real date"),
        ("29/2/2023", "Date of birth must be a real date"),
        ("1/13/2024", "Date of birth must be a real date"),
        ("3 Decembre 2024", "Date of birth must be a real date, for example 3/12/2024"),
        ("yesterday", "Date of birth must be a real date, for example 3/12/2024 or 3 Dec 2024"),
        ("12/2024", "Date of birth must be a real date, for example 3/12/2024 or 3 Dec 2024"),
    ],
)
def test_parse_date_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(DateError) as raised:
        parse_date(text, label="Date of birth")
    assert str(raised.value) == message
    assert isinstance(raised.value, ValueError)


def test_parse_date_accepts_29_february_in_a_leap_year() -> None:
    assert parse_date("29/2/2024") == date(2024, 2, 29)


def test_format_date() -> None:
    assert format_date(date(2024, 12, 3)) == "3 December 2024"
    assert format_date(None) == "Not provided"
    assert format_date(None, missing="Not known") == "Not known"


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2022, 11, 24), date(2026, 11, 23), 3),
        (date(2022, 11, 24), date(2026, 11, 24), 4),
        (date(2022, 11, 24), date(2022, 11, 24), 0),
        (date(2022, 12, 31), date(2023, 12, 30), 0),
        (date(2022, 12, 31), date(2023, 12, 31), 1),
        # Born on 29 February: the birthday is 1 March in other years.
        (date(2020, 2, 29), date(2023, 2, 28), 2),
        (date(2020, 2, 29), date(2023, 3, 1), 3),
        (date(2020, 2, 29), date(2024, 2, 28), 3),
        (date(2020, 2, 29), date(2024, 2, 29), 4),
        (date(2096, 2, 29), date(2100, 2, 28), 3),  # 2100 is not a leap year
        (date(2096, 2, 29), date(2100, 3, 1), 4),
    ],
)
def test_age_in_years_is_exact_at_birthdays(born: date, on: date, age: int) -> None:
    assert age_in_years(born, on) == age


@pytest.mark.parametrize(
    ("born", "on", "described"),
    [
        (date(2026, 11, 24), date(2026, 11, 24), "0 weeks"),
        (date(2026, 11, 17), date(2026, 11, 24), "1 week"),
        (date(2026, 11, 1), date(2026, 11, 24), "3 weeks"),
        (date(2026, 10, 24), date(2026, 11, 24), "1 month"),
        (date(2026, 4, 10), date(2026, 11, 24), "7 months"),
        (date(2025, 11, 24), date(2026, 11, 24), "1 year"),
        (date(2025, 11, 25), date(2026, 11, 24), "11 months"),
        (date(2024, 8, 24), date(2026, 11, 24), "2 years 3 months"),
        (date(2023, 10, 1), date(2026, 11, 24), "3 years 1 month"),
        (date(2016, 11, 24), date(2026, 11, 24), "10 years"),
        (date(2026, 12, 1), date(2026, 11, 24), "not born yet"),
    ],
)
def test_describe_age(born: date, on: date, described: str) -> None:
    assert describe_age(born, on) == described
