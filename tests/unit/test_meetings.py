"""The allocation meeting calendar: first Thursdays, bank holidays, moves, the cut-off."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from vig_tui.domain import meetings
from vig_tui.domain.checklist import BUILT_IN_CHECKLIST
from vig_tui.domain.meetings import (
    Meeting,
    MeetingCalendar,
    bank_holiday,
    is_working_day,
    next_working_day,
    nth_weekday,
)
from vig_tui.domain.models import MeetingMove


def dates(found: list[Meeting]) -> list[date]:
    return [m.date for m in found]


@pytest.mark.parametrize(
    "first_thursday",
    [
        date(2025, 1, 2),
        date(2025, 5, 1),
        date(2025, 12, 4),
        date(2026, 1, 1),
        date(2026, 2, 5),
        date(2026, 10, 1),
        date(2027, 4, 1),
        date(2028, 2, 3),
        date(2028, 6, 1),
        date(2030, 8, 1),
    ],
)
def test_meetings_are_on_the_first_thursday(first_thursday: date) -> None:
    meeting = MeetingCalendar().meeting_in(first_thursday.year, first_thursday.month)
    assert meeting.scheduled == first_thursday


def test_every_month_for_six_years_meets_on_a_thursday_in_its_first_week() -> None:
    calendar = MeetingCalendar()
    for year in range(2025, 2031):
        for month in range(1, 13):
            scheduled = calendar.meeting_in(year, month).scheduled
            assert (scheduled.year, scheduled.month) == (year, month)
            assert scheduled.weekday() == 3
            assert scheduled.day <= 7


def test_the_weekday_and_week_come_from_the_checklist() -> None:
    second_tuesday = dataclasses.replace(
        BUILT_IN_CHECKLIST, meeting_weekday=1, meeting_week_of_month=2
    )
    assert MeetingCalendar(checklist=second_tuesday).meeting_in(2026, 3).date == date(2026, 3, 10)


def test_nth_weekday_rejects_a_week_the_month_does_not_have() -> None:
    assert nth_weekday(2026, 4, 3, 5) == date(2026, 4, 30)
    with pytest.raises(ValueError):
        nth_weekday(2026, 2, 3, 5)


def test_upcoming_from_late_november_2026() -> None:
    assert dates(MeetingCalendar().upcoming(date(2026, 11, 24), 3)) == [
        date(2026, 12, 3),
        date(2027, 1, 7),
        date(2027, 2, 4),
    ]


def test_upcoming_includes_a_meeting_held_on_the_start_day() -> None:
    calendar = MeetingCalendar()
    assert dates(calendar.upcoming(date(2026, 12, 3), 2)) == [date(2026, 12, 3), date(2027, 1, 7)]
    assert calendar.upcoming(date(2026, 12, 3), 0) == []


def test_new_years_day_2026_is_flagged_with_the_next_working_day_proposed() -> None:
    meeting = MeetingCalendar().meeting_in(2026, 1)
    assert meeting == Meeting(
        scheduled=date(2026, 1, 1),
        date=date(2026, 1, 1),
        moved=False,
        bank_holiday="New Year's Day",
        proposed=date(2026, 1, 2),
    )
    assert meeting.needs_attention


def test_an_ordinary_meeting_is_not_flagged() -> None:
    meeting = MeetingCalendar().meeting_in(2026, 2)
    assert meeting.bank_holiday is None
    assert meeting.proposed is None
    assert not meeting.needs_attention


def test_bank_holidays_in_england_and_wales() -> None:
    assert bank_holiday(date(2026, 1, 1)) == "New Year's Day"
    assert bank_holiday(date(2026, 8, 31)) == "Late Summer Bank Holiday"
    assert bank_holiday(date(2026, 8, 3)) is None  # the Scottish summer holiday
    assert bank_holiday(date(2026, 1, 2)) is None  # 2 January is a holiday in Scotland only


def test_working_days_skip_weekends_and_bank_holidays() -> None:
    assert is_working_day(date(2026, 1, 2))
    assert not is_working_day(date(2026, 1, 1))
    assert not is_working_day(date(2026, 1, 3))
    # Christmas Day (Friday), the weekend, then Boxing Day observed on Monday 28th.
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)
    assert next_working_day(date(2026, 12, 31)) == date(2027, 1, 4)


def test_holidays_are_looked_up_once_per_year(monkeypatch: pytest.MonkeyPatch) -> None:
    import holidays

    calls: list[object] = []
    original = holidays.country_holidays

    def counting(*args: object, **kwargs: object):
        calls.append(kwargs.get("years"))
        return original(*args, **kwargs)

    meetings._bank_holidays.cache_clear()
    monkeypatch.setattr(holidays, "country_holidays", counting)
    try:
        for _ in range(3):
            MeetingCalendar().upcoming(date(2031, 1, 1), 24)
    finally:
        meetings._bank_holidays.cache_clear()
    assert sorted(calls) == [2031, 2032]


# The cut-off


def test_a_request_sent_the_day_before_goes_to_that_meeting() -> None:
    calendar = MeetingCalendar()
    assert calendar.meeting_for_submission(date(2026, 12, 2)).date == date(2026, 12, 3)


def test_a_request_sent_on_the_day_goes_to_the_next_meeting() -> None:
    calendar = MeetingCalendar()
    assert calendar.meeting_for_submission(date(2026, 12, 3)).date == date(2027, 1, 7)


def test_the_default_cut_off_comes_from_the_checklist() -> None:
    assert MeetingCalendar().cutoff_days == BUILT_IN_CHECKLIST.default_cutoff_days == 1


def test_a_cut_off_of_three_days() -> None:
    calendar = MeetingCalendar(cutoff_days=3)
    assert calendar.meeting_for_submission(date(2026, 11, 30)).date == date(2026, 12, 3)
    assert calendar.meeting_for_submission(date(2026, 12, 1)).date == date(2027, 1, 7)


def test_a_cut_off_of_nought_takes_requests_on_the_day() -> None:
    calendar = MeetingCalendar(cutoff_days=0)
    assert calendar.meeting_for_submission(date(2026, 12, 3)).date == date(2026, 12, 3)


def test_a_negative_cut_off_is_refused() -> None:
    with pytest.raises(ValueError):
        MeetingCalendar(cutoff_days=-1)


# Moved meetings


def move(scheduled: date, moved_to: date, minute: int = 0) -> MeetingMove:
    return MeetingMove(
        scheduled=scheduled, moved_to=moved_to, at=datetime(2025, 12, 1, 9, minute, tzinfo=UTC)
    )


def test_a_moved_meeting_replaces_the_months_date() -> None:
    calendar = MeetingCalendar([move(date(2026, 1, 1), date(2026, 1, 8))])
    meeting = calendar.meeting_in(2026, 1)
    assert meeting == Meeting(
        scheduled=date(2026, 1, 1), date=date(2026, 1, 8), moved=True, bank_holiday=None
    )
    assert dates(calendar.upcoming(date(2025, 12, 20), 2)) == [date(2026, 1, 8), date(2026, 2, 5)]
    # Sent on 5 January: too late for the 1st, in time for the moved meeting on the 8th.
    assert calendar.meeting_for_submission(date(2026, 1, 5)).date == date(2026, 1, 8)
    assert calendar.meeting_for_submission(date(2026, 1, 7)).date == date(2026, 1, 8)
    assert calendar.meeting_for_submission(date(2026, 1, 8)).date == date(2026, 2, 5)


def test_a_meeting_moved_into_the_previous_month_sorts_by_when_it_is_held() -> None:
    calendar = MeetingCalendar([move(date(2026, 1, 1), date(2025, 12, 30))])
    assert dates(calendar.upcoming(date(2025, 12, 1), 3)) == [
        date(2025, 12, 4),
        date(2025, 12, 30),
        date(2026, 2, 5),
    ]
    assert calendar.meeting_for_submission(date(2025, 12, 29)).scheduled == date(2026, 1, 1)
    assert calendar.following(date(2025, 12, 4)).date == date(2025, 12, 30)
    assert calendar.previous(date(2026, 2, 5)).date == date(2025, 12, 30)


def test_the_latest_move_of_a_meeting_wins_and_moving_it_back_cancels() -> None:
    scheduled = date(2026, 1, 1)
    later = MeetingCalendar(
        [move(scheduled, date(2026, 1, 9), minute=5), move(scheduled, date(2026, 1, 8))]
    )
    assert later.meeting_in(2026, 1).date == date(2026, 1, 9)
    back = MeetingCalendar([move(scheduled, date(2026, 1, 8)), move(scheduled, scheduled, 1)])
    meeting = back.meeting_in(2026, 1)
    assert not meeting.moved
    assert meeting.date == scheduled
    assert meeting.bank_holiday == "New Year's Day"


def test_following_and_previous_meetings() -> None:
    calendar = MeetingCalendar()
    assert calendar.following(date(2026, 12, 3)).date == date(2027, 1, 7)
    assert calendar.previous(date(2027, 1, 7)).date == date(2026, 12, 3)
    assert calendar.previous(date(2026, 12, 3)).date == date(2026, 11, 5)
    assert calendar.next_meeting(date(2026, 12, 4)).date == date(2027, 1, 7)


def test_meetings_between_two_dates() -> None:
    calendar = MeetingCalendar([move(date(2026, 3, 5), date(2026, 3, 12))])
    assert dates(calendar.between(date(2026, 2, 5), date(2026, 4, 1))) == [
        date(2026, 2, 5),
        date(2026, 3, 12),
    ]
    assert calendar.between(date(2026, 2, 6), date(2026, 3, 4)) == []


def test_before_lists_the_latest_first() -> None:
    calendar = MeetingCalendar()
    assert dates(calendar.before(date(2026, 12, 3), 3)) == [
        date(2026, 11, 5),
        date(2026, 10, 1),
        date(2026, 9, 3),
    ]
    assert calendar.before(date(2026, 12, 3), 0) == []


def test_every_submission_day_for_a_year_goes_to_a_meeting_after_the_cut_off() -> None:
    calendar = MeetingCalendar()
    day = date(2026, 1, 1)
    while day.year == 2026:
        meeting = calendar.meeting_for_submission(day)
        assert day <= meeting.date - timedelta(days=1)
        assert calendar.previous(meeting.date).date - timedelta(days=1) < day
        day += timedelta(days=1)
