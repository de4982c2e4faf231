"""Meeting pack writers: what goes to the monthly allocation meeting.

:func:`build_pack` gathers the requests, their findings, suggested priorities
and any decisions into a :class:`MeetingPack`; the renderers turn a pack into
Markdown, HTML, CSV or JSON text; :func:`write_pack` puts it on disk without
ever overwriting a file by accident. Everything here is pure Python, so a
screen only chooses and calls, and the tests need no terminal.
"""

from __future__ import annotations

from .csv_pack import CSV_COLUMNS, render_csv
from .html_pack import render_html
from .json_pack import render_json
from .markdown_pack import render_markdown
from .pack import MeetingPack, PackEntry, build_pack
from .redact import Redactor, redact_request
from .write import (
    FORMATS,
    ExportError,
    PackExistsError,
    PackFormat,
    UnknownFormatError,
    default_filename,
    pack_format,
    render,
    write_pack,
)

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "ExportError",
    "MeetingPack",
    "PackEntry",
    "PackExistsError",
    "PackFormat",
    "Redactor",
    "UnknownFormatError",
    "build_pack",
    "default_filename",
    "pack_format",
    "redact_request",
    "render",
    "render_csv",
    "render_html",
    "render_json",
    "render_markdown",
    "write_pack",
]
