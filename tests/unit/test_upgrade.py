"""A database made by the release before attributed history opens, upgrades, and verifies.

tests/fixtures/release-0.1.json was made by that release (`vig-tui demo --requests 20
--no-app`), before the history model changed; it is copied, never changed in place.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from vig_tui.cli import main
from vig_tui.domain.history import UNKNOWN_WORKER
from vig_tui.service import verify
from vig_tui.store import Store
from vig_tui.store.migrations import current_version

FIXTURE = Path(__file__).parent.parent / "fixtures" / "release-0.1.json"


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    copy = tmp_path / "release-0.1.json"
    shutil.copyfile(FIXTURE, copy)
    return copy


def test_the_old_file_is_upgraded_and_its_history_attributed(old_file: Path) -> None:
    old = json.loads(old_file.read_text())
    assert old["meta"]["1"]["schema_version"] == 1
    old_kinds = {doc["id"]: len(doc["history"]) for doc in old["requests"].values()}
    with Store.open(old_file) as store:
        requests = store.requests()
        assert len(requests) == 20 == len(store.ledger())
        for request in requests:
            assert len(request.history) == old_kinds[str(request.id)]
            assert {entry.who.name for entry in request.history} == {UNKNOWN_WORKER}
            assert request.history_problem() is None
        closed = next(r for r in requests if r.reference == "VIG-2026-0001")
        status_changes = [
            (c.old, c.new) for entry in closed.history for c in entry.changes if c.field == "status"
        ]
        assert status_changes == [
            ("draft", "submitted"),
            ("submitted", "allocated"),
            ("allocated", "closed"),
        ]
        assert closed.history[-1].reason == "VIG cycles complete; family and case holder informed."
        report = verify(store)
        assert report.whole, report.summary()
    assert json.loads(old_file.read_text())["meta"]["1"]["schema_version"] == current_version()


def test_audit_verify_passes_on_the_upgraded_file(
    old_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(old_file):
        pass
    assert main(["audit", "verify", "--db", str(old_file)]) == 0
    assert "The record is whole: 20 requests" in capsys.readouterr().out
