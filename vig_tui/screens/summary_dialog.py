"""Write one request's summary: choose the format, whether to redact, and the folder.

Opened with ``e`` from the confirmation page and the request page. The
summary is built and written by :mod:`vig_tui.export.request_summary`; the
folder, the file's name, the question before replacing a file and every
failure are the shared :class:`~vig_tui.screens.write_dialog.WriteDialog`'s.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult

from ..domain.models import VigRequest
from ..export.request_summary import (
    build_summary,
    file_label_of,
    number_of,
    summary_filename,
    write_summary,
)
from .write_dialog import WriteChoices, WriteDialog, write_bindings

#: The formats offered, in the order a worker most often wants them.
SUMMARY_CHOICES = (
    ("PDF: A4 pages to attach or print", "pdf"),
    ("Word: a document to edit", "docx"),
    ("HTML: a page to open in a browser", "html"),
    ("Markdown: plain text for an email", "md"),
    ("CSV: one row per answer, for a spreadsheet", "csv"),
    ("JSON: the summary as data", "json"),
)


class SummaryDialog(WriteDialog):
    """One request's summary, to attach to the Early Help Hub's form or a team manager's
    decision; dismisses with the path written, if any."""

    HELP_TITLE = "Write the request's summary"
    WHAT = "summary"
    WRITE_LABEL = "Write summary"
    BINDINGS = write_bindings("summary", WRITE_LABEL, "Write the summary to the folder")

    def __init__(self, request: VigRequest) -> None:
        super().__init__()
        self.request = request

    def heading(self) -> str:
        return f"Write the summary of {number_of(self.request)}"

    def lead(self) -> str:
        return (
            "Every answer, the service's checks and the suggested priority: attach it to "
            "the Early Help Hub's request form or a team manager's decision."
        )

    def compose_choices(self) -> ComposeResult:
        return self.format_and_redaction(SUMMARY_CHOICES, redact=False)

    def choices(self) -> WriteChoices:
        return self.format_chosen(SUMMARY_CHOICES[0][1])

    def file_name(self, choices: WriteChoices) -> str:
        return summary_filename(file_label_of(self.request), choices.fmt, redacted=choices.redact)

    def write(self, choices: WriteChoices, target: Path, *, force: bool) -> Path:
        summary = build_summary(self.request, self.vig.today, redact=choices.redact)
        return write_summary(summary, choices.fmt, Path(target.name), target.parent, force=force)
