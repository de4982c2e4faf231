"""The command line, run in-process through `main()` on real database files."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from vig_tui.cli import main
from vig_tui.domain.models import VigRequest
from vig_tui.store import Store
from vig_tui.tools.demo import generate_requests

TODAY = date(2026, 11, 24)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write_requests(path: Path, requests: list[VigRequest]) -> Path:
    path.write_text(json.dumps([r.model_dump(mode="json") for r in requests]), encoding="utf-8")
    return path


@pytest.fixture
def existing_db(db_path: Path) -> Path:
    """An empty database (commands that only read refuse one that does not exist)."""
    Store.open(db_path).close()
    return db_path


@pytest.fixture
def sent_requests() -> list[VigRequest]:
    return [r for r in generate_requests(30, today=TODAY, seed=7) if r.reference][:5]


def test_meetings_lists_the_first_thursdays(capsys, db_path, existing_db: Path) -> None:
    code, out, _ = run(
        capsys, "meetings", "--db", str(db_path), "--from", "2026-11-24", "--count", "3"
    )
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == [
        "2026-12-03",
        "2027-01-07",
        "2027-02-04",
    ]


def test_meetings_flag_a_bank_holiday_with_the_next_working_day(
    capsys, db_path, existing_db: Path
) -> None:
    code, out, _ = run(
        capsys, "meetings", "--db", str(db_path), "--from", "2025-12-20", "--count", "1"
    )
    assert code == 0
    line = out.strip()
    assert line.startswith("2026-01-01")
    assert "bank holiday" in line and "2026-01-02" in line


def test_version_and_every_help_mention_db(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert "vig-tui" in capsys.readouterr().out
    for command in (
        "meetings",
        "schema",
        "import",
        "check",
        "list",
        "demo",
        "export",
        "screenshots",
    ):
        with pytest.raises(SystemExit) as exit_info:
            main([command, "--help"])
        assert exit_info.value.code == 0
        assert "--db" in capsys.readouterr().out, command


def test_schema_is_the_request_json_schema(capsys) -> None:
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0
    assert {"child", "referrer", "evidence", "considerations", "case_holder"} <= set(
        schema["properties"]
    )


def test_import_then_list_json(capsys, db_path, tmp_path, sent_requests) -> None:
    source = write_requests(tmp_path / "in.json", sent_requests)
    code, out, err = run(capsys, "import", str(source), "--db", str(db_path))
    assert code == 0, err
    assert "Imported 5 new" in out
    code, out, _ = run(capsys, "list", "--json", "--db", str(db_path))
    rows = json.loads(out)
    assert code == 0
    assert {row["reference"] for row in rows} == {r.reference for r in sent_requests}
    first = next(row for row in rows if row["id"] == str(sent_requests[0].id))
    assert first["child_name"] == sent_requests[0].child.name
    assert first["child_date_of_birth"] == sent_requests[0].child.date_of_birth.isoformat()
    assert first["meeting"] == sent_requests[0].meeting.isoformat()
    assert first["status"] == sent_requests[0].status.value
    assert first["referrer_role"] == sent_requests[0].referrer.role.value
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600


def test_list_filters_by_status(capsys, db_path, tmp_path, sent_requests) -> None:
    run(
        capsys,
        "import",
        str(write_requests(tmp_path / "in.json", sent_requests)),
        "--db",
        str(db_path),
    )
    wanted = sent_requests[0].status.value
    code, out, _ = run(capsys, "list", "--status", wanted, "--json", "--db", str(db_path))
    assert code == 0
    rows = json.loads(out)
    assert rows and all(row["status"] == wanted for row in rows)


def test_malformed_import_changes_nothing_and_names_each_problem(
    capsys, db_path, tmp_path, sent_requests
) -> None:
    run(
        capsys,
        "import",
        str(write_requests(tmp_path / "ok.json", sent_requests[:2])),
        "--db",
        str(db_path),
    )
    before = db_path.read_bytes()
    records = [r.model_dump(mode="json") for r in sent_requests[2:]]
    records[0]["child"]["date_of_birth"] = "not a date"
    records[2]["status"] = "lost"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(records), encoding="utf-8")
    code, _, err = run(capsys, "import", str(bad), "--db", str(db_path))
    assert code == 1
    assert "record 1: child.date_of_birth" in err
    assert "record 3: status" in err
    assert "nothing was imported" in err
    assert db_path.read_bytes() == before


def test_import_not_json_is_reported(capsys, db_path, tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[{", encoding="utf-8")
    code, _, err = run(capsys, "import", str(bad), "--db", str(db_path))
    assert code == 1
    assert "not valid JSON" in err


def test_import_updates_only_when_newer(capsys, db_path, tmp_path, sent_requests) -> None:
    original = sent_requests[0]
    run(
        capsys, "import", str(write_requests(tmp_path / "a.json", [original])), "--db", str(db_path)
    )
    older = original.model_copy(deep=True)
    older.notes = "older edit"
    older.updated_at = original.updated_at - timedelta(days=1)
    code, _, err = run(
        capsys, "import", str(write_requests(tmp_path / "b.json", [older])), "--db", str(db_path)
    )
    assert code == 1
    assert "nothing was imported" in err and "same time or later" in err
    newer = original.model_copy(deep=True)
    newer.notes = "newer edit"
    newer.updated_at = datetime.now(UTC)
    code, out, err = run(
        capsys, "import", str(write_requests(tmp_path / "c.json", [newer])), "--db", str(db_path)
    )
    assert code == 0, err
    assert "1 updated" in out
    code, out, _ = run(capsys, "list", "--json", "--db", str(db_path))
    assert len(json.loads(out)) == 1


def test_check_reports_findings_and_exit_codes(capsys, tmp_path, sent_requests) -> None:
    good = write_requests(tmp_path / "good.json", sent_requests[:1])
    code, out, _ = run(capsys, "check", str(good), "--on", "2026-11-24")
    assert code == 0
    assert "ready to send" in out

    broken = sent_requests[1].model_copy(deep=True)
    broken.case_holder.exists = False
    code, out, _ = run(
        capsys, "check", str(write_requests(tmp_path / "b.json", [broken])), "--json"
    )
    payload = json.loads(out)
    assert code == 1
    assert payload[0]["blocking"] is True
    assert "no_case_holder" in {f["code"] for f in payload[0]["findings"]}

    unreadable = tmp_path / "nope.json"
    unreadable.write_text("nonsense", encoding="utf-8")
    code, _, err = run(capsys, "check", str(unreadable))
    assert code == 2
    assert "not valid JSON" in err


def test_corrupt_database_is_reported_and_left_alone(capsys, db_path) -> None:
    db_path.write_text('{"requests": {"1": {"id": ', encoding="utf-8")
    before = db_path.read_bytes()
    code, _, err = run(capsys, "list", "--db", str(db_path))
    assert code == 3
    assert str(db_path) in err
    assert db_path.read_bytes() == before


def test_demo_fills_only_the_named_database(capsys, db_path) -> None:
    code, out, _ = run(capsys, "demo", "--requests", "40", "--db", str(db_path), "--no-app")
    assert code == 0
    assert out.strip() == str(db_path)
    code, out, _ = run(capsys, "list", "--json", "--db", str(db_path))
    rows = json.loads(out)
    assert len(rows) == 40
    assert len({row["status"] for row in rows}) >= 5
    code, _, err = run(capsys, "demo", "--requests", "5", "--db", str(db_path), "--no-app")
    assert code != 0 and "empty database" in err


def test_demo_default_is_a_fresh_temporary_database(capsys) -> None:
    code, out, _ = run(capsys, "demo", "--requests", "3", "--no-app")
    path = Path(out.strip())
    assert code == 0
    assert path.exists()
    assert path != Path(os.environ["VIG_TUI_DB"])
    assert not Path(os.environ["VIG_TUI_DB"]).exists()


def test_export_writes_owner_only_and_never_overwrites(capsys, db_path, tmp_path) -> None:
    run(capsys, "demo", "--requests", "60", "--db", str(db_path), "--no-app")
    code, out, _ = run(
        capsys, "meetings", "--db", str(db_path), "--from", date.today().isoformat(), "--count", "1"
    )
    meeting = out.split()[0]
    target = tmp_path / "pack.csv"
    export = ("export", "--db", str(db_path), "--meeting", meeting, "--format", "csv")
    code, out, err = run(capsys, *export, "-o", str(target))
    assert code == 0, err
    assert target.exists() and str(target) in out
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    code, _, err = run(capsys, *export, "-o", str(target))
    assert code != 0 and str(target.name) in err
    code, _, err = run(capsys, *export, "-o", str(target), "--force")
    assert code == 0, err


def test_export_rejects_a_date_that_is_not_a_meeting(capsys, db_path, existing_db: Path) -> None:
    code, _, err = run(
        capsys, "export", "--db", str(db_path), "--meeting", "2026-12-02", "--format", "md"
    )
    assert code == 2
    assert "not an allocation meeting" in err


def test_benchmark_is_reachable_from_the_command(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["benchmark", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "vig-tui benchmark" in out and "--quick" in out


def test_a_moved_meeting_is_listed_and_takes_its_requests(capsys, db_path, tmp_path) -> None:
    code, _, err = run(
        capsys,
        "move-meeting",
        "2026-01-01",
        "2026-01-08",
        "--db",
        str(db_path),
        "--reason",
        "New Year's Day",
    )
    assert code == 0, err
    code, out, _ = run(
        capsys, "meetings", "--db", str(db_path), "--from", "2025-12-20", "--count", "1"
    )
    assert out.startswith("2026-01-08")
    assert "moved from 2026-01-01" in out
    code, _, err = run(capsys, "move-meeting", "2026-01-02", "2026-01-09", "--db", str(db_path))
    assert code == 2 and "not an allocation meeting day" in err


def test_the_cutoff_is_a_stored_setting(capsys, db_path, existing_db: Path) -> None:
    code, out, _ = run(capsys, "settings", "--db", str(db_path))
    assert (code, out.strip()) == (0, "cutoff-days: 1")
    code, out, _ = run(capsys, "settings", "--cutoff-days", "3", "--db", str(db_path))
    assert (code, out.strip()) == (0, "cutoff-days: 3")
    code, _, err = run(capsys, "settings", "--cutoff-days", "99", "--db", str(db_path))
    assert code == 2 and "0 to 60" in err
    code, out, _ = run(capsys, "settings", "--db", str(db_path))
    assert out.strip() == "cutoff-days: 3"
