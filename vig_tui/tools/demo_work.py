"""The demo's work after allocation: consents asked, the work started, its VIG cycles
and its closing, each recorded as the consent and work pages record them (the same
history wording and changes, attributed to the allocated practitioner).

The steps are applied to the request in place, dated so that the domain's rules
(:mod:`vig_tui.domain.work`) hold, rather than through those functions: each of them
copies the whole request, which made a 50,000-request demo minutes slower. The demo's
tests check the rules hold. It draws from its own random stream, so the requests
themselves (and every test or benchmark built on them) stay what they were.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from ..domain import work
from ..domain.dates import format_date
from ..domain.history import Action, Actor
from ..domain.models import (
    ClosureReason,
    ConsentMethod,
    ConsentRecord,
    ConsentTopic,
    Practitioner,
    RequestStatus,
    VigCycle,
    VigRequest,
)

__all__ = ["carry_out_work", "practitioner_actor"]

HELPING_QUESTIONS = (
    "How can I help {child} settle at bedtime?",
    "How can we enjoy playing together?",
    "How can I tell when {child} wants to be close to me?",
    "How can I stay calm and help {child} when {child} is upset?",
    "How can we make mornings calmer before nursery or school?",
)
#: How many VIG cycles a piece of work has at most (three is usual).
MOST_CYCLES = 3
#: What a closing note says, by why the work closed.
OUTCOME_NOTES = {
    ClosureReason.COMPLETED: (
        "Three cycles completed. The parent noticed more of {child}'s invitations to play and "
        "responded warmly in the last film; the case holder was told the outcome."
    ),
    ClosureReason.MOVED_AWAY: (
        "The family moved out of the area before the work finished; the case holder was told "
        "and passed the work on."
    ),
    ClosureReason.FAMILY_WITHDREW: (
        "The parent did not want to be filmed, so VIG could not go ahead; the case holder was "
        "told and is looking at other support."
    ),
}


def practitioner_actor(practitioner: Practitioner) -> Actor:
    """The fictional VIG practitioner, as the history names them."""
    return Actor(
        name=practitioner.name,
        role="VIG practitioner",
        user=practitioner.name.split()[0].lower(),
        machine="demo",
    )


def carry_out_work(
    request: VigRequest,
    practitioner: Practitioner,
    *,
    rng: random.Random,
    today: date,
    ends: date,
    closing: ClosureReason = ClosureReason.COMPLETED,
) -> VigRequest:
    """``request`` (just allocated) with what its practitioner has done by ``today``:
    consents asked a week or two after the meeting, the work started a few days later,
    a VIG cycle every three weeks or so, and the work closed on ``ends`` (for
    ``closing``) if that day has come. Nothing is dated after ``today`` or ``ends``."""
    decision = request.latest_decision
    assert decision is not None
    who = practitioner_actor(practitioner)
    child = request.child.name.split()[0] if request.child.name else "the child"
    last = min(today, ends)
    asked = decision.meeting + timedelta(days=rng.randint(5, 15))
    filming = rng.random() >= 0.05
    if asked <= last:
        request = _ask_consents(request, who, asked, filming, rng=rng)
        if not filming:
            # Refused: the work cannot start, and is closed within a fortnight.
            closing, ends = ClosureReason.FAMILY_WITHDREW, min(ends, asked + timedelta(days=14))
    started = asked + timedelta(days=rng.randint(3, 10))
    if filming and started <= last:
        before = _snapshot(request)
        request.work.started_on = started
        request.work.helping_questions = [rng.choice(HELPING_QUESTIONS).format(child=child)]
        request.status = RequestStatus.IN_PROGRESS
        summary = f"Work started on {format_date(started)}"
        _record(before, request, who, Action.WORK_STARTED, summary, started)
        filmed = started + timedelta(days=rng.randint(5, 12))
        while len(request.work.cycles) < MOST_CYCLES and filmed <= last:
            reviewed = filmed + timedelta(days=rng.randint(5, 10))
            review = reviewed if reviewed <= last else None
            before = _snapshot(request)
            request.work.cycles.append(VigCycle(filmed_on=filmed, shared_review_on=review))
            summary = f"VIG cycle {len(request.work.cycles)} recorded"
            _record(before, request, who, Action.CYCLE_RECORDED, summary, review or filmed)
            filmed += timedelta(days=rng.randint(18, 28))
    if ends > today:
        return request
    on = max(ends, request.work.started_on or ends)
    why = work.closure_words(closing)
    before = _snapshot(request)
    request.work.closed_on = on
    request.work.closure_reason = closing
    request.work.outcome_note = OUTCOME_NOTES[closing].format(child=child)
    request.status = RequestStatus.CLOSED
    summary = f"Work closed on {format_date(on)}: {why}"
    _record(before, request, who, Action.CLOSED, summary, on, reason=why)
    return request


def _ask_consents(
    request: VigRequest,
    who: Actor,
    asked: date,
    filming: bool,
    *,
    rng: random.Random,
) -> VigRequest:
    """Each consent the practitioner asked for on ``asked``, one history entry each."""
    how = rng.choice(list(ConsentMethod))
    topics = [ConsentTopic.REQUEST, ConsentTopic.FILMING, ConsentTopic.SHARING]
    if filming:
        topics.append(ConsentTopic.KEEPING_CLIPS)
    if rng.random() < 0.5:
        topics.append(ConsentTopic.TRAINING)
    for topic in topics:
        given = filming if topic is ConsentTopic.FILMING else rng.random() < 0.9
        if topic in (ConsentTopic.REQUEST, ConsentTopic.SHARING):
            given = True
        keep = rng.choice((12, 24, 36)) if topic is ConsentTopic.KEEPING_CLIPS else None
        record = ConsentRecord(
            topic=topic,
            given=given,
            on=asked,
            obtained_by=who.name,
            how=how,
            keep_clips_months=keep if given else None,
            recorded_at=_at(asked),
        )
        before = _snapshot(request)
        request.consents.append(record)
        summary = work.consent_recorded_summary(record)
        _record(before, request, who, Action.CONSENT_RECORDED, summary, asked)
    return request


def _snapshot(request: VigRequest) -> VigRequest:
    """What the history compares against: the parts a step changes, copied (cheaply)."""
    kept = request.work.model_copy(update={"cycles": list(request.work.cycles)})
    return request.model_copy(update={"consents": list(request.consents), "work": kept})


def _record(
    before: VigRequest,
    after: VigRequest,
    who: Actor,
    action: str,
    summary: str,
    on: date,
    reason: str | None = None,
) -> None:
    changes = work.work_changes(before, after)
    after.record(who, action, summary, changes=changes, reason=reason, at=_at(on))


def _at(day: date) -> datetime:
    return datetime.combine(day, time(14, 0), tzinfo=UTC)
