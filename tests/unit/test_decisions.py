"""The pure decision helper: status changes, meeting moves and history lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from vig_tui.domain.agenda import carried_forward
from vig_tui.domain.decisions import (
    DecisionError,
    allocated_practitioner,
    can_correct,
    caseloads,
    close_request,
    decision_problems,
    record_decision,
    withdraw_request,
)
from vig_tui.domain.history import Actor
from vig_tui.domain.models import (
    Decision,
    DecisionOutcome,
    NotAcceptedReason,
    Practitioner,
    Priority,
    RequestStatus,
    VigRequest,
)

DEC = date(2026, 12, 3)
JAN = date(2027, 1, 7)
AT = datetime(2026, 12, 3, 11, 30, tzinfo=UTC)


@dataclass(frozen=True)
class _Held:
    date: date


class _Calendar:
    """Just enough calendar: December's meeting is followed by January's."""

    def following(self, meeting_date: date) -> _Held:
        assert meeting_date == DEC
        return _Held(JAN)


CLERK = Actor(name="Cal Clerk", role="VIG coordinator", user="cal", machine="m1")


def _request(status: RequestStatus = RequestStatus.SUBMITTED) -> VigRequest:
    return VigRequest(
        reference="VIG-2026-0001", status=status, meeting=DEC, submitted_on=date(2026, 11, 20)
    )


def test_allocated_sets_status_and_keeps_meeting() -> None:
    jo = Practitioner(name="Jo Pascoe")
    decision = Decision(
        meeting=DEC,
        outcome=DecisionOutcome.ALLOCATED,
        practitioner_id=jo.id,
        practitioner_name=jo.name,
        priority=Priority.HIGH,
    )
    request = _request()
    updated = record_decision(request, decision, _Calendar(), at=AT, who=CLERK)
    assert updated.status is RequestStatus.ALLOCATED
    assert updated.meeting == DEC
    assert updated.latest_decision is not None
    assert updated.latest_decision.practitioner_id == jo.id
    assert updated.latest_decision.recorded_at == AT
    line = updated.history[-1]
    assert (line.action, line.who) == ("decided", CLERK)
    assert line.status is RequestStatus.ALLOCATED
    assert [(c.field, c.old, c.new) for c in line.changes] == [("status", "submitted", "allocated")]
    assert "Jo Pascoe" in line.summary and "High" in line.summary
    assert allocated_practitioner(updated) == jo.id
    # the original is untouched: a failed save leaves the screen's copy as it was
    assert request.status is RequestStatus.SUBMITTED and not request.decisions


def test_not_accepted_records_reason_and_note() -> None:
    decision = Decision(
        meeting=DEC,
        outcome=DecisionOutcome.NOT_ACCEPTED,
        not_accepted_reason=NotAcceptedReason.NO_CASE_HOLDER,
        note="Ask the family's GP about a lead professional",
    )
    updated = record_decision(_request(), decision, _Calendar(), at=AT, who=CLERK)
    assert updated.status is RequestStatus.NOT_ACCEPTED
    assert updated.history[-1].reason == "Ask the family's GP about a lead professional"
    assert "No case holder" in updated.history[-1].summary


def test_deferred_moves_to_following_meeting_and_carried_forward() -> None:
    decision = Decision(meeting=DEC, outcome=DecisionOutcome.DEFERRED, reason="Awaiting CP review")
    updated = record_decision(_request(), decision, _Calendar(), at=AT, who=CLERK)
    assert updated.status is RequestStatus.DEFERRED
    assert updated.meeting == JAN
    assert updated.history[-1].reason == "Awaiting CP review"
    assert "7 January 2027" in updated.history[-1].summary
    assert carried_forward(updated, JAN)
    assert not carried_forward(_request(), DEC)


def test_more_information_stays_submitted_and_moves() -> None:
    decision = Decision(
        meeting=DEC,
        outcome=DecisionOutcome.MORE_INFORMATION,
        information_needed="The assessment summary",
        information_from="The referrer",
    )
    updated = record_decision(
        _request(RequestStatus.DEFERRED), decision, _Calendar(), at=AT, who=CLERK
    )
    assert updated.status is RequestStatus.SUBMITTED
    assert updated.meeting == JAN
    assert updated.latest_decision is not None
    assert updated.latest_decision.information_from == "The referrer"
    assert updated.history[-1].reason == "The assessment summary"
    assert carried_forward(updated, JAN)


@pytest.mark.parametrize(
    ("decision", "field"),
    [
        (Decision(meeting=DEC, outcome=DecisionOutcome.ALLOCATED), "practitioner_id"),
        (Decision(meeting=DEC, outcome=DecisionOutcome.ALLOCATED), "priority"),
        (Decision(meeting=DEC, outcome=DecisionOutcome.NOT_ACCEPTED), "not_accepted_reason"),
        (Decision(meeting=DEC, outcome=DecisionOutcome.NOT_ACCEPTED), "note"),
        (Decision(meeting=DEC, outcome=DecisionOutcome.DEFERRED), "reason"),
        (Decision(meeting=DEC, outcome=DecisionOutcome.MORE_INFORMATION), "information_needed"),
        (Decision(meeting=DEC, outcome=DecisionOutcome.MORE_INFORMATION), "information_from"),
    ],
)
def test_missing_answers_are_named_and_refused(decision: Decision, field: str) -> None:
    assert field in decision_problems(decision)
    with pytest.raises(DecisionError):
        record_decision(_request(), decision, _Calendar(), who=CLERK)


def test_decided_request_cannot_be_decided_again() -> None:
    decision = Decision(meeting=DEC, outcome=DecisionOutcome.DEFERRED, reason="x")
    with pytest.raises(DecisionError, match="allocated"):
        record_decision(_request(RequestStatus.ALLOCATED), decision, _Calendar(), who=CLERK)


def test_withdraw_needs_reason_and_close_does_not() -> None:
    with pytest.raises(DecisionError, match="why"):
        withdraw_request(_request(), "  ", who=CLERK)
    withdrawn = withdraw_request(_request(), "Family moved away", who=CLERK, at=AT)
    assert withdrawn.status is RequestStatus.WITHDRAWN
    assert withdrawn.history[-1].reason == "Family moved away"
    closed = close_request(_request(RequestStatus.ALLOCATED), who=CLERK, at=AT)
    assert closed.status is RequestStatus.CLOSED
    with pytest.raises(DecisionError, match="already"):
        close_request(closed, who=CLERK)


def test_can_correct_only_before_the_meeting() -> None:
    request = _request()
    assert can_correct(request, date(2026, 12, 2))
    assert not can_correct(request, DEC)
    assert not can_correct(_request(RequestStatus.ALLOCATED), date(2026, 11, 1))


def test_caseloads_count_allocations_per_practitioner() -> None:
    jo, sam = Practitioner(name="Jo"), Practitioner(name="Sam")
    loads = caseloads([jo.id, jo.id, None, uuid4()], [jo, sam])
    assert loads == {jo.id: 2, sam.id: 0}
