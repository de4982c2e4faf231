"""The record of an allocation meeting: who came, what it decided, what it agreed to do.

Made after the meeting from the same pack as the agenda (so redaction, the
decisions' wording and the order are the pack's), with the attendees,
apologies and actions entered on the meeting screen. Written in the formats
a pack is printed in: Markdown, HTML, PDF and Word.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..domain.meetings import Meeting
from ..domain.models import MeetingRecord, VigRequest
from .content import REDACTION_NOTICE, child_initials, decision_note, decision_outcome, long_date
from .document import Block, Document, Heading, Paragraph, Table
from .document_text import render_document_html, render_document_markdown
from .pack import MeetingPack, build_pack
from .redact import Redactor
from .write import UnknownFormatError, write_file

RECORD_FORMATS = ("md", "html", "pdf", "docx")
NOT_DECIDED = "Not decided yet"


@dataclass(frozen=True)
class MeetingMinutes:
    """A meeting's pack and what was recorded of it, redacted together when asked."""

    pack: MeetingPack
    record: MeetingRecord


def build_minutes(
    requests: list[VigRequest],
    meeting: Meeting | date,
    on: date,
    record: MeetingRecord,
    *,
    redact: bool = False,
) -> MeetingMinutes:
    """The record of ``meeting`` for ``requests`` (its agenda). With ``redact`` the
    actions are redacted too, for every family on the agenda, as the pack's text is."""
    pack = build_pack(requests, meeting, on, redact=redact)
    if redact:
        actions = record.actions
        for request in requests:
            actions = Redactor(request).text(actions)
        record = record.model_copy(update={"actions": actions})
    return MeetingMinutes(pack, record)


def _people(names: list[str]) -> list[Block]:
    """One paragraph a person, as they were entered one a line: a role written after a
    name with a comma ("Ann Coordinator, VIG coordinator") stays with that name."""
    people = [name.strip() for name in names if name.strip()]
    return [Paragraph(name) for name in people] or [Paragraph("None recorded")]


def _decision_row(number: int, minutes: MeetingMinutes, index: int) -> tuple[str | None, ...]:
    entry = minutes.pack.entries[index]
    decision = entry.decision
    request = entry.request
    if decision is None:
        return (str(number), request.reference or "", child_initials(request), NOT_DECIDED, "", "")
    who = decision.practitioner_name or decision_note(decision)
    priority = decision.priority.label if decision.priority else ""
    return (
        str(number),
        request.reference or "",
        child_initials(request),
        decision_outcome(decision),
        who,
        priority,
    )


def record_document(minutes: MeetingMinutes) -> Document:
    pack, record = minutes.pack, minutes.record
    decided = pack.decided
    blocks: list[Block] = [
        Paragraph(f"Allocation meeting held on {long_date(pack.meeting_date)}."),
        Paragraph(f"{decided} of {len(pack.entries)} requests decided."),
    ]
    if pack.redacted:
        blocks.append(Paragraph(REDACTION_NOTICE, strong=True))
    blocks += [
        Heading("Present"),
        *_people(record.attendees),
        Heading("Apologies"),
        *_people(record.apologies),
        Heading("Decisions"),
    ]
    if pack.entries:
        blocks.append(
            Table(
                ("#", "Reference", "Child", "Decision", "Practitioner, or the reason", "Priority"),
                tuple(_decision_row(i + 1, minutes, i) for i in range(len(pack.entries))),
                widths=(0.5, 2.2, 1, 2.4, 5, 1.2),
            )
        )
    else:
        blocks.append(Paragraph("No requests came to this meeting."))
    blocks.append(Heading("Actions"))
    actions = [line.strip() for line in record.actions.splitlines() if line.strip()]
    blocks += [Paragraph(f"{n}. {line}") for n, line in enumerate(actions, start=1)]
    if not actions:
        blocks.append(Paragraph("None recorded."))
    suffix = " (redacted)" if pack.redacted else ""
    return Document(
        f"Record of the VIG allocation meeting: {long_date(pack.meeting_date)}",
        f"Allocation meeting {long_date(pack.meeting_date)}{suffix}",
        tuple(blocks),
    )


def _renderer(fmt: str) -> Callable[[Document], str | bytes]:
    if fmt == "md":
        return render_document_markdown
    if fmt == "html":
        return render_document_html
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf
    if fmt == "docx":
        from .word import render_docx

        return render_docx
    raise UnknownFormatError(
        f"There is no format called {fmt!r} for a meeting record: choose one of "
        f"{', '.join(RECORD_FORMATS)}"
    )


def render_record(minutes: MeetingMinutes, fmt: str) -> bytes:
    rendered = _renderer(fmt)(record_document(minutes))
    return rendered if isinstance(rendered, bytes) else rendered.encode("utf-8")


def default_record_filename(minutes: MeetingMinutes, fmt: str) -> str:
    """'vig-meeting-record-2026-12-03.pdf', with '-redacted' before the extension if so."""
    return record_filename(minutes.pack.meeting_date, fmt, redacted=minutes.pack.redacted)


def record_filename(meeting: date, fmt: str, *, redacted: bool) -> str:
    """The record's default name, known before it is built (the dialog shows it)."""
    suffix = "-redacted" if redacted else ""
    return f"vig-meeting-record-{meeting.isoformat()}{suffix}.{fmt}"


def write_record(
    minutes: MeetingMinutes, fmt: str, path: Path | None, directory: Path, *, force: bool = False
) -> Path:
    data = render_record(minutes, fmt)
    name = (
        Path(path).expanduser() if path is not None else Path(default_record_filename(minutes, fmt))
    )
    return write_file(data, Path(directory).expanduser() / name, force=force, what="meeting record")
