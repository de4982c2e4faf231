"""`vig-tui audit`: a real database file, whole, then tampered with in each way a person might.

Each tamper edits the JSON file directly (as someone with a text editor would),
then `vig-tui audit verify` must exit 1 naming the first broken place.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.db_files import read_tables, write_tables
from vig_tui.cli import main
from vig_tui.domain.history import Actor
from vig_tui.domain.models import Decision, DecisionOutcome, Practitioner, Priority
from vig_tui.service import correct, decide, delete_draft, save_practitioner, send
from vig_tui.store import Store
from vig_tui.tools.demo import fill_database
from vig_tui.tools.gallery import example_request

TODAY = date(2026, 11, 24)
ANN = Actor(name="Ann Kitto", role="Health visitor", user="ann", machine="machine-a")
BOB = Actor(name="Bob Hosken", role="VIG coordinator", user="bob", machine="machine-b")

Tables = dict[str, dict[str, dict[str, Any]]]


@pytest.fixture
def database(db_path: Path) -> Path:
    """A demo database, plus one request sent, corrected and decided through the service."""
    with Store.open(db_path) as store:
        fill_database(store, 12, today=TODAY)
        jo = Practitioner(name="Jo Pascoe")
        save_practitioner(store, BOB, jo)
        sent = send(store, ANN, example_request(), TODAY)
        changed = sent.model_copy(deep=True)
        changed.child.name = "Amelia Tregear-Rowe"
        corrected = correct(store, BOB, sent, changed, "Surname was incomplete")
        assert sent.meeting is not None
        decision = Decision(
            meeting=sent.meeting,
            outcome=DecisionOutcome.ALLOCATED,
            practitioner_id=jo.id,
            practitioner_name=jo.name,
            priority=Priority.HIGH,
        )
        decide(store, BOB, corrected, decision, store.calendar())
        draft = example_request()
        store.save(draft, base_version=None)
        delete_draft(store, ANN, draft.id, "Started by mistake")
    return db_path


def tamper(path: Path, change: Callable[[Tables], None]) -> None:
    """Edit the file's JSON as a tamperer would: every history hash left as it was, and
    the whole file's checksum made again (it proves the file whole, not who wrote it)."""
    tables: Tables = read_tables(path)
    change(tables)
    write_tables(path, tables)


def reference_doc(tables: Tables, reference: str) -> dict[str, Any]:
    return next(d for d in tables["requests"].values() if d["reference"] == reference)


def verify(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["audit", "verify", "--db", str(path)])
    return code, capsys.readouterr().out


def test_a_whole_database_verifies(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = verify(database, capsys)
    assert code == 0
    assert out.startswith("The record is whole: 13 requests, ")
    assert len(out.strip().splitlines()) == 1


def test_an_edited_value_is_named_by_reference_and_entry(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(tables: Tables) -> None:
        doc = reference_doc(tables, "VIG-2026-0013")
        doc["history"][2]["changes"][0]["new"] = "Someone Else"

    tamper(database, edit)
    code, out = verify(database, capsys)
    assert code == 1
    assert "VIG-2026-0013, entry 3" in out


def test_a_removed_entry_is_named(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tamper(database, lambda t: reference_doc(t, "VIG-2026-0013")["history"].pop(1))
    code, out = verify(database, capsys)
    assert (code, "VIG-2026-0013, entry 2" in out) == (1, True)


def test_the_newest_entry_removed_is_named(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tamper(database, lambda t: reference_doc(t, "VIG-2026-0013")["history"].pop())
    code, out = verify(database, capsys)
    assert code == 1
    assert "VIG-2026-0013, entry 4" in out and "removed from the end" in out


def test_reordered_entries_are_named(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def swap(tables: Tables) -> None:
        history = reference_doc(tables, "VIG-2026-0013")["history"]
        history[1], history[2] = history[2], history[1]

    tamper(database, swap)
    code, out = verify(database, capsys)
    assert (code, "VIG-2026-0013, entry 2" in out) == (1, True)


def test_a_request_removed_from_the_file_is_named(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def remove(tables: Tables) -> None:
        doc_id = next(k for k, d in tables["requests"].items() if d["reference"] == "VIG-2026-0002")
        del tables["requests"][doc_id]

    tamper(database, remove)
    code, out = verify(database, capsys)
    assert code == 1
    assert "VIG-2026-0002" in out and "missing from the database" in out


def test_an_edited_ledger_entry_is_named(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(tables: Tables) -> None:
        deleted = next(e for e in tables["ledger"].values() if e["action"] == "deleted")
        deleted["reason"] = "Nothing to see"

    tamper(database, edit)
    code, out = verify(database, capsys)
    assert code == 1 and "service ledger, entry" in out


def test_audit_show_prints_each_entry_in_order(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "show", "VIG-2026-0013", "--json", "--db", str(database)]) == 0
    entries = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [e["action"] for e in entries] == ["created", "sent", "corrected", "decided"]
    corrected = entries[2]
    assert corrected["who"] == {
        "name": "Bob Hosken",
        "role": "VIG coordinator",
        "user": "bob",
        "machine": "machine-b",
    }
    assert corrected["changes"] == [
        {
            "field": "child.name",
            "label": "The child's full name",
            "old": "Amelia Tregear",
            "new": "Amelia Tregear-Rowe",
        }
    ]
    assert corrected["reason"] == "Surname was incomplete"
    assert corrected["at"].endswith("Z") and len(corrected["hash"]) == 64
    assert main(["audit", "show", "vig-2026-0013", "--db", str(database)]) == 0
    text = capsys.readouterr().out
    assert "3. " in text and "by Bob Hosken, VIG coordinator (bob on machine-" in text
    assert "The child's full name: Amelia Tregear → Amelia Tregear-Rowe" in text
    assert "Reason: Surname was incomplete" in text


def test_audit_show_of_an_unknown_reference_says_so(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "show", "VIG-2026-9999", "--db", str(database)]) == 1
    assert "there is no request VIG-2026-9999" in capsys.readouterr().err
