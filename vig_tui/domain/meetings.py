"""The allocation meeting calendar.

The VIG service considers requests at a monthly allocation meeting on the first
Thursday of the month (the weekday and week come from the checklist). When
that day is a bank holiday the meeting is flagged, with the next working day
proposed, but it is not moved by itself: a person decides, and records a
:class:`~vig_tui.domain.models.MeetingMove`, which then replaces that month's
date everywhere (a moved meeting is never flagged).

England and Wales share their bank holidays, so the ``holidays`` package's
England calendar serves for Cornwall. Looking holidays up is the slow part,
so each year is read once per process and kept.

A request is considered at the first meeting it was sent at least
``cutoff_days`` days before: with the default of 1, a request sent the day
before a meeting goes to it, and one sent on the day goes to the next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from .checklist import Checklist, checklist_in_use
from .models import MeetingMove

_ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> dict[dt.date, str]:
    """Bank holidays in England and Wales for one year, built once and kept.

    The ``holidays`` package is imported here, on first use, not with this
    module: it loads every country's calendar (about 65 ms), and opening the
    database should not wait for that.
    """
    import holidays

    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year).items())


def bank_holiday(day: dt.date) -> str | None:
    """The name of the bank holiday in England and Wales on ``day``, if any."""
    return _bank_holidays(day.year).get(day)


def is_working_day(day: dt.date) -> bool:
    """A weekday that is not a bank holiday."""
    return day.weekday() < 5 and bank_holiday(day) is None


def next_working_day(day: dt.date) -> dt.date:
    """The first working day after ``day``."""
    candidate = day + _ONE_DAY
    while not is_working_day(candidate):
        candidate += _ONE_DAY
    return candidate


def nth_weekday(year: int, month: int, weekday: int, week: int) -> dt.date:
    """The ``week``-th ``weekday`` (Monday is 0) of a month: (2026, 1, 3, 1) -> 1 Jan 2026."""
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))
    if day.month != month:
        raise ValueError(f"{year}-{month:02d} has no week {week} weekday {weekday}")
    return day


@dataclass(frozen=True)
class Meeting:
    """One month's allocation meeting."""

    #: The month's usual day (first Thursday).
    scheduled: dt.date
    #: When it is actually held: ``moved_to`` when moved, otherwise ``scheduled``.
    date: dt.date
    moved: bool
    #: The bank holiday's name when the scheduled day is one and nobody has moved it.
    bank_holiday: str | None = None
    #: The next working day, proposed when the scheduled day is a bank holiday.
    proposed: dt.date | None = None

    @property
    def needs_attention(self) -> bool:
        """A bank holiday nobody has dealt with yet."""
        return self.bank_holiday is not None


class MeetingCalendar:
    """Allocation meetings, month by month, with moves and the cut-off applied."""

    def __init__(
        self,
        moves: Iterable[MeetingMove] = (),
        cutoff_days: int | None = None,
        *,
        checklist: Checklist | None = None,
    ) -> None:
        """``cutoff_days`` defaults to the checklist's (1); a later move of the
        same scheduled meeting replaces an earlier one, and a move back to the
        scheduled day cancels the move."""
        self.checklist = checklist or checklist_in_use()
        self.cutoff_days = (
            self.checklist.default_cutoff_days if cutoff_days is None else cutoff_days
        )
        if self.cutoff_days < 0:
            raise ValueError("cutoff_days must be 0 or more")
        latest: dict[dt.date, MeetingMove] = {}
        for move in sorted(moves, key=lambda m: m.at):
            latest[move.scheduled] = move
        self._moves = {
            scheduled: move.moved_to
            for scheduled, move in latest.items()
            if move.moved_to != scheduled
        }
        self._months: dict[tuple[int, int], Meeting] = {}

    def meeting_in(self, year: int, month: int) -> Meeting:
        """The meeting scheduled for a month (wherever it has been moved to)."""
        key = (year, month)
        if key not in self._months:
            self._months[key] = self._build(year, month)
        return self._months[key]

    def _build(self, year: int, month: int) -> Meeting:
        scheduled = nth_weekday(
            year, month, self.checklist.meeting_weekday, self.checklist.meeting_week_of_month
        )
        if scheduled in self._moves:
            return Meeting(scheduled=scheduled, date=self._moves[scheduled], moved=True)
        holiday = bank_holiday(scheduled)
        return Meeting(
            scheduled=scheduled,
            date=scheduled,
            moved=False,
            bank_holiday=holiday,
            proposed=next_working_day(scheduled) if holiday else None,
        )

    def _moved_meetings(self) -> list[Meeting]:
        return [self.meeting_in(s.year, s.month) for s in self._moves]

    def upcoming(self, start: dt.date, count: int) -> list[Meeting]:
        """The next ``count`` meetings held on or after ``start``, in date order."""
        if count <= 0:
            return []
        found = [m for m in self._moved_meetings() if m.date >= start]
        regular = 0
        for year, month in _months_from(start.year, start.month, step=1):
            meeting = self.meeting_in(year, month)
            if not meeting.moved and meeting.date >= start:
                found.append(meeting)
                regular += 1
                if regular == count:
                    break
        found.sort(key=lambda m: (m.date, m.scheduled))
        return found[:count]

    def before(self, end: dt.date, count: int) -> list[Meeting]:
        """The last ``count`` meetings held before ``end``, latest first."""
        if count <= 0:
            return []
        found = [m for m in self._moved_meetings() if m.date < end]
        regular = 0
        for year, month in _months_from(end.year, end.month, step=-1):
            meeting = self.meeting_in(year, month)
            if not meeting.moved and meeting.date < end:
                found.append(meeting)
                regular += 1
                if regular == count:
                    break
        found.sort(key=lambda m: (m.date, m.scheduled), reverse=True)
        return found[:count]

    def between(self, start: dt.date, end: dt.date) -> list[Meeting]:
        """Meetings held from ``start`` to ``end`` inclusive, in date order."""
        found = [m for m in self._moved_meetings() if start <= m.date <= end]
        for year, month in _months_from(start.year, start.month, step=1):
            if (year, month) > (end.year, end.month):
                break
            meeting = self.meeting_in(year, month)
            if not meeting.moved and start <= meeting.date <= end:
                found.append(meeting)
        return sorted(found, key=lambda m: (m.date, m.scheduled))

    def next_meeting(self, on: dt.date) -> Meeting:
        """The first meeting held on or after ``on``."""
        return self.upcoming(on, 1)[0]

    def meeting_for_submission(self, submitted_on: dt.date) -> Meeting:
        """The first meeting with ``submitted_on <= meeting.date - cutoff_days``."""
        return self.next_meeting(submitted_on + dt.timedelta(days=self.cutoff_days))

    def following(self, meeting_date: dt.date) -> Meeting:
        """The meeting after the one held on ``meeting_date`` (for deferrals)."""
        return self.next_meeting(meeting_date + _ONE_DAY)

    def previous(self, meeting_date: dt.date) -> Meeting:
        """The meeting before the one held on ``meeting_date``."""
        return self.before(meeting_date, 1)[0]


def _months_from(year: int, month: int, *, step: int) -> Iterator[tuple[int, int]]:
    index = year * 12 + month - 1
    while True:
        year_of, month_index = divmod(index, 12)
        yield year_of, month_index + 1
        index += step
