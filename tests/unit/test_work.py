"""After allocation: consents recorded and withdrawn, work started only with consent to
filming, VIG cycles, closure with a reason, and caseloads counting only active work."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from vig_tui.domain.decisions import allocated_practitioner, caseloads
from vig_tui.domain.models import (
    ClosureReason,
    ConsentMethod,
    ConsentRecord,
    ConsentTopic,
    Decision,
    DecisionOutcome,
    Practitioner,
    Priority,
    RequestStatus,
    VigCycle,
    VigRequest,
)
from vig_tui.domain.rules import evaluate
from vig_tui.domain.work import (
    WorkError,
    close_work,
    consent_summary,
    consent_words,
    consented,
    record_consent,
    record_cycle,
    start_work,
    withdraw_consent,
)
from vig_tui.tools.gallery import example_request

TODAY = date(2026, 12, 20)
MEETING = date(2026, 12, 3)
PRACTITIONER = Practitioner(name="Ian Sample", capacity=2)


def filming(given: bool = True, on: date = date(2026, 12, 8)) -> ConsentRecord:
    return ConsentRecord(
        topic=ConsentTopic.FILMING, given=given, on=on, obtained_by="Ian Sample",
        how=ConsentMethod.WRITTEN,
    )  # fmt: skip


def allocated(**changes: object) -> VigRequest:
    request = example_request()
    request.status = RequestStatus.ALLOCATED
    request.reference = "VIG-2026-0042"
    request.decisions.append(
        Decision(
            meeting=MEETING,
            outcome=DecisionOutcome.ALLOCATED,
            practitioner_id=PRACTITIONER.id,
            practitioner_name=PRACTITIONER.name,
            priority=Priority.HIGH,
            recorded_at=datetime(2026, 12, 3, 11, tzinfo=UTC),
        )
    )
    for key, value in changes.items():
        setattr(request, key, value)
    return request


def test_consent_is_recorded_per_topic_and_the_newest_record_holds() -> None:
    request = allocated()
    assert consent_words(request, ConsentTopic.FILMING) == "Not recorded"
    refused = record_consent(request, filming(given=False), today=TODAY)
    assert consent_words(refused, ConsentTopic.FILMING) == "No"
    agreed = record_consent(refused, filming(on=date(2026, 12, 9)), today=TODAY)
    assert consented(agreed, ConsentTopic.FILMING)
    assert not consented(agreed, ConsentTopic.TRAINING)
    withdrawn = withdraw_consent(agreed, ConsentTopic.FILMING, date(2026, 12, 15), today=TODAY)
    assert consent_words(withdrawn, ConsentTopic.FILMING) == "Withdrawn"
    assert [r.given for r in withdrawn.consents] == [False, True, True]  # nothing rewritten
    assert request.consents == []  # the request passed in is untouched
    assert "filming Withdrawn" in consent_summary(withdrawn)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (filming(on=date(2027, 1, 1)), "today or in the past"),
        (filming().model_copy(update={"obtained_by": " "}), "who asked"),
        (
            filming().model_copy(update={"topic": ConsentTopic.KEEPING_CLIPS}),
            "how many months",
        ),
    ],
)
def test_a_consent_record_must_be_complete(record: ConsentRecord, message: str) -> None:
    with pytest.raises(WorkError, match=message):
        record_consent(allocated(), record, today=TODAY)


def test_consent_cannot_be_withdrawn_before_it_was_given_or_twice() -> None:
    agreed = record_consent(allocated(), filming(), today=TODAY)
    with pytest.raises(WorkError, match="cannot be withdrawn before"):
        withdraw_consent(agreed, ConsentTopic.FILMING, date(2026, 12, 1), today=TODAY)
    gone = withdraw_consent(agreed, ConsentTopic.FILMING, TODAY, today=TODAY)
    with pytest.raises(WorkError, match="no consent"):
        withdraw_consent(gone, ConsentTopic.FILMING, TODAY, today=TODAY)


def test_work_cannot_start_without_consent_to_filming() -> None:
    with pytest.raises(WorkError, match="consent to being filmed"):
        start_work(allocated(), date(2026, 12, 10), ["Enjoy bath time together"], today=TODAY)


def test_work_goes_allocated_in_progress_closed() -> None:
    request = record_consent(allocated(), filming(), today=TODAY)
    started = start_work(request, date(2026, 12, 10), ["Enjoy bath time", " "], today=TODAY)
    assert started.status is RequestStatus.IN_PROGRESS
    assert started.work.helping_questions == ["Enjoy bath time"]
    cycle = VigCycle(filmed_on=date(2026, 12, 11), shared_review_on=date(2026, 12, 18))
    cycled = record_cycle(started, cycle, today=TODAY)
    changed = record_cycle(cycled, cycle.model_copy(update={"note": "Lovely moments"}), today=TODAY)
    assert [c.note for c in changed.work.cycles] == ["Lovely moments"]
    closed = close_work(
        changed, TODAY, ClosureReason.COMPLETED, "Mum now follows his lead", today=TODAY
    )
    assert closed.status is RequestStatus.CLOSED
    assert closed.work.closure_reason is ClosureReason.COMPLETED


@pytest.mark.parametrize(
    ("cycle", "message"),
    [
        (VigCycle(filmed_on=date(2026, 12, 9)), "before the work started"),
        (VigCycle(filmed_on=date(2027, 1, 9)), "today or in the past"),
        (
            VigCycle(filmed_on=date(2026, 12, 15), shared_review_on=date(2026, 12, 12)),
            "after the filming",
        ),
    ],
)
def test_cycle_dates_must_make_sense(cycle: VigCycle, message: str) -> None:
    request = record_consent(allocated(), filming(), today=TODAY)
    started = start_work(request, date(2026, 12, 10), ["Play together"], today=TODAY)
    with pytest.raises(WorkError, match=message):
        record_cycle(started, cycle, today=TODAY)


def test_no_filming_is_recorded_once_consent_is_withdrawn() -> None:
    request = record_consent(allocated(), filming(), today=TODAY)
    started = start_work(request, date(2026, 12, 10), ["Play together"], today=TODAY)
    gone = withdraw_consent(started, ConsentTopic.FILMING, date(2026, 12, 12), today=TODAY)
    with pytest.raises(WorkError, match="withdrawn"):
        record_cycle(gone, VigCycle(filmed_on=date(2026, 12, 13)), today=TODAY)


def test_closing_needs_a_reason_and_an_outcome() -> None:
    request = allocated()
    with pytest.raises(WorkError, match="Say why"):
        close_work(request, TODAY, ClosureReason.OTHER, "Note", today=TODAY)
    with pytest.raises(WorkError, match="note of the outcome"):
        close_work(request, TODAY, ClosureReason.MOVED_AWAY, " ", today=TODAY)
    closed = close_work(request, TODAY, ClosureReason.MOVED_AWAY, "Moved to Devon", today=TODAY)
    with pytest.raises(WorkError, match="closed"):
        close_work(closed, TODAY, ClosureReason.MOVED_AWAY, "Again", today=TODAY)


def test_a_caseload_counts_only_active_work() -> None:
    consented_request = record_consent(allocated(), filming(), today=TODAY)
    in_progress = start_work(consented_request, date(2026, 12, 10), ["Play"], today=TODAY)
    closed = close_work(allocated(), TODAY, ClosureReason.COMPLETED, "Done", today=TODAY)
    other = allocated()
    other.decisions[-1] = other.decisions[-1].model_copy(update={"practitioner_id": uuid4()})
    requests = [allocated(), in_progress, closed, other]
    loads = caseloads(map(allocated_practitioner, requests), [PRACTITIONER])
    assert loads == {PRACTITIONER.id: 2}


def test_missing_consent_to_filming_is_an_advisory_at_the_meeting_only() -> None:
    sent = example_request()
    sent.status = RequestStatus.SUBMITTED
    codes = {f.code: f for f in evaluate(sent, TODAY)}
    assert not codes["filming_consent_not_recorded"].blocking
    draft = example_request()
    assert "filming_consent_not_recorded" not in {f.code for f in evaluate(draft, TODAY)}
    sent_with_consent = record_consent(sent, filming(), today=TODAY)
    assert "filming_consent_not_recorded" not in {
        f.code for f in evaluate(sent_with_consent, TODAY)
    }
