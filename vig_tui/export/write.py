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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_atomically
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
    return write_file(data, target, force=force, what="meeting pack")


def write_file(data: bytes, target: Path, *, force: bool = False, what: str = "file") -> Path:
    """Write ``data`` to ``target`` as :func:`write_pack` writes a pack: owner-only,
    never over an existing file unless ``force``, and then in one atomic step."""
    target = Path(target).expanduser()
    if not target.parent.is_dir():
        raise ExportError(f"The folder {target.parent} does not exist")
    if target.is_dir():
        raise ExportError(f"{target} is a folder, not a file")
    try:
        write_atomically(target, data, overwrite=force)
    except FileExistsError:
        raise PackExistsError(target) from None
    except OSError as error:
        raise ExportError(
            f"Could not write the {what} to {target}: {error.strerror or error}"
        ) from error
    return target
