"""Files that stay private and whole (issue #9, section 3), on real files.

The lock file never follows a link; damage that still parses is found by the
database's checksum and leaves the file byte for byte; the last 3 replaced
files are kept and `vig-tui restore` puts a good one back; every folder made
is 0700; a killed export's hidden temporary pack is cleaned up by the next.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import multiprocessing
import os
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.db_files import read_tables, write_tables
from tests.unit.test_store import make_db
from vig_tui.cli import main
from vig_tui.preferences import Preferences, save_preferences
from vig_tui.store import CorruptDatabaseError, LockFileError, Store
from vig_tui.store.generations import KEEP, copy_path

MEETING = date(2026, 2, 5)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def saves(db_path: Path, count: int) -> list[bytes]:
    """Make ``count`` saves; the file's bytes after each."""
    contents = []
    with Store.open(db_path) as store:
        for n in range(count):
            store.cutoff_days = n
            contents.append(db_path.read_bytes())
    return contents


@contextlib.contextmanager
def umask(value: int) -> Iterator[None]:
    previous = os.umask(value)
    try:
        yield
    finally:
        os.umask(previous)


# The lock file


def test_a_lock_file_linked_to_another_file_is_never_followed(capsys, tmp_path) -> None:
    precious = tmp_path / "precious"
    precious.write_text("the only copy of something that matters\n")
    os.chmod(precious, 0o644)
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "db.json.lock").symlink_to("../precious")
    code, _, err = run(capsys, "settings", "--cutoff-days", "4", "--db", str(folder / "db.json"))
    assert code == 3
    assert "db.json.lock" in err and "symbolic link" in err
    assert precious.read_text() == "the only copy of something that matters\n"
    assert mode(precious) == 0o644
    assert not (folder / "db.json").exists()


def test_a_lock_file_with_another_name_is_never_written(tmp_path) -> None:
    precious = tmp_path / "precious"
    precious.write_text("keep me\n")
    (tmp_path / "db.json.lock").hardlink_to(precious)
    with pytest.raises(LockFileError, match="other names"):
        Store.open(tmp_path / "db.json")
    assert precious.read_text() == "keep me\n"


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_a_lock_file_of_another_user_is_never_written(tmp_path) -> None:
    lock = tmp_path / "db.json.lock"
    lock.write_text("theirs\n")
    os.chown(lock, 65534, 65534)
    with pytest.raises(LockFileError, match="another user"):
        Store.open(tmp_path / "db.json")
    assert lock.read_text() == "theirs\n"


# The checksum: damage that parses


def test_every_save_carries_a_checksum_of_the_content(db_path) -> None:
    make_db(db_path, 3)
    raw = db_path.read_bytes()
    assert raw.endswith(b'"}') and b',"checksum":"sha256:' in raw[-100:]
    tables = read_tables(db_path)
    assert {"requests", "practitioners", "meeting_moves", "meta"} <= set(tables)
    assert "checksum" not in tables


def test_a_flipped_byte_inside_a_text_value_is_found(capsys, db_path) -> None:
    make_db(db_path, 3)
    raw = bytearray(db_path.read_bytes())
    at = raw.index(b"Tregear") + 2
    raw[at] ^= 0x01  # "Tregear" -> "Trfgear": still valid JSON, still a valid request
    db_path.write_bytes(bytes(raw))
    with pytest.raises(CorruptDatabaseError, match="does not match the checksum"):
        Store.open(db_path)
    with pytest.raises(CorruptDatabaseError, match="does not match the checksum"):
        Store.open(db_path, read_only=True)
    code, out, err = run(capsys, "list", "--db", str(db_path))
    assert code == 3 and out == ""
    assert "vig-tui restore --db" in err
    assert db_path.read_bytes() == bytes(raw)


def test_a_second_requests_key_is_found_in_a_file_with_a_checksum(capsys, db_path) -> None:
    make_db(db_path, 3)
    raw = db_path.read_bytes()
    damaged = raw[:1] + b'"requests":{},' + raw[1:]
    db_path.write_bytes(damaged)
    code, out, err = run(capsys, "list", "--db", str(db_path))
    assert (code, out) == (3, "")
    assert "checksum" in err
    code, _, _ = run(capsys, "settings", "--cutoff-days", "5", "--db", str(db_path))
    assert code == 3
    assert db_path.read_bytes() == damaged


def test_a_second_requests_key_is_found_in_a_file_from_before_checksums(capsys, db_path) -> None:
    make_db(db_path, 3)
    tables = read_tables(db_path)
    # As an older vig-tui wrote it (no checksum), with the register given twice.
    body = json.dumps(tables, separators=(",", ":"))
    damaged = body[:-1] + ',"requests":{}}'
    db_path.write_text(damaged)
    code, out, err = run(capsys, "list", "--db", str(db_path))
    assert (code, out) == (3, "")
    assert "the key 'requests' twice" in err
    assert db_path.read_text() == damaged


def test_a_file_from_before_checksums_opens_and_gets_one_at_its_next_save(db_path) -> None:
    make_db(db_path, 2)
    write_tables(db_path, read_tables(db_path), sealed=False)
    assert b"checksum" not in db_path.read_bytes()
    with Store.open(db_path) as store:
        assert store.count() == 2
        store.cutoff_days = 3
    assert b',"checksum":"sha256:' in db_path.read_bytes()
    with Store.open(db_path, read_only=True) as store:
        assert store.count() == 2 and store.cutoff_days == 3


def test_a_checksum_that_is_not_where_vig_tui_writes_it_is_damage(db_path) -> None:
    make_db(db_path, 2)
    db_path.write_text(json.dumps(json.loads(db_path.read_text()), indent=2))
    with pytest.raises(CorruptDatabaseError, match="does not match the checksum"):
        Store.open(db_path, read_only=True)


# Kept copies


def test_the_last_three_files_replaced_are_kept_owner_only(db_path) -> None:
    contents = saves(db_path, 6)
    kept = sorted(
        p.name
        for p in db_path.parent.iterdir()
        if p.name not in ("vig-tui.json.lock", "vig-tui.json.written", "vig-tui.json.index")
    )
    assert kept == ["vig-tui.json", "vig-tui.json.1", "vig-tui.json.2", "vig-tui.json.3"]
    assert KEEP == 3
    # Copy 1 is the file before the last save, copy 3 the one three saves back.
    assert db_path.read_bytes() == contents[-1]
    for number in (1, 2, 3):
        assert copy_path(db_path, number).read_bytes() == contents[-1 - number]
        assert mode(copy_path(db_path, number)) == 0o600
    assert os.stat(db_path).st_ino not in {os.stat(copy_path(db_path, n)).st_ino for n in (1, 2, 3)}


def test_a_save_goes_on_when_a_copy_cannot_be_kept(db_path) -> None:
    saves(db_path, 2)
    # Something that is not ours where copy 2 would go: the rotation fails, the save does not.
    copy_path(db_path, 2).unlink()
    copy_path(db_path, 2).mkdir()
    (copy_path(db_path, 2) / "keep").write_text("x")
    with Store.open(db_path) as store:
        store.cutoff_days = 9
    with Store.open(db_path, read_only=True) as store:
        assert store.cutoff_days == 9


# vig-tui restore


def damage(path: Path) -> bytes:
    raw = bytearray(path.read_bytes())
    raw[raw.index(b"cutoff_days") + 2] ^= 0x01
    path.write_bytes(bytes(raw))
    return bytes(raw)


def test_restore_puts_back_the_newest_good_copy_and_keeps_the_damaged_file(capsys, db_path) -> None:
    contents = saves(db_path, 4)
    damaged = damage(db_path)
    damage(copy_path(db_path, 1))
    code, out, err = run(capsys, "restore", "--list", "--db", str(db_path))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("1 ") and "damaged" in lines[0] and "checksum" in lines[0]
    assert lines[1].startswith("2 ") and "good" in lines[1]
    code, out, err = run(capsys, "restore", "--db", str(db_path))
    assert code == 0, err
    assert "Put copy 2" in out
    assert db_path.read_bytes() == contents[-3]
    [aside] = db_path.parent.glob("vig-tui.json.replaced-*")
    assert aside.read_bytes() == damaged and mode(aside) == 0o600
    assert str(aside) in out
    code, out, _ = run(capsys, "settings", "--db", str(db_path))
    assert (code, out.strip()) == (0, "cutoff-days: 1")


def test_restore_of_a_chosen_copy_checks_it_first(capsys, db_path) -> None:
    saves(db_path, 4)
    damage(copy_path(db_path, 2))
    before = db_path.read_bytes()
    code, _, err = run(capsys, "restore", "--generation", "2", "--db", str(db_path))
    assert code == 3 and "Copy 2 cannot be restored" in err
    code, _, err = run(capsys, "restore", "--generation", "3", "--db", str(db_path))
    assert code == 0, err
    assert db_path.read_bytes() == copy_path(db_path, 3).read_bytes() != before


def test_restore_refuses_while_the_database_is_open_or_read_only(capsys, db_path) -> None:
    saves(db_path, 3)
    before = db_path.read_bytes()
    with Store.open(db_path):
        code, _, err = run(capsys, "restore", "--db", str(db_path))
        assert code == 3 and "another copy of vig-tui" in err
    code, _, err = run(capsys, "--read-only", "restore", "--db", str(db_path))
    assert code == 2 and "--read-only" in err
    assert db_path.read_bytes() == before


def test_restore_with_no_copies_says_so(capsys, db_path) -> None:
    Store.open(db_path).close()
    code, out, _ = run(capsys, "restore", "--list", "--db", str(db_path))
    assert code == 0 and "No earlier copies" in out
    code, _, err = run(capsys, "restore", "--db", str(db_path))
    assert code == 3 and "No earlier copies" in err


# Owner-only folders, whatever the umask


def test_every_folder_made_for_the_database_is_owner_only(tmp_path) -> None:
    with umask(0):
        Store.open(tmp_path / "a" / "b" / "db.json").close()
    assert mode(tmp_path / "a") == 0o700
    assert mode(tmp_path / "a" / "b") == 0o700


def test_every_folder_made_for_the_preferences_is_owner_only(tmp_path) -> None:
    with umask(0):
        save_preferences(Preferences(), tmp_path / "config" / "vig-tui" / "preferences.json")
    assert mode(tmp_path / "config") == 0o700
    assert mode(tmp_path / "config" / "vig-tui") == 0o700
    assert mode(tmp_path / "config" / "vig-tui" / "preferences.json") == 0o600


# A killed export leaves nothing behind for long


def _export_killed_before_its_rename(argv: list[str]) -> None:
    """Child: run the export, dying the moment it would give the pack its name."""
    import signal

    def die(*_args: object) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    os.replace = die  # type: ignore[assignment]
    main(argv)


def test_the_next_export_cleans_up_what_a_killed_export_left(capsys, db_path, tmp_path) -> None:
    make_db(db_path, 3)
    out_dir = tmp_path / "packs"
    out_dir.mkdir()
    target = out_dir / "pack.md"
    export = ["export", "--db", str(db_path), "--meeting", "2026-02-05", "--format", "md"]
    child = multiprocessing.get_context("fork").Process(
        target=_export_killed_before_its_rename, args=([*export, "-o", str(target), "--force"],)
    )
    child.start()
    child.join()
    assert child.exitcode == -9
    [leftover] = list(out_dir.iterdir())
    assert leftover.name.startswith(".pack.md.") and mode(leftover) == 0o600
    assert leftover.stat().st_size > 0  # a whole pack of children's records
    code, _, err = run(capsys, *export, "-o", str(target), "--force")
    assert code == 0, err
    assert sorted(p.name for p in out_dir.iterdir()) == ["pack.md"]
    # One left by a killed export under a default name goes whichever pack is written next.
    stale = out_dir / ".vig-meeting-pack-2026-01-01.md.abcd1234.tmp"
    stale.write_text("an abandoned pack")
    code, _, err = run(capsys, *export, "-o", str(out_dir / "other.md"))
    assert code == 0, err
    assert sorted(p.name for p in out_dir.iterdir()) == ["other.md", "pack.md"]


def test_an_export_still_writing_keeps_its_temporary_file(capsys, db_path, tmp_path) -> None:
    make_db(db_path, 3)
    busy = tmp_path / ".pack.md.abcd1234.tmp"
    busy.write_text("being written")
    with open(busy, "rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        code, _, err = run(
            capsys,
            *["export", "--db", str(db_path), "--meeting", "2026-02-05", "--format", "md"],
            *["-o", str(tmp_path / "pack.md"), "--force"],
        )
        assert code == 0, err
        assert busy.exists()
    unrelated = tmp_path / ".vig-tui.json.abcd1234.tmp"
    unrelated.write_text("a database's temporary file: not an export's")
    code, _, err = run(
        capsys,
        *["export", "--db", str(db_path), "--meeting", "2026-02-05", "--format", "md"],
        *["-o", str(tmp_path / "pack.md"), "--force"],
    )
    assert code == 0, err
    assert not busy.exists() and unrelated.exists()
