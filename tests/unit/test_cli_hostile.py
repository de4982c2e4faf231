"""The command line under hostile input and a hostile environment (issue #9, section 2).

Every case runs the real `main()` on real files; a traceback would escape
`main()` and fail the test, so each test also shows that there is none. A few
run the installed command in a subprocess, as a user would.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from uuid import uuid4

import pytest

from vig_tui.cli import NO_DATABASE, build_parser, main, parse_arguments
from vig_tui.domain.models import VigRequest
from vig_tui.store import Store
from vig_tui.tools.demo import generate_requests

TODAY = date(2026, 11, 24)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def write_requests(path: Path, requests: list[VigRequest]) -> Path:
    path.write_text(json.dumps([r.model_dump(mode="json") for r in requests]), encoding="utf-8")
    return path


@pytest.fixture
def sent_requests() -> list[VigRequest]:
    return [r for r in generate_requests(30, today=TODAY, seed=7) if r.reference][:4]


@pytest.fixture
def filled_db(db_path: Path, sent_requests: list[VigRequest]) -> Path:
    with Store.open(db_path) as store:
        store.import_requests(sent_requests[:2])
    return db_path


def default_db() -> Path:
    return Path(os.environ["VIG_TUI_DB"])


# Options mean the same before and after the subcommand.

#: Every subcommand (a path through the parser), with the arguments it needs to parse.
#: The parser's own commands are read from it: a new one fails the test below until
#: it is added here, so none can be left out.
COMMANDS: dict[tuple[str, ...], list[str]] = {
    ("meetings",): [],
    ("move-meeting",): ["2026-01-01", "2026-01-08"],
    ("settings",): [],
    ("schema",): [],
    ("import",): ["in.json"],
    ("check",): ["in.json"],
    ("list",): [],
    ("demo",): [],
    ("export",): ["--meeting", "2026-12-03", "--format", "md"],
    ("report",): ["--format", "md"],
    ("restore",): ["--list"],
    ("screenshots",): [],
    ("audit", "show"): ["VIG-2026-0001"],
    ("audit", "verify"): [],
    ("checklist", "show"): [],
    ("checklist", "check"): ["ours.toml"],
    ("checklist", "install"): ["ours.toml"],
    ("profile",): [],
    ("server", "init"): ["postgresql://vig@localhost/vig"],
    ("server", "add-user"): ["sam", "--role", "referrer", "--name", "Sam", "postgresql://h/v"],
    ("copy",): ["--from", "a.json", "--to", "postgresql://h/v"],
    ("benchmark",): ["--quick"],
    ("send",): ["DRAFT-7F3A-0001", "-o", "out.age"],
    ("service-key", "create"): ["-o", "key.json"],
    ("service-key", "show"): [],
    ("service-key", "install"): ["key.json"],
    ("service-key", "install-private"): ["register.service-key"],
    ("service-key", "remove"): [],
    ("receive",): ["request.age"],
    ("inbox",): [],
    ("notices",): ["--meeting", "2026-12-03", "-o", "out"],
    ("retention",): ["--dry-run"],
    ("sar",): ["--child", "Amy Tregear", "--dob", "1/1/2024", "-o", "amy.md"],
}


def _commands_of(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> set[tuple[str, ...]]:
    """Every leaf command of ``parser``, as the words that name it."""
    found: set[tuple[str, ...]] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found |= _commands_of(sub, (*path, name)) or {(*path, name)}
    return found


def test_every_command_is_checked_for_its_options() -> None:
    assert _commands_of(build_parser()) == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS), ids=" ".join)
@pytest.mark.parametrize("where", ["before", "after"])
def test_common_options_mean_the_same_before_or_after_the_subcommand(
    command: tuple[str, ...], where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    options = ["--db", "a.json", "--read-only", "--wait", "2.5"]
    rest = [*command, *COMMANDS[command]]
    argv = [*options, *rest] if where == "before" else [*rest, *options]
    if " ".join(command) in NO_DATABASE:
        # A command with no database refuses them, wherever they are given.
        with pytest.raises(SystemExit) as refused:
            if command[0] == "benchmark":
                main(argv)
            else:
                parse_arguments(argv)
        assert refused.value.code == 2
        said = capsys.readouterr().err
        assert f"{' '.join(command)} uses no database" in said
        assert "leave out --db, --read-only, --wait" in said
        return
    args = parse_arguments(argv)
    assert (args.db, args.read_only, args.wait) == (Path("a.json"), True, 2.5)
    plain = parse_arguments(rest)
    assert (plain.db, plain.read_only, plain.wait) == (None, False, 0.0)


def test_db_before_import_imports_there_and_nowhere_else(
    capsys, db_path, tmp_path, sent_requests
) -> None:
    source = write_requests(tmp_path / "in.json", sent_requests)
    code, out, err = run(capsys, "--db", str(db_path), "import", str(source))
    assert code == 0, err
    assert str(db_path) in out
    assert not default_db().exists()
    with Store.open(db_path, read_only=True) as store:
        assert store.count() == len(sent_requests)


def test_read_only_before_the_subcommand_refuses_to_change_settings(capsys, filled_db) -> None:
    before = filled_db.read_bytes()
    code, _, err = run(
        capsys, "--read-only", "settings", "--cutoff-days", "5", "--db", str(filled_db)
    )
    assert code == 2
    assert "--read-only" in err and "nothing was changed" in err
    assert filled_db.read_bytes() == before


@pytest.mark.parametrize(
    "argv",
    [
        ["move-meeting", "2026-01-01", "2026-01-08"],
        ["import", "IN"],
        ["demo", "--no-app", "--requests", "2"],
    ],
)
def test_every_command_that_writes_honours_read_only(
    capsys, filled_db, tmp_path, sent_requests, argv
) -> None:
    source = write_requests(tmp_path / "in.json", sent_requests[2:])
    argv = [str(source) if word == "IN" else word for word in argv]
    before = filled_db.read_bytes()
    code, _, err = run(capsys, "--read-only", "--db", str(filled_db), *argv)
    assert code == 2 and "--read-only" in err
    assert filled_db.read_bytes() == before


def test_benchmark_parses_its_own_options_and_refuses_a_database(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["benchmark", "--help"])
    assert exit_info.value.code == 0
    assert "vig-tui benchmark" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", "x.json", "benchmark", "--help"])
    assert exit_info.value.code == 2
    assert "benchmark uses no database" in capsys.readouterr().err


# Import: all or nothing, every problem listed.


def test_import_with_a_stale_record_beside_fresh_ones_writes_nothing(
    capsys, filled_db, tmp_path, sent_requests
) -> None:
    before = filled_db.read_bytes()
    stale = sent_requests[0].model_copy(deep=True)
    stale.notes = "an older copy"
    source = write_requests(tmp_path / "in.json", [sent_requests[2], stale, sent_requests[3]])
    code, _, err = run(capsys, "import", str(source), "--db", str(filled_db))
    assert code == 1
    assert "1 problem, nothing was imported" in err
    assert sent_requests[0].reference in err and "same time or later" in err
    assert filled_db.read_bytes() == before


def test_import_lists_duplicates_and_bad_records_together(
    capsys, filled_db, tmp_path, sent_requests
) -> None:
    before = filled_db.read_bytes()
    fresh, other = sent_requests[2], sent_requests[3]
    same_reference = other.model_copy(deep=True, update={"reference": fresh.reference})
    same_reference.id = uuid4()
    records = [r.model_dump(mode="json") for r in (fresh, fresh, same_reference)]
    records.append({"child": {"date_of_birth": "not a date"}})
    source = tmp_path / "in.json"
    source.write_text(json.dumps(records), encoding="utf-8")
    code, _, err = run(capsys, "import", str(source), "--db", str(filled_db))
    assert code == 1
    assert "record 4: child.date_of_birth" in err
    assert "appears more than once" in err
    assert "another request in the import already has this reference" in err
    assert "nothing was imported" in err
    assert filled_db.read_bytes() == before


def test_a_refused_import_into_a_new_path_creates_nothing(capsys, tmp_path, sent_requests) -> None:
    target = tmp_path / "new" / "db.json"
    source = write_requests(tmp_path / "in.json", [sent_requests[0], sent_requests[0]])
    code, _, err = run(capsys, "import", str(source), "--db", str(target))
    assert code == 1 and "more than once" in err
    assert not target.parent.exists()


# Hostile files: a message naming the file, never a traceback.

DEEP = "[" * 100_000 + "]" * 100_000
HUGE_NUMBER = '[{"notes": ' + "7" * 5_000 + "}]"


@pytest.mark.parametrize("command", ["import", "check"])
@pytest.mark.parametrize(
    ("content", "problem"),
    [(DEEP, "nested too deeply"), (HUGE_NUMBER, "more than 4,300 digits")],
)
def test_hostile_json_files_are_refused_with_a_message(
    capsys, db_path, tmp_path, command, content, problem
) -> None:
    source = tmp_path / "hostile.json"
    source.write_text(content, encoding="utf-8")
    code, _, err = run(
        capsys, command, str(source), *(["--db", str(db_path)] * (command == "import"))
    )
    assert code == (1 if command == "import" else 2)
    assert str(source) in err and problem in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "problem"),
    [(DEEP, "nested too deeply"), ('{"requests": ' + "9" * 5_000 + "}", "4,300 digits")],
)
@pytest.mark.parametrize("command", [["list"], ["settings", "--cutoff-days", "4"]])
def test_a_hostile_database_file_is_reported_and_left_alone(
    capsys, db_path, content, problem, command
) -> None:
    db_path.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, *command, "--db", str(db_path))
    assert code == 3
    assert str(db_path) in err and problem in err
    assert db_path.read_text(encoding="utf-8") == content


def test_a_lock_path_that_is_a_folder_is_explained(capsys, filled_db) -> None:
    lock = filled_db.with_name(filled_db.name + ".lock")
    lock.unlink()
    lock.mkdir()
    code, _, err = run(capsys, "settings", "--cutoff-days", "4", "--db", str(filled_db))
    assert code == 3
    assert f"{filled_db}.lock" in err and "folder" in err
    assert len(err.strip().splitlines()) == 1


def test_a_loop_of_links_is_explained(capsys, tmp_path) -> None:
    (tmp_path / "a.json").symlink_to(tmp_path / "b.json")
    (tmp_path / "b.json").symlink_to(tmp_path / "a.json")
    (tmp_path / "in.json").write_text("[]", encoding="utf-8")
    for argv in (
        ["list"],
        ["settings", "--cutoff-days", "4"],
        ["import", str(tmp_path / "in.json")],
    ):
        code, _, err = run(capsys, *argv, "--db", str(tmp_path / "a.json"))
        assert code == 3, argv
        assert "loop" in err, argv
    assert {p.name for p in tmp_path.iterdir()} == {"a.json", "b.json", "in.json"}


def test_the_command_itself_prints_no_traceback(tmp_path) -> None:
    source = tmp_path / "hostile.json"
    source.write_text(DEEP, encoding="utf-8")
    db = tmp_path / "db.json"
    db.write_text(DEEP, encoding="utf-8")
    for argv in (["check", str(source)], ["list", "--db", str(db)]):
        result = subprocess.run(
            [sys.executable, "-m", "vig_tui.cli", *argv], capture_output=True, text=True
        )
        assert result.returncode in (2, 3), result.stderr
        assert "Traceback" not in result.stderr
        assert "nested too deeply" in result.stderr


# A full disk, for real: a small tmpfs (needs root and mount; skipped otherwise).


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill_disk(disk: Path) -> None:
    """Take every free block of ``disk``."""
    with contextlib.suppress(OSError), open(disk / "filler", "wb", buffering=0) as filler:
        while True:
            filler.write(b"\0" * 4096)


def test_a_full_disk_during_settings_and_import_is_a_message(
    capsys, small_disk, tmp_path, sent_requests
) -> None:
    db = small_disk / "db.json"
    with Store.open(db) as store:
        store.import_requests(sent_requests[:1])
    fill_disk(small_disk)
    before = db.read_bytes()
    code, _, err = run(capsys, "settings", "--cutoff-days", "4", "--db", str(db))
    assert code == 3
    assert str(db) in err and "No space left on device" in err
    source = write_requests(tmp_path / "in.json", sent_requests[1:])
    code, _, err = run(capsys, "import", str(source), "--db", str(db))
    assert code == 3
    assert str(db) in err and "No space left on device" in err
    assert db.read_bytes() == before
    (small_disk / "filler").unlink()
    code, out, err = run(capsys, "settings", "--db", str(db))
    assert (code, out.strip()) == (0, "cutoff-days: 1"), err


# A folder the user cannot write to. Root writes anywhere, so as root the command
# runs in a forked child that has become an unprivileged user (nobody).


def run_unprivileged(argv: list[str]) -> tuple[int, str]:
    """``main(argv)`` in a child process without root's powers: (exit code, stderr)."""
    if os.geteuid() != 0:
        error = io.StringIO()
        with contextlib.redirect_stderr(error), contextlib.redirect_stdout(io.StringIO()):
            return main(argv), error.getvalue()
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop to nobody, run, report through the pipe
        outcome = "99\n"
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            error = io.StringIO()
            with contextlib.redirect_stderr(error), contextlib.redirect_stdout(io.StringIO()):
                code = main(argv)
            outcome = f"{code}\n{error.getvalue()}"
        except BaseException:
            outcome = f"99\n{traceback.format_exc()}"
        finally:
            os.write(writing, outcome.encode())
            os._exit(0)
    os.close(writing)
    with os.fdopen(reading, encoding="utf-8") as pipe:
        received = pipe.read()
    os.waitpid(pid, 0)
    code, _, message = received.partition("\n")
    return int(code), message


def test_a_folder_without_write_permission_is_a_message(capsys, tmp_path, sent_requests) -> None:
    source = write_requests(tmp_path / "in.json", sent_requests)
    # The same command once where it can write, so everything it imports is loaded
    # before the child loses the right to read root's files.
    assert run(capsys, "import", str(source), "--db", str(tmp_path / "warm.json"))[0] == 0
    base = Path(tempfile.mkdtemp(prefix="vig-tui-perm-"))
    try:
        os.chmod(base, 0o755)
        readable = base / "in.json"
        readable.write_bytes(source.read_bytes())
        os.chmod(readable, 0o644)
        folder = base / "shared"
        folder.mkdir(mode=0o555)
        os.chmod(folder, 0o555)
        db = folder / "db.json"
        code, err = run_unprivileged(["import", str(readable), "--db", str(db)])
        assert code == 3, err
        assert "Traceback" not in err
        assert f"{db}.lock" in err and "Permission denied" in err
        assert len(err.strip().splitlines()) == 1
        assert list(folder.iterdir()) == []
    finally:
        os.chmod(base / "shared", 0o700)
        shutil.rmtree(base)


# Reading commands refuse a database that does not exist.


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["list", "--json"],
        ["meetings"],
        ["settings"],
        ["export", "--meeting", "2026-12-03", "--format", "md"],
        ["check", "IN"],
    ],
)
def test_reading_commands_refuse_a_missing_database(
    capsys, tmp_path, sent_requests, monkeypatch, argv
) -> None:
    monkeypatch.chdir(tmp_path)
    source = write_requests(tmp_path / "in.json", sent_requests[:1])
    argv = [str(source) if word == "IN" else word for word in argv]
    mistyped = tmp_path / "typo" / "db.jsn"
    code, out, err = run(capsys, *argv, "--db", str(mistyped))
    assert code == 3
    assert str(mistyped) in err and "no database here" in err
    assert out == ""
    assert not mistyped.parent.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json"]


# --wait: scripted writers wait for a held lock, then give up naming the holder.


def test_wait_takes_the_lock_once_the_other_copy_lets_go(
    capsys, filled_db, tmp_path, sent_requests
) -> None:
    holder = Store.open(filled_db)
    letting_go = threading.Timer(0.3, holder.close)
    letting_go.start()
    try:
        source = write_requests(tmp_path / "in.json", sent_requests[2:])
        code, out, err = run(capsys, "import", str(source), "--db", str(filled_db), "--wait", "30")
    finally:
        letting_go.join()
    assert code == 0, err
    assert "Imported 2 new" in out


def test_without_wait_or_after_it_a_held_lock_names_the_holder(
    capsys, filled_db, tmp_path, sent_requests
) -> None:
    source = write_requests(tmp_path / "in.json", sent_requests[2:])
    with Store.open(filled_db):
        for extra in ([], ["--wait", "0.3"]):
            code, _, err = run(capsys, "import", str(source), "--db", str(filled_db), *extra)
            assert code == 3
            assert "another copy of vig-tui" in err and f"process {os.getpid()}" in err
