"""After allocation: consent to filming, the VIG cycles, and closure.

VIG films families, so consent is recorded separately for each thing a parent
or carer is asked to agree to (:class:`~vig_tui.domain.vocabulary.ConsentTopic`),
with when, who asked and how; the newest record of a topic holds, and a
withdrawal is a record of its own. Work on an allocated request cannot start
without consent to filming. Status goes allocated -> in progress -> closed,
and a practitioner's caseload counts only requests still being worked on.

Each function returns a changed copy (the request passed in is untouched) or
raises :class:`WorkError` with words fit to show; the service layer saves the
copy and records who did it.
"""

from __future__ import annotations

from datetime import date

from pydantic import JsonValue

from .dates import format_date
from .history import Change
from .models import (
    ClosureReason,
    ConsentRecord,
    ConsentTopic,
    DecisionOutcome,
    RequestStatus,
    VigCycle,
    VigRequest,
)

#: Requests a practitioner is working on: what counts towards their caseload.
ACTIVE = frozenset({RequestStatus.ALLOCATED, RequestStatus.IN_PROGRESS})


class WorkError(ValueError):
    """A step that cannot be taken; the message is fit to show the user.

    ``field`` names the answer it is about (the dialogs show it beside that box):
    ``on``, ``obtained_by``, ``keep_clips_months``, ``helping_questions``,
    ``filmed_on``, ``shared_review_on``, ``reason``, ``other_reason``, ``outcome_note``;
    empty when it is about the request as a whole.
    """

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def consent(request: VigRequest, topic: ConsentTopic) -> ConsentRecord | None:
    """The record that holds for ``topic``: the newest one, or None if never asked."""
    for record in reversed(request.consents):
        if record.topic is topic:
            return record
    return None


def consented(request: VigRequest, topic: ConsentTopic) -> bool:
    """Has the parent or carer agreed to ``topic``, and not withdrawn it?"""
    record = consent(request, topic)
    return record is not None and record.given and record.withdrawn_on is None


def consent_words(request: VigRequest, topic: ConsentTopic) -> str:
    """ "Yes", "No", "Withdrawn" or "Not recorded": what a pack shows (redacted too)."""
    record = consent(request, topic)
    if record is None:
        return "Not recorded"
    if record.withdrawn_on is not None:
        return "Withdrawn"
    return "Yes" if record.given else "No"


#: Short names for one-line summaries (packs, the register).
SHORT_NAMES = {
    ConsentTopic.REQUEST: "request",
    ConsentTopic.FILMING: "filming",
    ConsentTopic.KEEPING_CLIPS: "keeping clips",
    ConsentTopic.SHARING: "sharing",
    ConsentTopic.TRAINING: "training (optional)",
}


def consent_recorded_summary(record: ConsentRecord) -> str:
    """The history's line for a consent given or refused ("Consent: filming given on ...")."""
    answer = "given" if record.given else "refused"
    return f"Consent: {SHORT_NAMES[record.topic]} {answer} on {format_date(record.on)}"


def closure_words(reason: ClosureReason, other_reason: str = "") -> str:
    """Why the work closed, as the history's reason gives it."""
    return other_reason.strip() if reason is ClosureReason.OTHER else reason.label


def consent_summary(request: VigRequest) -> str:
    """ "request Yes; filming Not recorded; ...": every topic on one line."""
    return "; ".join(
        f"{SHORT_NAMES[topic]} {consent_words(request, topic)}" for topic in ConsentTopic
    )


def record_consent(request: VigRequest, record: ConsentRecord, *, today: date) -> VigRequest:
    """The request with a new consent record (given or refused)."""
    if record.on > today:
        raise WorkError("The date consent was given must be today or in the past", field="on")
    if not record.obtained_by.strip():
        raise WorkError("Enter who asked for consent", field="obtained_by")
    if record.topic is ConsentTopic.KEEPING_CLIPS and record.given and not record.keep_clips_months:
        raise WorkError("Enter how many months the clips may be kept", field="keep_clips_months")
    updated = request.model_copy(deep=True)
    updated.consents.append(record.model_copy(update={"withdrawn_on": None}))
    return updated


def withdraw_consent(
    request: VigRequest, topic: ConsentTopic, on: date, *, today: date
) -> VigRequest:
    """The request with ``topic``'s consent withdrawn on ``on``."""
    record = consent(request, topic)
    if record is None or not record.given or record.withdrawn_on is not None:
        raise WorkError(f"There is no consent to {topic.label.lower()} to withdraw")
    if on > today:
        raise WorkError("The date consent was withdrawn must be today or in the past", field="on")
    if on < record.on:
        raise WorkError(
            f"Consent was given on {format_date(record.on)}: it cannot be withdrawn before that",
            field="on",
        )
    updated = request.model_copy(deep=True)
    updated.consents.append(record.model_copy(update={"withdrawn_on": on}))
    return updated


def start_work(
    request: VigRequest, on: date, helping_questions: list[str], *, today: date
) -> VigRequest:
    """The allocated request with the work started: status In progress."""
    if request.status is not RequestStatus.ALLOCATED:
        raise WorkError(
            f"Work can start only on an allocated request; this one is "
            f"{request.status.label.lower()}"
        )
    if not consented(request, ConsentTopic.FILMING):
        raise WorkError(
            "Record the parent's or carer's consent to being filmed before the work starts"
        )
    allocated = next(
        (d for d in reversed(request.decisions) if d.outcome is DecisionOutcome.ALLOCATED), None
    )
    if allocated is not None and on < allocated.meeting:
        raise WorkError(
            f"The work cannot start before it was allocated on {format_date(allocated.meeting)}",
            field="on",
        )
    if on > today:
        raise WorkError("The start date must be today or in the past", field="on")
    questions = [q.strip() for q in helping_questions if q.strip()]
    if not questions:
        raise WorkError("Enter the family's helping question", field="helping_questions")
    updated = request.model_copy(deep=True)
    updated.work.started_on = on
    updated.work.helping_questions = questions
    updated.status = RequestStatus.IN_PROGRESS
    return updated


def record_cycle(request: VigRequest, cycle: VigCycle, *, today: date) -> VigRequest:
    """The request with a VIG cycle added, or changed (matched by its id)."""
    if request.status is not RequestStatus.IN_PROGRESS or request.work.started_on is None:
        raise WorkError("Start the work before recording a VIG cycle")
    if not consented(request, ConsentTopic.FILMING):
        raise WorkError("Consent to being filmed has been withdrawn: no filming can be recorded")
    for day, what, name in (
        (cycle.filmed_on, "filming", "filmed_on"),
        (cycle.shared_review_on, "shared review", "shared_review_on"),
    ):
        if day is not None and day > today:
            raise WorkError(f"The {what} date must be today or in the past", field=name)
        if day is not None and day < request.work.started_on:
            raise WorkError(f"The {what} date cannot be before the work started", field=name)
    if cycle.filmed_on and cycle.shared_review_on and cycle.shared_review_on < cycle.filmed_on:
        raise WorkError("The shared review comes after the filming", field="shared_review_on")
    updated = request.model_copy(deep=True)
    known = [c.id for c in updated.work.cycles]
    if cycle.id in known:
        updated.work.cycles[known.index(cycle.id)] = cycle
    else:
        updated.work.cycles.append(cycle)
    return updated


def close_work(
    request: VigRequest,
    on: date,
    reason: ClosureReason,
    outcome_note: str,
    *,
    other_reason: str = "",
    today: date,
) -> VigRequest:
    """The request closed after allocation, with why and what came of it."""
    if request.status not in ACTIVE:
        raise WorkError(
            f"Only allocated or in-progress work is closed here; this request is "
            f"{request.status.label.lower()}"
        )
    if on > today:
        raise WorkError("The closing date must be today or in the past", field="on")
    if request.work.started_on is not None and on < request.work.started_on:
        raise WorkError("The work cannot close before it started", field="on")
    if reason is ClosureReason.OTHER and not other_reason.strip():
        raise WorkError("Say why the work closed", field="other_reason")
    if not outcome_note.strip():
        raise WorkError("Enter a note of the outcome", field="outcome_note")
    updated = request.model_copy(deep=True)
    updated.work.closed_on = on
    updated.work.closure_reason = reason
    updated.work.closure_reason_other = other_reason.strip()
    updated.work.outcome_note = outcome_note.strip()
    updated.status = RequestStatus.CLOSED
    return updated


def set_helping_questions(request: VigRequest, questions: list[str]) -> VigRequest:
    """The request with the family's helping questions replaced (work not yet closed)."""
    if request.status not in ACTIVE:
        raise WorkError(
            f"Helping questions are kept while the work is open; this request is "
            f"{request.status.label.lower()}"
        )
    kept = [q.strip() for q in questions if q.strip()]
    if not kept:
        raise WorkError("Enter the family's helping question", field="helping_questions")
    updated = request.model_copy(deep=True)
    updated.work.helping_questions = kept
    return updated


# What changed, for the history ---------------------------------------------------------

_CONSENT_LABELS = {
    "given": "given",
    "on": "date",
    "obtained_by": "obtained by",
    "how": "how",
    "keep_clips_months": "clips kept for (months)",
    "withdrawn_on": "withdrawn on",
    "note": "note",
}
_WORK_LABELS = {
    "started_on": "Work started on",
    "helping_questions": "Helping questions",
    "closed_on": "Work closed on",
    "closure_reason": "Why the work closed",
    "closure_reason_other": "Why the work closed (other)",
    "outcome_note": "Outcome note",
}
_CYCLE_LABELS = {
    "filmed_on": "filming date",
    "shared_review_on": "shared review date",
    "note": "note",
}


def _consent_values(request: VigRequest, topic: ConsentTopic) -> dict[str, JsonValue]:
    record = consent(request, topic)
    if record is None:
        return {}
    return record.model_dump(mode="json", include=set(_CONSENT_LABELS))


def work_changes(before: VigRequest, after: VigRequest) -> list[Change]:
    """Each consent, work and status detail that differs, with its old and new value.

    Consents are compared by topic (the record that holds), cycles by their id
    ("VIG cycle 2: filming date"), so the history says what each answer was and became.
    """
    found: list[Change] = []
    if before.status is not after.status:
        found.append(Change(field="status", label="Status", old=before.status.value,
                            new=after.status.value))  # fmt: skip
    for topic in ConsentTopic:
        old, new = _consent_values(before, topic), _consent_values(after, topic)
        for key, label in _CONSENT_LABELS.items():
            if old.get(key) != new.get(key) and (old.get(key) or new.get(key)) not in (None, ""):
                found.append(
                    Change(
                        field=f"consents.{topic.value}.{key}",
                        label=f"Consent: {SHORT_NAMES[topic]}: {label}",
                        old=old.get(key),
                        new=new.get(key),
                    )
                )
    was = before.work.model_dump(mode="json")
    now = after.work.model_dump(mode="json")
    for key, label in _WORK_LABELS.items():
        if was.get(key) != now.get(key) and (was.get(key) or now.get(key)):
            found.append(Change(field=f"work.{key}", label=label, old=was[key], new=now[key]))
    old_cycles = {c["id"]: c for c in was["cycles"]}
    for number, cycle in enumerate(now["cycles"], start=1):
        previous = old_cycles.get(cycle["id"], {})
        for key, label in _CYCLE_LABELS.items():
            if previous.get(key) != cycle.get(key) and (previous.get(key) or cycle.get(key)):
                found.append(
                    Change(
                        field=f"work.cycles.{cycle['id']}.{key}",
                        label=f"VIG cycle {number}: {label}",
                        old=previous.get(key),
                        new=cycle.get(key),
                    )
                )
    return found
