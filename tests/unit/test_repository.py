"""What every backend of the Repository promises, run on each through the
``repository`` fixture (tests/unit/conftest.py): round trips, versions and
stale saves, queries, references, imports, meetings, settings and the roster."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from uuid import uuid4

import pytest

from tests.unit.conftest import Backend
from tests.unit.test_store import full_request
from vig_tui.domain.meetings import MeetingCalendar
from vig_tui.domain.models import (
    Decision,
    DecisionOutcome,
    Practitioner,
    ReferrerRole,
    RequestStatus,
    RouteKind,
)
from vig_tui.store import Repository, RequestNotFound, Store, StoreError, VersionConflict


def test_round_trip_of_a_full_request(backend: Backend) -> None:
    request = full_request(1)
    with backend.open() as repository:
        stored = repository.save(request, base_version=None)
    assert stored.version == 1 and request.version == 0  # the caller's copy is not changed
    assert stored.model_dump(exclude={"version"}) == request.model_dump(exclude={"version"})
    with backend.open() as repository:
        assert repository.get(request.id) == stored
        copy = repository.get(request.id)
        copy.notes = "changed but not saved"
        assert repository.get(request.id).notes == "note 1"
        assert repository.location


# Versions: no silent overwrite


def test_every_save_counts_a_version(repository: Repository) -> None:
    first = repository.save(full_request(1), base_version=None)
    first.notes = "second"
    second = repository.save(first, base_version=first.version)
    second.notes = "third"
    third = repository.save(second, base_version=second.version)
    assert [first.version, second.version, third.version] == [1, 2, 3]
    assert repository.get(first.id).version == 3
    assert repository.get(first.id).notes == "third"


def test_a_stale_save_is_refused_and_names_the_change(repository: Repository) -> None:
    """Two copies read at the same version: the second save made to it is refused."""
    repository.save(full_request(1, reference="VIG-2026-0001"), base_version=None)
    mine = repository.get(repository.summaries()[0].id)
    theirs = repository.get(mine.id)
    theirs.notes = "changed by the coordinator"
    kept = repository.save(theirs, base_version=theirs.version)
    mine.notes = "changed by the referrer"
    with pytest.raises(VersionConflict) as caught:
        repository.save(mine, base_version=mine.version)
    conflict = caught.value
    assert isinstance(conflict, StoreError)
    assert conflict.current == kept
    message = str(conflict)
    assert "VIG-2026-0001 was changed" in message
    assert f"{kept.updated_at.astimezone():%H:%M}" in message
    assert "version 1" in message and "version 2" in message
    assert "has not been saved" in message
    assert repository.get(mine.id).notes == "changed by the coordinator"
    # Re-applied to the current copy, it goes in.
    current = conflict.current
    current.notes = "changed by the referrer"
    assert repository.save(current, base_version=current.version).version == 3


def test_a_new_request_cannot_take_a_stored_id(repository: Repository) -> None:
    stored = repository.save(full_request(1), base_version=None)
    again = full_request(2)
    again.id = stored.id
    for base in (None, 0):
        with pytest.raises(VersionConflict, match="already been saved"):
            repository.save(again, base_version=base)
    assert repository.get(stored.id) == stored


def test_a_save_to_a_deleted_request_is_refused(repository: Repository) -> None:
    stored = repository.save(full_request(1), base_version=None)
    repository.delete(stored.id, base_version=stored.version)
    stored.notes = "too late"
    with pytest.raises(RequestNotFound, match="no longer in"):
        repository.save(stored, base_version=stored.version)
    assert repository.count() == 0


def test_a_stale_delete_and_a_stale_submit_are_refused(repository: Repository) -> None:
    old = repository.save(full_request(1), base_version=None)
    old.notes = "newer"
    newer = repository.save(old, base_version=old.version)
    with pytest.raises(VersionConflict):
        repository.delete(old.id, base_version=1)
    with pytest.raises(VersionConflict):
        repository.submit(old, date(2026, 3, 2), base_version=1)
    assert repository.get(old.id) == newer
    assert repository.submit(newer, date(2026, 3, 2), base_version=2).version == 3


def test_a_decision_on_a_request_changed_since_it_was_loaded_is_refused(
    repository: Repository,
) -> None:
    """The meeting screen's case: loaded minutes earlier, then corrected elsewhere."""
    sent = repository.submit(full_request(1), date(2026, 3, 2), base_version=None)
    on_screen = repository.get(sent.id)
    corrected = repository.get(sent.id)
    corrected.child.postcode = "TR1 1AA"
    repository.save(corrected, base_version=corrected.version)
    on_screen.decisions.append(
        Decision(meeting=sent.meeting or date(2026, 4, 2), outcome=DecisionOutcome.DEFERRED)
    )
    with pytest.raises(VersionConflict) as caught:
        repository.save(on_screen, base_version=on_screen.version)
    assert caught.value.current.child.postcode == "TR1 1AA"
    assert len(repository.get(sent.id).decisions) == len(sent.decisions)


def test_moving_a_meeting_and_importing_count_versions(repository: Repository) -> None:
    due = full_request(1, status=RequestStatus.SUBMITTED, meeting=date(2026, 5, 7))
    stored = repository.save(due, base_version=None)
    repository.move_meeting(date(2026, 5, 7), date(2026, 5, 8))
    assert repository.get(due.id).version == 2
    with pytest.raises(VersionConflict):
        repository.save(stored, base_version=stored.version)
    newer = repository.get(due.id)
    newer.record("correction", "Fixed", at=newer.updated_at + timedelta(days=1))
    report = repository.import_requests([newer, full_request(2)])
    assert (report.added, report.updated) == (1, 1)
    assert repository.get(due.id).version == 3
    assert [r.version for r in repository.requests()] == [3, 1]


# Requests


def test_submit_gives_sequential_references_per_year_and_the_meeting(backend: Backend) -> None:
    with backend.open() as repository:
        first = repository.submit(full_request(1), date(2026, 3, 2), base_version=None)
        second = repository.submit(full_request(2), date(2026, 3, 5), base_version=None)
        next_year = repository.submit(full_request(3), date(2027, 1, 4), base_version=None)
        assert [first.reference, second.reference, next_year.reference] == [
            "VIG-2026-0001",
            "VIG-2026-0002",
            "VIG-2027-0001",
        ]
        calendar = MeetingCalendar(cutoff_days=1)
        assert first.meeting == calendar.meeting_for_submission(date(2026, 3, 2)).date
        assert second.meeting == calendar.meeting_for_submission(date(2026, 3, 5)).date
        assert second.meeting != first.meeting
        assert first.status is RequestStatus.SUBMITTED
        assert first.submitted_on == date(2026, 3, 2)
        assert first.history[-1].kind == "status"
        assert first.history[-1].status is RequestStatus.SUBMITTED
        assert repository.find_reference("VIG-2026-0002") == second
        assert repository.find_reference(" vig-2026-0002 ") == second
        assert repository.find_reference("VIG-2026-0099") is None
        resent = repository.submit(first, date(2026, 4, 1), base_version=first.version)
        assert resent.reference == "VIG-2026-0001"
    with backend.open() as repository:
        fourth = repository.submit(full_request(4), date(2026, 6, 1), base_version=None)
        assert fourth.reference == "VIG-2026-0003"


def test_a_reference_belongs_to_one_request(repository: Repository) -> None:
    repository.save(full_request(1, reference="VIG-2026-0001"), base_version=None)
    with pytest.raises(StoreError, match="already belongs"):
        repository.save(full_request(2, reference="VIG-2026-0001"), base_version=None)
    assert repository.count() == 1


def test_queries_counts_and_delete(backend: Backend) -> None:
    a = full_request(1, status=RequestStatus.SUBMITTED, meeting=date(2026, 2, 5))
    b = full_request(2, status=RequestStatus.SUBMITTED, meeting=date(2026, 3, 5))
    c = full_request(3)
    with backend.open() as repository:
        a, b, c = (repository.save(r, base_version=None) for r in (a, b, c))
        assert repository.count() == 3
        assert repository.requests(status=RequestStatus.SUBMITTED) == [a, b]
        assert repository.requests(meeting=date(2026, 3, 5)) == [b]
        assert repository.requests(status=RequestStatus.DRAFT, meeting=date(2026, 3, 5)) == []
        counts = repository.counts_by_status()
        assert set(counts) == set(RequestStatus)
        assert counts[RequestStatus.SUBMITTED] == 2 and counts[RequestStatus.DRAFT] == 1
        repository.delete(a.id, base_version=a.version)
        with pytest.raises(RequestNotFound, match=str(a.id)):
            repository.get(a.id)
        with pytest.raises(KeyError):
            repository.delete(a.id, base_version=a.version)
        with pytest.raises(RequestNotFound):
            repository.get(uuid4())
        assert repository.count() == 2
    with backend.open() as repository:
        assert repository.requests() == [b, c]


def test_summaries_follow_every_change(repository: Repository) -> None:
    request = repository.save(full_request(1), base_version=None)
    [row] = repository.summaries()
    assert (row.id, row.child_name, row.referrer_role, row.route_kind) == (
        request.id,
        "Child 1 Tregear",
        ReferrerRole.HEALTH_VISITOR,
        RouteKind.CASE_MANAGEMENT,
    )
    assert row.team == "Truro Health Visiting" and row.child_dob == date(2025, 3, 1)
    sent = repository.submit(request, date(2026, 3, 2), base_version=request.version)
    assert sent.meeting is not None
    [row] = repository.summaries()
    assert (row.reference, row.status, row.meeting) == (
        "VIG-2026-0001",
        RequestStatus.SUBMITTED,
        sent.meeting,
    )
    repository.move_meeting(sent.meeting, sent.meeting + timedelta(days=1), "Room unavailable")
    assert repository.summaries()[0].meeting == sent.meeting + timedelta(days=1)
    repository.delete(request.id, base_version=repository.get(request.id).version)
    assert repository.summaries() == []


def test_import_is_all_or_nothing_and_lists_every_conflict(repository: Repository) -> None:
    older = full_request(1, reference="VIG-2026-0001")
    kept = full_request(2, reference="VIG-2026-0002")
    repository.import_requests([older, kept])
    stored = repository.get(older.id)
    newer = older.model_copy(deep=True)
    newer.record("correction", "Fixed the postcode", at=older.updated_at + timedelta(days=1))
    stale = kept.model_copy(deep=True)
    stale.notes = "stale"
    clash = full_request(3, reference="VIG-2026-0002")
    fresh = full_request(4, reference="VIG-2026-0004")
    twin = full_request(5, reference="VIG-2026-0004")
    batch = [newer, stale, clash, fresh, fresh, twin]
    assert repository.import_conflicts(batch) == repository.import_requests(batch).conflicts
    report = repository.import_requests(batch)
    assert (report.added, report.updated) == (0, 0)
    assert len(report.conflicts) == 4
    assert any("VIG-2026-0002" in c and "same time or later" in c for c in report.conflicts)
    assert any("another request here already has" in c for c in report.conflicts)
    assert any("another request in the import already has" in c for c in report.conflicts)
    assert any("more than once" in c for c in report.conflicts)
    # Nothing was written, not even the requests that did not conflict.
    assert repository.get(older.id) == stored
    assert repository.count() == 2
    report = repository.import_requests([newer, fresh])
    assert (report.added, report.updated, report.conflicts) == (1, 1, [])
    assert repository.get(older.id).model_dump(exclude={"version"}) == newer.model_dump(
        exclude={"version"}
    )
    assert repository.get(kept.id).notes == "note 2"
    assert repository.count() == 3
    assert repository.import_requests([]).added == 0


def test_a_refused_import_leaves_the_file_byte_for_byte(db_path) -> None:
    with Store.open(db_path) as store:
        store.import_requests([full_request(1, reference="VIG-2026-0001")])
        before = db_path.read_bytes()
        fresh = full_request(2)
        report = store.import_requests([fresh, fresh])
        assert report.conflicts and store.count() == 1
        assert db_path.read_bytes() == before


def test_move_meeting_moves_its_requests_with_a_history_line(backend: Backend) -> None:
    due = full_request(1, status=RequestStatus.SUBMITTED, meeting=date(2026, 5, 7))
    later = full_request(2, status=RequestStatus.SUBMITTED, meeting=date(2026, 6, 4))
    with backend.open() as repository:
        repository.save(due, base_version=None)
        later = repository.save(later, base_version=None)
        repository.move_meeting(date(2026, 5, 7), date(2026, 5, 8), "Training day")
        moved = repository.get(due.id)
        assert moved.meeting == date(2026, 5, 8)
        assert moved.history[-1].kind == "meeting"
        assert "7 May 2026" in moved.history[-1].summary
        assert "8 May 2026" in moved.history[-1].summary
        assert moved.history[-1].reason == "Training day"
        assert repository.get(later.id) == later
        meeting = repository.calendar().meeting_in(2026, 5)
        assert (meeting.date, meeting.moved) == (date(2026, 5, 8), True)
        # Moving it again starts from where it is now held.
        repository.move_meeting(date(2026, 5, 7), date(2026, 5, 11))
        assert repository.get(due.id).meeting == date(2026, 5, 11)
        with pytest.raises(ValueError, match="not an allocation meeting day"):
            repository.move_meeting(date(2026, 5, 6), date(2026, 5, 8))
    with backend.open() as repository:
        assert repository.calendar().meeting_in(2026, 5).date == date(2026, 5, 11)
        assert len(repository.meeting_moves()) == 2


def test_cutoff_days_is_persisted_and_used(backend: Backend) -> None:
    with backend.open() as repository:
        repository.cutoff_days = 5
        with pytest.raises(ValueError):
            repository.cutoff_days = -1
        assert repository.calendar().cutoff_days == 5
    with backend.open() as repository:
        assert repository.cutoff_days == 5
        # 1 Oct 2026 is the first Thursday; 5 days' cut-off sends 28 Sep to November.
        sent = repository.submit(full_request(), date(2026, 9, 28), base_version=None)
        assert sent.meeting == date(2026, 11, 5)


def test_practitioners(backend: Backend) -> None:
    zoe, adam = Practitioner(name="Zoe"), Practitioner(name="adam")
    with backend.open() as repository:
        repository.save_practitioner(zoe)
        repository.save_practitioner(adam)
        zoe.capacity = 2
        repository.save_practitioner(zoe)
    with backend.open() as repository:
        assert repository.practitioners() == [adam, zoe]


def test_saves_from_many_threads(backend: Backend) -> None:
    requests = [full_request(n) for n in range(40)]
    with backend.open() as repository:

        def work(chunk):
            for request in chunk:
                repository.save(request, base_version=None)
                repository.summaries()

        threads = [threading.Thread(target=work, args=(requests[i::4],)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert repository.count() == 40
    with backend.open() as repository:
        assert sorted(r.notes for r in repository.requests()) == sorted(r.notes for r in requests)
