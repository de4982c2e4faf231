"""The light summary of a request: what the register and the meeting list show.

Built straight from a stored JSON document (no pydantic), so tens of thousands
are ready in milliseconds when a database opens; it carries what the suggested
priority needs (:class:`~vig_tui.domain.priority.PriorityFactors`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from .priority import PriorityFactors
from .vocabulary import (
    CarerRelationship,
    DecisionOutcome,
    Priority,
    ReferrerRole,
    RequestStatus,
    RouteKind,
)

if TYPE_CHECKING:  # the summary is made without pydantic, and imported without it
    from .models import VigRequest

_NEW_RELATIONSHIP_CARERS = {
    CarerRelationship.FOSTER_CARER.value,
    CarerRelationship.ADOPTIVE_PARENT.value,
    CarerRelationship.KINSHIP_CARER.value,
}


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# Enum lookups by value: several times quicker than calling the enum, which
# counts when summarising tens of thousands of requests at start.
_STATUSES = {member.value: member for member in RequestStatus}
_ROLES = {member.value: member for member in ReferrerRole}
_ROUTES = {member.value: member for member in RouteKind}
_RELATIONSHIPS = {member.value: member for member in CarerRelationship}
_PRIORITIES = {member.value: member for member in Priority}
_ALLOCATED = DecisionOutcome.ALLOCATED.value
_OUTCOMES = {member.value: member for member in DecisionOutcome}


@dataclass(frozen=True, slots=True)
class RequestSummary:
    """A light row for the register: what a list shows, without the whole request.

    Built straight from the stored document (no pydantic), so thousands are
    ready in a few milliseconds; it carries what the suggested priority needs.
    """

    id: UUID
    reference: str | None
    status: RequestStatus
    child_name: str
    child_dob: date | None
    referrer_name: str
    referrer_role: ReferrerRole | None
    team: str
    route_kind: RouteKind | None
    meeting: date | None
    #: The meetings that decided on it, in the order they did (see domain.agenda).
    decision_meetings: tuple[date, ...]
    updated_at: datetime
    created_at: datetime
    submitted_on: date | None
    factors: PriorityFactors
    #: The final priority of the latest allocation, once allocated.
    allocated_priority: Priority | None
    #: The sender's own number, when it was sent by file (DRAFT-7F3A-0001).
    local_number: str | None = None
    #: The day it was sent by file, from a referrer's machine.
    sent_by_file_on: date | None = None
    #: Answers changed on both sides since the copy last received (the Inbox).
    waiting_conflicts: int = 0
    #: The latest decision's outcome (a referrer's copy: the decision sent back).
    latest_outcome: DecisionOutcome | None = None
    #: When a decision sent back by the service was taken (a referrer's machine).
    decision_received_at: datetime | None = None

    @property
    def number(self) -> str | None:
        """The number to show: the service's reference, else the sender's own number."""
        return self.reference or self.local_number

    @classmethod
    def of(cls, request: VigRequest) -> RequestSummary:
        return cls.of_document(request.model_dump(mode="json"))

    @classmethod
    def of_document(cls, doc: Mapping[str, Any]) -> RequestSummary:
        """The summary of a stored document; KeyError/ValueError/TypeError if it is malformed."""
        child = doc.get("child") or {}
        referrer = doc.get("referrer") or {}
        route = doc.get("route") or {}
        evidence = doc.get("evidence") or {}
        carer = None
        for candidate in doc.get("carers") or ():
            if candidate.get("relationship") in _NEW_RELATIONSHIP_CARERS:
                carer = candidate
                break
        decisions = doc.get("decisions") or ()
        allocated_priority = None
        for decision in reversed(decisions):
            if decision.get("outcome") == _ALLOCATED:
                allocated_priority = _PRIORITIES.get(decision.get("priority") or "")
                break
        role = referrer.get("role")
        kind = route.get("kind")
        born = _day(child.get("date_of_birth"))
        return cls(
            id=UUID(doc["id"]),
            reference=doc.get("reference"),
            status=_STATUSES[doc.get("status", "draft")],
            child_name=child.get("name", ""),
            child_dob=born,
            referrer_name=referrer.get("name", ""),
            referrer_role=_ROLES[role] if role else None,
            team=referrer.get("team", ""),
            route_kind=_ROUTES[kind] if kind else None,
            meeting=_day(doc.get("meeting")),
            decision_meetings=tuple(date.fromisoformat(d["meeting"]) for d in decisions),
            updated_at=datetime.fromisoformat(doc["updated_at"]),
            # A server's summaries stored before these were kept fall back (created
            # when last changed, sent date unknown); what lists needs them reads whole
            # requests from a server (store.read_summaries).
            created_at=datetime.fromisoformat(doc.get("created_at") or doc["updated_at"]),
            submitted_on=_day(doc.get("submitted_on")),
            factors=PriorityFactors(
                child_dob=born,
                difficulty_identified_on=_day(doc.get("difficulty_identified_on")),
                new_relationship_ticked=bool(
                    (evidence.get("new_relationship") or {}).get("ticked")
                ),
                new_relationship_carer=(
                    (carer.get("name", ""), _RELATIONSHIPS[carer["relationship"]])
                    if carer
                    else None
                ),
                evidenced_criteria=sum(
                    1 for e in evidence.values() if e.get("ticked") and e.get("evidence")
                ),
            ),
            allocated_priority=allocated_priority,
            local_number=doc.get("local_number"),
            sent_by_file_on=_day((doc.get("sent_by_file") or {}).get("on")),
            waiting_conflicts=len(doc.get("conflicts") or ()),
            decision_received_at=(
                datetime.fromisoformat(doc["decision_received_at"])
                if doc.get("decision_received_at")
                else None
            ),
            latest_outcome=_OUTCOMES.get(decisions[-1].get("outcome") or "") if decisions else None,
        )
