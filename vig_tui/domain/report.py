"""The service report's figures, worked out from the requests alone.

:func:`build_report` is a pure function of the requests (and the roster, for
practitioners with no families yet): the command line, the Reports screen and
every document format show the same :class:`ReportData`, and the tests count
the same things by hand on a fixture database and compare.

What is counted where:

* received: sent requests (they have a ``submitted_on``) sent in the period,
  by the month they were sent;
* decisions: every decision taken at a meeting held in the period;
* waiting: days from sending to the first meeting that considered the
  request, to the decision that settled it (allocated or not accepted) and to
  allocation, for requests whose meeting was in the period;
* the waiting list: sent and not yet decided (submitted or deferred) on the
  day the report is made, whatever the period;
* caseloads: each practitioner's allocated requests still open at the end of
  each month (or on the day the report is made, for the current month);
* consent and the work after allocation: see :mod:`vig_tui.domain.report_work`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .checklist import CriterionId, checklist_in_use
from .dates import age_in_years
from .models import (
    Decision,
    DecisionOutcome,
    NotAcceptedReason,
    Practitioner,
    ReferrerRole,
    RequestStatus,
    RouteKind,
    VigRequest,
)
from .report_work import ConsentFigures, WorkFigures, consent_figures, work_figures
from .waits import Wait, WaitStatistic, wait_statistic

NOT_GIVEN = "Not given"
#: Outcomes that settle a request (the others bring it back to a later meeting).
SETTLED = frozenset({DecisionOutcome.ALLOCATED, DecisionOutcome.NOT_ACCEPTED})
#: Statuses that end an allocated family's place in a practitioner's caseload.
_ENDED = frozenset({RequestStatus.CLOSED, RequestStatus.WITHDRAWN})
_WAITING = frozenset({RequestStatus.SUBMITTED, RequestStatus.DEFERRED})
#: Deferred this many times or more: flagged on the waiting list.
DEFERRALS_FLAGGED = 2
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("Under 1", 0, 0),
    ("1 year", 1, 1),
    ("2 years", 2, 2),
    ("3 years", 3, 3),
    ("4 to 7 years", 4, 7),
    ("8 to 11 years", 8, 11),
    ("12 and over", 12, 200),
)


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def month_end(day: date) -> date:
    return next_month(day) - timedelta(days=1)


def months_between(start: date, end: date) -> tuple[date, ...]:
    """The first day of every month from ``start``'s to ``end``'s, in order."""
    months = []
    current = month_start(start)
    while current <= end:
        months.append(current)
        current = next_month(current)
    return tuple(months)


def default_period(today: date, first_sent: date | None = None) -> tuple[date, date]:
    """The twelve months up to ``today`` (from the first of the month eleven months
    back), or from the month of the first request sent, when that is later."""
    start = month_start(today)
    for _ in range(11):
        start = month_start(start - timedelta(days=1))
    if first_sent is not None and start < month_start(first_sent) <= today:
        start = month_start(first_sent)
    return start, today


def report_period(
    requests: Iterable[VigRequest],
    today: date,
    *,
    start: date | None = None,
    end: date | None = None,
) -> tuple[date, date]:
    """The period asked for, with :func:`default_period`'s ends where none was given."""
    first_sent = min((r.submitted_on for r in requests if r.submitted_on), default=None)
    default_start, default_end = default_period(end or today, first_sent)
    start, end = start or default_start, end or default_end
    if end < start:
        raise ValueError(
            f"The period ends ({end.isoformat()}) before it starts ({start.isoformat()}): "
            "give a --to date on or after the --from date"
        )
    return start, end


@dataclass(frozen=True)
class Breakdown:
    """Counts per month for each of a few categories (rows), in a fixed order."""

    title: str
    months: tuple[date, ...]
    rows: tuple[tuple[str, tuple[int, ...]], ...]

    def row(self, label: str) -> tuple[int, ...]:
        return dict(self.rows)[label]

    @property
    def month_totals(self) -> tuple[int, ...]:
        return tuple(sum(counts[i] for _, counts in self.rows) for i in range(len(self.months)))

    @property
    def total(self) -> int:
        return sum(self.month_totals)


@dataclass(frozen=True)
class MeetingOutcomes:
    """What one meeting decided, counted by outcome."""

    meeting: date
    allocated: int
    not_accepted: tuple[tuple[NotAcceptedReason, int], ...]
    deferred: int
    more_information: int

    @property
    def not_accepted_total(self) -> int:
        return sum(count for _, count in self.not_accepted)

    @property
    def total(self) -> int:
        return self.allocated + self.not_accepted_total + self.deferred + self.more_information


@dataclass(frozen=True)
class WaitingRequest:
    """A request on the waiting list now."""

    reference: str
    sent: date
    meeting: date | None
    days_waiting: int
    times_deferred: int

    @property
    def flagged(self) -> bool:
        return self.times_deferred >= DEFERRALS_FLAGGED


@dataclass(frozen=True)
class ReportData:
    """Everything the service report says, for the period ``start`` to ``end``."""

    start: date
    end: date
    made_on: date
    months: tuple[date, ...]
    by_route: Breakdown
    by_role: Breakdown
    by_team: Breakdown
    meetings: tuple[MeetingOutcomes, ...]
    waits: tuple[WaitStatistic, ...]
    waiting_list: tuple[WaitingRequest, ...]
    ages: tuple[tuple[str, int], ...]
    criteria: tuple[tuple[str, int], ...]
    caseloads: Breakdown
    consent: ConsentFigures
    work: WorkFigures

    @property
    def received(self) -> int:
        return self.by_route.total

    @property
    def decisions(self) -> int:
        return sum(meeting.total for meeting in self.meetings)

    @property
    def flagged(self) -> tuple[WaitingRequest, ...]:
        return tuple(w for w in self.waiting_list if w.flagged)


def build_report(
    requests: Iterable[VigRequest],
    *,
    start: date,
    end: date,
    made_on: date,
    practitioners: Sequence[Practitioner] = (),
) -> ReportData:
    """The report on ``requests`` for the period from ``start`` to ``end`` inclusive."""
    if end < start:
        raise ValueError("The end of the period must be on or after its start")
    everything = list(requests)
    sent = [
        r for r in everything if r.submitted_on is not None and r.status is not RequestStatus.DRAFT
    ]
    received = [r for r in sent if r.submitted_on is not None and start <= r.submitted_on <= end]
    months = months_between(start, end)
    return ReportData(
        start=start,
        end=end,
        made_on=made_on,
        months=months,
        by_route=_breakdown(
            "By route",
            months,
            received,
            lambda r: r.route.kind.label if r.route.kind else NOT_GIVEN,
            [kind.label for kind in RouteKind],
        ),
        by_role=_breakdown(
            "By referrer's role",
            months,
            received,
            lambda r: r.referrer.role.label if r.referrer.role else NOT_GIVEN,
            [role.label for role in ReferrerRole],
        ),
        by_team=_breakdown(
            "By team", months, received, lambda r: r.referrer.team.strip() or NOT_GIVEN, []
        ),
        meetings=_meetings(sent, start, end),
        waits=_waits(sent, start, end),
        waiting_list=_waiting_list(sent, made_on),
        ages=_ages(received),
        criteria=_criteria(received),
        caseloads=_caseloads(sent, months, made_on, practitioners),
        consent=consent_figures(sent, start, end),
        work=work_figures(sent, months, start, end),
    )


def _breakdown(
    title: str,
    months: tuple[date, ...],
    requests: list[VigRequest],
    category: Callable[[VigRequest], str],
    fixed: list[str],
) -> Breakdown:
    counts: Counter[tuple[str, date]] = Counter()
    for request in requests:
        assert request.submitted_on is not None
        counts[category(request), month_start(request.submitted_on)] += 1
    seen = {label for label, _ in counts}
    extra = sorted(seen - set(fixed) - {NOT_GIVEN}, key=str.casefold)
    labels = [*fixed, *extra, *([NOT_GIVEN] if NOT_GIVEN in seen else [])]
    return Breakdown(
        title,
        months,
        tuple((label, tuple(counts[label, month] for month in months)) for label in labels),
    )


def _meetings(requests: list[VigRequest], start: date, end: date) -> tuple[MeetingOutcomes, ...]:
    by_meeting: dict[date, list[Decision]] = {}
    for request in requests:
        for decision in request.decisions:
            if start <= decision.meeting <= end:
                by_meeting.setdefault(decision.meeting, []).append(decision)
    result = []
    for meeting in sorted(by_meeting):
        outcomes = Counter(d.outcome for d in by_meeting[meeting])
        reasons = Counter(
            d.not_accepted_reason or NotAcceptedReason.OTHER
            for d in by_meeting[meeting]
            if d.outcome is DecisionOutcome.NOT_ACCEPTED
        )
        result.append(
            MeetingOutcomes(
                meeting=meeting,
                allocated=outcomes[DecisionOutcome.ALLOCATED],
                not_accepted=tuple((r, reasons[r]) for r in NotAcceptedReason if reasons[r]),
                deferred=outcomes[DecisionOutcome.DEFERRED],
                more_information=outcomes[DecisionOutcome.MORE_INFORMATION],
            )
        )
    return tuple(result)


def _waits(requests: list[VigRequest], start: date, end: date) -> tuple[WaitStatistic, ...]:
    to_meeting: list[Wait] = []
    to_decision: list[Wait] = []
    to_allocation: list[Wait] = []
    for request in requests:
        assert request.submitted_on is not None
        decisions = sorted(request.decisions, key=lambda d: (d.meeting, d.recorded_at))
        if not decisions:
            continue
        reference = request.reference or "No reference"
        first = decisions[0].meeting
        if start <= first <= end:
            to_meeting.append(Wait(reference, (first - request.submitted_on).days))
        settled = next((d for d in decisions if d.outcome in SETTLED), None)
        if settled is not None and start <= settled.meeting <= end:
            days = (settled.meeting - request.submitted_on).days
            to_decision.append(Wait(reference, days))
            if settled.outcome is DecisionOutcome.ALLOCATED:
                to_allocation.append(Wait(reference, days))
    return (
        wait_statistic("Sent to first meeting", to_meeting),
        wait_statistic("Sent to decision", to_decision),
        wait_statistic("Sent to allocation", to_allocation),
    )


def _waiting_list(requests: list[VigRequest], on: date) -> tuple[WaitingRequest, ...]:
    waiting = []
    for request in requests:
        if request.status not in _WAITING or request.submitted_on is None:
            continue
        waiting.append(
            WaitingRequest(
                reference=request.reference or "No reference",
                sent=request.submitted_on,
                meeting=request.meeting,
                days_waiting=(on - request.submitted_on).days,
                times_deferred=sum(
                    d.outcome is DecisionOutcome.DEFERRED for d in request.decisions
                ),
            )
        )
    waiting.sort(key=lambda w: (w.sent, w.reference))
    return tuple(waiting)


def age_band(born: date | None, on: date) -> str:
    if born is None or born > on:
        return NOT_GIVEN
    years = age_in_years(born, on)
    return next(label for label, low, high in AGE_BANDS if low <= years <= high)


def _ages(requests: list[VigRequest]) -> tuple[tuple[str, int], ...]:
    counts = Counter(
        age_band(r.child.date_of_birth, r.submitted_on) for r in requests if r.submitted_on
    )
    labels = [label for label, _, _ in AGE_BANDS]
    if counts[NOT_GIVEN]:
        labels.append(NOT_GIVEN)
    return tuple((label, counts[label]) for label in labels)


def _criteria(requests: list[VigRequest]) -> tuple[tuple[str, int], ...]:
    counts = Counter(c for r in requests for c in r.evidenced_criteria)
    checklist = checklist_in_use()
    return tuple((checklist.criterion(c).title, counts[c]) for c in CriterionId)


def _caseloads(
    requests: list[VigRequest],
    months: tuple[date, ...],
    made_on: date,
    practitioners: Sequence[Practitioner],
) -> Breakdown:
    spans: list[tuple[str, date, date | None]] = []
    for request in requests:
        allocation = next(
            (d for d in request.decisions if d.outcome is DecisionOutcome.ALLOCATED), None
        )
        if allocation is None:
            continue
        ended = next(
            (
                entry.at.date()
                for entry in request.history
                if entry.status in _ENDED and entry.at.date() >= allocation.meeting
            ),
            None,
        )
        name = allocation.practitioner_name or NOT_GIVEN
        spans.append((name, allocation.meeting, ended))
    names = sorted({p.name for p in practitioners if p.active} | {n for n, _, _ in spans})
    rows = []
    for name in sorted(names, key=str.casefold):
        counts = []
        for month in months:
            on = min(month_end(month), made_on)
            counts.append(
                sum(
                    1
                    for who, began, ended in spans
                    if who == name and began <= on and (ended is None or ended > on)
                )
            )
        rows.append((name, tuple(counts)))
    return Breakdown("Caseloads at the end of each month", months, tuple(rows))
