"""What an allocation meeting decides, applied to a request.

The meeting screen only gathers a :class:`~vig_tui.domain.models.Decision`;
everything that follows from it (the new status, the move to a later meeting,
the history line) happens here, so it is the same wherever a decision comes
from and is tested without a terminal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol
from uuid import UUID

from .changes import answer_changes
from .dates import format_date
from .history import Action, Actor
from .models import (
    Decision,
    DecisionOutcome,
    Practitioner,
    RequestStatus,
    VigRequest,
    utc_now,
)
from .work import ACTIVE

if TYPE_CHECKING:
    from .meetings import Meeting

#: Statuses of a request still waiting for an allocation meeting's decision.
AWAITING_DECISION = frozenset({RequestStatus.SUBMITTED, RequestStatus.DEFERRED})
#: Statuses from which a request may still be withdrawn or closed.
OPEN = frozenset(
    {
        RequestStatus.SUBMITTED,
        RequestStatus.DEFERRED,
        RequestStatus.ALLOCATED,
        RequestStatus.IN_PROGRESS,
    }
)


class DecisionError(ValueError):
    """A decision that cannot be recorded; the message is fit to show the user."""


class _Calendar(Protocol):
    def following(self, meeting_date: date) -> Meeting: ...


def decision_problems(decision: Decision) -> dict[str, str]:
    """Each missing answer of a decision, keyed by the Decision field it belongs to.

    The dialogs show these beside their fields; :func:`record_decision` refuses
    a decision that has any.
    """
    problems: dict[str, str] = {}
    match decision.outcome:
        case DecisionOutcome.ALLOCATED:
            if decision.practitioner_id is None or not decision.practitioner_name:
                problems["practitioner_id"] = "Choose the VIG practitioner"
            if decision.priority is None:
                problems["priority"] = "Choose the priority"
        case DecisionOutcome.NOT_ACCEPTED:
            if decision.not_accepted_reason is None:
                problems["not_accepted_reason"] = "Choose why the request was not accepted"
            if not decision.note:
                problems["note"] = "Enter a note for the referrer saying why"
        case DecisionOutcome.DEFERRED:
            if not decision.reason:
                problems["reason"] = "Enter why the request is deferred"
        case DecisionOutcome.MORE_INFORMATION:
            if not decision.information_needed:
                problems["information_needed"] = "Enter what information is needed"
            if not decision.information_from:
                problems["information_from"] = "Enter who the information is needed from"
    return problems


def record_decision(
    request: VigRequest,
    decision: Decision,
    calendar: _Calendar,
    *,
    who: Actor,
    at: datetime | None = None,
) -> VigRequest:
    """The request after the meeting's decision: a changed copy, ready to save.

    * allocated: status Allocated;
    * not accepted: status Not accepted;
    * deferred: status Deferred, moved to the following meeting;
    * more information needed: stays (or goes back to) Submitted, moved to the
      following meeting.

    The decision is appended to the request's decisions and one history entry,
    attributed to ``who``, records it with its reason, the status and meeting
    either side. Raises :class:`DecisionError` when the request
    is not waiting for a decision or an answer is missing.
    """
    if request.status not in AWAITING_DECISION:
        raise DecisionError(
            f"{request.reference or 'This request'} is {request.status.label.lower()}; "
            "a decision can only be recorded for a request waiting for a meeting"
        )
    if problems := decision_problems(decision):
        raise DecisionError(next(iter(problems.values())))

    when = at or utc_now()
    updated = request.model_copy(deep=True)
    recorded = decision.model_copy(update={"recorded_at": when})
    held = format_date(decision.meeting)
    status = updated.status
    match decision.outcome:
        case DecisionOutcome.ALLOCATED:
            status = RequestStatus.ALLOCATED
            priority = decision.priority.label if decision.priority else ""
            summary = f"Allocated to {decision.practitioner_name}, {priority} priority"
            reason = decision.reason or decision.note
        case DecisionOutcome.NOT_ACCEPTED:
            status = RequestStatus.NOT_ACCEPTED
            why = decision.not_accepted_reason
            summary = f"Not accepted: {why.label}" if why else "Not accepted"
            reason = decision.note
        case DecisionOutcome.DEFERRED:
            status = RequestStatus.DEFERRED
            updated.meeting = calendar.following(decision.meeting).date
            summary = f"Deferred to the meeting on {format_date(updated.meeting)}"
            reason = decision.reason
        case DecisionOutcome.MORE_INFORMATION:
            status = RequestStatus.SUBMITTED
            updated.meeting = calendar.following(decision.meeting).date
            summary = (
                f"More information needed from {decision.information_from}; "
                f"to be considered on {format_date(updated.meeting)}"
            )
            reason = decision.information_needed
    updated.decisions.append(recorded)
    moved = answer_changes(request, updated, ("meeting",))
    if status is updated.status:
        updated.record(
            who,
            Action.DECIDED,
            f"Meeting on {held}: {summary}",
            changes=moved,
            reason=reason,
            at=when,
        )
    else:
        updated.change_status(
            status,
            who,
            Action.DECIDED,
            f"Meeting on {held}: {summary}",
            changes=moved,
            reason=reason,
            at=when,
        )
    return updated


def withdraw_request(
    request: VigRequest, reason: str, *, who: Actor, at: datetime | None = None
) -> VigRequest:
    """The request withdrawn by its referrer (or the service), with the reason why."""
    return _end(
        request, RequestStatus.WITHDRAWN, reason, "Enter why the request is withdrawn", who, at
    )


def close_request(
    request: VigRequest, reason: str = "", *, who: Actor, at: datetime | None = None
) -> VigRequest:
    """The request closed: the work is finished or will not go ahead.

    Work that has started is closed on its work record instead (:func:`~vig_tui.domain.work.
    close_work`), with a closure reason and an outcome note.
    """
    if request.status is RequestStatus.IN_PROGRESS:
        raise DecisionError(
            f"{request.reference or 'This request'}: the work has started, so it is closed on "
            "its work record, with the reason and the outcome (press v, then x)"
        )
    return _end(request, RequestStatus.CLOSED, reason or "Closed", "", who, at)


def _end(
    request: VigRequest,
    status: RequestStatus,
    reason: str,
    missing: str,
    who: Actor,
    at: datetime | None,
) -> VigRequest:
    if request.status not in OPEN:
        raise DecisionError(
            f"{request.reference or 'This request'} is already {request.status.label.lower()}"
        )
    reason = reason.strip()
    if not reason and missing:
        raise DecisionError(missing)
    updated = request.model_copy(deep=True)
    action = Action.WITHDRAWN if status is RequestStatus.WITHDRAWN else Action.CLOSED
    updated.change_status(status, who, action, reason=reason, at=at)
    return updated


def can_correct(request: VigRequest, on: date) -> bool:
    """A sent request may be corrected by the service until its meeting is held."""
    return (
        request.status in AWAITING_DECISION and request.meeting is not None and on < request.meeting
    )


def allocated_practitioner(request: VigRequest) -> UUID | None:
    """Who is doing the work on an allocated or in-progress request, if anyone."""
    if request.status not in ACTIVE:
        return None
    for decision in reversed(request.decisions):
        if decision.outcome is DecisionOutcome.ALLOCATED:
            return decision.practitioner_id
    return None


def caseloads(
    allocated_to: Iterable[UUID | None], practitioners: Iterable[Practitioner]
) -> dict[UUID, int]:
    """Each practitioner's caseload: requests allocated or in progress (zero when none)."""
    counts = Counter(p for p in allocated_to if p is not None)
    return {p.id: counts.get(p.id, 0) for p in practitioners}
