"""The light, pure data behind the register and the meeting screen.

A register row is worked out once per load, straight from the store's light
summary, with its lower-case filter text ready; then filtering and sorting are
plain list operations on these rows: typing in the filter never touches a
model or the database. Nothing here imports Textual or TinyDB.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID

from .agenda import FromMeetingHistory, MeetingHistory, meeting_history, on_agenda
from .decisions import AWAITING_DECISION
from .meetings import Meeting
from .models import (
    Decision,
    DecisionOutcome,
    Priority,
    ReferrerRole,
    RequestStatus,
    RouteKind,
    VigRequest,
    initials,
)
from .priority import PrioritySuggestion, suggest_from_factors, suggest_priority
from .summary import RequestSummary

#: Statuses whose priority is the one the meeting gave when it allocated.
ALLOCATED_ONCE = frozenset(
    {RequestStatus.ALLOCATED, RequestStatus.IN_PROGRESS, RequestStatus.CLOSED}
)

ROLE_SHORT = {
    ReferrerRole.HEALTH_VISITOR: "HV",
    ReferrerRole.EARLY_HELP_PRACTITIONER: "EH",
    ReferrerRole.SOCIAL_WORKER: "SW",
    ReferrerRole.OTHER_CFS_PRACTITIONER: "CFS",
}
ROUTE_SHORT = {RouteKind.EARLY_HELP_HUB: "Hub", RouteKind.CASE_MANAGEMENT: "CMD"}


def short_age(born: date | None, on: date) -> tuple[str, int]:
    """('2y 3m', 27) for a child's age on a day, with whole months to sort by."""
    if born is None:
        return "", -1
    months = (on.year - born.year) * 12 + on.month - born.month - (on.day < born.day)
    if months < 0:
        return "unborn", -1
    if months < 1:
        return f"{(on - born).days // 7}w", 0
    years, rest = divmod(months, 12)
    if not years:
        return f"{rest}m", months
    return (f"{years}y {rest}m" if rest else f"{years}y"), months


def short_date(value: date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else ""


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One request as the register shows it: small, flat and quick to filter."""

    id: UUID
    reference: str
    child: str
    age: str
    age_months: int
    referrer: str
    role: str
    route: str
    status: RequestStatus
    meeting: date | None
    #: The decided priority once allocated, else the suggestion while it waits.
    priority: Priority | None
    score: int
    #: Lower-case text the filter searches: reference, child, referrer, team, and the
    #: role and route as the register shows them ("hv", "cmd").
    haystack: str
    #: The sender's own number for a request received by file (DRAFT-7F3A-0001); empty
    #: for a request made on this machine.
    sender_number: str = ""

    @property
    def referrer_and_role(self) -> str:
        return f"{self.referrer} ({self.role})" if self.role else self.referrer


def summary_row(summary: RequestSummary, on: date, *, own_numbers: str = "") -> RegisterRow:
    """A row from the store's light summary (no model is built or validated).

    The priority is the suggestion while the request waits for a meeting and
    the meeting's final priority once allocated. ``own_numbers`` is how this machine's
    local numbers start (``DRAFT-7F3A-``): those are not a sender's.
    """
    priority: Priority | None = None
    score = 0
    if summary.status in AWAITING_DECISION:
        suggestion = suggest_from_factors(summary.factors, on)
        priority, score = suggestion.priority, suggestion.score
    elif summary.status in (
        RequestStatus.ALLOCATED,
        RequestStatus.IN_PROGRESS,
        RequestStatus.CLOSED,
    ):
        priority = summary.allocated_priority
    age, months = short_age(summary.child_dob, on)
    role = summary.referrer_role
    route = summary.route_kind
    child = initials(summary.child_name)
    return RegisterRow(
        id=summary.id,
        # A request sent by file from this machine shows its local number until the
        # service's reference comes back.
        reference=summary.number or "(draft)",
        child=child,
        age=age,
        age_months=months,
        referrer=summary.referrer_name,
        role=ROLE_SHORT[role] if role else "",
        route=ROUTE_SHORT[route] if route else "",
        status=summary.status,
        meeting=summary.meeting,
        priority=priority,
        score=score,
        sender_number=_sender_number(summary, own_numbers),
        haystack=" ".join(
            (
                summary.reference or "",
                summary.local_number or "",
                summary.child_name,
                child,
                summary.referrer_name,
                summary.team,
                ROLE_SHORT[role] if role else "",
                ROUTE_SHORT[route] if route else "",
            )
        ).lower(),
    )


def _sender_number(summary: RequestSummary, own_numbers: str) -> str:
    """The number a request had on its sender's machine, once it has the service's
    reference; none for one made here (its number is this machine's own)."""
    number = summary.local_number
    if not number or not summary.reference:
        return ""
    if own_numbers and number.startswith(own_numbers):
        return ""
    return number


def register_row(request: VigRequest, on: date, *, own_numbers: str = "") -> RegisterRow:
    """The row for one whole request (after it is changed on a screen)."""
    return summary_row(RequestSummary.of(request), on, own_numbers=own_numbers)


def filter_rows(
    rows: Iterable[RegisterRow],
    text: str = "",
    *,
    status: RequestStatus | None = None,
    meeting: date | None = None,
) -> list[RegisterRow]:
    """Rows whose reference, child, referrer, team, role or route contain every typed word.

    One pass per condition, each over what the last one left: a keystroke
    costs a substring test per remaining row and nothing more.
    """
    shown = list(rows)
    if status is not None:
        shown = [row for row in shown if row.status is status]
    if meeting is not None:
        shown = [row for row in shown if row.meeting == meeting]
    for word in text.lower().split():
        shown = [row for row in shown if word in row.haystack]
    return shown


def narrows(before: str, after: str) -> bool:
    """True when every row matching ``after`` also matches ``before`` (text typed on).

    The filter can then search the rows it showed before instead of all of them.
    """
    return after.lower().startswith(before.lower())


#: The register's columns, most telling first (narrow terminals scroll the rest):
#: key, heading, and how to sort by it.
_STATUS_ORDER = {status: index for index, status in enumerate(RequestStatus)}
_PRIORITY_RANK = {priority: priority.rank for priority in Priority}

COLUMNS: tuple[tuple[str, str, Callable[[RegisterRow], Any]], ...] = (
    ("reference", "Reference", lambda r: (r.reference == "(draft)", r.reference)),
    ("child", "Child", lambda r: r.child),
    ("age", "Age", lambda r: r.age_months),
    ("status", "Status", lambda r: _STATUS_ORDER[r.status]),
    ("meeting", "Meeting", lambda r: r.meeting or date.max),
    (
        "priority",
        "Priority",
        lambda r: (_PRIORITY_RANK[r.priority] if r.priority else 9, -r.score),
    ),
    ("referrer", "Referrer", lambda r: r.referrer.lower()),
    ("route", "Route", lambda r: r.route),
    # Last: at 80 columns the register is full, and this one matters less than those.
    ("sender", "Sent as", lambda r: (not r.sender_number, r.sender_number)),
)
_SORT_KEYS = {key: sort_key for key, _, sort_key in COLUMNS}


def sort_rows(
    rows: Iterable[RegisterRow], column: str, *, reverse: bool = False
) -> list[RegisterRow]:
    """Rows in the order of one column (the reference breaks ties)."""
    by_reference = sorted(rows, key=lambda r: r.reference)
    return sorted(by_reference, key=_SORT_KEYS[column], reverse=reverse)


@dataclass(frozen=True)
class AgendaItem(FromMeetingHistory):
    """One request before a meeting, as the meeting screen lists it."""

    request: VigRequest
    suggestion: PrioritySuggestion
    #: What earlier meetings decided about it, and what this one did.
    history: MeetingHistory

    @property
    def awaiting(self) -> bool:
        return self.decision is None and self.request.status in AWAITING_DECISION

    def decided(self, request: VigRequest, decision: Decision) -> AgendaItem:
        """This item once ``decision`` is recorded and ``request`` saved."""
        return replace(self, request=request, history=replace(self.history, decision=decision))


def agenda_item(request: VigRequest, meeting: Meeting, on: date) -> AgendaItem:
    return AgendaItem(
        request=request,
        suggestion=suggest_priority(request, on),
        history=meeting_history(request, meeting),
    )


def agenda_items(requests: Iterable[VigRequest], meeting: Meeting, on: date) -> list[AgendaItem]:
    """The meeting's requests, undecided first, each group in suggested-priority order.

    A request is on the agenda when it is due at this meeting (new, deferred
    or waiting for more information) or this meeting decided it
    (:func:`~vig_tui.domain.agenda.on_agenda`); within a priority, those
    carried forward from an earlier meeting come first.
    """
    seen: set[UUID] = set()
    items = []
    for request in requests:
        if request.id in seen or not on_agenda(request, meeting):
            continue
        seen.add(request.id)
        items.append(agenda_item(request, meeting, on))
    items.sort(
        key=lambda item: (
            not item.awaiting,
            item.suggestion.priority.rank,
            not item.carried_forward,
            -item.suggestion.score,
            item.request.submitted_on or date.max,
            item.request.reference or "",
        )
    )
    return items


def describe_decision(decision: Decision) -> str:
    """A decision in a few words for a table cell."""
    match decision.outcome:
        case DecisionOutcome.ALLOCATED:
            priority = decision.priority.label if decision.priority else ""
            return f"Allocated: {decision.practitioner_name} ({priority})"
        case DecisionOutcome.NOT_ACCEPTED:
            reason = decision.not_accepted_reason
            return f"Not accepted: {reason.label}" if reason else "Not accepted"
        case DecisionOutcome.DEFERRED:
            return "Deferred"
        case DecisionOutcome.MORE_INFORMATION:
            return f"More information from {decision.information_from}"
    return decision.outcome.label
