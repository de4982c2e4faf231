"""The service report's figures on consent and on the work after allocation.

Pure functions of the requests, as :mod:`vig_tui.domain.report` is (which calls them
and holds the results in its ``ReportData``):

* consent: of the requests allocated at a meeting in the period, how many have each
  consent (:class:`~vig_tui.domain.vocabulary.ConsentTopic`) given, refused, withdrawn
  or not recorded, on the day the report is made (the newest record of a topic holds,
  as :func:`vig_tui.domain.work.consent` reads it);
* the work, each month of the period: work started, filming sessions, shared reviews
  and work closed (a request closed without the work's closing step counts on the day
  its history says it closed);
* the work now: allocated and not started, in progress, on the day the report is made;
* the work closed in the period, by why it closed (the model's own
  :class:`~vig_tui.domain.vocabulary.ClosureReason`), and the days from the allocation
  meeting to the start of the work, for work started in the period.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .models import ClosureReason, ConsentTopic, DecisionOutcome, RequestStatus, VigRequest
from .waits import Wait, WaitStatistic, wait_statistic
from .work import consent

#: What becomes of a consent, in the order the report lists them.
CONSENT_STATES = ("Given", "Refused", "Withdrawn", "Not recorded")
#: Rows of the work each month, in order.
WORK_STARTED, FILMED, REVIEWED, WORK_CLOSED = (
    "Work started",
    "Filming sessions",
    "Shared reviews",
    "Work closed",
)
ALLOCATION_TO_START = "Allocation to start of work"
#: A closed request whose work's closing step was never recorded (closed another way).
NO_OUTCOME = "No outcome recorded"


@dataclass(frozen=True)
class ConsentCounts:
    """One consent topic across the requests allocated in the period."""

    topic: ConsentTopic
    counts: tuple[int, ...]  # in the order of CONSENT_STATES

    def count(self, state: str) -> int:
        return self.counts[CONSENT_STATES.index(state)]


@dataclass(frozen=True)
class ConsentFigures:
    #: Requests allocated at a meeting in the period (those the counts are of).
    allocated: int
    topics: tuple[ConsentCounts, ...]

    def topic(self, topic: ConsentTopic) -> ConsentCounts:
        return next(t for t in self.topics if t.topic is topic)


@dataclass(frozen=True)
class WorkFigures:
    months: tuple[date, ...]
    #: (row, counts per month) for each of WORK_STARTED, FILMED, REVIEWED, WORK_CLOSED.
    each_month: tuple[tuple[str, tuple[int, ...]], ...]
    #: On the day the report is made.
    not_started: int
    in_progress: int
    #: Work closed in the period, by why it closed (every reason, in the model's order).
    closed_by_reason: tuple[tuple[str, int], ...]
    #: Days from the allocation meeting to the start of the work, for work started in
    #: the period.
    to_start: WaitStatistic

    def row(self, label: str) -> tuple[int, ...]:
        return dict(self.each_month)[label]

    def total(self, label: str) -> int:
        return sum(self.row(label))

    @property
    def closed(self) -> int:
        return sum(count for _, count in self.closed_by_reason)


def allocation_meeting(request: VigRequest) -> date | None:
    """The meeting that allocated the request (the latest, if it was allocated twice)."""
    allocations = [d.meeting for d in request.decisions if d.outcome is DecisionOutcome.ALLOCATED]
    return max(allocations, default=None)


def consent_state(request: VigRequest, topic: ConsentTopic) -> str:
    """One of :data:`CONSENT_STATES` for ``topic``: the newest record holds."""
    record = consent(request, topic)
    if record is None:
        return "Not recorded"
    if record.withdrawn_on is not None:
        return "Withdrawn"
    return "Given" if record.given else "Refused"


def consent_figures(requests: Iterable[VigRequest], start: date, end: date) -> ConsentFigures:
    allocated = [
        r for r in requests if (meeting := allocation_meeting(r)) and start <= meeting <= end
    ]
    topics = []
    for topic in ConsentTopic:
        states = Counter(consent_state(r, topic) for r in allocated)
        topics.append(ConsentCounts(topic, tuple(states[s] for s in CONSENT_STATES)))
    return ConsentFigures(len(allocated), tuple(topics))


def closed_on(request: VigRequest) -> date | None:
    """When the request's work closed: the closing step's date, or (closed another way)
    the day its history says it closed; None if it is not closed."""
    if request.status is not RequestStatus.CLOSED:
        return None
    if request.work.closed_on is not None:
        return request.work.closed_on
    return next(
        (e.at.date() for e in reversed(request.history) if e.status is RequestStatus.CLOSED),
        None,
    )


def _closure(request: VigRequest) -> str:
    reason = request.work.closure_reason
    return reason.label if reason is not None else NO_OUTCOME


def work_figures(
    requests: Iterable[VigRequest], months: tuple[date, ...], start: date, end: date
) -> WorkFigures:
    requests = list(requests)
    counts: Counter[tuple[str, tuple[int, int]]] = Counter()
    closed_reasons: Counter[str] = Counter()
    to_start: list[Wait] = []

    def count(label: str, day: date | None) -> None:
        if day is not None and start <= day <= end:
            counts[label, (day.year, day.month)] += 1

    for request in requests:
        work = request.work
        count(WORK_STARTED, work.started_on)
        for cycle in work.cycles:
            count(FILMED, cycle.filmed_on)
            count(REVIEWED, cycle.shared_review_on)
        closed = closed_on(request)
        count(WORK_CLOSED, closed)
        if closed is not None and start <= closed <= end:
            closed_reasons[_closure(request)] += 1
        meeting = allocation_meeting(request)
        if work.started_on is not None and start <= work.started_on <= end and meeting:
            reference = request.reference or "No reference"
            to_start.append(Wait(reference, (work.started_on - meeting).days))
    labels = [r.label for r in ClosureReason]
    if closed_reasons[NO_OUTCOME]:
        labels.append(NO_OUTCOME)
    return WorkFigures(
        months=months,
        each_month=tuple(
            (label, tuple(counts[label, (m.year, m.month)] for m in months))
            for label in (WORK_STARTED, FILMED, REVIEWED, WORK_CLOSED)
        ),
        not_started=sum(r.status is RequestStatus.ALLOCATED for r in requests),
        in_progress=sum(r.status is RequestStatus.IN_PROGRESS for r in requests),
        closed_by_reason=tuple((label, closed_reasons[label]) for label in labels),
        to_start=wait_statistic(ALLOCATION_TO_START, to_start),
    )
