"""Listing without opening: read_summaries reads a real file one request at a time,
gives what opening gives, refuses what opening refuses, and `vig-tui list`
prints exactly what the plain TinyDB script (the benchmark's yardstick) prints."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tinydb import TinyDB

from tests.db_files import read_tables, write_tables
from tests.unit.test_store import full_request, make_db, snapshot
from vig_tui.cli import main
from vig_tui.domain.models import RequestStatus
from vig_tui.store import (
    CorruptDatabaseError,
    NewerSchemaError,
    Store,
    StoreError,
    read_summaries,
)
from vig_tui.store import stream as stream_module
from vig_tui.store.baseline import SCRIPT


def test_the_same_summaries_as_opening(db_path: Path) -> None:
    make_db(db_path, 30)
    with Store.open(db_path) as store:
        store.save(full_request(99, status="draft"), base_version=None)
        named = store.requests()[3]
        named.child.name = "Zoë Siân Ó Briain"
        store.save(named, base_version=named.version)
        opened = store.summaries()
    assert read_summaries(db_path) == opened
    assert read_summaries(str(db_path)) == opened


@pytest.mark.parametrize("chunk", [7, 64, 4096])
def test_records_across_chunk_boundaries_and_any_layout(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """A file written by plain TinyDB with indentation, read in tiny chunks."""
    requests = [full_request(n) for n in range(5)]
    with TinyDB(db_path, indent=3, ensure_ascii=False) as plain:
        plain.table("requests").insert_multiple(r.model_dump(mode="json") for r in requests)
        plain.table("practitioners").insert({"id": "x", "name": "Pat", "n": 12345})
    monkeypatch.setattr(stream_module, "_CHUNK", chunk)
    rows = read_summaries(db_path)
    assert [row.id for row in rows] == [r.id for r in requests]
    assert [row.child_name for row in rows] == [r.child.name for r in requests]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    tables=st.dictionaries(
        st.text(max_size=8),
        st.dictionaries(
            st.integers(1, 10**6).map(str),
            st.dictionaries(st.text(max_size=5), st.integers() | st.text() | st.none()),
            max_size=3,
        ),
        max_size=4,
    ),
    indent=st.none() | st.integers(0, 3),
    chunk=st.integers(1, 50),
)
def test_other_tables_come_back_as_json_reads_them(
    tmp_path: Path, tables: dict, indent: int | None, chunk: int
) -> None:
    tables.pop("requests", None)
    path = tmp_path / "tables.json"
    path.write_text(json.dumps(tables, indent=indent, ensure_ascii=False), encoding="utf-8")
    original = stream_module._CHUNK
    stream_module._CHUNK = chunk
    try:
        assert stream_module.stream_tables(path, "requests", lambda *_: None) == tables
    finally:
        stream_module._CHUNK = original


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda text: text[: len(text) // 2], "not valid JSON"),
        (lambda text: "", "empty"),
        (lambda text: "[1, 2]", "JSON object of tables"),
        (lambda text: "[" * 100_000, "nested too deeply"),
        (lambda text: text + " {}", "more after the tables"),
        (lambda text: text.replace('"requests":{"1":{', '"requests":{"1":[{', 1), "JSON"),
        (lambda text: text.replace('"requests":{"1"', '"requests":{"one"', 1), "'one'"),
        (lambda text: text.replace('"2":{', '"2":7,"x":{', 1), "not a JSON object"),
        (lambda text: text.replace('"schema_version":', '"schema_version":1000+', 1), "JSON"),
    ],
)
def test_damaged_files_are_refused_and_left_alone(db_path: Path, damage, words: str) -> None:
    make_db(db_path, 3)
    # Without its checksum (as before checksums were kept): each structural check is seen.
    write_tables(db_path, read_tables(db_path), sealed=False)
    db_path.write_text(damage(db_path.read_text(encoding="utf-8")), encoding="utf-8")
    before = snapshot(db_path)
    with pytest.raises(CorruptDatabaseError) as caught:
        read_summaries(db_path)
    assert words in str(caught.value) and str(db_path) in str(caught.value)
    assert snapshot(db_path) == before


def test_a_record_that_cannot_be_summarised_or_a_repeated_id(db_path: Path) -> None:
    make_db(db_path, 3)
    tables = json.loads(db_path.read_text())
    tables["requests"]["2"]["updated_at"] = "yesterday"
    db_path.write_text(json.dumps(tables))
    with pytest.raises(CorruptDatabaseError, match=r"record 2 in table 'requests'.*updated_at"):
        read_summaries(db_path)
    tables["requests"]["2"] = tables["requests"]["1"]
    db_path.write_text(json.dumps(tables))
    with pytest.raises(CorruptDatabaseError, match="same request id"):
        read_summaries(db_path)


def test_newer_foreign_missing_and_folder(db_path: Path, tmp_path: Path) -> None:
    make_db(db_path, 1)
    tables = read_tables(db_path)
    tables["meta"]["1"]["schema_version"] = 99
    write_tables(db_path, tables)
    with pytest.raises(NewerSchemaError):
        read_summaries(db_path)
    foreign = tmp_path / "foreign.json"
    foreign.write_text(json.dumps({"_default": {"1": {"a": 1}}}))
    with pytest.raises(CorruptDatabaseError, match="does not look like a vig-tui database"):
        read_summaries(foreign)
    assert read_summaries(tmp_path / "missing.json") == []
    with pytest.raises(StoreError, match="folder"):
        read_summaries(tmp_path)


@pytest.mark.parametrize("as_json", [False, True])
def test_list_prints_what_the_plain_tinydb_script_prints(
    db_path: Path, capsys: pytest.CaptureFixture[str], as_json: bool
) -> None:
    make_db(db_path, 12)
    with Store.open(db_path) as store:
        store.save(full_request(50), base_version=None)  # a draft: no reference
        store.submit(full_request(51), full_request(0).created_at.date(), base_version=None)
    options = ["--json"] if as_json else []
    assert main(["list", "--db", str(db_path), *options]) == 0
    ours = capsys.readouterr().out
    plain = subprocess.run(
        [sys.executable, str(SCRIPT), str(db_path), *options],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if as_json:
        assert json.loads(ours) == json.loads(plain)
        assert len(json.loads(ours)) == 14
    else:
        assert ours == plain
        assert ours.splitlines()[-1].startswith("draft ")


def test_list_has_a_heading_and_statuses_in_words(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`vig-tui list` printed raw codes ("not_accepted") and no heading; --json keeps codes."""
    make_db(db_path, 3)
    with Store.open(db_path) as store:
        store.save(full_request(50), base_version=None)  # a draft
    assert main(["list", "--db", str(db_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Reference", "Status", "Meeting", "Child"]
    assert lines[-1].split()[:2] == ["draft", "Draft"]
    labels = {status.label for status in RequestStatus}
    for line in lines[1:]:
        status = line[16:29].strip()
        assert status in labels, line
        assert "_" not in status
    assert main(["list", "--db", str(db_path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {row["status"] for row in rows} <= {status.value for status in RequestStatus}


def test_the_plain_script_words_statuses_as_the_app_does() -> None:
    from vig_tui.store.baseline import STATUS_WORDS

    assert {status.value: status.label for status in RequestStatus} == STATUS_WORDS


def test_list_starts_without_the_backends_or_the_models(db_path: Path) -> None:
    """`vig-tui list` is as quick as the plain script partly because it imports no more
    than reading needs: at 10,000 requests importing TinyDB, pydantic and the models
    took longer than the listing itself."""
    make_db(db_path, 3)
    probe = (
        "import sys\n"
        "from vig_tui.cli import main\n"
        f"code = main(['list', '--db', {str(db_path)!r}])\n"
        "heavy = sorted(m for m in ('pydantic', 'tinydb', 'vig_tui.domain.models',\n"
        "    'vig_tui.store.file_repository', 'textual') if m in sys.modules)\n"
        "print('imported:', heavy)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.count("\n") == 5  # the heading, three requests, then the probe's line
    assert done.stdout.splitlines()[-1] == "imported: []"
