"""The service report in every format, and putting it on disk.

:func:`render_report` turns the figures (:class:`~vig_tui.domain.report.ReportData`)
into Markdown, HTML, CSV, PDF or Word; :func:`write_report` writes the file
the way meeting packs are written (owner-only, never over a file by accident).
The CSV is one row per figure (section, row, column, value), ready for a
spreadsheet's pivot table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..domain.report import ReportData
from .csv_pack import neutralise
from .document import Heading, Table
from .document_text import render_document_html, render_document_markdown
from .report_document import report_document
from .write import UnknownFormatError, write_file

CSV_HEADER = ("Section", "Table", "Row", "Column", "Value")


def render_report_csv(data: ReportData) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    section = table_name = ""
    for block in report_document(data).blocks:
        if isinstance(block, Heading):
            if block.level == 1:
                section = table_name = block.text
            else:
                table_name = block.text
        elif isinstance(block, Table):
            for row in block.rows:
                label = row[0] or ""
                for column, value in zip(block.columns[1:], row[1:], strict=True):
                    writer.writerow(
                        [
                            neutralise(cell)
                            for cell in (section, table_name, label, column, value or "")
                        ]
                    )
    return buffer.getvalue()


def _pdf(data: ReportData) -> bytes:
    from .pdf import render_pdf

    return render_pdf(report_document(data))


def _docx(data: ReportData) -> bytes:
    from .word import render_docx

    return render_docx(report_document(data))


@dataclass(frozen=True)
class ReportFormat:
    key: str
    label: str
    render: Callable[[ReportData], str | bytes]
    encoding: str = "utf-8"


REPORT_FORMATS: tuple[ReportFormat, ...] = (
    ReportFormat("md", "Markdown", lambda data: render_document_markdown(report_document(data))),
    ReportFormat("html", "HTML", lambda data: render_document_html(report_document(data))),
    ReportFormat("csv", "CSV", render_report_csv, "utf-8-sig"),
    ReportFormat("pdf", "PDF", _pdf),
    ReportFormat("docx", "Word", _docx),
)


def report_format(key: str) -> ReportFormat:
    for candidate in REPORT_FORMATS:
        if candidate.key == key:
            return candidate
    known = ", ".join(f.key for f in REPORT_FORMATS)
    raise UnknownFormatError(f"There is no report format called {key!r}: choose one of {known}")


def render_report(data: ReportData, fmt: str) -> bytes:
    """The report as the bytes of a file in format ``fmt``."""
    chosen = report_format(fmt)
    rendered = chosen.render(data)
    return rendered if isinstance(rendered, bytes) else rendered.encode(chosen.encoding)


def default_report_filename(data: ReportData, fmt: str) -> str:
    """'vig-service-report-2026-06-01-to-2026-11-30.pdf'."""
    period = f"{data.start.isoformat()}-to-{data.end.isoformat()}"
    return f"vig-service-report-{period}.{report_format(fmt).key}"


def write_report(
    data: ReportData, fmt: str, path: Path | None, directory: Path, *, force: bool = False
) -> Path:
    """Write the report and return where it went (``path`` is relative to ``directory``)."""
    name = Path(path).expanduser() if path is not None else Path(default_report_filename(data, fmt))
    target = Path(directory).expanduser() / name
    return write_file(render_report(data, fmt), target, force=force, what="report")
