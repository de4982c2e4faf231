"""Write a meeting's pack (or, after the meeting, its record): the format, whether to
redact, and the folder.

The folder, the file's name, the question before replacing a file and every
failure are the shared :class:`~vig_tui.screens.write_dialog.WriteDialog`'s;
this says what a pack offers and writes it with :mod:`vig_tui.export`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.app import ComposeResult

from ..domain.dates import format_date
from ..domain.meetings import Meeting
from ..domain.models import VigRequest
from ..domain.wording import plural
from ..export import FORMATS, build_pack, write_pack
from ..export.record import RECORD_FORMATS, build_minutes, record_filename, write_record
from ..export.write import format_names, pack_filename
from ..widgets.marked_checkbox import MarkedCheckbox
from .write_dialog import WriteChoices, WriteDialog, write_bindings


class ExportDialog(WriteDialog):
    """The meeting pack export, from the meeting screen."""

    HELP_TITLE = "Write the meeting pack"
    WHAT = "meeting pack"
    WRITE_LABEL = "Write pack"
    BINDINGS = write_bindings("export", WRITE_LABEL, "Write the meeting pack to the folder")

    def __init__(self, meeting: Meeting, requests: list[VigRequest]) -> None:
        super().__init__()
        self.meeting = meeting
        self.requests = requests

    def heading(self) -> str:
        return "Write the meeting pack"

    def lead(self) -> str:
        count = len(self.requests)
        return f"Meeting on {format_date(self.meeting.date)}: {plural(count, 'request')}."

    def compose_choices(self) -> ComposeResult:
        formats = [(f"{f.label}: {f.description}", f.key) for f in FORMATS]
        yield from self.format_and_redaction(formats, redact=True)
        yield MarkedCheckbox(
            # One line at 80 columns (a longer label ran past the dialog).
            "After the meeting: write its record instead of the pack",
            value=False,
            id="field-record",
        )

    def choices(self) -> WriteChoices:
        record = self.query_one("#field-record", MarkedCheckbox).value
        return replace(self.format_chosen(FORMATS[0].key), record=record)

    def file_name(self, choices: WriteChoices) -> str:
        name = record_filename if choices.record else pack_filename
        return name(self.meeting.date, choices.fmt, redacted=choices.redact)

    def problem(self, choices: WriteChoices) -> str | None:
        if choices.record and choices.fmt not in RECORD_FORMATS:
            return f"A meeting record is written as {format_names(RECORD_FORMATS)}"
        return None

    def write(self, choices: WriteChoices, target: Path, *, force: bool) -> Path:
        today, name, folder = self.vig.today, Path(target.name), target.parent
        if choices.record:
            record = self.vig.store.meeting_record(self.meeting.date)
            minutes = build_minutes(
                self.requests, self.meeting, today, record, redact=choices.redact
            )
            return write_record(minutes, choices.fmt, name, folder, force=force)
        pack = build_pack(self.requests, self.meeting, today, redact=choices.redact)
        return write_pack(pack, choices.fmt, name, folder, force=force)
