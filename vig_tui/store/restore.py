"""Putting a kept copy of the database back (``vig-tui restore``).

Each copy is checked as the database itself is at open (its checksum, and
every record validated) before it is offered or used. Restoring holds the
database's lock, so no copy of the app can be writing meanwhile; the file it
replaces is never deleted but kept beside it as ``<name>.replaced-<when>``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..atomic import write_atomically
from . import generations
from .errors import CorruptDatabaseError, StoreError
from .lock import DatabaseLock


@dataclass(frozen=True)
class KeptCopy:
    """One earlier copy of the database, and whether it can be put back."""

    number: int
    path: Path
    saved_at: datetime
    size: int
    requests: int | None  # None when it cannot be restored
    problem: str | None  # why not (the message opening it gave)

    @property
    def good(self) -> bool:
        return self.problem is None


def check_copy(db_path: Path, number: int) -> KeptCopy | None:
    """Copy ``number`` of the database, checked; None if there is no such copy."""
    from .file_repository import FileRepository

    path = generations.copy_path(db_path, number)
    if path not in generations.kept_copy_paths(db_path):
        return None
    info = path.stat()
    saved_at = datetime.fromtimestamp(info.st_mtime).astimezone()
    try:
        with FileRepository.open(path, read_only=True) as copy:
            count = copy.count()
    except CorruptDatabaseError as error:
        return KeptCopy(number, path, saved_at, info.st_size, None, error.detail)
    except StoreError as error:
        return KeptCopy(number, path, saved_at, info.st_size, None, str(error))
    return KeptCopy(number, path, saved_at, info.st_size, count, None)


def kept_copies(db_path: Path) -> list[KeptCopy]:
    """Every kept copy of the database, newest first, each checked."""
    found = (check_copy(db_path, n) for n in range(1, generations.KEEP + 1))
    return [copy for copy in found if copy is not None]


@dataclass(frozen=True)
class Restored:
    copy: KeptCopy
    #: Where the file that was replaced is kept (None when there was none).
    set_aside: Path | None


def restore(db_path: Path, number: int | None = None, *, wait: float = 0.0) -> Restored:
    """Put copy ``number`` (default: the newest good one) back as the database.

    Raises :class:`StoreError` (nothing changed) when the database is in use,
    the copy does not exist or fails its check, or there is no good copy.
    """
    from .file_repository import database_file

    db_path = database_file(Path(db_path).expanduser())
    lock = DatabaseLock.acquire(db_path, wait=wait)
    try:
        if number is None:
            copies = kept_copies(db_path)
            if not copies:
                raise StoreError(f"No earlier copies of {db_path} are kept; nothing was changed.")
            chosen = next((copy for copy in copies if copy.good), None)
            if chosen is None:
                raise StoreError(
                    f"None of the {len(copies)} earlier copies of {db_path} can be restored "
                    "(see `vig-tui restore --list`); nothing was changed."
                )
        else:
            found = check_copy(db_path, number)
            if found is None:
                raise StoreError(
                    f"There is no copy {number} of {db_path} (see `vig-tui restore --list`); "
                    "nothing was changed."
                )
            if not found.good:
                raise StoreError(f"Copy {number} cannot be restored: {found.problem}")
            chosen = found
        set_aside = _set_aside(db_path)
        try:
            write_atomically(db_path, chosen.path.read_bytes())
        except OSError as error:
            raise StoreError(
                f"Could not put copy {chosen.number} back as {db_path}: "
                f"{error.strerror or error}. Nothing was changed."
            ) from None
        return Restored(chosen, set_aside)
    finally:
        lock.release()


def _set_aside(db_path: Path) -> Path | None:
    """Keep the database being replaced under another name (a hard link: no copy)."""
    if not db_path.exists():
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.name}.replaced-{stamp}")
    suffix = 1
    while aside.exists():
        suffix += 1
        aside = db_path.with_name(f"{db_path.name}.replaced-{stamp}-{suffix}")
    try:
        try:
            os.link(db_path, aside, follow_symlinks=False)
        except OSError:  # a file system without hard links
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
            with os.fdopen(os.open(aside, flags, 0o600), "wb") as kept:
                kept.write(db_path.read_bytes())
                kept.flush()
                os.fsync(kept.fileno())
    except OSError as error:
        raise StoreError(
            f"Could not keep {db_path} aside before restoring: {error.strerror or error}. "
            "Nothing was changed."
        ) from None
    return aside
