"""Reading a database a slice at a time (store/slices.py) with histories kept as text
(store/packed.py).

Read in slices, a file must give exactly the tables one whole parse gives, for
any content and any slice size, after a splice too; any file that is not what
its index was written for (damaged, cut short, edited, an index out of date)
must read as "not this way" so the whole read, which names the damage, takes
over. A request whose history is held as text reads, saves and verifies as one
whose history is parsed, and the file's bytes do not change by being read so.
And the point of it: opening holds less memory than the whole read.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import tempfile
import threading
import tracemalloc
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.unit.test_store_appending import _DOCS, _TABLES, _copy_database, _no_keys
from vig_tui.domain.history import Action, Actor
from vig_tui.domain.models import RequestStatus
from vig_tui.service import commands
from vig_tui.service.audit import verify
from vig_tui.service.receiving import merge_requests
from vig_tui.store import CorruptDatabaseError, Store, slices, splice
from vig_tui.store.copy import copy_register
from vig_tui.store.loading import read_database
from vig_tui.store.packed import PackedHistory
from vig_tui.store.storage import AtomicJSONStorage, read_sealed_database_file
from vig_tui.tools.demo import fill_database

TODAY = date(2026, 11, 30)
WHO = Actor(name="Sam Coordinator", role="coordinator", user="sam", machine="m-1")


def _sliced(path: Path) -> dict[str, Any] | None:
    index = splice.read_index(path)
    assert index is not None, "every write keeps an index"
    return slices.read_in_slices(path, index)


@contextlib.contextmanager
def _written(
    tables: dict[str, list[dict[str, Any]]], slice_bytes: int
) -> Iterator[tuple[Path, dict[str, dict[str, Any]], splice.FileIndex]]:
    """``tables`` (records numbered from 1) written by the storage with slices of
    ``slice_bytes``, for as long as the ``with`` lasts: the file, its content, its index."""
    content = {
        name: {str(n): doc for n, doc in enumerate(docs, 1)} for name, docs in tables.items()
    }
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(slices, "SLICE_BYTES", slice_bytes)
        path = Path(folder, "db.json")
        AtomicJSONStorage(path, tables={}, index_keys=_no_keys).replace_all(content)
        index = splice.read_index(path)
        assert index is not None
        yield path, content, index


@settings(max_examples=80, deadline=None)
@given(
    tables=_TABLES,
    slice_bytes=st.sampled_from([1, 40, 1 << 20]),
    extra=st.lists(st.dictionaries(st.text(max_size=4), st.text(max_size=8)), max_size=3),
)
def test_slices_give_the_tables_one_whole_parse_gives(
    tables: dict[str, list[dict[str, Any]]], slice_bytes: int, extra: list[dict[str, Any]]
) -> None:
    with _written(tables, slice_bytes) as (path, content, index):
        if slice_bytes == 1:  # every record starts its own slice
            assert {name: len(cuts) for name, cuts in index.cuts.items()} == {
                name: max(len(table), 1) for name, table in content.items()
            }
        assert _sliced(path) == read_sealed_database_file(path)[0] == content
        # Records spliced onto the ends of the tables: the moved cuts still read true.
        first = next(iter(content))
        additions = {first: [(len(content[first]) + n, doc) for n, doc in enumerate(extra, 1)]}
        moved = splice.splice(path, index, additions)
        splice.write_index(path, moved)
        grown = read_sealed_database_file(path)[0]
        assert grown is not None and len(grown[first]) == len(content[first]) + len(extra)
        assert slices.read_in_slices(path, moved) == grown


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo register of 120 requests with their histories, in slices of about 20 KB."""
    path = tmp_path_factory.mktemp("slices") / "vig-tui.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(slices, "SLICE_BYTES", 20_000)
        with Store.open(path) as store:
            fill_database(store, 120, today=TODAY)
    return path


def test_a_demo_register_reads_the_same_in_slices(demo: Path) -> None:
    index = splice.read_index(demo)
    assert index is not None and len(index.cuts["requests"]) > 10
    assert _sliced(demo) == read_sealed_database_file(demo)[0]


def _each_request(path: Path) -> dict[str, Any]:
    with Store.open(path, read_only=True) as store:
        return {str(s.id): store.get(s.id) for s in store.summaries()}


def test_requests_read_in_slices_are_the_requests_read_whole(demo: Path, tmp_path: Path) -> None:
    whole = _copy_database(demo, tmp_path / "whole.json")
    splice.forget(whole)  # no index: read whole
    sliced = _each_request(demo)
    assert sliced == _each_request(whole)
    assert sum(len(request.history) for request in sliced.values()) > 120 * 4
    with Store.open(demo, read_only=True) as store:
        assert verify(store).whole


def test_saving_after_a_sliced_read_writes_the_same_records(demo: Path, tmp_path: Path) -> None:
    path = _copy_database(demo, tmp_path / "vig-tui.json")
    before = read_sealed_database_file(path)[0]
    index = splice.read_index(path)
    assert before is not None and index is not None
    with Store.open(path) as store:
        first = store.summaries()[0].id
        changed = store.get(first)
        store.set_cutoff_days(3)  # a write of the whole file, every record encoded again
        moved = changed.child.model_copy(update={"address": "2 New Row, Trevenna"})
        commands.correct(
            store, WHO, changed, changed.model_copy(update={"child": moved}), "They moved"
        )
    after = read_sealed_database_file(path)[0]
    assert after is not None
    # Every request but the one changed is byte for byte what it was.
    unchanged = {k: v for k, v in before["requests"].items() if v["id"] != str(first)}
    assert len(unchanged) == 119
    assert {k: after["requests"][k] for k in unchanged} == unchanged
    written = path.read_bytes()
    assert all(orjson.dumps(doc) in written for doc in unchanged.values())
    with Store.open(path) as store:
        saved = store.get(first)
        assert saved.child.address == "2 New Row, Trevenna"
        assert saved.history[:-1] == changed.history
        assert saved.history[-1].reason == "They moved"
        assert saved.history[-1].who == WHO
        assert verify(store).whole


@pytest.mark.parametrize(
    "damage",
    ["byte in a record", "cut short", "index cuts moved", "index of another file"],
)
def test_a_file_not_as_indexed_reads_whole(demo: Path, tmp_path: Path, damage: str) -> None:
    path = _copy_database(demo, tmp_path / "vig-tui.json")
    raw = bytearray(path.read_bytes())
    index = splice.read_index(path)
    assert index is not None
    if damage == "byte in a record":
        at = raw.index(b"Fictional", len(raw) // 2)
        raw[at] = ord("f")  # still JSON, still the same length: only the checksum knows
        path.write_bytes(raw)
    elif damage == "cut short":
        path.write_bytes(raw[: len(raw) - 200])
    elif damage == "index cuts moved":
        cuts = {name: tuple(at + 1 for at in starts) for name, starts in index.cuts.items()}
        index = splice.FileIndex(
            index.digest, index.size, index.body, index.tables, index.keys, cuts
        )
        splice.write_index(path, index)
    else:
        other = tmp_path / "other.json"
        with Store.open(other) as store:
            fill_database(store, 3, today=TODAY)
        index = splice.read_index(other)
        assert index is not None
    assert slices.read_in_slices(path, index) is None
    # Given up half way through: the thread that hashed is gone, nothing left running.
    assert not [t for t in threading.enumerate() if t.name.startswith("vig-tui-hash")]
    if damage in ("byte in a record", "cut short"):
        with pytest.raises(CorruptDatabaseError) as raised:
            Store.open(path, read_only=True)
        assert "vig-tui wrote it" in str(raised.value) or "JSON" in str(raised.value)
    else:  # the index was wrong, not the file: it opens, read whole
        assert _each_request(path) == _each_request(demo)


def test_an_index_from_before_slices_reads_whole(demo: Path, tmp_path: Path) -> None:
    path = _copy_database(demo, tmp_path / "vig-tui.json")
    raw = orjson.loads(splice.index_path(path).read_bytes())
    del raw["cuts"]
    splice.index_path(path).write_bytes(orjson.dumps(raw))
    index = splice.read_index(path)
    assert index is not None and index.cuts == {}
    assert slices.read_in_slices(path, index) is None
    assert _each_request(path) == _each_request(demo)


def _peak_while_opening(path: Path) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        with Store.open(path, read_only=True) as store:
            assert store.count() == 120
            return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_opening_in_slices_holds_much_less_than_the_whole_read(demo: Path, tmp_path: Path) -> None:
    """The whole read holds the file's text beside every record parsed from it, and
    each history's entries as objects (three times their text); read in slices, one
    slice of text is alive at a time and each history is held as its text."""
    whole = _copy_database(demo, tmp_path / "whole.json")
    splice.forget(whole)
    size = os.path.getsize(demo)
    sliced_peak, whole_peak = _peak_while_opening(demo), _peak_while_opening(whole)
    assert whole_peak > 3 * size
    assert sliced_peak < 0.7 * whole_peak


@given(
    lengths=st.lists(st.integers(1, 90), max_size=40),
    slice_bytes=st.integers(1, 300),
    first=st.integers(1, 50),
)
def test_a_slice_starts_at_the_first_record_past_the_slice_size(
    lengths: list[int], slice_bytes: int, first: int
) -> None:
    expected, offset, in_slice = [first], first, 0
    for length in lengths:  # the plain way: walk the records, counting
        if in_slice >= slice_bytes:
            expected.append(offset)
            in_slice = 0
        in_slice += length + 1
        offset += length + 1
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(slices, "SLICE_BYTES", slice_bytes)
        assert slices.slice_starts(first, lengths) == tuple(expected)


# A hostile review: an index that is damaged, a thread that cannot start, splices upon splices

#: Values no index vig-tui writes holds: past the file's end (by far), before its start,
#: of the wrong kind.
_HOSTILE = st.one_of(
    st.integers(min_value=-(1 << 70), max_value=1 << 70),
    st.sampled_from([1 << 40, 1 << 62, 1 << 64, 10**30]),
    st.text(max_size=3),
    st.lists(st.integers(min_value=-5, max_value=1 << 66), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.none(),
)


@settings(max_examples=60, deadline=None)
@example(damage=[("cuts", None)])
@example(damage=[("cut", 1 << 62)])
@example(damage=[("body", 10**30)])
@given(
    damage=st.lists(
        st.tuples(st.sampled_from(["cuts", "cut", "tables", "closing", "size", "body"]), _HOSTILE),
        min_size=1,
        max_size=3,
    )
)
def test_a_damaged_index_never_stops_a_good_file_opening(
    demo: Path, damage: list[tuple[str, Any]]
) -> None:
    """The index is a cache: however it is damaged (its checksum still the note's, so it
    is believed as far as it goes), the file it describes opens, as the whole read opens
    it, never with a traceback (a cut 2**64 bytes on asked to read that much at once)."""
    with tempfile.TemporaryDirectory() as folder:
        path = _copy_database(demo, Path(folder, "vig-tui.json"))
        raw = orjson.loads(splice.index_path(path).read_bytes())
        for where, value in damage:
            if where == "cuts":
                raw["cuts"] = value
            elif where == "cut" and isinstance(raw["cuts"], dict) and raw["cuts"]:
                raw["cuts"]["requests"] = [raw["cuts"].get("requests", [0])[0], value]
            elif where == "tables":
                raw["tables"] = value
            elif where == "closing" and isinstance(raw["tables"], dict):
                raw["tables"]["requests"] = [value, 120, 120]
            elif where in ("size", "body"):
                raw[where] = value
        splice.index_path(path).write_text(json.dumps(raw))  # numbers past 64 bits too
        index = splice.read_index(path)
        if index is not None:
            slices.read_in_slices(path, index)  # None or the tables: never an error
        assert len(_each_request(path)) == 120


def test_a_hashing_thread_that_cannot_start_reads_whole(demo: Path) -> None:
    """Where no thread can be started (the process's limits), the file is read whole
    rather than not at all: opening is not refused for want of a thread to hash in."""
    index = splice.read_index(demo)
    assert index is not None
    before = threading.stack_size()
    threading.stack_size(1 << 40)  # no thread can be given a terabyte of stack
    try:
        with pytest.raises(RuntimeError):
            threading.Thread(target=lambda: None).start()
        assert slices.read_in_slices(demo, index) is None
        with Store.open(demo, read_only=True) as store:
            assert store.count() == 120
            assert store.get(store.summaries()[0].id).history
    finally:
        threading.stack_size(before)
    assert not [t for t in threading.enumerate() if t.name.startswith("vig-tui-hash")]


@settings(max_examples=40, deadline=None)
@given(tables=_TABLES, data=st.data(), slice_bytes=st.sampled_from([1, 30, 200]))
def test_splices_upon_splices_read_the_same_in_slices(
    tables: dict[str, list[dict[str, Any]]], data: st.DataObject, slice_bytes: int
) -> None:
    """Several splices in turn, each into any of the tables (an empty one too, several at
    once): the cuts moved along each time still read what the whole read reads."""
    with _written(tables, slice_bytes) as (path, content, index):
        for _ in range(data.draw(st.integers(min_value=1, max_value=4), label="splices")):
            names = data.draw(st.lists(st.sampled_from(sorted(content)), unique=True, min_size=1))
            additions: dict[str, list[tuple[int, dict[str, Any]]]] = {}
            for name in names:
                docs = data.draw(_DOCS)
                last = index.tables[name].last_id
                additions[name] = [(last + n, doc) for n, doc in enumerate(docs, 1)]
                content[name].update((str(n), doc) for n, doc in additions[name])
            index = splice.splice(path, index, additions)
            splice.write_index(path, index)
            assert read_sealed_database_file(path)[0] == content
            assert slices.read_in_slices(path, index) == content


@pytest.mark.parametrize("left_out", ["ledger", "requests", "meta"])
def test_an_index_that_leaves_out_a_table_reads_whole(
    demo: Path, tmp_path: Path, left_out: str
) -> None:
    """Read in slices, what lies between the tables the index names is checked to be just
    the braces, commas and names the writer puts there: a table the index leaves out (a
    damaged or hand-made index, its checksum still the file's) is not skipped over unread,
    which would open the register without its ledger or requests and write it so at the
    next save."""
    path = _copy_database(demo, tmp_path / "vig-tui.json")
    index = splice.read_index(path)
    assert index is not None
    tables = {name: end for name, end in index.tables.items() if name != left_out}
    cuts = {name: starts for name, starts in index.cuts.items() if name != left_out}
    short = splice.FileIndex(index.digest, index.size, index.body, tables, index.keys, cuts)
    assert slices.read_in_slices(path, short) is None
    splice.write_index(path, short)
    with Store.open(path, read_only=True) as store:
        assert store.count() == 120
        assert len(store.ledger()) == len(read_sealed_database_file(demo)[0]["ledger"])
        assert verify(store).whole


def test_every_reader_of_a_stored_request_reads_a_packed_history(
    demo: Path, tmp_path: Path
) -> None:
    """Opened in slices, every stored request's history is text; each command that reads
    stored requests (listing by status, an import compared entry by entry with the stored
    history, a merge, a meeting moved, a deletion for good, a copy to another register)
    reads it as entries, and the register still verifies."""
    path = _copy_database(demo, tmp_path / "vig-tui.json")
    tables, _ = read_database(path)
    assert tables is not None
    assert all(doc["history"].__class__ is PackedHistory for doc in tables["requests"].values())
    with Store.open(path) as store:
        first, second, third = store.requests(status=RequestStatus.SUBMITTED)[:3]
        onward = first.model_copy(deep=True)
        onward.notes = "Onward"
        onward.record(WHO, Action.CORRECTED, "Notes")
        diverged = second.model_copy(deep=True)
        diverged.history = diverged.history[:-1]
        diverged.record(WHO, Action.CORRECTED, "Another way")
        assert any("histories differ" in c for c in store.import_conflicts([diverged]))
        report = store.import_requests([onward], who=WHO)
        assert report.updated == 1 and not report.conflicts
        merged = third.model_copy(deep=True)
        merged.notes = "Merged"
        merged.record(WHO, Action.CORRECTED, "Notes")
        assert merge_requests(store, WHO, [merged], on=TODAY).merged
        store.move_meeting(date(2026, 12, 3), date(2026, 12, 10), "Room taken", who=WHO)
        last = store.requests()[-1]
        store.expunge(last.id, base_version=last.version, who=WHO, rule="Test rule")
        assert verify(store).whole
        with Store.open(tmp_path / "copy.json") as target:
            copy_register(store, target, who=WHO)
            assert verify(target).whole
            assert [r.history for r in target.requests()] == [r.history for r in store.requests()]
    with Store.open(path, read_only=True) as store:
        assert verify(store).whole
        assert store.get(first.id).notes == "Onward"
        assert store.get(third.id).notes == "Merged"
