"""The work after allocation as named commands: consent, starting, cycles, closing.

Each command applies the pure step from :mod:`vig_tui.domain.work` to the request
as the worker read it, records one attributed history entry with each detail's
old and new value, and saves it with that request's version: a request changed
meanwhile is refused (:class:`~vig_tui.store.VersionConflict`), never written over.
A step the request does not allow raises :class:`~vig_tui.domain.work.WorkError`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..domain import work
from ..domain.dates import format_date
from ..domain.history import Action, Actor
from ..domain.models import ClosureReason, ConsentRecord, ConsentTopic, VigCycle, VigRequest

if TYPE_CHECKING:
    from ..store import Repository


def _save(
    store: Repository,
    who: Actor,
    before: VigRequest,
    after: VigRequest,
    action: str,
    summary: str,
    reason: str | None = None,
) -> VigRequest:
    after.record(who, action, summary, changes=work.work_changes(before, after), reason=reason)
    return store.save(after, base_version=before.version)


def record_consent(
    store: Repository, who: Actor, request: VigRequest, record: ConsentRecord, *, today: date
) -> VigRequest:
    """Record a consent given or refused ("Consent to being filmed: given")."""
    updated = work.record_consent(request, record, today=today)
    summary = work.consent_recorded_summary(record)
    return _save(store, who, request, updated, Action.CONSENT_RECORDED, summary)


def withdraw_consent(
    store: Repository,
    who: Actor,
    request: VigRequest,
    topic: ConsentTopic,
    on: date,
    *,
    today: date,
) -> VigRequest:
    """Record that the parent or carer withdrew a consent, and when."""
    updated = work.withdraw_consent(request, topic, on, today=today)
    summary = f"Consent withdrawn: {work.SHORT_NAMES[topic]} on {format_date(on)}"
    return _save(store, who, request, updated, Action.CONSENT_WITHDRAWN, summary)


def start_work(
    store: Repository,
    who: Actor,
    request: VigRequest,
    on: date,
    helping_questions: list[str],
    *,
    today: date,
) -> VigRequest:
    """Start the work (status In progress); refused without consent to filming."""
    updated = work.start_work(request, on, helping_questions, today=today)
    summary = f"Work started on {format_date(on)}"
    return _save(store, who, request, updated, Action.WORK_STARTED, summary)


def record_cycle(
    store: Repository, who: Actor, request: VigRequest, cycle: VigCycle, *, today: date
) -> VigRequest:
    """Add a VIG cycle, or change one (matched by its id)."""
    updated = work.record_cycle(request, cycle, today=today)
    ids = [c.id for c in updated.work.cycles]
    number = ids.index(cycle.id) + 1
    known = any(c.id == cycle.id for c in request.work.cycles)
    summary = f"VIG cycle {number} {'changed' if known else 'recorded'}"
    return _save(store, who, request, updated, Action.CYCLE_RECORDED, summary)


def record_helping_questions(
    store: Repository, who: Actor, request: VigRequest, questions: list[str]
) -> VigRequest:
    """Replace the family's helping questions."""
    updated = work.set_helping_questions(request, questions)
    return _save(
        store, who, request, updated, Action.HELPING_QUESTIONS, "Helping questions changed"
    )


def close_work(
    store: Repository,
    who: Actor,
    request: VigRequest,
    on: date,
    reason: ClosureReason,
    outcome_note: str,
    *,
    other_reason: str = "",
    today: date,
) -> VigRequest:
    """Close the work with why and what came of it (status Closed)."""
    updated = work.close_work(
        request, on, reason, outcome_note, other_reason=other_reason, today=today
    )
    why = work.closure_words(reason, other_reason)
    summary = f"Work closed on {format_date(on)}: {why}"
    return _save(store, who, request, updated, Action.CLOSED, summary, reason=why)
