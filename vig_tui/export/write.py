"""Putting a meeting pack on disk, safely.

A pack holds children's social-care records, so its file is readable by its
owner only (0600), is never written over by accident (the file is created
with ``O_EXCL``: if anything is already there, nothing is written), and when
overwriting is asked for the new pack replaces the old in one step, so a
reader never sees half a file. Default names carry the meeting date and never
anyone's name.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .csv_pack import render_csv
from .html_pack import render_html
from .json_pack import render_json
from .markdown_pack import render_markdown
from .pack import MeetingPack
from .pack_document import pack_document

_FILE_MODE = 0o600
#: Temporary packs are hidden files named after the pack: ".vig-tui-export-NAME.XXXXXXXX.tmp".
TEMP_PREFIX = ".vig-tui-export-"
TEMP_SUFFIX = ".tmp"
#: mkstemp's random part: 8 characters from [a-z0-9_].
_RANDOM = r"\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX)
_ABANDONED = re.compile(re.escape(TEMP_PREFIX) + r".+" + _RANDOM, re.ASCII | re.DOTALL)


class ExportError(Exception):
    """A pack that could not be written; ``str()`` is fit to show the user."""


class PackExistsError(ExportError, FileExistsError):
    """The file is already there and overwriting was not asked for."""

    def __init__(self, path: Path) -> None:
        super().__init__(errno.EEXIST, "File exists", str(path))
        self.path = path

    def __str__(self) -> str:
        return f"{self.path} already exists. Choose another name, or choose to replace it."


class UnknownFormatError(ExportError, ValueError):
    """A format key that is not one of :data:`FORMATS`."""


@dataclass(frozen=True)
class PackFormat:
    """One way to write a pack, as the export screen offers it."""

    key: str
    label: str
    description: str
    extension: str
    #: Text, or bytes for the binary formats (PDF, Word).
    render: Callable[[MeetingPack], str | bytes]
    #: CSV starts with a byte-order mark so Excel reads names like Zoë correctly.
    encoding: str = "utf-8"


def render_pack_pdf(pack: MeetingPack) -> bytes:
    from .pdf import render_pdf

    return render_pdf(pack_document(pack))


def render_pack_docx(pack: MeetingPack) -> bytes:
    from .word import render_docx

    return render_docx(pack_document(pack))


FORMATS: tuple[PackFormat, ...] = (
    PackFormat(
        "md",
        "Markdown",
        "Plain text to read, or paste into an email or Teams",
        "md",
        render_markdown,
    ),
    PackFormat("html", "HTML", "A page to open in a browser and print", "html", render_html),
    PackFormat(
        "csv", "CSV", "One row per request, for a spreadsheet", "csv", render_csv, "utf-8-sig"
    ),
    PackFormat(
        "json", "JSON", "The requests, to import into another vig-tui database", "json", render_json
    ),
    PackFormat("pdf", "PDF", "A4 pages to print, agenda first", "pdf", render_pack_pdf),
    PackFormat("docx", "Word", "A Word document to edit and circulate", "docx", render_pack_docx),
)


def pack_format(key: str) -> PackFormat:
    for candidate in FORMATS:
        if candidate.key == key:
            return candidate
    known = ", ".join(f.key for f in FORMATS)
    raise UnknownFormatError(f"There is no pack format called {key!r}: choose one of {known}")


def render(pack: MeetingPack, fmt: str) -> str | bytes:
    """The pack in format ``fmt`` (a :data:`FORMATS` key): text, or bytes for PDF and Word."""
    return pack_format(fmt).render(pack)


def default_filename(pack: MeetingPack, fmt: str) -> str:
    """'vig-meeting-pack-2026-03-05.html', with '-redacted' before the extension if so."""
    suffix = "-redacted" if pack.redacted else ""
    return f"vig-meeting-pack-{pack.meeting_date.isoformat()}{suffix}.{pack_format(fmt).extension}"


def write_pack(
    pack: MeetingPack,
    fmt: str,
    path: Path | None,
    directory: Path,
    *,
    force: bool = False,
) -> Path:
    """Write ``pack`` as ``fmt`` and return where it went.

    ``path`` (relative to ``directory`` unless absolute) defaults to
    :func:`default_filename` in ``directory``. An existing file raises
    :class:`PackExistsError` unless ``force``, when it is replaced atomically.
    """
    chosen = pack_format(fmt)
    target = Path(directory).expanduser() / (
        Path(path).expanduser() if path is not None else default_filename(pack, fmt)
    )
    rendered = chosen.render(pack)
    data = rendered if isinstance(rendered, bytes) else rendered.encode(chosen.encoding)
    if not target.parent.is_dir():
        raise ExportError(f"The folder {target.parent} does not exist")
    remove_abandoned_temp_files(target)
    try:
        if force:
            _replace(target, data)
        else:
            _create(target, data)
    except ExportError:
        raise
    except OSError as error:
        raise ExportError(
            f"Could not write the meeting pack to {target}: {error.strerror or error}"
        ) from error
    _sync_folder(target.parent)
    return target


def _create(target: Path, data: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(target, flags, _FILE_MODE)
    except FileExistsError:
        raise PackExistsError(target) from None
    try:
        _write_all(fd, data)
    except BaseException:
        with contextlib.suppress(OSError):
            target.unlink()
        raise


def _replace(target: Path, data: bytes) -> None:
    if target.is_dir():
        raise ExportError(f"{target} is a folder, not a file")
    # mkstemp creates the file 0600, readable by its owner only. It stays locked
    # until it has its new name: a lock nobody holds marks one a killed export left.
    fd, temp = tempfile.mkstemp(
        prefix=f"{TEMP_PREFIX}{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent
    )
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def remove_abandoned_temp_files(target: Path) -> list[Path]:
    """Delete the hidden temporary packs that killed exports left in ``target``'s folder.

    Each is a whole pack of children's records. One is only removed when it is
    a plain file of ours and nobody holds its lock (a running export holds its
    own until the pack has its name). Problems are skipped: cleaning up never
    stops an export.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        if not _ABANDONED.fullmatch(entry.name):
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
            return False  # an export is writing it now
        if os.lstat(path).st_ino != info.st_ino:
            return False
        os.unlink(path)
        return True
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    """Write, flush to disk and close ``fd``."""
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_folder(folder: Path) -> None:
    """Make the new name durable too (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_file(data: bytes, target: Path, *, force: bool = False, what: str = "file") -> Path:
    """Write ``data`` to ``target`` as :func:`write_pack` writes a pack: owner-only,
    never over an existing file unless ``force``, and then in one atomic step."""
    target = Path(target).expanduser()
    if not target.parent.is_dir():
        raise ExportError(f"The folder {target.parent} does not exist")
    remove_abandoned_temp_files(target)
    try:
        if force:
            _replace(target, data)
        else:
            _create(target, data)
    except ExportError:
        raise
    except OSError as error:
        raise ExportError(
            f"Could not write the {what} to {target}: {error.strerror or error}"
        ) from error
    _sync_folder(target.parent)
    return target
