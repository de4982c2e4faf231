"""The named commands: each change attributed once, with old and new values and the reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from vig_tui.cli import main
from vig_tui.domain.history import Action, Actor
from vig_tui.domain.models import Practitioner, RequestStatus
from vig_tui.service import (
    CommandError,
    change_settings,
    correct,
    delete_draft,
    install_checklist,
    move_meeting,
    save_meeting_record,
    save_practitioner,
    send,
    verify,
    withdraw,
)
from vig_tui.store import Store
from vig_tui.store.drafts import NotADraftError
from vig_tui.tools.gallery import example_request

TODAY = date(2026, 11, 24)
ANN = Actor(name="Ann Kitto", role="Health visitor", user="ann", machine="machine-a")
BOB = Actor(name="Bob Hosken", role="VIG coordinator", user="bob", machine="machine-b")


@pytest.fixture
def store(db_path: Path):  # type: ignore[no-untyped-def]
    with Store.open(db_path) as opened:
        yield opened


def test_sending_records_who_and_the_reference(store: Store) -> None:
    sent = send(store, ANN, example_request(), TODAY)
    entry = sent.history[-1]
    assert (entry.action, entry.who, entry.status) == (Action.SENT, ANN, RequestStatus.SUBMITTED)
    assert {c.field: c.new for c in entry.changes}["reference"] == sent.reference
    # Never saved before: made and sent in one write.
    assert [(e.action, e.reference) for e in store.ledger()] == [
        (Action.CREATED, sent.reference),
        (Action.SENT, sent.reference),
    ]
    assert store.get(sent.id).history_problem() is None


def test_a_correction_after_sending_needs_a_reason(store: Store) -> None:
    sent = send(store, ANN, example_request(), TODAY)
    changed = sent.model_copy(deep=True)
    changed.child.postcode = "TR1 1AA"
    with pytest.raises(CommandError, match="Enter why"):
        correct(store, BOB, sent, changed, "  ")
    assert store.get(sent.id) == sent
    corrected = correct(store, BOB, sent, changed, "Family moved")
    entry = store.get(sent.id).history[-1]
    assert (entry.who, entry.reason, entry.summary) == (
        BOB,
        "Family moved",
        "Corrected in “The child and family”",
    )
    assert [(c.old, c.new) for c in entry.changes] == [(sent.child.postcode, "TR1 1AA")]
    assert corrected == store.get(sent.id)


def test_only_a_draft_is_deleted_and_the_ledger_keeps_who_and_why(store: Store) -> None:
    sent = send(store, ANN, example_request(), TODAY)
    with pytest.raises(NotADraftError, match="has been sent: it can be withdrawn or closed"):
        delete_draft(store, ANN, sent.id)
    draft = example_request()
    store.save(draft, base_version=None)
    delete_draft(store, ANN, draft.id, "Started by mistake")
    assert store.count() == 1
    gone = store.ledger()[-1]
    assert (gone.action, gone.request_id, gone.who, gone.reason) == (
        Action.DELETED,
        draft.id,
        ANN,
        "Started by mistake",
    )
    assert verify(store).whole


def test_settings_and_roster_changes_go_in_the_ledger_with_old_and_new(store: Store) -> None:
    change_settings(store, BOB, cutoff_days=3)
    change_settings(store, BOB, cutoff_days=3)  # no change, no entry
    jo = Practitioner(name="Jo Pascoe", capacity=4)
    save_practitioner(store, BOB, jo)
    save_practitioner(store, BOB, jo.model_copy(update={"capacity": 6}))
    settings, added, changed = store.ledger()
    assert (settings.action, settings.who) == (Action.SETTINGS_CHANGED, BOB)
    assert [(c.old, c.new) for c in settings.changes] == [(1, 3)]
    assert (
        added.action == Action.ROSTER_CHANGED and added.summary == "Added Jo Pascoe on the roster"
    )
    assert [(c.label, c.old, c.new) for c in changed.changes] == [("Jo Pascoe: capacity", 4, 6)]
    assert verify(store).whole


def test_a_moved_meeting_is_recorded_on_each_request_due_and_in_the_ledger(store: Store) -> None:
    sent = send(store, ANN, example_request(), TODAY)
    assert sent.meeting == date(2026, 12, 3)
    move_meeting(store, BOB, date(2026, 12, 3), date(2026, 12, 4), "Training day")
    moved = store.get(sent.id).history[-1]
    assert (moved.action, moved.who, moved.reason) == (Action.MEETING_MOVED, BOB, "Training day")
    assert [(c.old, c.new) for c in moved.changes] == [("2026-12-03", "2026-12-04")]
    assert store.ledger()[-1].action == Action.MEETING_MOVED
    withdraw(store, ANN, store.get(sent.id), "Family moved away")
    assert verify(store).whole


def test_the_command_line_attributes_its_changes_to_the_profile(db_path: Path) -> None:
    assert main(["settings", "--cutoff-days", "2", "--db", str(db_path)]) == 0
    with Store.open(db_path, read_only=True) as store:
        (entry,) = store.ledger()
    assert entry.who.name == "Tess Tester" and entry.action == Action.SETTINGS_CHANGED


def test_a_meeting_record_save_is_attributed_with_old_and_new(store: Store) -> None:
    from vig_tui.domain.models import MeetingRecord

    meeting = date(2026, 12, 3)
    save_meeting_record(store, ANN, MeetingRecord(meeting=meeting, attendees=["Ann Kitto"]))
    first = store.ledger()[-1]
    assert (first.action, first.who) == (Action.MEETING_RECORDED, ANN)
    assert [(c.field, c.old, c.new) for c in first.changes] == [
        ("meeting_record.attendees", None, ["Ann Kitto"])
    ]
    save_meeting_record(
        store,
        BOB,
        MeetingRecord(
            meeting=meeting, attendees=["Ann Kitto", "Bob Hosken"], actions="Ring the HV"
        ),
    )
    second = store.ledger()[-1]
    assert second.who == BOB and "changed" in second.summary
    assert {c.field: (c.old, c.new) for c in second.changes} == {
        "meeting_record.attendees": (["Ann Kitto"], ["Ann Kitto", "Bob Hosken"]),
        "meeting_record.actions": ("", "Ring the HV"),
    }
    # Saving it unchanged leaves no entry; the chain stays whole.
    count = len(store.ledger())
    save_meeting_record(store, BOB, store.meeting_record(meeting))
    assert len(store.ledger()) == count
    assert verify(store).whole


def test_installing_a_checklist_is_attributed(store: Store) -> None:
    from tests.unit.test_checklist_file import four_and_under
    from vig_tui.domain.checklist_file import checklist_from_toml

    text = four_and_under()
    checklist = checklist_from_toml(text)
    install_checklist(store, BOB, checklist.version, text)
    entry = store.ledger()[-1]
    assert (entry.action, entry.who) == (Action.CHECKLIST_INSTALLED, BOB)
    assert checklist.version in entry.summary
    assert [(c.field, c.new) for c in entry.changes] == [("checklist_in_use", checklist.version)]
    assert verify(store).whole
