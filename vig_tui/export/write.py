"""Putting a meeting pack on disk, safely.

A pack holds children's social-care records, so its file is readable by its
owner only (0600), is never written over by accident (the name is claimed
with ``O_EXCL``: if anything is already there, nothing is written), and it
arrives in one step (:func:`vig_tui.atomic.write_atomically`), so a reader
never sees half a file. Default names carry the meeting date and never
anyone's name.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..atomic import remove_abandoned_temps, write_atomically
from .csv_pack import render_csv
from .html_pack import render_html
from .json_pack import render_json
from .markdown_pack import render_markdown
from .pack import MeetingPack
from .pack_document import pack_document


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


def format_name(key: str) -> str:
    """A format as a person names it: 'md' -> 'Markdown', 'docx' -> 'Word'."""
    return pack_format(key).label


def format_names(keys: Iterable[str]) -> str:
    """Formats as a person lists them: 'Markdown, HTML, PDF or Word'."""
    names = [format_name(key) for key in keys]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def render(pack: MeetingPack, fmt: str) -> str | bytes:
    """The pack in format ``fmt`` (a :data:`FORMATS` key): text, or bytes for PDF and Word."""
    return pack_format(fmt).render(pack)


def default_filename(pack: MeetingPack, fmt: str) -> str:
    """'vig-meeting-pack-2026-03-05.html', with '-redacted' before the extension if so."""
    return pack_filename(pack.meeting_date, fmt, redacted=pack.redacted)


def pack_filename(meeting: date, fmt: str, *, redacted: bool) -> str:
    """The pack's default name, known before the pack is built (the dialog shows it)."""
    suffix = "-redacted" if redacted else ""
    return f"vig-meeting-pack-{meeting.isoformat()}{suffix}.{pack_format(fmt).extension}"


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
    return write_file(data, target, force=force, what="meeting pack")


#: How the files exports name by default begin (packs, meeting records, reports).
_EXPORT_NAMES = ("vig-meeting-pack-", "vig-meeting-record-", "vig-service-report-")


def _is_export(name: str, target: Path) -> bool:
    """Whether a temporary file for ``name`` is one an export (this one, or any
    with a default name) would have made: a killed export's leftovers go."""
    return name == target.name or name.startswith(_EXPORT_NAMES)


def write_file(data: bytes, target: Path, *, force: bool = False, what: str = "file") -> Path:
    """Write ``data`` to ``target`` as :func:`write_pack` writes a pack: owner-only,
    never over an existing file unless ``force``, and then in one atomic step."""
    target = Path(target).expanduser()
    if not target.parent.is_dir():
        if target.parent.exists():
            raise ExportError(f"{target.parent} is a file, not a folder")
        raise ExportError(f"The folder {target.parent} does not exist")
    if target.is_dir():
        raise ExportError(f"{target} is a folder, not a file")
    remove_abandoned_temps(target.parent, lambda name: _is_export(name, target))
    try:
        write_atomically(target, data, overwrite=force)
    except FileExistsError:
        raise PackExistsError(target) from None
    except OSError as error:
        raise ExportError(_why_not_written(error, what, target)) from error
    return target


#: A folder that refuses the file: no permission, or a disk mounted read-only.
_REFUSED = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})
#: A disk with no room: full, or the user's share of it used up.
_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


def _why_not_written(error: OSError, what: str, target: Path) -> str:
    """Why ``target`` was not written, and what to do, in plain words."""
    if error.errno in _REFUSED:
        return (
            f"The {what} could not be written: you cannot save files in {target.parent}. "
            "Choose a folder you can save to."
        )
    if error.errno in _FULL:
        return (
            f"The {what} could not be written: the disk holding {target.parent} is full. "
            "Free some space, or choose a folder on another disk."
        )
    return f"Could not write the {what} to {target}: {error.strerror or error}"
