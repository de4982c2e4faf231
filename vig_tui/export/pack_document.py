"""The meeting pack as a :class:`~vig_tui.export.document.Document`, for PDF and Word.

It opens with the agenda: one page, a row per request in the suggested order
with an empty Decision column to write on in the meeting. The requests follow
without forced page breaks. Everything said comes from
:mod:`vig_tui.export.content`, from a pack :func:`~vig_tui.export.pack.build_pack`
made (and redacted, when asked), so PDF and Word say what HTML and Markdown say.
"""

from __future__ import annotations

from .content import (
    REDACTION_NOTICE,
    Part,
    child_initials,
    cover_lines,
    entry_heading,
    entry_parts,
    long_date,
    reference,
    title,
)
from .document import Block, Document, Heading, PageBreak, Paragraph, Table
from .pack import MeetingPack, PackEntry

AGENDA_COLUMNS = (
    "#",
    "Reference",
    "Child",
    "Age",
    "Referrer's role",
    "Suggested priority",
    "Carried forward from",
    "Decision",
)


def agenda_row(number: int, entry: PackEntry) -> tuple[str | None, ...]:
    """One request's agenda row; the Decision cell is ``None`` (left to write on)
    until this meeting's decision is recorded."""
    request = entry.request
    role = request.referrer.role.label if request.referrer.role else "Not given"
    carried = f"{entry.carried_from.day} {entry.carried_from:%b %Y}" if entry.carried_from else "No"
    decision = entry.decision.outcome.label if entry.decision is not None else None
    return (
        str(number),
        reference(request),
        child_initials(request),
        entry.child_age,
        role,
        entry.suggestion.priority.label,
        carried,
        decision,
    )


def agenda_table(pack: MeetingPack) -> Table:
    return Table(
        AGENDA_COLUMNS,
        tuple(agenda_row(n, e) for n, e in enumerate(pack.entries, start=1)),
        widths=(6, 24, 10, 29, 40, 18, 22, 31),
        write_on=True,
        compact=True,
    )


def _part_blocks(part: Part) -> list[Block]:
    blocks: list[Block] = [Heading(part.heading, 3)]
    if not part.items:
        return [*blocks, Paragraph(part.empty)]
    short: list[tuple[str | None, ...]] = []
    warnings: set[int] = set()

    def flush() -> None:
        if short:
            blocks.append(
                Table(
                    ("", ""),
                    tuple(short),
                    widths=(1, 2),
                    labelled=True,
                    warnings=frozenset(warnings),
                    write_on=all(cell is None for _, cell in short),
                )
            )
            short.clear()
            warnings.clear()

    for item in part.items:
        if item.long:
            flush()
            blocks.append(Paragraph(item.label, strong=True))
            blocks += [Paragraph(text) for text in item.text.strip().split("\n\n") if text]
        else:
            if item.warning:
                warnings.add(len(short))
            short.append((item.label, None if item.blank else item.text.strip()))
    flush()
    return blocks


def pack_document(pack: MeetingPack) -> Document:
    blocks: list[Block] = [Paragraph(line) for line in cover_lines(pack)]
    if pack.redacted:
        blocks.append(Paragraph(REDACTION_NOTICE, strong=True))
    blocks.append(Heading("Agenda, in the suggested order"))
    if pack.entries:
        blocks += [agenda_table(pack), PageBreak()]
    else:
        blocks.append(Paragraph("No requests for this meeting."))
    for number, entry in enumerate(pack.entries, start=1):
        blocks.append(Heading(entry_heading(number, entry), 1))
        for part in entry_parts(pack, entry):
            blocks += _part_blocks(part)
    suffix = " (redacted)" if pack.redacted else ""
    return Document(
        title(pack),
        f"Allocation meeting {long_date(pack.meeting_date)}{suffix}",
        tuple(blocks),
    )
