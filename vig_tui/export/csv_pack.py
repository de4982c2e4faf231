"""The meeting pack as CSV: one row per request, for a spreadsheet.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula, so a name or a line of evidence could otherwise become a live
``HYPERLINK`` or worse. Every such cell (and one starting with a tab or
carriage return) is neutralised with a leading single quote, headers included.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

from .content import (
    case_holder_line,
    child_initials,
    criteria_titles,
    decision_note,
    decision_outcome,
    finding_line,
    person_name,
    reference,
    route_line,
)
from .pack import MeetingPack, PackEntry

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_Cell = Callable[[MeetingPack, PackEntry], str]


def _iso(value: date | None) -> str:
    """Dates as 2026-03-05: a spreadsheet sorts them."""
    return value.isoformat() if value else ""


def _outcome(_pack: MeetingPack, entry: PackEntry) -> str:
    return decision_outcome(entry.decision) if entry.decision else ""


def _practitioner(_pack: MeetingPack, entry: PackEntry) -> str:
    return entry.decision.practitioner_name if entry.decision else ""


def _final_priority(_pack: MeetingPack, entry: PackEntry) -> str:
    priority = entry.decision.priority if entry.decision else None
    return priority.label if priority else ""


def _note(_pack: MeetingPack, entry: PackEntry) -> str:
    return decision_note(entry.decision) if entry.decision else ""


#: Header and how to fill it, in column order.
CSV_COLUMNS: tuple[tuple[str, _Cell], ...] = (
    ("Reference", lambda _p, e: reference(e.request)),
    ("Child initials", lambda _p, e: child_initials(e.request)),
    ("Child name", lambda _p, e: e.request.child.name),
    ("Date of birth", lambda _p, e: _iso(e.request.child.date_of_birth)),
    ("Age at the meeting", lambda _p, e: e.child_age),
    ("Referrer", lambda p, e: person_name(p, e.request.referrer.name)),
    (
        "Referrer role",
        lambda _p, e: e.request.referrer.role.label if e.request.referrer.role else "",
    ),
    ("Referrer team", lambda _p, e: e.request.referrer.team),
    ("Route", lambda p, e: route_line(e.request, redacted=p.redacted)),
    ("Case holder", lambda _p, e: case_holder_line(e.request)),
    ("Criteria evidenced", lambda _p, e: "; ".join(criteria_titles(e.request))),
    ("Sent on", lambda _p, e: _iso(e.request.submitted_on)),
    ("Carried forward from", lambda _p, e: _iso(e.carried_from)),
    ("Suggested priority", lambda _p, e: e.suggestion.priority.label),
    ("Priority reasons", lambda _p, e: "; ".join(e.suggestion.reasons)),
    ("Findings", lambda _p, e: "\n".join(finding_line(f) for f in (*e.blocking, *e.advisory))),
    ("Decision", _outcome),
    ("Practitioner", _practitioner),
    ("Final priority", _final_priority),
    ("Decision note", _note),
)


def neutralise(cell: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return f"'{cell}" if cell.startswith(_FORMULA_START) else cell


def render_csv(pack: MeetingPack) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutralise(header) for header, _ in CSV_COLUMNS])
    for entry in pack.entries:
        writer.writerow([neutralise(cell(pack, entry)) for _, cell in CSV_COLUMNS])
    return buffer.getvalue()
