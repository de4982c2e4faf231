"""The store on real files: round trips, permissions, the lock, damaged and newer
files left untouched, migrations, failing writes, and the register's summaries."""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from tinydb import TinyDB

from tests.db_files import read_tables, write_tables
from vig_tui.domain.checklist import ConsiderationId, CriterionId
from vig_tui.domain.history import UNKNOWN_ACTOR, Action
from vig_tui.domain.models import (
    Answer,
    Carer,
    CarerRelationship,
    CaseHolder,
    CaseHolderRole,
    Child,
    ConsiderationAnswer,
    CriterionEvidence,
    Decision,
    DecisionOutcome,
    Practitioner,
    Priority,
    Programme,
    Referrer,
    ReferrerRole,
    RequestStatus,
    Route,
    RouteKind,
    VigRequest,
)
from vig_tui.store import (
    CorruptDatabaseError,
    DatabaseLockedError,
    NewerSchemaError,
    ReadOnlyError,
    Store,
    StoreError,
    StoreWriteError,
    current_version,
    default_db_path,
    migrations,
)
from vig_tui.store.storage import AtomicJSONStorage

PARAGRAPH = (
    "Mum describes finding it hard to notice when the baby is settled and when he needs "
    "her; the health visitor has seen few shared smiles or turn-taking during visits. "
)


def full_request(n: int = 0, **changes: object) -> VigRequest:
    """A request with every part filled in, about 2.7 KB as JSON."""
    at = datetime(2026, 1, 5, 9, 30, tzinfo=UTC) + timedelta(minutes=n)
    request = VigRequest(
        created_at=at,
        updated_at=at,
        referrer=Referrer(
            name=f"Referrer {n}",
            role=ReferrerRole.HEALTH_VISITOR,
            team="Truro Health Visiting",
            phone="01632 960001",
            email="referrer@example.org",
        ),
        route=Route(
            kind=RouteKind.CASE_MANAGEMENT, team_manager="T. Manager", agreed_on=date(2026, 1, 2)
        ),
        child=Child(
            name=f"Child {n} Tregear",
            date_of_birth=date(2025, 3, 1),
            gender="Boy",
            address="1 Example Row\nTruro",
            postcode="TR99 1AA",
            setting="Home",
            first_language="English",
        ),
        carers=[
            Carer(
                name="Carer Tregear",
                relationship=CarerRelationship.BIRTH_PARENT,
                phone="01632 960002",
                lives_with_child=True,
            )
        ],
        case_holder=CaseHolder(
            exists=True, name="Case Holder", role=CaseHolderRole.NAMED_HEALTH_VISITOR, team="HV"
        ),
        evidence={
            CriterionId.BONDING: CriterionEvidence(ticked=True, evidence=PARAGRAPH * 3),
            CriterionId.OTHER_INTERVENTIONS: CriterionEvidence(
                ticked=True, evidence=PARAGRAPH, programmes=[Programme.TRIPLE_P]
            ),
        },
        considerations={
            c: ConsiderationAnswer(answer=Answer.YES, explanation=PARAGRAPH)
            for c in ConsiderationId
        },
        difficulty_identified_on=date(2025, 12, 1),
        interpreter_needed=False,
        carer_agrees=True,
        notes=f"note {n}",
        decisions=[
            Decision(
                meeting=date(2026, 2, 5),
                outcome=DecisionOutcome.ALLOCATED,
                recorded_at=at,
                priority=Priority.HIGH,
                practitioner_name="Pat Practitioner",
            )
        ],
    )
    request.record(UNKNOWN_ACTOR, Action.CREATED, "Request started", at=at)
    for name, value in changes.items():
        setattr(request, name, value)
    return request


def make_db(path: Path, count: int) -> list[VigRequest]:
    requests = [full_request(n) for n in range(count)]
    with Store.open(path) as store:
        store.import_requests(requests)
        return store.requests()


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# Paths, creation and permissions


def test_default_path_honours_the_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("VIG_TUI_DB", str(tmp_path / "x.json"))
    assert default_db_path() == tmp_path / "x.json"
    monkeypatch.delenv("VIG_TUI_DB")
    assert default_db_path().parts[-2:] == ("vig-tui", "vig-tui.json")


def test_a_missing_file_is_created_owner_only(tmp_path) -> None:
    path = tmp_path / "new" / "deeper" / "vig-tui.json"
    with Store.open(path) as store:
        assert store.count() == 0
        assert store.cutoff_days == 1
    assert mode(tmp_path / "new") == 0o700
    assert mode(tmp_path / "new" / "deeper") == 0o700
    assert mode(path) == 0o600
    assert mode(path.with_name("vig-tui.json.lock")) == 0o600
    # Plain TinyDB reads what we wrote.
    with TinyDB(path) as plain:
        assert plain.tables() >= {"requests", "practitioners", "meeting_moves", "meta"}
        assert plain.table("meta").get(doc_id=1)["schema_version"] == current_version()


def test_plain_tinydb_reads_what_was_saved(db_path) -> None:
    request = full_request(1)
    with Store.open(db_path) as store:
        stored = store.save(request, base_version=None)
    with TinyDB(db_path) as plain:
        [doc] = plain.table("requests").all()
        assert VigRequest.model_validate(doc) == stored
        assert doc["version"] == 1
    assert 2000 < len(json.dumps(doc)) < 5000


def test_temp_files_are_owner_only_and_replaced(db_path, monkeypatch) -> None:
    seen: list[int] = []
    real_replace = os.replace

    def spying_replace(src, dst):
        seen.append(stat.S_IMODE(os.stat(src).st_mode))
        return real_replace(src, dst)

    with Store.open(db_path) as store:
        monkeypatch.setattr(os, "replace", spying_replace)
        store.save(full_request(), base_version=None)
    # The database, the note of what was written, and the file's index.
    assert seen == [0o600, 0o600, 0o600]
    assert mode(db_path) == 0o600
    assert sorted(p.name for p in db_path.parent.iterdir()) == [
        "vig-tui.json",
        "vig-tui.json.1",  # the file as it was before the save
        "vig-tui.json.index",  # where its tables end: adding a request need not parse it
        "vig-tui.json.lock",
        "vig-tui.json.written",  # its checksum: the next open need not check every record
    ]
    assert mode(db_path.with_name("vig-tui.json.written")) == 0o600
    assert mode(db_path.with_name("vig-tui.json.index")) == 0o600
    assert mode(db_path.with_name("vig-tui.json.1")) == 0o600


def test_a_folder_where_the_file_should_be(tmp_path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(tmp_path)


# The lock

HOLDER_PROBE = """
import sys
from pathlib import Path
from vig_tui.store import DatabaseLockedError, ReadOnlyError, Store
path = Path(sys.argv[1])
try:
    Store.open(path)
except DatabaseLockedError as error:
    print("LOCKED", error)
    print("HOLDER", error.holder["pid"], error.holder["user"])
else:
    print("OPENED")
with Store.open(path, read_only=True) as store:
    print("COUNT", store.count())
    try:
        current = store.requests()[0]
        store.save(current, base_version=current.version)
    except ReadOnlyError as error:
        print("REFUSED", error)
"""


def test_a_second_copy_in_another_process_is_refused_and_may_read(db_path) -> None:
    make_db(db_path, 2)
    with Store.open(db_path) as store:
        result = subprocess.run(
            [sys.executable, "-c", HOLDER_PROBE, str(db_path)],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        )
        out = result.stdout
        assert f"LOCKED {db_path} is open in another copy of vig-tui (user " in out
        assert f"process {os.getpid()} on host {socket.gethostname()}, since " in out
        assert "Open it read-only with --read-only, or close the other copy." in out
        assert f"HOLDER {os.getpid()} " in out
        assert "COUNT 2" in out
        assert "REFUSED" in out and "read-only" in out
        store.save(full_request(9), base_version=None)  # the holder still writes
    result = subprocess.run(
        [sys.executable, "-c", HOLDER_PROBE, str(db_path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert "OPENED" in result.stdout and "COUNT 3" in result.stdout


def test_the_same_process_cannot_open_twice_and_close_releases(db_path) -> None:
    store = Store.open(db_path)
    with pytest.raises(DatabaseLockedError) as caught:
        Store.open(db_path)
    assert caught.value.path == db_path
    assert caught.value.holder["pid"] == os.getpid()
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.count()
    Store.open(db_path).close()


def test_read_only_refuses_every_write(db_path) -> None:
    [request] = make_db(db_path, 1)
    before = snapshot(db_path)
    with Store.open(db_path, read_only=True) as store:
        assert store.read_only
        for attempt in (
            lambda: store.save(request, base_version=request.version),
            lambda: store.delete(request.id, base_version=request.version),
            lambda: store.submit(request, date(2026, 3, 1), base_version=request.version),
            lambda: store.import_requests([full_request(5)]),
            lambda: store.move_meeting(date(2026, 3, 5), date(2026, 3, 6)),
            lambda: store.save_practitioner(Practitioner(name="P")),
            lambda: setattr(store, "cutoff_days", 3),
        ):
            with pytest.raises(ReadOnlyError, match="read-only"):
                attempt()
        assert store.get(request.id) == request
    assert snapshot(db_path) == before
    missing = db_path.with_name("missing.json")
    with Store.open(missing, read_only=True) as store:
        assert store.count() == 0 and store.cutoff_days == 1
    assert not missing.exists()


# Damaged, empty and newer files are reported and left byte for byte


def _assert_refused_untouched(path: Path, error: type[StoreError], *words: str) -> str:
    before = snapshot(path)
    with pytest.raises(error) as caught:
        Store.open(path)
    message = str(caught.value)
    assert str(path) in message
    for word in words:
        assert word in message
    assert snapshot(path) == before
    # The lock was released: the error does not leave the file locked.
    with pytest.raises(error):
        Store.open(path)
    return message


def test_torn_json_is_reported_and_untouched(db_path) -> None:
    make_db(db_path, 3)
    data = db_path.read_bytes()
    db_path.write_bytes(data[: len(data) // 2])
    _assert_refused_untouched(db_path, CorruptDatabaseError, "not valid JSON")


def test_a_bad_record_names_its_position_id_and_field(db_path) -> None:
    make_db(db_path, 4)
    tables = read_tables(db_path)
    tables["requests"]["3"]["child"]["date_of_birth"] = "31/02/2025"
    write_tables(db_path, tables)
    message = _assert_refused_untouched(
        db_path, CorruptDatabaseError, "record 3 of 4", "doc id 3", "child.date_of_birth"
    )
    assert "requests" in message


def test_a_record_that_is_not_an_object(db_path) -> None:
    make_db(db_path, 2)
    tables = read_tables(db_path)
    tables["requests"]["2"] = ["not", "a", "record"]
    write_tables(db_path, tables)
    _assert_refused_untouched(db_path, CorruptDatabaseError, "record 2", "requests")


def test_an_empty_file_is_reported_not_overwritten(db_path) -> None:
    db_path.write_bytes(b"")
    _assert_refused_untouched(db_path, CorruptDatabaseError, "empty")


def test_a_newer_schema_is_refused(db_path) -> None:
    make_db(db_path, 1)
    tables = read_tables(db_path)
    tables["meta"]["1"]["schema_version"] = 7
    write_tables(db_path, tables)
    _assert_refused_untouched(db_path, NewerSchemaError, "newer version", "version 7")
    with pytest.raises(NewerSchemaError):
        Store.open(db_path, read_only=True)


def test_another_programs_tinydb_file_is_not_converted(db_path) -> None:
    with TinyDB(db_path) as other:
        other.table("users").insert({"name": "not ours"})
    _assert_refused_untouched(db_path, CorruptDatabaseError, "does not look like a vig-tui")


def test_duplicate_request_ids_are_reported(db_path) -> None:
    make_db(db_path, 2)
    tables = read_tables(db_path)
    tables["requests"]["2"]["id"] = tables["requests"]["1"]["id"]
    write_tables(db_path, tables)
    _assert_refused_untouched(db_path, CorruptDatabaseError, "same request id")


# Leftovers and migrations


def test_leftover_temp_files_are_removed_at_open(db_path) -> None:
    make_db(db_path, 1)
    ours = [
        db_path.parent / ".vig-tui.json.ab_cd123.tmp",
        db_path.parent / ".vig-tui.json.zzzzzzzz.tmp",
    ]
    others = [
        db_path.parent / ".other.json.ab_cd123.tmp",
        db_path.parent / "vig-tui.json.bak",
        db_path.parent / ".vig-tui.json.toolongname.tmp",
    ]
    for path in ours + others:
        path.write_bytes(b"{half a write")
    with Store.open(db_path, read_only=True):
        assert all(p.exists() for p in ours)  # a reader never deletes
    with Store.open(db_path) as store:
        assert store.count() == 1
    assert not any(p.exists() for p in ours)
    assert all(p.exists() for p in others)


def test_a_file_from_before_versions_is_migrated_in_one_write(db_path) -> None:
    # No history: entries of that time had another shape (tests/unit/test_upgrade.py).
    request = full_request(3).model_copy(update={"history": [], "history_head": None})
    with TinyDB(db_path) as plain:
        plain.table("requests").insert(request.model_dump(mode="json"))
        plain.table("practitioners").insert({"id": str(uuid4()), "name": "Pat"})
    stored = request.model_copy(update={"version": 1})
    with Store.open(db_path, read_only=True) as store:  # migrated in memory only
        assert store.get(request.id) == stored
        assert store.cutoff_days == 1
    assert "meta" not in read_tables(db_path)
    with Store.open(db_path) as store:
        assert store.get(request.id) == stored
        assert [p.name for p in store.practitioners()] == ["Pat"]
    tables = read_tables(db_path)
    assert tables["meta"]["1"] == {
        "schema_version": current_version(),
        "settings": {"cutoff_days": 1},
    }
    assert [doc["version"] for doc in tables["requests"].values()] == [1]
    assert tables["meeting_moves"] == {}


def test_a_version_2_file_gets_request_versions(db_path) -> None:
    """Requests stored before versions were counted start at version 1."""
    request = full_request(3)
    doc = request.model_dump(mode="json")
    del doc["version"]
    db_path.write_text(
        json.dumps(
            {
                "requests": {"1": doc},
                "practitioners": {},
                "meeting_moves": {},
                "meta": {"1": {"schema_version": 2, "settings": {"cutoff_days": 1}}},
            }
        )
    )
    with Store.open(db_path) as store:
        current = store.get(request.id)
        assert current.version == 1
        current.notes = "changed"
        assert store.save(current, base_version=1).version == 2
    assert read_tables(db_path)["meta"]["1"]["schema_version"] == current_version()


def test_migrations_run_in_order(db_path, monkeypatch) -> None:
    make_db(db_path, 2)
    version = current_version()
    ran: list[int] = []

    def to_next(tables):
        ran.append(tables["meta"]["1"]["schema_version"])
        for doc in tables["requests"].values():
            doc["notes"] = doc["notes"].upper()

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, to_next])
    with Store.open(db_path) as store:
        assert sorted(r.notes for r in store.requests()) == ["NOTE 0", "NOTE 1"]
    assert ran == [version]
    assert read_tables(db_path)["meta"]["1"]["schema_version"] == version + 1
    with Store.open(db_path):
        assert ran == [version]  # not run twice


def test_carers_stored_without_ids_get_ids_that_stay(db_path) -> None:
    """Version 1 files kept carers by place; the upgrade gives each an id, once."""
    make_db(db_path, 2)
    tables = read_tables(db_path)
    tables["meta"]["1"]["schema_version"] = 1
    for doc in tables["requests"].values():
        for carer in doc["carers"]:
            del carer["id"]
    write_tables(db_path, tables)
    with Store.open(db_path) as store:
        ids = {r.id: [c.id for c in r.carers] for r in store.requests()}
    assert all(len(carer_ids) == 1 for carer_ids in ids.values())
    stored = read_tables(db_path)
    assert stored["meta"]["1"]["schema_version"] == current_version()
    with Store.open(db_path) as store:
        assert {r.id: [c.id for c in r.carers] for r in store.requests()} == ids


def test_a_migration_producing_bad_records_changes_nothing(db_path, monkeypatch) -> None:
    make_db(db_path, 2)

    def breaks(tables):
        tables["requests"]["2"]["status"] = "lost"

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, breaks])
    _assert_refused_untouched(db_path, CorruptDatabaseError, "status")


# Failing writes leave disk and memory as they were


@pytest.fixture
def disk_full(monkeypatch):
    def fail(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    return lambda target="replace": monkeypatch.setattr(os, target, fail)


@pytest.mark.parametrize("target", ["replace", "fsync"])
def test_a_failed_save_changes_nothing(db_path, disk_full, monkeypatch, target) -> None:
    requests = make_db(db_path, 3)
    store = Store.open(db_path)
    before = snapshot(db_path)
    changed = store.get(requests[1].id)
    changed.notes = "never saved"
    changed.status = RequestStatus.WITHDRAWN
    disk_full(target)
    with pytest.raises(StoreWriteError, match="No space left") as caught:
        store.save(changed, base_version=changed.version)
    assert "Nothing was changed" in str(caught.value)
    with pytest.raises(StoreWriteError):
        store.save(full_request(7), base_version=None)
    with pytest.raises(StoreWriteError):
        store.delete(requests[0].id, base_version=requests[0].version)
    with pytest.raises(StoreWriteError):
        store.import_requests([full_request(8), full_request(9)])
    with pytest.raises(StoreWriteError):
        store.move_meeting(date(2026, 2, 5), date(2026, 2, 6))
    monkeypatch.undo()
    # Memory still says what the disk says.
    assert snapshot(db_path) == before
    assert store.get(requests[1].id) == requests[1]
    assert store.count() == 3
    assert store.requests() == requests
    assert store.counts_by_status()[RequestStatus.WITHDRAWN] == 0
    assert store.calendar().meeting_in(2026, 2).date == date(2026, 2, 5)
    assert [p.name for p in db_path.parent.iterdir() if p.suffix == ".tmp"] == []
    # And the next save writes only what it should.
    store.save(full_request(10), base_version=None)
    store.close()
    with Store.open(db_path) as reopened:
        assert reopened.count() == 4
        assert reopened.get(requests[1].id) == requests[1]


def test_the_storage_undoes_tinydbs_in_place_update(db_path, disk_full) -> None:
    db = TinyDB(db_path, storage=AtomicJSONStorage, tables={})
    table = db.table("things")
    table.insert({"n": 1, "nested": {"a": 1}})
    disk_full()
    with pytest.raises(StoreWriteError):
        table.update({"n": 2, "extra": True}, doc_ids=[1])
    with pytest.raises(StoreWriteError):
        table.insert({"n": 3})
    with pytest.raises(StoreWriteError):
        table.remove(doc_ids=[1])
    assert table.all() == [{"n": 1, "nested": {"a": 1}}]
    assert read_tables(db_path) == {"things": {"1": {"n": 1, "nested": {"a": 1}}}}


def test_the_storage_reencodes_only_what_changed(db_path) -> None:
    db = TinyDB(db_path, storage=AtomicJSONStorage, tables={})
    table = db.table("things")
    table.insert_multiple({"n": n} for n in range(5))
    table.update({"n": 99}, doc_ids=[3])
    table.remove(doc_ids=[1])
    db.table("other").insert({"x": "é"})
    expected = {"2": {"n": 1}, "3": {"n": 99}, "4": {"n": 3}, "5": {"n": 4}}
    assert read_tables(db_path) == {
        "things": expected,
        "other": {"1": {"x": "é"}},
    }
    with TinyDB(db_path) as plain:
        assert plain.table("things").get(doc_id=3) == {"n": 99}


def test_a_linked_database_stays_linked(tmp_path) -> None:
    real = tmp_path / "real" / "vig-tui.json"
    make_db(real, 1)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    with Store.open(link) as store:
        store.save(full_request(2), base_version=None)
    assert link.is_symlink()
    with Store.open(real) as store:
        assert store.count() == 2
