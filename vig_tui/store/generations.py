"""The last good copies of the database, kept beside it.

Before a save replaces the database, the file being replaced becomes copy 1
(``vig-tui.json.1``, a hard link: no data is copied), copy 1 becomes copy 2
and so on; the oldest beyond :data:`KEEP` is dropped. A copy keeps the
database's owner-only mode. ``vig-tui restore`` checks them and puts one back
(see :mod:`vig_tui.store.restore`). Only the holder of the database's lock
rotates them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import stat
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

#: How many earlier copies are kept.
KEEP = 3


def copy_path(db_path: Path, number: int) -> Path:
    """Where copy ``number`` (1 = the newest) of the database is kept."""
    return db_path.with_name(f"{db_path.name}.{number}")


def kept_copy_paths(db_path: Path) -> list[Path]:
    """The copies that exist (plain files, not links), newest first."""
    found = []
    for number in range(1, KEEP + 1):
        path = copy_path(db_path, number)
        with contextlib.suppress(OSError):
            if stat.S_ISREG(os.lstat(path).st_mode):
                found.append(path)
    return found


def keep_previous(db_path: Path) -> None:
    """Shift the kept copies along and keep the current database as copy 1.

    Called just before the database is replaced. Keeping copies must never
    stop a save: a failure is logged and the save goes on.
    """
    try:
        os.lstat(db_path)
    except FileNotFoundError:
        return  # the first save of a new database
    except OSError as error:
        log.warning("could not keep a copy of %s: %s", db_path, error)
        return
    try:
        for number in range(KEEP - 1, 0, -1):
            with contextlib.suppress(FileNotFoundError):
                os.replace(copy_path(db_path, number), copy_path(db_path, number + 1))
        newest = copy_path(db_path, 1)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(newest)  # normally moved along already; a leftover is not ours to keep
        try:
            os.link(db_path, newest, follow_symlinks=False)
        except OSError:
            _copy_private(db_path, newest)  # a file system without hard links
    except OSError as error:
        log.warning("could not keep a copy of %s: %s", db_path, error)


def _copy_private(source: Path, target: Path) -> None:
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out, open(source, "rb") as original:
            shutil.copyfileobj(original, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
