"""`vig-tui copy` attributes what it brings in to whoever runs it: every ledger entry
the copy adds names their profile and says where it was copied from (it named the
unknown worker for the roster, the moved meetings and the records of meetings)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from vig_tui.cli import main
from vig_tui.domain.changes import describe_entry
from vig_tui.domain.history import UNKNOWN_ACTOR, Action, Actor, HistoryEntry
from vig_tui.domain.models import MeetingRecord, Practitioner
from vig_tui.store import open_repository
from vig_tui.store.repository import KeepsLedger
from vig_tui.tools.demo import fill_database

MEETING = date(2026, 12, 3)


def _ledger(path: Path) -> list[HistoryEntry]:
    with open_repository(path, read_only=True) as repository:
        assert isinstance(repository, KeepsLedger)
        return repository.ledger()


def test_a_copy_is_recorded_as_the_profile_copying_from_the_source(
    tmp_path: Path, actor: Actor, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "source.json", tmp_path / "copy.json"
    with open_repository(source) as repository:
        fill_database(repository, 12, today=date(2026, 11, 24), seed=3)
        repository.save_practitioner(Practitioner(name="Tegen Kitto", capacity=4))
        repository.move_meeting(date(2027, 1, 7), date(2027, 1, 8), "New Year")
        repository.set_cutoff_days(3)
        repository.save_meeting_record(
            MeetingRecord(meeting=MEETING, attendees=["Cam Nance"], actions="Chase the GP.")
        )
    carried = len(_ledger(source))
    assert main(["copy", "--from", str(source), "--to", str(target)]) == 0
    assert "Copied 12 requests" in capsys.readouterr().out
    ledger = _ledger(target)
    copied = ledger[carried:]
    kinds = {entry.action for entry in copied}
    assert {
        Action.ROSTER_CHANGED,
        Action.MEETING_MOVED,
        Action.MEETING_RECORDED,
        Action.IMPORTED,
        Action.SETTINGS_CHANGED,
    } <= kinds
    for entry in copied:
        assert entry.who == actor and entry.who != UNKNOWN_ACTOR, entry.summary
        if entry.action == Action.SETTINGS_CHANGED:
            continue
        said = entry.summary if entry.action == Action.IMPORTED else entry.reason or ""
        assert said.startswith(f"Copied from {source}"), entry
    moved = next(e for e in copied if e.action == Action.MEETING_MOVED)
    assert moved.reason == f"Copied from {source} (moved because: New Year)"
    assert any(f"Copied from {source}" in line for line in describe_entry(moved))
    with open_repository(target, read_only=True) as repository:
        assert [m.reason for m in repository.meeting_moves()] == ["New Year"]
    assert main(["audit", "verify", "--db", str(target)]) == 0
