"""The one atomic-file writer (vig_tui.atomic), on real files: owner-only, all or
nothing, never over an existing file unless asked, and what uses it (database,
packs, preferences) gets those promises."""

from __future__ import annotations

import errno
import os
import stat
from datetime import date
from pathlib import Path

import pytest

from vig_tui.atomic import write_atomically
from vig_tui.export import build_pack, write_pack
from vig_tui.export.write import ExportError, PackExistsError
from vig_tui.preferences import Preferences, load_preferences, save_preferences
from vig_tui.store import Store, StoreWriteError


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_writes_owner_only_bytes_or_chunks(tmp_path: Path) -> None:
    target = tmp_path / "file.json"
    write_atomically(target, b"one")
    assert target.read_bytes() == b"one" and mode(target) == 0o600
    write_atomically(target, iter([b"t", b"w", b"o"]))
    assert target.read_bytes() == b"two" and mode(target) == 0o600
    assert leftovers(tmp_path) == []


def test_an_existing_file_is_kept_unless_overwriting_is_asked(tmp_path: Path) -> None:
    target = tmp_path / "pack.md"
    target.write_bytes(b"keep me")
    with pytest.raises(FileExistsError):
        write_atomically(target, b"new", overwrite=False)
    assert target.read_bytes() == b"keep me"
    assert leftovers(tmp_path) == []
    fresh = tmp_path / "fresh.md"
    write_atomically(fresh, b"new", overwrite=False)
    assert fresh.read_bytes() == b"new" and mode(fresh) == 0o600


@pytest.mark.parametrize("overwrite", [True, False])
def test_a_full_disk_leaves_the_old_content_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, overwrite: bool
) -> None:
    target = tmp_path / "file.json"
    if overwrite:
        target.write_bytes(b"old")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(target, b"new", overwrite=overwrite)
    monkeypatch.undo()
    if overwrite:
        assert target.read_bytes() == b"old"
    else:
        assert not target.exists()  # the claimed name is given back
    assert leftovers(tmp_path) == []


def test_every_file_vig_tui_writes_goes_through_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database, a pack and the preferences: each write ends in one os.replace
    of a 0600 temporary file from the same folder."""
    replaced: list[tuple[Path, Path, int]] = []
    real_replace = os.replace

    def spy(source: str, target: str) -> None:
        replaced.append((Path(source).parent, Path(target), mode(Path(source))))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", spy)
    db = tmp_path / "db" / "vig-tui.json"
    with Store.open(db) as store:
        store.cutoff_days = 3
    pack = build_pack([], date(2026, 12, 3), date(2026, 11, 24))
    written = write_pack(pack, "md", None, tmp_path)
    settings = tmp_path / "config" / "preferences.json"
    save_preferences(Preferences(theme="textual-light"), settings)
    note = db.with_name("vig-tui.json.written")  # what was last written (store/written.py)
    index = db.with_name("vig-tui.json.index")  # where its tables end (store/splice.py)
    assert [target for _, target, _ in replaced] == [
        *(db, note, index) * 2,
        written,
        settings,
    ]
    assert all(folder == target.parent and m == 0o600 for folder, target, m in replaced)
    assert load_preferences(settings).theme == "textual-light"


def test_failures_are_told_in_each_callers_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = build_pack([], date(2026, 12, 3), date(2026, 11, 24))
    first = write_pack(pack, "md", None, tmp_path)
    with pytest.raises(PackExistsError, match="already exists"):
        write_pack(pack, "md", None, tmp_path)
    assert mode(first) == 0o600

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with Store.open(tmp_path / "vig-tui.json") as store:
        monkeypatch.setattr(os, "fsync", full)
        with pytest.raises(ExportError, match=r"the disk holding .* is full"):
            write_pack(pack, "md", first, tmp_path, force=True)
        with pytest.raises(StoreWriteError, match="Nothing was changed"):
            store.cutoff_days = 4
        with pytest.raises(OSError):
            save_preferences(Preferences(), tmp_path / "preferences.json")
        monkeypatch.undo()
        assert store.cutoff_days == 1
    assert leftovers(tmp_path) == []
