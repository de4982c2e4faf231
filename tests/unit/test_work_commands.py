"""The work commands on a real file: one attributed entry each, old -> new, version-checked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from vig_tui.domain.history import Action, Actor
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
from vig_tui.domain.work import WorkError
from vig_tui.service import (
    close_work,
    decide,
    record_consent,
    record_cycle,
    record_helping_questions,
    send,
    start_work,
    verify,
    withdraw_consent,
)
from vig_tui.store import Store, VersionConflict
from vig_tui.tools.gallery import example_request

SENT_ON = date(2026, 11, 2)
MEETING = date(2026, 12, 3)
TODAY = date(2026, 12, 20)
IAN = Actor(name="Ian Sample", role="VIG practitioner", user="ian", machine="machine-i")
BOB = Actor(name="Bob Hosken", role="VIG coordinator", user="bob", machine="machine-b")


def filming(given: bool = True, on: date = date(2026, 12, 8)) -> ConsentRecord:
    return ConsentRecord(
        topic=ConsentTopic.FILMING, given=given, on=on, obtained_by="Ian Sample",
        how=ConsentMethod.WRITTEN,
    )  # fmt: skip


@pytest.fixture
def store(db_path: Path):  # type: ignore[no-untyped-def]
    with Store.open(db_path) as opened:
        yield opened


def allocated(store: Store) -> VigRequest:
    sent = send(store, BOB, example_request(), SENT_ON)
    practitioner = Practitioner(name="Ian Sample")
    decision = Decision(
        meeting=MEETING,
        outcome=DecisionOutcome.ALLOCATED,
        practitioner_id=practitioner.id,
        practitioner_name=practitioner.name,
        priority=Priority.HIGH,
    )
    return decide(store, BOB, sent, decision, store.calendar())


def test_consent_is_recorded_with_who_and_each_detail_old_and_new(store: Store) -> None:
    request = allocated(store)
    stored = record_consent(store, IAN, request, filming(), today=TODAY)
    entry = stored.history[-1]
    assert (entry.action, entry.who, len(stored.history)) == (
        Action.CONSENT_RECORDED,
        IAN,
        len(request.history) + 1,
    )
    assert entry.summary == "Consent: filming given on 8 December 2026"
    changes = {c.field: (c.old, c.new) for c in entry.changes}
    assert changes["consents.filming.given"] == (None, True)
    assert changes["consents.filming.how"] == (None, "written")
    assert changes["consents.filming.obtained_by"] == (None, "Ian Sample")
    assert "consents.filming.note" not in changes  # nothing to nothing is no change
    assert store.get(request.id) == stored
    withdrawn = withdraw_consent(
        store, IAN, stored, ConsentTopic.FILMING, date(2026, 12, 15), today=TODAY
    )
    last = withdrawn.history[-1]
    assert last.action == Action.CONSENT_WITHDRAWN
    assert [(c.field, c.old, c.new) for c in last.changes] == [
        ("consents.filming.withdrawn_on", None, "2026-12-15")
    ]
    assert verify(store).whole


def test_work_goes_allocated_in_progress_closed_one_entry_each(store: Store) -> None:
    request = allocated(store)
    with pytest.raises(WorkError, match="consent to being filmed") as refused:
        start_work(store, IAN, request, date(2026, 12, 10), ["Play together"], today=TODAY)
    assert refused.value.field == ""
    assert store.get(request.id) == request  # nothing saved
    request = record_consent(store, IAN, request, filming(), today=TODAY)
    started = start_work(store, IAN, request, date(2026, 12, 10), ["Play together"], today=TODAY)
    assert started.status is RequestStatus.IN_PROGRESS
    entry = started.history[-1]
    assert (entry.action, entry.status) == (Action.WORK_STARTED, RequestStatus.IN_PROGRESS)
    assert {c.field: (c.old, c.new) for c in entry.changes} == {
        "status": ("allocated", "in_progress"),
        "work.started_on": (None, "2026-12-10"),
        "work.helping_questions": ([], ["Play together"]),
    }
    cycle = VigCycle(filmed_on=date(2026, 12, 11))
    filmed = record_cycle(store, IAN, started, cycle, today=TODAY)
    assert filmed.history[-1].summary == "VIG cycle 1 recorded"
    reviewed = record_cycle(
        store,
        IAN,
        filmed,
        cycle.model_copy(update={"shared_review_on": date(2026, 12, 14), "note": "Went well"}),
        today=TODAY,
    )
    assert reviewed.history[-1].summary == "VIG cycle 1 changed"
    assert [c.label for c in reviewed.history[-1].changes] == [
        "VIG cycle 1: shared review date",
        "VIG cycle 1: note",
    ]
    asked = record_helping_questions(
        store, IAN, reviewed, ["Play together", "Bedtime without shouting"]
    )
    assert asked.history[-1].changes[0].new == ["Play together", "Bedtime without shouting"]
    closed = close_work(
        store,
        IAN,
        asked,
        date(2026, 12, 19),
        ClosureReason.OTHER,
        "Mum feels closer to Amy",
        other_reason="Family asked for a pause",
        today=TODAY,
    )
    entry = closed.history[-1]
    assert (closed.status, entry.action, entry.reason) == (
        RequestStatus.CLOSED,
        Action.CLOSED,
        "Family asked for a pause",
    )
    assert ("work.outcome_note", None, "Mum feels closer to Amy") in [
        (c.field, c.old or None, c.new) for c in entry.changes
    ]
    assert store.get(request.id) == closed
    assert verify(store).whole


def test_a_change_to_a_stale_copy_is_refused_and_nothing_is_lost(store: Store) -> None:
    request = allocated(store)
    mine = record_consent(store, IAN, request, filming(), today=TODAY)
    with pytest.raises(VersionConflict) as conflict:
        # The coordinator's copy was read before Ian's consent was saved.
        record_consent(store, BOB, request, filming(on=date(2026, 12, 9)), today=TODAY)
    assert conflict.value.current == mine
    assert store.get(request.id) == mine


@pytest.mark.parametrize(
    ("cycle", "field"),
    [
        (VigCycle(filmed_on=date(2027, 1, 1)), "filmed_on"),
        (VigCycle(filmed_on=date(2026, 12, 1)), "filmed_on"),
        (
            VigCycle(filmed_on=date(2026, 12, 12), shared_review_on=date(2026, 12, 11)),
            "shared_review_on",
        ),
    ],
)
def test_a_cycle_date_that_cannot_be_is_refused_by_its_field(
    store: Store, cycle: VigCycle, field: str
) -> None:
    request = record_consent(store, IAN, allocated(store), filming(), today=TODAY)
    started = start_work(store, IAN, request, date(2026, 12, 10), ["Play"], today=TODAY)
    with pytest.raises(WorkError) as refused:
        record_cycle(store, IAN, started, cycle, today=TODAY)
    assert refused.value.field == field
    assert store.get(request.id) == started
