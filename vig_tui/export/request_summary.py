"""One request's own summary (issue #11 §5), in every format a pack is written in.

A worker attaches it to the Early Help Hub's general request form, or to a team
manager's case-management decision: every answer, the rules' findings and the
suggested priority with its reasons, and any decisions so far. It is built the
way a meeting pack is (:func:`~vig_tui.export.pack.build_pack` with one
request, redacted there when asked), and says it in the pack's words
(:func:`~vig_tui.export.content.entry_parts`), so a summary and a pack never
disagree. The six formats come from one list of :class:`Part`\\ s: Markdown,
HTML, PDF and Word lay it out as a document; CSV and JSON give it as rows. The
JSON form also holds the request whole (unless redacted), as a meeting pack's JSON
does, so the service's register can take it with ``vig-tui receive``.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from ..domain.dates import format_date
from ..domain.models import VigRequest
from .content import REDACTION_NOTICE, Item, Part, decision_note, decision_outcome, entry_parts
from .csv_pack import neutralise
from .document import Block, Document, Heading, Paragraph
from .pack import MeetingPack, build_pack
from .pack_document import _part_blocks as part_blocks
from .write import ExportError, write_file

#: The formats a summary is written in, as ``--format`` names them.
SUMMARY_FORMATS = ("md", "html", "csv", "json", "pdf", "docx")
_AT_THE_MEETING = "Age at the meeting"
_THIS_MEETING = "Decision at this meeting"


@dataclass(frozen=True)
class RequestSummaryDocument:
    """A request's summary as data: what every format says."""

    number: str
    #: What the file is named by: the number, or a draft's id's first characters.
    file_label: str
    made_on: date
    redacted: bool
    lines: tuple[str, ...]
    parts: tuple[Part, ...]
    #: The request as the store keeps it (for the JSON form); None when redacted.
    record: dict[str, Any] | None = None


def number_of(request: VigRequest) -> str:
    """The request's reference, else its local number (sent by file), else "Draft"."""
    return request.reference or request.local_number or "Draft"


def status_line(request: VigRequest) -> str:
    """Where the request stands, in a sentence."""
    sent = request.sent_by_file
    if sent is not None and request.reference is None:
        return (
            f"Sent by file to the VIG service on {format_date(sent.on)}, as "
            f"{request.local_number}: waiting for the service's reference."
        )
    if request.submitted_on is None:
        return "Not yet sent to the VIG service (a draft)."
    meeting = (
        f", for the allocation meeting on {request.meeting:%A} {format_date(request.meeting)}"
        if request.meeting
        else ""
    )
    return (
        f"Sent to the VIG service on {format_date(request.submitted_on)}{meeting}. "
        f"Status: {request.status.label}."
    )


def build_summary(request: VigRequest, on: date, *, redact: bool = False) -> RequestSummaryDocument:
    """The summary of ``request`` as on ``on`` (findings and priority as on that day)."""
    pack = build_pack([request], request.meeting or on, on, redact=redact)
    (entry,) = pack.entries
    parts = [_adjusted(part, pack, request) for part in entry_parts(pack, entry)]
    parts = [part for part in parts if part.heading != _THIS_MEETING]
    if request.decisions:
        parts.append(_decisions_part(request))
    lines = [
        f"A request to the Video Interaction Guidance (VIG) service. Summary made on "
        f"{format_date(on)}.",
        status_line(request),
        "Its answers, the service's checks on them and the suggested priority, to attach to the "
        "Early Help Hub's general request form or to a team manager's case-management decision.",
    ]
    return RequestSummaryDocument(
        number=number_of(request),
        file_label=file_label_of(request),
        made_on=on,
        redacted=redact,
        lines=tuple(lines),
        parts=tuple(parts),
        record=None if redact else request.model_dump(mode="json"),
    )


def _adjusted(part: Part, pack: MeetingPack, request: VigRequest) -> Part:
    """The pack's part, said of one request rather than at a meeting."""
    items = list(part.items)
    if part.heading == "The request":
        items = [
            Item("Reference", request.reference or "Not given yet (the service gives it)")
            if item.label == "Reference"
            else item
            for item in items
        ]
        if request.local_number:
            items.insert(1, Item("Local number", request.local_number))
    if request.meeting is None:
        # Not yet due at a meeting: the age is the child's on the day the summary is made.
        made = format_date(pack.generated_on)
        items = [
            replace(item, label=f"Age on {made}") if item.label == _AT_THE_MEETING else item
            for item in items
        ]
    return Part(part.heading, tuple(items), part.empty)


def _decisions_part(request: VigRequest) -> Part:
    items = []
    for decision in request.decisions:
        text = decision_outcome(decision)
        if decision.practitioner_name:
            text += f"; practitioner: {decision.practitioner_name}"
        if decision.priority:
            text += f"; priority: {decision.priority.label}"
        items.append(Item(f"Meeting on {format_date(decision.meeting)}", text))
        if note := decision_note(decision):
            items.append(Item("Notes", note, long=True))
    return Part("Decisions", tuple(items))


def title(summary: RequestSummaryDocument) -> str:
    return f"VIG request summary: {summary.number}"


def summary_document(summary: RequestSummaryDocument) -> Document:
    blocks: list[Block] = [Paragraph(line) for line in summary.lines]
    if summary.redacted:
        blocks.append(Paragraph(REDACTION_NOTICE, strong=True))
    for part in summary.parts:
        # The pack's parts sit under each request's heading; here they are the sections.
        blocks += [
            Heading(block.text, 1) if isinstance(block, Heading) else block
            for block in part_blocks(part)
        ]
    suffix = " (redacted)" if summary.redacted else ""
    return Document(title(summary), f"VIG request {summary.number}{suffix}", tuple(blocks))


def rows(summary: RequestSummaryDocument) -> list[tuple[str, str, str]]:
    """(part, question, answer) for every item: the CSV and JSON forms."""
    return [
        (part.heading, item.label, item.text.strip())
        for part in summary.parts
        for item in part.items
    ] + [(part.heading, "", part.empty) for part in summary.parts if not part.items and part.empty]


def render_summary_csv(summary: RequestSummaryDocument) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("Part", "Question", "Answer"))
    for row in rows(summary):
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue()


def render_summary_json(summary: RequestSummaryDocument) -> str:
    document = {
        "kind": "vig-request-summary",
        "number": summary.number,
        "made_on": summary.made_on.isoformat(),
        "redacted": summary.redacted,
        "notice": REDACTION_NOTICE if summary.redacted else None,
        "about": list(summary.lines),
        "parts": [
            {
                "heading": part.heading,
                "items": [{"question": i.label, "answer": i.text.strip()} for i in part.items],
                **({"empty": part.empty} if not part.items and part.empty else {}),
            }
            for part in summary.parts
        ],
    }
    if summary.record is not None:
        document["request"] = summary.record
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_summary(summary: RequestSummaryDocument, fmt: str) -> bytes:
    """The summary in ``fmt`` (one of :data:`SUMMARY_FORMATS`), as the bytes of the file."""
    if fmt == "csv":
        # A byte-order mark, so Excel reads names like Zoë correctly (as the pack's CSV).
        return render_summary_csv(summary).encode("utf-8-sig")
    if fmt == "json":
        return render_summary_json(summary).encode("utf-8")
    document = summary_document(summary)
    if fmt == "md":
        from .document_text import render_document_markdown

        return render_document_markdown(document).encode("utf-8")
    if fmt == "html":
        from .document_text import render_document_html

        return render_document_html(document).encode("utf-8")
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf(document)
    if fmt == "docx":
        from .word import render_docx

        return render_docx(document)
    raise ExportError(
        f"There is no summary format called {fmt!r}: choose one of {', '.join(SUMMARY_FORMATS)}"
    )


def default_summary_filename(summary: RequestSummaryDocument, fmt: str) -> str:
    """'vig-request-summary-VIG-2026-0042.pdf' (numbers, never names), '-redacted' if so."""
    return summary_filename(summary.file_label, fmt, redacted=summary.redacted)


def file_label_of(request: VigRequest) -> str:
    """What the summary's file is named by: the reference, the local number, or a draft's id."""
    return request.reference or request.local_number or f"draft-{str(request.id)[:8]}"


def summary_filename(label: str, fmt: str, *, redacted: bool) -> str:
    """The summary's default name, known before it is built (the dialog shows it)."""
    suffix = "-redacted" if redacted else ""
    return f"vig-request-summary-{label}{suffix}.{fmt}"


def write_summary(
    summary: RequestSummaryDocument,
    fmt: str,
    path: Path | None,
    directory: Path,
    *,
    force: bool = False,
) -> Path:
    """Write the summary as a pack is written: owner-only, never over a file unless
    ``force``, in one atomic step; returns where it went."""
    data = render_summary(summary, fmt)
    target = Path(directory).expanduser() / (
        Path(path).expanduser() if path is not None else default_summary_filename(summary, fmt)
    )
    return write_file(data, target, force=force, what="request summary")
