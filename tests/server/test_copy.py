"""`vig-tui copy` between a file and a server, and the ordinary commands on a server."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from vig_tui.cli import main
from vig_tui.domain.models import MeetingRecord
from vig_tui.store import RequestSummary, open_repository
from vig_tui.store.copy import copy_register
from vig_tui.tools.demo import fill_database

#: A meeting the demo register (seed 7, 60 requests) has requests at.
RECORDED = date(2026, 12, 3)


def _everything(target: str | Path) -> dict[str, object]:
    with open_repository(target, read_only=True) as repository:
        return {
            "requests": sorted(
                (r.model_dump(mode="json", exclude={"version"}) for r in repository.requests()),
                key=lambda doc: doc["id"],
            ),
            "practitioners": [p.model_dump(mode="json") for p in repository.practitioners()],
            "moves": [(m.scheduled, m.moved_to, m.reason) for m in repository.meeting_moves()],
            "cutoff_days": repository.cutoff_days,
            "record": repository.meeting_record(RECORDED).model_dump(exclude={"updated_at"}),
        }


def test_a_round_trip_file_server_file_gives_the_same_register(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source.json"
    with open_repository(source) as repository:
        fill_database(repository, 60, today=date(2026, 11, 24), seed=7)
        repository.move_meeting(date(2027, 1, 7), date(2027, 1, 8), "New Year")
        repository.cutoff_days = 3
        held = sorted({r.meeting for r in repository.requests() if r.meeting})
        assert RECORDED in held
        repository.save_meeting_record(
            MeetingRecord(meeting=RECORDED, attendees=["Cam Nance"], actions="Chase the GP.")
        )
    assert main(["copy", "--from", str(source), "--to", pg_url]) == 0
    assert "Copied 60 requests" in capsys.readouterr().out
    back = tmp_path / "back.json"
    assert main(["copy", "--from", pg_url, "--to", str(back)]) == 0
    original, on_server, returned = _everything(source), _everything(pg_url), _everything(back)
    assert original["requests"] and original["moves"]
    assert on_server == original
    assert returned == original


def test_a_copy_goes_only_into_an_empty_register(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source.json"
    with open_repository(source) as repository:
        fill_database(repository, 5, today=date(2026, 11, 24), seed=1)
    assert main(["copy", "--from", str(source), "--to", pg_url]) == 0
    capsys.readouterr()
    assert main(["copy", "--from", str(source), "--to", pg_url]) == 3
    assert "already holds 5 requests" in capsys.readouterr().err
    assert len(_everything(pg_url)["requests"]) == 5  # type: ignore[arg-type]


def test_the_commands_work_on_a_server(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--db", pg_url, "--requests", "12", "--no-app"]) == 0
    capsys.readouterr()
    assert main(["list", "--json", "--db", pg_url]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 12
    assert main(["--db", pg_url, "settings", "--cutoff-days", "2"]) == 0
    assert "cutoff-days: 2" in capsys.readouterr().out
    assert main(["--db", pg_url, "meetings", "--count", "2"]) == 0
    assert capsys.readouterr().out.count("\n") == 2


def test_a_server_that_does_not_answer_is_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"postgresql://nobody@{str(tmp_path).replace('/', '%2F')}/vig"
    assert main(["list", "--db", url]) == 3
    err = capsys.readouterr().err
    assert "The register cannot be reached" in err and "Traceback" not in err


def test_the_server_summarises_requests_as_the_file_does(tmp_path: Path, pg_url: str) -> None:
    """The summary kept beside each request on the server is the file's, row for row."""
    source = tmp_path / "source.json"
    with open_repository(source) as repository:
        fill_database(repository, 120, today=date(2026, 11, 24), seed=3)
    with open_repository(source, read_only=True) as file, open_repository(pg_url) as server:
        copy_register(file, server)

        def by_id(summaries: list[RequestSummary]) -> list[RequestSummary]:
            return sorted(summaries, key=lambda summary: summary.id)

        assert by_id(server.summaries()) == by_id(file.summaries())
        request = server.requests()[5]
        request.child.name = "Renamed Child"
        server.save(request, base_version=request.version)
        assert [s.child_name for s in server.summaries()].count("Renamed Child") == 1
