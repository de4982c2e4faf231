"""Putting a file on disk in one step: the one writer of the database, packs and settings.

Everything vig-tui writes holds children's social-care records or the
worker's own settings, so every file is readable by its owner only (0600),
and a reader (or a crash) never sees half of one: the content goes to a
temporary file in the same folder (``mkstemp``, so 0600), is flushed and
fsynced, then takes the file's name with ``os.replace``, and the folder is
fsynced so the new name survives a power cut too.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

#: Temporary files are named ``.<name>.<8 random characters>.tmp`` beside their target.
TEMP_SUFFIX = ".tmp"
_BUFFER = 1 << 20


def temp_prefix(path: Path) -> str:
    """The start of the name of ``path``'s temporary files (to find ones a crash left)."""
    return f".{path.name}."


def write_atomically(
    path: Path, content: bytes | Iterable[bytes], *, overwrite: bool = True
) -> None:
    """Make ``path`` hold exactly ``content`` (bytes, or chunks of it), or leave it as it was.

    Durable when this returns. With ``overwrite=False`` an existing file is
    never replaced: :class:`FileExistsError` is raised and nothing is written
    (the name is claimed first with ``O_EXCL``; until the content takes it, the
    file is empty, never partly written). ``OSError`` from the disk (full,
    permissions) propagates after the temporary file is removed.
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
            with os.fdopen(fd, "wb", buffering=_BUFFER) as handle:
                if isinstance(content, bytes):
                    handle.write(content)
                else:
                    handle.writelines(content)
                handle.flush()
                os.fsync(handle.fileno())
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
