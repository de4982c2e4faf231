"""When the difficulty was first identified: a month is enough, and never before the
birth unless the answer says it was during pregnancy."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vig_tui.domain.answers import Row, difficulty_identified, section_rows
from vig_tui.domain.dates import DateError, format_day_or_month, parse_day_or_month
from vig_tui.domain.models import Child, VigRequest
from vig_tui.domain.rules import Section, evaluate

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    "typed",
    ["Jun 2024", "June 2024", "june 2024", "06/2024", "6/2024", "6-2024", "2024-06", "Jun. 2024"],
)
def test_a_month_and_year_is_read_as_that_month(typed: str) -> None:
    assert parse_day_or_month(typed, label="The date") == (date(2024, 6, 1), True)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3/6/2024", date(2024, 6, 3)),
        ("3 Jun 2024", date(2024, 6, 3)),
        ("2024-06-03", date(2024, 6, 3)),
    ],
)
def test_a_whole_date_is_still_a_day(typed: str, expected: date) -> None:
    assert parse_day_or_month(typed, label="The date") == (expected, False)


@pytest.mark.parametrize("typed", ["13/2024", "Jux 2024", "June", "2024", "31/02/2024"])
def test_what_is_not_a_date_or_month_says_so(typed: str) -> None:
    with pytest.raises(DateError) as raised:
        parse_day_or_month(typed, label="The date the difficulty was identified")
    message = str(raised.value)
    assert message.startswith("The date the difficulty was identified must be a real")
    assert "invalid" not in message.lower()


@given(st.text(max_size=40))
def test_any_text_is_a_date_a_month_or_a_clear_message(text: str) -> None:
    try:
        value, month_only = parse_day_or_month(text, label="The date")
    except DateError as error:
        assert str(error)
    else:
        assert not month_only or value.day == 1


def test_a_month_is_shown_as_a_month() -> None:
    assert format_day_or_month(date(2024, 6, 1), month_only=True) == "June 2024"
    assert format_day_or_month(date(2024, 6, 1), month_only=False) == "1 June 2024"
    request = VigRequest(
        difficulty_identified_on=date(2024, 6, 1), difficulty_identified_month_only=True
    )
    assert difficulty_identified(request) == "June 2024"
    rows = section_rows(request, Section.EVIDENCE, TODAY)
    assert Row("When the difficulty was first identified", "June 2024") in rows


def _codes(request: VigRequest) -> set[str]:
    return {f.code for f in evaluate(request, TODAY)}


def _request(identified: date, *, month_only: bool = False, pregnancy: bool = False) -> VigRequest:
    return VigRequest(
        child=Child(name="Amy Tre", date_of_birth=date(2025, 3, 15)),
        difficulty_identified_on=identified,
        difficulty_identified_month_only=month_only,
        difficulty_identified_in_pregnancy=pregnancy,
    )


def test_a_difficulty_identified_before_birth_is_refused() -> None:
    findings = evaluate(_request(date(2025, 1, 10)), TODAY)
    before = [f for f in findings if f.code == "difficulty_before_birth"]
    assert len(before) == 1 and before[0].blocking
    assert before[0].field == "difficulty_identified_on"
    assert "15 March 2025" in before[0].message and "during pregnancy" in before[0].message


def test_in_pregnancy_it_may_be_before_birth() -> None:
    assert "difficulty_before_birth" not in _codes(_request(date(2025, 1, 10), pregnancy=True))


def test_the_month_of_birth_is_not_before_birth() -> None:
    assert "difficulty_before_birth" not in _codes(_request(date(2025, 3, 1), month_only=True))
    assert "difficulty_before_birth" in _codes(_request(date(2025, 3, 1)))


def test_pregnancy_means_before_birth_and_not_long_before() -> None:
    assert "difficulty_before_birth" in _codes(_request(date(2025, 6, 1), pregnancy=True))
    assert "difficulty_before_birth" in _codes(_request(date(2023, 6, 1), pregnancy=True))


def test_no_date_of_birth_yet_leaves_the_date_alone() -> None:
    request = _request(date(2020, 1, 1))
    request.child.date_of_birth = None
    assert "difficulty_before_birth" not in _codes(request)
