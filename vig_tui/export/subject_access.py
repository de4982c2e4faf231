"""A subject access request: everything the service holds about one child.

Every request whose child has the name given (case, spaces and apostrophes'
forms aside) and the date of birth given, each in full: its answers, the
meeting's decisions, the consents, the work, and the whole history with who
made each change. As a readable :class:`~vig_tui.export.document.Document`
(Markdown, HTML, PDF or Word, by the same writers as the report) and as JSON
(each request as the store holds it). Requests about any other child are
never read into either.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from datetime import date

from ..domain.answers import section_rows
from ..domain.changes import describe_change, month_only_flags
from ..domain.dates import format_date
from ..domain.models import ClosureReason, ConsentTopic, VigRequest
from ..domain.rules import Section
from ..domain.views import describe_decision
from ..domain.work import consent_words
from .document import Document, Heading, Paragraph, Table
from .document_text import render_document_html, render_document_markdown

#: The readable formats, by the output file's suffix.
FORMATS = (".md", ".html", ".pdf", ".docx")

_SPACES = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def same_name(one: str, other: str) -> bool:
    """Names compared as a person would: case, spacing, accents' encoding and curly
    apostrophes aside ("Amy  O’Neill" is "amy o'neill")."""

    def plain(text: str) -> str:
        # Unicode's canonical caseless match: decomposed, case-folded, composed again
        # (casefold alone can leave a capital's accents in another order: "Ϋ́" and "ΰ").
        text = unicodedata.normalize("NFD", text).translate(_APOSTROPHES)
        return unicodedata.normalize("NFC", _SPACES.sub(" ", text).strip().casefold())

    return bool(plain(one)) and plain(one) == plain(other)


def about_child(requests: Iterable[VigRequest], name: str, born: date) -> list[VigRequest]:
    """The requests about this child: the same name and the same date of birth."""
    return [r for r in requests if r.child.date_of_birth == born and same_name(r.child.name, name)]


def subject_access_document(
    requests: list[VigRequest], name: str, born: date, made_on: date
) -> Document:
    blocks: list[Heading | Paragraph | Table] = [
        Paragraph(
            f"Everything the VIG service holds about {name.strip()}, born {format_date(born)}, "
            f"made on {format_date(made_on)}: {len(requests)} "
            f"request{'s' if len(requests) != 1 else ''}, each with its answers, decisions, "
            "consents, work and full history (who made each change and when)."
        )
    ]
    for request in requests:
        blocks += _request_blocks(request, made_on)
    return Document(
        title=f"Subject access: {name.strip()}",
        running_head=f"Subject access, made {format_date(made_on)}",
        blocks=tuple(blocks),
    )


def _request_blocks(request: VigRequest, today: date) -> list[Heading | Paragraph | Table]:
    title = request.reference or f"Draft request (not sent), started {request.created_at:%d/%m/%Y}"
    blocks: list[Heading | Paragraph | Table] = [
        Heading(title, 1),
        Table(
            ("Detail", "Value"),
            (
                ("Status", request.status.label),
                ("Sent on", format_date(request.submitted_on)),
                ("Meeting", format_date(request.meeting)),
                ("Checklist version", request.checklist_version),
            ),
            labelled=True,
        ),
    ]
    for section in Section:
        rows = section_rows(request, section, today)
        blocks.append(Heading(section.title_for_others, 2))
        blocks.append(
            Table(
                ("Question", "Answer"), tuple((r.question, r.answer) for r in rows), labelled=True
            )
        )
    blocks.append(Heading("Allocation meeting decisions", 2))
    if request.decisions:
        blocks.append(
            Table(
                ("Meeting", "Decision", "Reason or note"),
                tuple(
                    (
                        format_date(d.meeting),
                        describe_decision(d),
                        " ".join(x for x in (d.reason, d.note, d.information_needed) if x),
                    )
                    for d in request.decisions
                ),
            )
        )
    else:
        blocks.append(Paragraph("None."))
    blocks += _consent_blocks(request)
    blocks += _work_blocks(request)
    blocks.append(Heading("History (oldest first)", 2))
    history: list[tuple[str, ...]] = []
    flags = month_only_flags(request)
    for number, (entry, month_only) in enumerate(zip(request.history, flags, strict=True), 1):
        details = [describe_change(change, month_only) for change in entry.changes]
        if entry.reason:
            details.append(f"Reason: {entry.reason}")
        history.append(
            (
                str(number),
                entry.at.astimezone().strftime("%d %b %Y %H:%M %Z").strip(),
                entry.summary or entry.action.capitalize(),
                entry.who.described,
                "; ".join(details),
            )
        )
    blocks.append(
        Table(
            ("No.", "When", "What", "Who", "Changes (old → new) and why"),
            tuple(history),
            widths=(0.5, 1.5, 2.5, 2, 4),
        )
    )
    return blocks


def _consent_blocks(request: VigRequest) -> list[Heading | Paragraph | Table]:
    blocks: list[Heading | Paragraph | Table] = [Heading("Consents", 2)]
    blocks.append(
        Table(
            ("Consent to", "Now"),
            tuple((topic.label, consent_words(request, topic)) for topic in ConsentTopic),
            labelled=True,
        )
    )
    if request.consents:
        blocks.append(
            Table(
                ("Consent to", "Answer", "Date", "Asked by", "How", "Clips kept", "Withdrawn"),
                tuple(
                    (
                        r.topic.label,
                        "Given" if r.given else "Refused",
                        format_date(r.on),
                        r.obtained_by,
                        r.how.label,
                        f"{r.keep_clips_months} months" if r.keep_clips_months else "",
                        format_date(r.withdrawn_on, missing=""),
                    )
                    for r in request.consents
                ),
            )
        )
    return blocks


def _work_blocks(request: VigRequest) -> list[Heading | Paragraph | Table]:
    done = request.work
    reason = done.closure_reason
    why = (
        done.closure_reason_other
        if reason is ClosureReason.OTHER
        else (reason.label if reason else "")
    )
    rows = [
        ("Started on", format_date(done.started_on, missing="Not started")),
        ("Helping questions", "\n".join(done.helping_questions) or "None"),
        ("Closed on", format_date(done.closed_on, missing="Not closed")),
    ]
    if done.closed_on:
        rows += [("Why it closed", why), ("Outcome", done.outcome_note)]
    blocks: list[Heading | Paragraph | Table] = [
        Heading("Work", 2),
        Table(("Detail", "Value"), tuple(rows), labelled=True),
    ]
    if done.cycles:
        blocks.append(
            Table(
                ("Cycle", "Filmed", "Shared review", "Note"),
                tuple(
                    (
                        str(number),
                        format_date(c.filmed_on),
                        format_date(c.shared_review_on, missing="Not yet"),
                        c.note,
                    )
                    for number, c in enumerate(done.cycles, start=1)
                ),
            )
        )
    return blocks


def subject_access_json(requests: list[VigRequest], name: str, born: date, made_on: date) -> bytes:
    """The same, as JSON: each request as the store holds it, history and all."""
    content = {
        "subject_access": {
            "child": name.strip(),
            "date_of_birth": born.isoformat(),
            "made_on": made_on.isoformat(),
            "requests": len(requests),
        },
        "requests": [request.model_dump(mode="json") for request in requests],
    }
    return (json.dumps(content, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def render_subject_access(document: Document, suffix: str) -> bytes:
    """The document in the format its file's suffix names (one of :data:`FORMATS`)."""
    if suffix == ".md":
        return render_document_markdown(document).encode("utf-8")
    if suffix == ".html":
        return render_document_html(document).encode("utf-8")
    if suffix == ".pdf":
        from .pdf import render_pdf

        return render_pdf(document)
    from .word import render_docx

    return render_docx(document)
