"""Receiving request files into the service's register, on both backends: new requests
numbered once, the same file twice changing nothing, copies merged answer by answer
against the copy last received, conflicts kept and settled with both values in the
history, and decisions taken on a referrer's copies (issue #11 §3, §4)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest
from pyrage import x25519

from vig_tui.domain.history import Action, Actor
from vig_tui.domain.models import (
    Carer,
    CarerRelationship,
    Decision,
    DecisionOutcome,
    NotAcceptedReason,
    RequestStatus,
    VigRequest,
)
from vig_tui.domain.receiving import Choice, ResolveError
from vig_tui.exchange.payloads import RequestFile, Sender
from vig_tui.service import decide
from vig_tui.service.notices import meeting_notices
from vig_tui.service.receiving import (
    receive_requests,
    resolve_conflict,
    take_notice,
    waiting_conflicts,
)
from vig_tui.store import KeepsLedger, Repository, StoreError
from vig_tui.tools.gallery import example_request

ON = date(2026, 11, 2)
REFERRER_KEY = x25519.Identity.generate()
ANN = Actor(name="Ann Kitto", role="Health visitor", user="ann", machine="laptop-ann")
COORDINATOR = Actor(name="Cara Coordinator", role="Coordinator", user="cara", machine="office")


def sent_copy(**answers: object) -> VigRequest:
    """A referrer's request as it leaves their laptop: made, answered and sent, with history."""
    request = example_request()
    request.history = []
    request.history_head = None
    request.record(ANN, Action.CREATED, "Request started")
    for path, value in answers.items():
        setattr(request.child, path, value)
    request.change_status(RequestStatus.SUBMITTED, ANN, Action.SENT, "Sent by file")
    return request


def request_file(*requests: VigRequest) -> RequestFile:
    return RequestFile(
        sent_at=datetime(2026, 11, 2, 9, tzinfo=UTC),
        sender=Sender(name="Ann Kitto", role="Health visitor", team="Redruth HV"),
        sender_key=str(REFERRER_KEY.to_public()),
        requests=[r.model_copy(deep=True) for r in requests],
    )


def corrected(request: VigRequest, who: Actor, **child: object) -> VigRequest:
    """``request`` with answers about the child changed by ``who`` (one corrected entry)."""
    from vig_tui.domain.changes import answer_changes

    after = request.model_copy(deep=True)
    for name, value in child.items():
        setattr(after.child, name, value)
    after.record(who, Action.CORRECTED, "Corrected", changes=answer_changes(request, after))
    return after


def postcode_conflict(store: Repository, on: date) -> VigRequest:
    """Receive a sent request, change its child's postcode here, then receive the sender's
    own change of it: one conflict waits on the postcode. Returns the request as sent."""
    original = sent_copy()
    receive_requests(store, COORDINATOR, request_file(original), on=on)
    ours = store.get(original.id)
    store.save(corrected(ours, COORDINATOR, postcode="TR1 1AA"), base_version=ours.version)
    theirs = corrected(original, ANN, postcode="TR15 9ZZ")
    receive_requests(store, COORDINATOR, request_file(theirs), on=on)
    return original


def test_a_new_request_gets_the_next_reference_keeps_its_history_and_sender(
    repository: Repository,
) -> None:
    first, second = sent_copy(), sent_copy(name="Jory Pascoe")
    result = receive_requests(repository, COORDINATOR, request_file(first, second), on=ON)
    assert [r.reference for r in result.new] == ["VIG-2026-0001", "VIG-2026-0002"]
    stored = repository.get(first.id)
    assert stored.status is RequestStatus.SUBMITTED
    assert stored.meeting is not None and stored.submitted_on == ON
    assert stored.received is not None and stored.received.sender_name == "Ann Kitto"
    assert stored.received.sender_key == str(REFERRER_KEY.to_public())
    # The sender's own entries first, unchanged, then one "received" entry by the coordinator.
    assert [e.hash for e in stored.history[:-1]] == [e.hash for e in first.history]
    assert stored.history[-1].action == Action.RECEIVED
    assert stored.history[-1].who == COORDINATOR
    assert "Ann Kitto" in stored.history[-1].summary
    assert stored.history_problem() is None
    assert repository.received_copy(first.id) == first
    if isinstance(repository, KeepsLedger):
        received = [e for e in repository.ledger() if e.action == Action.RECEIVED]
        assert [e.reference for e in received] == ["VIG-2026-0001", "VIG-2026-0002"]


def test_the_same_file_again_changes_nothing(repository: Repository) -> None:
    document = request_file(sent_copy())
    receive_requests(repository, COORDINATOR, document, on=ON)
    before = repository.get(document.requests[0].id)
    again = receive_requests(repository, COORDINATOR, document, on=ON)
    assert again.new == [] and again.merged == [] and len(again.unchanged) == 1
    assert repository.get(before.id) == before
    assert repository.count() == 1


def test_a_correction_on_one_side_and_a_note_on_the_other_are_both_kept(
    repository: Repository,
) -> None:
    original = sent_copy()
    receive_requests(repository, COORDINATOR, request_file(original), on=ON)
    ours = repository.get(original.id)
    # The coordinator adds a note; the referrer corrects the postcode on their laptop.
    noted = ours.model_copy(deep=True)
    noted.notes = "Family asked for morning visits."
    noted.record(COORDINATOR, Action.CORRECTED, "Note added")
    repository.save(noted, base_version=ours.version)
    theirs = corrected(original, ANN, postcode="TR15 9ZZ")
    result = receive_requests(repository, COORDINATOR, request_file(theirs), on=ON)
    assert len(result.merged) == 1 and result.conflicts == []
    merged = repository.get(original.id)
    assert merged.notes == "Family asked for morning visits."
    assert merged.child.postcode == "TR15 9ZZ"
    assert merged.reference == "VIG-2026-0001"
    entry = merged.history[-1]
    assert entry.action == Action.RECEIVED
    assert [(c.field, c.old, c.new) for c in entry.changes] == [
        ("child.postcode", "TR15 3AB", "TR15 9ZZ")
    ]
    assert merged.history_problem() is None
    assert repository.received_copy(original.id) == theirs


def test_both_sides_changing_one_answer_waits_and_is_settled_with_both_values(
    repository: Repository,
) -> None:
    original = sent_copy()
    receive_requests(repository, COORDINATOR, request_file(original), on=ON)
    ours = repository.get(original.id)
    repository.save(corrected(ours, COORDINATOR, postcode="TR1 1AA"), base_version=ours.version)
    theirs = corrected(original, ANN, postcode="TR15 9ZZ", first_language="Cornish")
    result = receive_requests(repository, COORDINATOR, request_file(theirs), on=ON)
    [(_, conflict)] = result.conflicts
    assert (conflict.path, conflict.base, conflict.ours, conflict.theirs) == (
        "child.postcode",
        "TR15 3AB",
        "TR1 1AA",
        "TR15 9ZZ",
    )
    assert conflict.ours_by.startswith("Cara Coordinator") and conflict.theirs_by.startswith(
        "Ann Kitto"
    )
    # Nothing is overwritten meanwhile; the one-sided change is taken.
    waiting = repository.get(original.id)
    assert waiting.child.postcode == "TR1 1AA" and waiting.child.first_language == "Cornish"
    assert [c.path for _, c in waiting_conflicts(repository)] == ["child.postcode"]

    settled = resolve_conflict(repository, COORDINATOR, waiting, "child.postcode", Choice.TAKE)
    assert settled.child.postcode == "TR15 9ZZ" and settled.conflicts == []
    entry = settled.history[-1]
    assert entry.action == Action.CONFLICT_RESOLVED and entry.who == COORDINATOR
    assert entry.reason is not None and "TR1 1AA" in entry.reason and "TR15 9ZZ" in entry.reason
    assert [(c.old, c.new) for c in entry.changes] == [("TR1 1AA", "TR15 9ZZ")]
    assert waiting_conflicts(repository) == []
    with pytest.raises(ResolveError):
        resolve_conflict(repository, COORDINATOR, settled, "child.postcode", Choice.KEEP)


@pytest.mark.parametrize(
    ("choice", "value", "expected"),
    [(Choice.KEEP, None, "TR1 1AA"), (Choice.EDIT, "TR2 2BB", "TR2 2BB")],
)
def test_keep_ours_or_a_new_answer(
    repository: Repository, choice: Choice, value: str | None, expected: str
) -> None:
    original = sent_copy()
    receive_requests(repository, COORDINATOR, request_file(original), on=ON)
    ours = repository.get(original.id)
    repository.save(corrected(ours, COORDINATOR, postcode="TR1 1AA"), base_version=ours.version)
    receive_requests(
        repository,
        COORDINATOR,
        request_file(corrected(original, ANN, postcode="TR15 9ZZ")),
        on=ON,
    )
    waiting = repository.get(original.id)
    settled = resolve_conflict(repository, COORDINATOR, waiting, "child.postcode", choice, value)
    assert settled.child.postcode == expected
    assert "TR15 9ZZ" in (settled.history[-1].reason or "")


def test_a_carer_added_on_the_laptop_is_taken(repository: Repository) -> None:
    original = sent_copy()
    receive_requests(repository, COORDINATOR, request_file(original), on=ON)
    theirs = original.model_copy(deep=True)
    theirs.carers.append(Carer(name="Morwenna Tregear", relationship=CarerRelationship.OTHER))
    theirs.record(ANN, Action.CORRECTED, "Carer added")
    receive_requests(repository, COORDINATOR, request_file(theirs), on=ON)
    assert [c.name for c in repository.get(original.id).carers] == [
        "Kerenza Tregear",
        "Morwenna Tregear",
    ]


def test_a_request_given_twice_in_one_write_is_refused_whole(repository: Repository) -> None:
    from vig_tui.domain.receiving import Arrival, Outcome, incoming
    from vig_tui.service.receiving import receipt_of

    one = sent_copy()
    receipt = receipt_of(request_file(one))
    twice = [Arrival(Outcome.NEW, incoming(one, receipt), one, None)] * 2
    with pytest.raises(StoreError):
        repository.receive(twice, ON, who=COORDINATOR)
    assert repository.count() == 0
    assert repository.received_copy(one.id) is None


def test_decisions_go_back_to_the_referrers_copy(repository: Repository) -> None:
    original = sent_copy()
    receive_requests(repository, COORDINATOR, request_file(original), on=ON)
    ours = repository.get(original.id)
    assert ours.meeting is not None
    decision = Decision(
        meeting=ours.meeting,
        outcome=DecisionOutcome.NOT_ACCEPTED,
        not_accepted_reason=NotAcceptedReason.ANOTHER_SERVICE,
        note="The family are already working with the Infant Mental Health team.",
    )
    decide(repository, COORDINATOR, ours, decision, repository.calendar())
    notices = meeting_notices(repository, ours.meeting, sent_at=datetime.now(UTC))
    [notice] = notices.notices
    assert notice.sender_key == str(REFERRER_KEY.to_public())
    [item] = notice.document.decisions
    assert item.reference == "VIG-2026-0001" and item.outcome is DecisionOutcome.NOT_ACCEPTED

    # The referrer's own machine, holding only their copy.
    laptop = repository  # the same backend, emptied of the service's copy, stands for it
    laptop.delete(ours.id, base_version=laptop.get(ours.id).version, who=COORDINATOR)
    laptop.save(original, base_version=None)
    taken = take_notice(laptop, ANN, notice.document)
    [copy] = taken.decided
    assert copy.reference == "VIG-2026-0001"
    assert copy.status is RequestStatus.NOT_ACCEPTED
    assert copy.latest_decision is not None and "Infant Mental Health" in copy.latest_decision.note
    assert copy.history[-1].action == Action.DECISION_RECEIVED
    again = take_notice(laptop, ANN, notice.document)
    assert again.decided == [] and len(again.unchanged) == 1
    assert laptop.get(copy.id) == copy


def test_a_notice_for_requests_not_here_changes_nothing(repository: Repository) -> None:
    from vig_tui.exchange.payloads import DecisionNotice, NoticeItem
    from vig_tui.exchange.sealing import ExchangeError

    notice = DecisionNotice(
        sent_at=datetime.now(UTC),
        service_name="VIG",
        service_email="vig@example.org",
        meeting=ON,
        decisions=[
            NoticeItem(
                request_id=uuid4(),
                reference="VIG-2026-0009",
                meeting=ON,
                outcome=DecisionOutcome.DEFERRED,
                recorded_at=datetime.now(UTC),
            )
        ],
    )
    with pytest.raises(ExchangeError, match="VIG-2026-0009"):
        take_notice(repository, ANN, notice)
    assert repository.count() == 0


def test_a_referrers_file_cannot_add_a_decision(repository: Repository) -> None:
    from vig_tui.domain.models import Priority

    forged = Decision(
        meeting=date(2026, 12, 3),
        outcome=DecisionOutcome.ALLOCATED,
        practitioner_name="Someone",
        priority=Priority.HIGH,
    )
    original = sent_copy()
    with_decision = original.model_copy(deep=True)
    with_decision.decisions.append(forged)
    receive_requests(repository, COORDINATOR, request_file(with_decision), on=ON)
    assert repository.get(original.id).decisions == []
    later = corrected(original, ANN, postcode="TR15 9ZZ")
    later.decisions.append(forged)
    receive_requests(repository, COORDINATOR, request_file(later), on=ON)
    held = repository.get(original.id)
    assert held.decisions == [] and held.status is RequestStatus.SUBMITTED
    assert held.child.postcode == "TR15 9ZZ"


def test_deleting_for_good_takes_the_copy_last_received_too(repository: Repository) -> None:
    original = sent_copy(name="Zennor Quillerwick")
    receive_requests(repository, COORDINATOR, request_file(original), on=ON)
    held = repository.get(original.id)
    repository.expunge(original.id, base_version=held.version, who=COORDINATOR, rule="test rule")
    assert repository.received_copy(original.id) is None
    location = repository.location
    if not location.startswith("postgres"):
        from pathlib import Path

        assert b"Quillerwick" not in Path(location).read_bytes()


def test_a_redacted_copy_names_no_sender_and_no_conflicting_answer() -> None:
    from vig_tui.domain.models import Receipt, WaitingConflict
    from vig_tui.export.redact import VALUE_REMOVED, redact_request

    request = sent_copy()
    request.received = Receipt(
        sender_name="Ann Kitto", sender_role="Health visitor", sender_email="ann@example.org"
    )
    request.conflicts = [
        WaitingConflict(
            path="child.postcode",
            label="Postcode",
            base="TR15 3AB",
            ours="TR1 1AA",
            theirs="TR15 9ZZ",
            ours_by="Cara Coordinator",
            theirs_by="Ann Kitto",
        )
    ]
    redacted = redact_request(request)
    dumped = redacted.model_dump_json()
    for gone in ("Ann Kitto", "ann@example.org", "TR1 1AA", "TR15 9ZZ", "Cara Coordinator"):
        assert gone not in dumped
    assert redacted.received is not None and redacted.received.sender_name == "Health visitor"
    assert redacted.conflicts[0].theirs == VALUE_REMOVED
