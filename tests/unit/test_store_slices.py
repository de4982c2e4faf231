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

import gc
import os
import tempfile
import tracemalloc
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.test_store_appending import _TABLES, _copy_database, _no_keys
from vig_tui.domain.history import Actor
from vig_tui.service import commands
from vig_tui.service.audit import verify
from vig_tui.store import CorruptDatabaseError, Store, slices, splice
from vig_tui.store.storage import AtomicJSONStorage, read_sealed_database_file
from vig_tui.tools.demo import fill_database

TODAY = date(2026, 11, 30)
WHO = Actor(name="Sam Coordinator", role="coordinator", user="sam", machine="m-1")


def _sliced(path: Path) -> dict[str, Any] | None:
    index = splice.read_index(path)
    assert index is not None, "every write keeps an index"
    return slices.read_in_slices(path, index)


@settings(max_examples=80, deadline=None)
@given(
    tables=_TABLES,
    slice_bytes=st.sampled_from([1, 40, 1 << 20]),
    extra=st.lists(st.dictionaries(st.text(max_size=4), st.text(max_size=8)), max_size=3),
)
def test_slices_give_the_tables_one_whole_parse_gives(
    tables: dict[str, list[dict[str, Any]]], slice_bytes: int, extra: list[dict[str, Any]]
) -> None:
    content = {
        name: {str(n): doc for n, doc in enumerate(docs, 1)} for name, docs in tables.items()
    }
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(slices, "SLICE_BYTES", slice_bytes)
        path = Path(folder, "db.json")
        AtomicJSONStorage(path, tables={}, index_keys=_no_keys).replace_all(content)
        index = splice.read_index(path)
        assert index is not None
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
