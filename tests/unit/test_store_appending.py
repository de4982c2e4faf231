"""Adding new requests without parsing the file (store/appending.py, store/splice.py).

The append path must leave exactly the file the full path leaves (the same
records, the same ledger chain, a checksum that verifies), take the lock, keep
the kept copies, and step aside (return None, write nothing) for anything that
is not a plain addition to a file vig-tui last wrote: the full path then lists
conflicts and validates. A writer killed at any moment leaves the old or the
new file, never a torn one.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
import signal
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.db_files import read_tables, write_tables
from tests.unit.test_store import full_request, make_db
from vig_tui.cli import main
from vig_tui.domain.history import SERVICE_CHAIN, Actor, first_broken
from vig_tui.domain.models import VigRequest
from vig_tui.service.audit import verify
from vig_tui.store import DatabaseLockedError, Store, checksum, splice, written
from vig_tui.store.appending import import_new_requests
from vig_tui.store.generations import copy_path
from vig_tui.store.storage import AtomicJSONStorage

WHO = Actor(name="Sam Coordinator", role="coordinator", user="sam", machine="m-1")


def _no_keys(tables: Any, ends: Any) -> dict[str, Any]:
    return {}


def _copy_database(source: Path, target: Path) -> Path:
    for suffix in ("", written.SUFFIX, splice.SUFFIX):
        shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    return target


# The splice, byte for byte

_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
_DOCS = st.lists(st.dictionaries(st.text(max_size=6), _JSON, max_size=3), max_size=3)
_TABLES = st.dictionaries(
    st.sampled_from(["requests", "ledger", "meta", "_default", 'tåble "x"']),
    _DOCS,
    min_size=1,
    max_size=4,
)


@settings(max_examples=60, deadline=None)
@given(tables=_TABLES, data=st.data())
def test_a_splice_writes_the_bytes_a_full_write_writes(
    tables: dict[str, list[dict[str, Any]]], data: st.DataObject
) -> None:
    content = {
        name: {str(n): doc for n, doc in enumerate(docs, 1)} for name, docs in tables.items()
    }
    additions = {
        name: [(len(docs) + n, doc) for n, doc in enumerate(data.draw(_DOCS), 1)]
        for name, docs in tables.items()
    }
    with tempfile.TemporaryDirectory() as folder:
        spliced, full = Path(folder, "spliced.json"), Path(folder, "full.json")
        AtomicJSONStorage(spliced, tables={}, index_keys=_no_keys).replace_all(content)
        before = spliced.read_bytes()
        index = splice.read_index(spliced)
        assert index is not None
        moved = splice.splice(spliced, index, additions)
        grown = {
            name: {**table, **{str(n): doc for n, doc in additions[name]}}
            for name, table in content.items()
        }
        AtomicJSONStorage(full, tables={}, index_keys=_no_keys).replace_all(grown)
        assert spliced.read_bytes() == full.read_bytes()
        assert checksum.verify_file(spliced)
        # The new index is the one a full write keeps, and the old file is kept copy 1.
        assert moved == splice.read_index(full)
        assert copy_path(spliced, 1).read_bytes() == before


# The append path beside the full path


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("base") / "vig-tui.json"
    make_db(path, 12)
    return path


def _incoming(numbers: list[int], references: list[bool]) -> list[VigRequest]:
    return [
        full_request(100 + n, reference=f"VIG-2026-{900 + n:04d}" if referenced else None)
        for n, referenced in zip(numbers, references, strict=False)
    ]


def _without_new_ledger_times(tables: dict[str, Any], held: int) -> dict[str, Any]:
    ledger = {
        doc_id: {k: v for k, v in entry.items() if int(doc_id) <= held or k not in ("at", "hash")}
        for doc_id, entry in tables["ledger"].items()
    }
    return {**tables, "ledger": ledger}


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    numbers=st.lists(st.integers(0, 50), min_size=1, max_size=3, unique=True),
    references=st.lists(st.booleans(), min_size=3, max_size=3),
)
def test_the_append_path_leaves_the_file_the_full_path_leaves(
    base: Path, numbers: list[int], references: list[bool]
) -> None:
    requests = _incoming(numbers, references)
    with tempfile.TemporaryDirectory() as folder:
        fast = _copy_database(base, Path(folder, "fast.json"))
        full = _copy_database(base, Path(folder, "full.json"))
        report = import_new_requests(fast, requests, who=WHO)
        assert report is not None and report.added == len(requests)
        with Store.open(full) as store:
            assert store.import_requests(requests, who=WHO).added == len(requests)
        held = len(read_tables(base)["ledger"])
        assert _without_new_ledger_times(read_tables(fast), held) == _without_new_ledger_times(
            read_tables(full), held
        )
        assert checksum.verify_file(fast)
        with Store.open(fast, read_only=True) as store:
            assert store.trusted_because is not None  # the note says vig-tui wrote it
            assert first_broken(store.ledger(), SERVICE_CHAIN) is None
            assert verify(store).problems == []
            assert [r.id for r in store.requests()][-len(requests) :] == [r.id for r in requests]
        # Opened the long way (no note), every record validates.
        written.forget(fast)
        with Store.open(fast, read_only=True) as store:
            assert store.trusted_because is None
            assert store.validated() and store.count() == 12 + len(requests)


def test_the_next_append_and_the_next_full_write_both_continue_the_chain(db_path: Path) -> None:
    make_db(db_path, 3)
    for n in range(3):
        assert import_new_requests(db_path, [full_request(10 + n)], who=WHO) is not None
    with Store.open(db_path) as store:  # a full write after appends, then another append
        store.cutoff_days = 2
    assert import_new_requests(db_path, [full_request(20)], who=WHO) is not None
    with Store.open(db_path, read_only=True) as store:
        assert store.count() == 7 and store.cutoff_days == 2
        assert verify(store).problems == []


def test_the_command_line_import_takes_the_append_path(db_path: Path, tmp_path: Path) -> None:
    make_db(db_path, 3)
    incoming = tmp_path / "one.json"
    incoming.write_text(f"[{full_request(40).model_dump_json()}]", encoding="utf-8")
    before = splice.read_index(db_path)
    assert main(["import", str(incoming), "--db", str(db_path)]) == 0
    after = splice.read_index(db_path)
    assert before is not None and after is not None
    assert after.tables["requests"].count == 4 and len(after.keys["ids"]) == 4
    assert main(["audit", "verify", "--db", str(db_path)]) == 0


# Stepping aside: nothing written, the full path decides


def test_a_file_edited_by_hand_takes_the_full_validating_path(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_db(db_path, 3)
    tables = read_tables(db_path)
    tables["requests"]["2"]["child"]["date_of_birth"] = "the day before yesterday"
    write_tables(db_path, tables)  # resealed: the checksum matches, the note does not
    edited = db_path.read_bytes()
    assert import_new_requests(db_path, [full_request(40)], who=WHO) is None
    assert db_path.read_bytes() == edited
    incoming = tmp_path / "one.json"
    incoming.write_text(f"[{full_request(40).model_dump_json()}]", encoding="utf-8")
    assert main(["import", str(incoming), "--db", str(db_path)]) == 3
    assert "date_of_birth" in capsys.readouterr().err
    assert db_path.read_bytes() == edited


def test_conflicts_step_aside_and_the_full_path_lists_every_one(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    held = make_db(db_path, 3)
    first = full_request(49, reference="VIG-2026-0007")
    assert import_new_requests(db_path, [first], who=WHO) is not None
    original = db_path.read_bytes()
    taken = full_request(50, reference="VIG-2026-0007")
    twice = full_request(51)
    for requests in ([held[1]], [taken], [twice, twice]):
        assert import_new_requests(db_path, requests, who=WHO) is None
    assert db_path.read_bytes() == original
    incoming = tmp_path / "many.json"
    incoming.write_text(
        json.dumps([r.model_dump(mode="json") for r in (taken, twice, twice)]), encoding="utf-8"
    )
    assert main(["import", str(incoming), "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert "already has this reference" in err and "appears more than once" in err
    assert db_path.read_bytes() == original


@pytest.mark.parametrize("damage", ["missing", "garbled", "stale", "moved"])
def test_an_index_that_does_not_describe_the_file_steps_aside(db_path: Path, damage: str) -> None:
    make_db(db_path, 3)
    index_file = splice.index_path(db_path)
    if damage == "missing":
        index_file.unlink()
    elif damage == "garbled":
        index_file.write_bytes(b"{not json")
    elif damage == "stale":
        old = index_file.read_bytes()
        with Store.open(db_path) as store:
            store.cutoff_days = 2
        index_file.write_bytes(old)
    else:  # the right checksum, but a table's end pointing elsewhere
        raw = json.loads(index_file.read_bytes())
        raw["tables"]["ledger"][0] -= 3
        index_file.write_text(json.dumps(raw))
    original = db_path.read_bytes()
    assert import_new_requests(db_path, [full_request(40)], who=WHO) is None
    assert db_path.read_bytes() == original
    # The full path writes a fresh index; the next addition takes the append path.
    with Store.open(db_path) as store:
        store.import_requests([full_request(41)], who=WHO)
    assert import_new_requests(db_path, [full_request(42)], who=WHO) is not None


def test_the_lock_is_taken(db_path: Path) -> None:
    make_db(db_path, 2)
    with Store.open(db_path), pytest.raises(DatabaseLockedError):
        import_new_requests(db_path, [full_request(40)], who=WHO)


def test_a_full_disk_loses_nothing(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from vig_tui.store import StoreWriteError

    make_db(db_path, 2)
    original = db_path.read_bytes()

    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(StoreWriteError, match="No space left"):
        import_new_requests(db_path, [full_request(40)], who=WHO)
    monkeypatch.undo()
    assert db_path.read_bytes() == original
    assert [p for p in db_path.parent.iterdir() if p.name.endswith(".tmp")] == []
    assert import_new_requests(db_path, [full_request(40)], who=WHO) is not None


# Killed mid-append

BASE = 300
KILLS = 30


def _append_forever(path: str, ready: Any, done: Any, appended: Any) -> None:
    """Child: add request number k, one at a time, for ever, as `vig-tui import` does:
    the append path, or the full path when it steps aside (a kill between the rename
    and the note leaves the note behind the file until the next full write)."""
    k = done.value
    ready.value = 1
    while True:
        k += 1
        request = full_request(1000 + k)
        if import_new_requests(Path(path), [request], who=WHO) is not None:
            appended.value += 1
        else:
            with Store.open(Path(path)) as store:
                store.import_requests([request], who=WHO)
        done.value = k


def test_a_writer_killed_mid_append_never_tears_the_file(db_path: Path) -> None:
    make_db(db_path, BASE)
    context = multiprocessing.get_context("fork")
    done = context.RawValue("q", 0)
    appended = context.RawValue("q", 0)
    rng = random.Random(2026)
    kills = torn = 0
    while kills < KILLS:
        ready = context.RawValue("b", 0)
        child = context.Process(target=_append_forever, args=(str(db_path), ready, done, appended))
        child.start()
        while not ready.value and child.is_alive():
            time.sleep(0.002)
        # Let it finish one or two additions first (counted, not timed: a loaded machine
        # only makes this slower), then kill it at a random moment, often mid-addition.
        wanted = done.value + rng.randint(1, 2)
        while done.value < wanted and child.is_alive():
            time.sleep(0.002)
        time.sleep(rng.uniform(0.0, 0.03))
        assert child.is_alive(), f"the writer died on its own (exit {child.exitcode})"
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        kills += 1
        completed = done.value
        if any(p.name.endswith(".tmp") for p in db_path.parent.iterdir()):
            torn += 1  # killed between creating its temporary file and renaming it
        assert checksum.verify_file(db_path)
        with Store.open(db_path) as store:  # cleans up what the killed writer left
            added = store.count() - BASE
            # Every completed append is there; at most the one in flight beyond it.
            assert completed <= added <= completed + 1
            assert [r.notes for r in store.requests()[BASE:]] == [
                f"note {1000 + k}" for k in range(1, added + 1)
            ]
            assert verify(store).problems == []
        done.value = added
        assert [p for p in db_path.parent.iterdir() if p.name.endswith(".tmp")] == []
    assert done.value > kills  # the writer got real work done between kills
    assert torn > 0, "no kill landed mid-write: the test proved nothing"
    # (A kill after the rename and before the index is rewritten sends the next addition
    # down the full path, which writes a fresh index.)
    assert appended.value >= KILLS // 2, "the append path was seldom taken"
    print(f"\n{kills} kills, {torn} mid-write, {done.value} additions, {appended.value} appended")
