"""A meeting's agenda comes from each request's decision history, not its next meeting."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest

from vig_tui.domain.agenda import agenda, meeting_history, on_agenda
from vig_tui.domain.decisions import record_decision
from vig_tui.domain.meetings import MeetingCalendar
from vig_tui.domain.models import (
    Decision,
    DecisionOutcome,
    Priority,
    RequestStatus,
    VigRequest,
)
from vig_tui.domain.views import agenda_items
from vig_tui.export import build_pack
from vig_tui.store import RequestSummary, Store
from vig_tui.tools.demo import fill_database

CALENDAR = MeetingCalendar()
DECEMBER = date(2026, 12, 3)
JANUARY = date(2027, 1, 7)
FEBRUARY = date(2027, 2, 4)
TODAY = date(2026, 11, 24)


def sent(number: int = 1) -> VigRequest:
    return VigRequest(
        reference=f"VIG-2026-{number:04d}",
        status=RequestStatus.SUBMITTED,
        submitted_on=date(2026, 11, 10),
        meeting=DECEMBER,
    )


def deferred(request: VigRequest, meeting: date, reason: str) -> VigRequest:
    decision = Decision(meeting=meeting, outcome=DecisionOutcome.DEFERRED, reason=reason)
    return record_decision(request, decision, CALENDAR)


def deferred_twice() -> VigRequest:
    return deferred(
        deferred(sent(9001), DECEMBER, "Waiting for the review"), JANUARY, "Still waiting"
    )


def allocated(request: VigRequest, meeting: date) -> VigRequest:
    decision = Decision(
        meeting=meeting,
        outcome=DecisionOutcome.ALLOCATED,
        practitioner_id=UUID(int=1),
        practitioner_name="Jo Pascoe",
        priority=Priority.HIGH,
    )
    return record_decision(request, decision, CALENDAR)


def test_a_request_deferred_twice_is_on_every_meeting_that_considered_it() -> None:
    request = deferred_twice()
    assert request.meeting == FEBRUARY
    assert all(on_agenda(request, day) for day in (DECEMBER, JANUARY, FEBRUARY))
    assert agenda([request], DECEMBER) == [request]
    assert not on_agenda(request, date(2027, 3, 4))


def test_each_meeting_sees_the_decision_it_took() -> None:
    request = deferred_twice()
    december = meeting_history(request, DECEMBER)
    assert december.decision is not None and december.decision.reason == "Waiting for the review"
    assert not december.carried_forward and december.previous is None
    january = meeting_history(request, JANUARY)
    assert january.carried_from == DECEMBER
    assert january.previous is not None and january.previous.meeting == DECEMBER
    assert january.decision is not None and january.decision.reason == "Still waiting"
    february = meeting_history(request, FEBRUARY)
    assert february.carried_from == DECEMBER and february.decision is None
    assert february.previous is not None and february.previous.meeting == JANUARY


def test_a_request_deferred_then_decided_stays_on_both_meetings_and_goes_no_further() -> None:
    request = allocated(deferred(sent(), DECEMBER, "Waiting for the review"), JANUARY)
    december = meeting_history(request, DECEMBER)
    assert on_agenda(request, DECEMBER)
    assert december.decision is not None and december.decision.outcome is DecisionOutcome.DEFERRED
    january = meeting_history(request, JANUARY)
    assert on_agenda(request, JANUARY) and january.carried_from == DECEMBER
    assert january.decision is not None and january.decision.outcome is DecisionOutcome.ALLOCATED
    assert not on_agenda(request, FEBRUARY)


def test_the_store_summary_answers_the_agenda_like_the_request() -> None:
    request = deferred_twice()
    summary = RequestSummary.of(request)
    assert summary.decision_meetings == (DECEMBER, JANUARY)
    for day in (DECEMBER, JANUARY, FEBRUARY, date(2027, 3, 4)):
        assert on_agenda(summary, day) == on_agenda(request, day)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "vig.json") as opened:
        yield opened


def test_the_store_reads_a_meetings_agenda_from_decision_history(store: Store) -> None:
    store.save(deferred_twice(), base_version=None)
    assert store.requests(meeting=DECEMBER) == []
    assert [r.reference for r in store.agenda(DECEMBER)] == ["VIG-2026-9001"]
    assert [r.reference for r in store.agenda(CALENDAR.meeting_in(2027, 1))] == ["VIG-2026-9001"]


def test_the_meeting_screen_and_the_pack_agree_on_every_meeting(store: Store) -> None:
    requests = fill_database(store, 300, today=TODAY, seed=11)
    requests += [deferred_twice(), allocated(deferred(sent(9002), DECEMBER, "Wait"), JANUARY)]
    for request in requests[-2:]:
        store.save(request, base_version=request.version)
    for meeting in CALENDAR.upcoming(date(2026, 1, 1), 15):
        chosen = store.agenda(meeting)
        assert {r.id for r in chosen} == {r.id for r in agenda(requests, meeting)}
        items = {i.request.id: i for i in agenda_items(chosen, meeting, TODAY)}
        pack = build_pack(chosen, meeting, TODAY)
        assert len(items) == len(pack.entries)
        for entry in pack.entries:
            item = items[entry.request.id]
            assert (entry.carried_from, entry.previous_decision, entry.decision) == (
                item.carried_from,
                item.previous,
                item.decision,
            )
