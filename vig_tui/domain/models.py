"""The VIG request and everything it holds, as pydantic v2 models.

A request is built up over several sittings, so every answer may be missing
while it is a draft: the models accept partial answers and the rules
(:mod:`vig_tui.domain.rules`) say what is still needed before it can be sent.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated
from uuid import UUID, uuid4

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, JsonValue, StringConstraints

from .checklist import ConsiderationId, CriterionId, checklist_in_use
from .history import Actor, Change, HistoryEntry, first_broken, request_chain_start
from .text import clean_text
from .vocabulary import (
    Answer,
    CarerRelationship,
    CaseHolderRole,
    ClosureReason,
    ConsentMethod,
    ConsentTopic,
    DecisionOutcome,
    NotAcceptedReason,
    Priority,
    Programme,
    ReferrerRole,
    RequestStatus,
    RouteKind,
)

__all__ = [
    "Answer",
    "Carer",
    "CarerRelationship",
    "CaseHolder",
    "CaseHolderRole",
    "Child",
    "ClosureReason",
    "ConsentMethod",
    "ConsentRecord",
    "ConsentTopic",
    "ConsiderationAnswer",
    "CriterionEvidence",
    "Decision",
    "DecisionOutcome",
    "HistoryEntry",
    "MeetingMove",
    "MeetingRecord",
    "NotAcceptedReason",
    "Practitioner",
    "Priority",
    "Programme",
    "Receipt",
    "Referrer",
    "ReferrerRole",
    "RequestStatus",
    "Route",
    "RouteKind",
    "SectionProgress",
    "VigCycle",
    "VigRequest",
    "WaitingConflict",
    "Work",
    "initials",
    "utc_now",
]

_INITIALS = re.compile(r"(?:[A-Z]\.)+")


def _one_line(value: object) -> object:
    if type(value) is str and value.isprintable():  # nearly every answer: nothing to clean
        return value
    return clean_text(value, multiline=False) if isinstance(value, str) else value


def _lines(value: object) -> object:
    if type(value) is str and value.isprintable():
        return value
    return clean_text(value, multiline=True) if isinstance(value, str) else value


# Control characters are removed before the length is checked (domain/text.py):
# whatever way text arrives (typed, pasted, imported), none is ever stored.
#: Short free text (names, teams, phone numbers): one line.
ShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=200), BeforeValidator(_one_line)
]
#: Long free text (evidence, explanations, notes): lines and tabs kept.
LongText = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=20_000), BeforeValidator(_lines)
]


def utc_now() -> datetime:
    return datetime.now(UTC)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Referrer(_Model):
    name: ShortText = ""
    role: ReferrerRole | None = None
    team: ShortText = ""
    phone: ShortText = ""
    email: ShortText = ""


class Route(_Model):
    kind: RouteKind | None = None
    #: The Early Help Hub general request form's reference.
    hub_reference: ShortText = ""
    #: For a case-management decision: the team manager who agreed it, and when.
    team_manager: ShortText = ""
    agreed_on: date | None = None


class Child(_Model):
    name: ShortText = ""
    date_of_birth: date | None = None
    gender: ShortText = ""
    address: LongText = ""
    postcode: ShortText = ""
    #: Nursery, school or other setting the child attends.
    setting: ShortText = ""
    first_language: ShortText = ""

    @property
    def initials(self) -> str:
        return initials(self.name)


class Carer(_Model):
    #: Stable, so a change to "carer 2" stays with that person when carer 1 is
    #: removed (answers are named "carers.<id>.name", see domain.fields).
    id: UUID = Field(default_factory=uuid4)
    name: ShortText = ""
    relationship: CarerRelationship | None = None
    relationship_other: ShortText = ""
    phone: ShortText = ""
    email: ShortText = ""
    address: LongText = ""
    lives_with_child: bool | None = None


class CaseHolder(_Model):
    #: The worker's explicit answer to "Does the family have a case holder, lead
    #: professional or named health visitor?"; None while unanswered.
    exists: bool | None = None
    name: ShortText = ""
    role: CaseHolderRole | None = None
    team: ShortText = ""
    phone: ShortText = ""
    email: ShortText = ""


class CriterionEvidence(_Model):
    ticked: bool = False
    evidence: LongText = ""
    #: Only for the "other interventions" criterion.
    programmes: list[Programme] = Field(default_factory=list)
    other_programme: ShortText = ""


class ConsiderationAnswer(_Model):
    answer: Answer | None = None
    explanation: LongText = ""


class SectionProgress(_Model):
    """Where the walkthrough is: bookkeeping for the task list, not history.

    ``last_opened`` is the section last opened (a draft resumes there) and
    ``checked`` the sections whose answers the worker has tried to continue
    from (they say "There is a problem" while blocking findings remain).
    Values are :class:`~vig_tui.domain.rules.Section` values.
    """

    last_opened: str | None = None
    checked: list[str] = Field(default_factory=list)


class ConsentRecord(_Model):
    """A parent's or carer's answer about one thing they are asked to agree to."""

    topic: ConsentTopic
    given: bool
    #: When they gave (or refused) it, who asked, and how.
    on: date
    obtained_by: ShortText
    how: ConsentMethod
    #: For keeping the clips: how long they agreed the service may keep them.
    keep_clips_months: int | None = Field(default=None, ge=1, le=240)
    #: Set when consent once given is withdrawn.
    withdrawn_on: date | None = None
    note: LongText = ""
    recorded_at: datetime = Field(default_factory=utc_now)


class VigCycle(_Model):
    """One VIG cycle: the family filmed, then the edited clips reviewed together."""

    id: UUID = Field(default_factory=uuid4)
    filmed_on: date | None = None
    shared_review_on: date | None = None
    note: LongText = ""


class Work(_Model):
    """The allocated practitioner's work with the family, from start to closure."""

    started_on: date | None = None
    #: The family's helping question(s): what they want to change, in their words.
    helping_questions: list[LongText] = Field(default_factory=list)
    cycles: list[VigCycle] = Field(default_factory=list)
    closed_on: date | None = None
    closure_reason: ClosureReason | None = None
    closure_reason_other: ShortText = ""
    outcome_note: LongText = ""


class Decision(_Model):
    """What an allocation meeting decided about a request."""

    meeting: date
    outcome: DecisionOutcome
    recorded_at: datetime = Field(default_factory=utc_now)
    practitioner_id: UUID | None = None
    practitioner_name: ShortText = ""
    priority: Priority | None = None
    not_accepted_reason: NotAcceptedReason | None = None
    reason: LongText = ""
    note: LongText = ""
    information_needed: LongText = ""
    information_from: ShortText = ""


class Receipt(_Model):
    """How the service's register received a request sent by file (issue #11).

    Who sent it (from their profile) and their public key: the decisions on it
    are sealed back to that key. (Their own number for it stays the request's
    ``local_number``.)
    """

    sender_name: ShortText = ""
    sender_role: ShortText = ""
    sender_team: ShortText = ""
    sender_email: ShortText = ""
    sender_phone: ShortText = ""
    #: The sender's age public key ("age1..."), for decision notices.
    sender_key: str = Field(default="", pattern=r"^(age1[02-9ac-hj-np-z]{58})?$")
    sent_at: datetime | None = None
    #: When the register first took it, and when it last took a copy of it.
    first_received_at: datetime = Field(default_factory=utc_now)
    last_received_at: datetime = Field(default_factory=utc_now)

    @property
    def sender(self) -> str:
        """'Ann Kitto, Health visitor, North team' for history lines and pages."""
        return ", ".join(p for p in (self.sender_name, self.sender_role, self.sender_team) if p)


class WaitingConflict(_Model):
    """An answer the sender and the service both changed, differently, since the copy
    the service last received: it waits for the coordinator to keep one, take the
    other or write a third. Values are as JSON holds them (dates as ISO text)."""

    path: str = Field(max_length=200)
    label: ShortText
    base: JsonValue = None
    ours: JsonValue = None
    theirs: JsonValue = None
    #: Who made each side's change, and when (from each copy's history).
    ours_by: ShortText = ""
    ours_at: datetime | None = None
    theirs_by: ShortText = ""
    theirs_at: datetime | None = None
    received_at: datetime = Field(default_factory=utc_now)


def _all_criteria() -> dict[CriterionId, CriterionEvidence]:
    return {criterion: CriterionEvidence() for criterion in CriterionId}


def _all_considerations() -> dict[ConsiderationId, ConsiderationAnswer]:
    return {consideration: ConsiderationAnswer() for consideration in ConsiderationId}


#: A number a referrer's own machine gives a request it sends by file, such as
#: DRAFT-7F3A-0001 (the machine id's first four characters, then a count): never
#: of the form of a service reference (VIG-YYYY-NNNN), which only the service gives.
LOCAL_NUMBER_PATTERN = r"^DRAFT-[0-9A-F]{4}-\d{4,}$"


class FileSending(_Model):
    """A request sent to the service as a sealed file (from a referrer's own machine)."""

    #: The day the (latest) file was made.
    on: date
    #: The service's secure email address the file is to be attached to.
    to: ShortText = ""
    service_name: ShortText = ""


class VigRequest(_Model):
    """One request to the VIG service, from first draft to closure."""

    id: UUID = Field(default_factory=uuid4)
    #: Human reference such as VIG-2026-0042, given when the request is sent.
    reference: str | None = Field(default=None, pattern=r"^VIG-\d{4}-\d{4,}$")
    checklist_version: str = Field(default_factory=lambda: checklist_in_use().version)
    status: RequestStatus = RequestStatus.DRAFT
    #: How many times it has been stored (0: never). The store gives each save
    #: the next number and refuses a change made to an older one.
    version: int = Field(default=0, ge=0)
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)
    submitted_on: date | None = None
    #: The allocation meeting at which the request is (next) considered.
    meeting: date | None = None
    #: The sender's own number when it was sent by file (see LOCAL_NUMBER_PATTERN).
    local_number: str | None = Field(default=None, pattern=LOCAL_NUMBER_PATTERN)
    #: Set when it was sent by file from a referrer's machine: it then waits there for
    #: the service's reference (status Submitted, no reference, no meeting).
    sent_by_file: FileSending | None = None

    referrer: Referrer = Field(default_factory=Referrer)
    route: Route = Field(default_factory=Route)
    child: Child = Field(default_factory=Child)
    carers: list[Carer] = Field(default_factory=list)
    case_holder: CaseHolder = Field(default_factory=CaseHolder)
    evidence: dict[CriterionId, CriterionEvidence] = Field(default_factory=_all_criteria)
    considerations: dict[ConsiderationId, ConsiderationAnswer] = Field(
        default_factory=_all_considerations
    )
    #: When the difficulty was first identified (VIG works best early). Workers
    #: often know only the month: it is then the month's first day, and
    #: ``difficulty_identified_month_only`` says so (it is shown as "June 2024").
    difficulty_identified_on: date | None = None
    difficulty_identified_month_only: bool = False
    #: The worker's answer that it was identified during pregnancy: only then may
    #: the date be before the child's birth.
    difficulty_identified_in_pregnancy: bool = False
    interpreter_needed: bool | None = None
    interpreter_language: ShortText = ""
    #: Does the parent or carer agree to the request being made?
    carer_agrees: bool | None = None
    notes: LongText = ""

    #: Who changed what, and why: attributed and hash-chained (see domain.history).
    history: list[HistoryEntry] = Field(default_factory=list)
    #: The newest entry's hash, so an entry cut off the end of the history shows.
    history_head: str | None = None
    decisions: list[Decision] = Field(default_factory=list)
    #: The walkthrough's own bookkeeping (never part of the history).
    progress: SectionProgress = Field(default_factory=SectionProgress)
    #: Each consent the parent or carer gave, refused or withdrew, oldest first (the
    #: newest record of a topic is the one that holds; see domain.work).
    consents: list[ConsentRecord] = Field(default_factory=list)
    #: The allocated practitioner's work with the family.
    work: Work = Field(default_factory=lambda: Work())
    #: Set on the service's register when the request came by file (who sent it).
    received: Receipt | None = None
    #: On a referrer's machine: when a decision sent back by the service was taken.
    decision_received_at: datetime | None = None
    #: Answers changed on both sides since the copy last received: each waits in the
    #: Inbox until the coordinator settles it (nothing is overwritten meanwhile).
    conflicts: list[WaitingConflict] = Field(default_factory=list, max_length=1_000)

    def criterion(self, criterion_id: CriterionId) -> CriterionEvidence:
        return self.evidence.get(criterion_id) or CriterionEvidence()

    def answer(self, consideration_id: ConsiderationId) -> ConsiderationAnswer:
        return self.considerations.get(consideration_id) or ConsiderationAnswer()

    @property
    def evidenced_criteria(self) -> list[CriterionId]:
        return [c for c in CriterionId if self.criterion(c).ticked]

    @property
    def latest_decision(self) -> Decision | None:
        return self.decisions[-1] if self.decisions else None

    @property
    def decision_meetings(self) -> tuple[date, ...]:
        """The meetings that decided on the request, in the order they did."""
        return tuple(decision.meeting for decision in self.decisions)

    @property
    def chain_start(self) -> str:
        return request_chain_start(self.id)

    def record(
        self,
        who: Actor,
        action: str,
        summary: str = "",
        *,
        changes: list[Change] | None = None,
        reason: str | None = None,
        at: datetime | None = None,
        replacing: str | None = None,
    ) -> HistoryEntry:
        """Add one attributed, chained entry to the history and mark the request changed.

        ``replacing`` names the hash of an entry this one supersedes (a draft's
        autosaves during one visit of a section): it is replaced only while it
        is still the newest entry, so the chain never changes behind a later one.
        """
        when = at or utc_now()
        if replacing is not None and self.history and self.history[-1].hash == replacing:
            self.history.pop()
        entry = HistoryEntry(
            at=when,
            who=who,
            action=action,
            summary=summary,
            changes=changes or [],
            reason=(reason or "").strip() or None,
            status=self.status,
        )
        previous = self.history[-1].hash if self.history else self.chain_start
        sealed = entry.sealed(previous)
        self.history.append(sealed)
        self.history_head = sealed.hash
        self.updated_at = when
        return sealed

    def change_status(
        self,
        status: RequestStatus,
        who: Actor,
        action: str,
        summary: str = "",
        *,
        reason: str | None = None,
        changes: list[Change] | None = None,
        at: datetime | None = None,
    ) -> HistoryEntry:
        """Move to a new status, keeping the change (and its reason) in the history."""
        previous = self.status
        self.status = status
        status_change = Change(field="status", label="Status", old=previous.value, new=status.value)
        return self.record(
            who,
            action,
            summary or f"Status changed from {previous.label} to {status.label}",
            changes=[status_change, *(changes or [])],
            reason=reason,
            at=at,
        )

    def history_problem(self) -> tuple[int, str] | None:
        """The first entry (1-based) where the history is not whole, and why; None if whole."""
        broken = first_broken(self.history, self.chain_start)
        if broken is not None:
            return broken + 1, (
                "does not match its content or its place (edited, removed or reordered)"
            )
        newest = self.history[-1].hash if self.history else None
        if newest != self.history_head:
            return len(self.history) + 1, (
                "is missing: the request records a later entry than its history holds "
                "(removed from the end)"
            )
        return None


class Practitioner(_Model):
    """A VIG practitioner on the service's roster."""

    id: UUID = Field(default_factory=uuid4)
    name: ShortText
    email: ShortText = ""
    phone: ShortText = ""
    active: bool = True
    #: How many families they can take at once.
    capacity: int = Field(default=6, ge=0, le=100)


class MeetingMove(_Model):
    """A single allocation meeting moved away from its usual first Thursday."""

    scheduled: date
    moved_to: date
    reason: LongText = ""
    at: datetime = Field(default_factory=utc_now)


class MeetingRecord(_Model):
    """Who came to one allocation meeting and what it agreed to do, beyond the
    decisions (which each request holds). Entered on the meeting screen."""

    #: The day the meeting was held.
    meeting: date
    attendees: list[ShortText] = Field(default_factory=list, max_length=100)
    apologies: list[ShortText] = Field(default_factory=list, max_length=100)
    #: Actions agreed, one a line.
    actions: LongText = ""
    updated_at: datetime = Field(default_factory=utc_now)


def initials(name: str) -> str:
    """'Amelia Rose Tregear' -> 'A.R.T.'; empty for an empty name; 'A.R.T.' stays as it is."""
    if _INITIALS.fullmatch(name.strip()):
        return name.strip()
    parts = [p for p in name.replace("-", " ").split() if p[:1].isalpha()]
    return "".join(f"{p[0].upper()}." for p in parts)
