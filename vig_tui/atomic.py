"""Putting a file on disk in one step: the one writer of the database, packs and settings.

Everything vig-tui writes holds children's social-care records or the
worker's own settings, so every file is readable by its owner only (0600),
and a reader (or a crash) never sees half of one: the content goes to a
temporary file in the same folder (``mkstemp``, so 0600), is flushed and
fsynced, then takes the file's name with ``os.replace``, and the folder is
fsynced so the new name survives a power cut too.

The temporary file is locked (``flock``) until it has its name, so one that
nobody holds the lock of was left by a writer that was killed:
:func:`remove_abandoned_temps` deletes those (each may be a whole copy of
children's records).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

log = logging.getLogger(__name__)

#: Temporary files are named ``.<name>.<8 random characters>.tmp`` beside their target.
TEMP_SUFFIX = ".tmp"
_BUFFER = 1 << 20


def temp_prefix(path: Path) -> str:
    """The start of the name of ``path``'s temporary files (to find ones a crash left)."""
    return f".{path.name}."


def write_atomically(
    path: Path,
    content: bytes | Iterable[bytes],
    *,
    overwrite: bool = True,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Make ``path`` hold exactly ``content`` (bytes, or chunks of it), or leave it as it was.

    Durable when this returns. With ``overwrite=False`` an existing file is
    never replaced: :class:`FileExistsError` is raised and nothing is written
    (the name is claimed first with ``O_EXCL``; until the content takes it, the
    file is empty, never partly written). ``OSError`` from the disk (full,
    permissions) propagates after the temporary file is removed.
    ``before_replace`` runs once the content is safely on disk, just before it
    takes the name (the database keeps a copy of the file it replaces there).
    """
    folder = path.parent
    claimed = False
    if not overwrite:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        os.close(fd)
        claimed = True
    try:
        fd, temp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=folder)
        try:
            # Written piece by piece through a large buffer: no second copy in memory.
            # Closing the handle (after the rename) drops the lock.
            with os.fdopen(fd, "wb", buffering=_BUFFER) as handle:
                fcntl.flock(fd, fcntl.LOCK_EX)
                if isinstance(content, bytes):
                    handle.write(content)
                else:
                    handle.writelines(content)
                handle.flush()
                os.fsync(handle.fileno())
                if before_replace is not None:
                    before_replace()
                os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
    except BaseException:
        if claimed:
            with contextlib.suppress(OSError):
                os.unlink(path)
        raise
    sync_folder(folder)


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable. The new content is already in place, so a
    failure here is logged rather than reported as a failed write."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        log.warning("could not open %s to fsync it: %s", folder, error)
        return
    try:
        os.fsync(fd)
    except OSError as error:
        log.warning("could not fsync folder %s: %s", folder, error)
    finally:
        os.close(fd)


#: A temporary file's name: ``.<target's name>.<mkstemp's 8 characters>.tmp``.
_TEMP_NAME = re.compile(r"\.(?P<target>.+)\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX), re.DOTALL)


def remove_abandoned_temps(folder: Path, ours: Callable[[str], bool]) -> list[Path]:
    """Delete temporary files in ``folder`` that killed writers left, for the targets
    whose names ``ours`` accepts; returns what was deleted.

    One is only deleted when it is a plain file of this user's that nobody holds
    the lock of (a live writer holds it until the file has its name). Problems
    are skipped: cleaning up never stops the write that asked for it.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        name = _TEMP_NAME.fullmatch(entry.name)
        if name is None or not ours(name["target"]):
            continue
        with contextlib.suppress(OSError):
            if _remove_if_abandoned(Path(entry.path)):
                removed.append(Path(entry.path))
    return removed


def _remove_if_abandoned(path: Path) -> bool:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # being written now
        if os.lstat(path).st_ino != info.st_ino:
            return False
        os.unlink(path)
        return True
    finally:
        os.close(fd)
