"""Every answer of a request as (question, answer) rows, section by section.

Pure (no Textual): Check your answers and the request page show these rows,
worded for the referrer's own draft ("About you", "Your name") or, wherever the
request is shown rather than asked, for whoever reads it ("Referrer's name").
The rows are made from the question definitions (:mod:`vig_tui.domain.fields`),
so a question added there is listed here with the same words. Only the
grouping is decided here: a carer's answers make one row, as do a ticked
criterion's and a consideration's. A skipped optional answer reads "Not
provided"; a required one not yet given reads "Not answered".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from .dates import describe_age, format_day_or_month
from .fields import (
    Field,
    Kind,
    answer_at,
    answer_text,
    asked,
    children,
    item_label,
    section_fields,
    top_level,
)
from .models import VigRequest
from .rules import Section

NOT_PROVIDED = "Not provided"
NOT_ANSWERED = "Not answered"


@dataclass(frozen=True)
class Row:
    question: str
    answer: str


def _with_age(text: str, value: Any, today: date) -> str:
    if isinstance(value, date) and value <= today:
        return f"{text} (aged {describe_age(value, today)})"
    return text


#: Answers shown with more than their own value.
_EXTRA: dict[str, Callable[[str, Any, date], str]] = {"child.date_of_birth": _with_age}


def answer(request: VigRequest, definition: Field, path: str, today: date) -> str:
    """One answer as Check your answers shows it ("Not provided" / "Not answered" when none)."""
    value = answer_at(request, path)
    text = answer_text(definition, value)
    if text and definition.path == "difficulty_identified_on":
        text = difficulty_identified(request)
    if not text:
        either = definition.optional_with and answer_text(
            definition, answer_at(request, definition.optional_with)
        )
        return NOT_PROVIDED if definition.optional or either else NOT_ANSWERED
    extra = _EXTRA.get(definition.path)
    return extra(text, value, today) if extra else text


def _line(request: VigRequest, definition: Field, path: str, today: date) -> str:
    """An answer within a row of several: free text as it is, others with their label."""
    text = answer(request, definition, path, today)
    return text if definition.kind is Kind.LONG_TEXT else f"{definition.summary_label}: {text}"


def _list_rows(request: VigRequest, container: Field, today: date) -> list[Row]:
    if not request.carers:
        return [Row(container.summary_label, NOT_ANSWERED)]
    rows = []
    for index, carer in enumerate(request.carers):
        lines = [
            _line(request, definition, definition.at(carer.id), today)
            for definition in children(container, request.checklist_version)
            if asked(request, definition, definition.at(carer.id))
        ]
        rows.append(Row(item_label(container, index), "\n".join(lines)))
    return rows


def _group_rows(request: VigRequest, group: Field, today: date) -> list[Row]:
    """One row per ticked box, holding the answers it revealed."""
    members = children(group, request.checklist_version)
    rows = []
    for tick in (m for m in members if m.kind is Kind.TICK):
        if not answer_at(request, tick.path):
            continue
        lines = [
            _line(request, m, m.path, today)
            for m in members
            if m.parent == tick.parent and m is not tick and asked(request, m)
        ]
        rows.append(Row(tick.label, "\n".join(lines)))
    return rows or [Row(group.summary_label, "None selected")]


def section_rows(
    request: VigRequest, section: Section, today: date, *, own: bool = False
) -> list[Row]:
    """The section's rows, labelled as the referrer reads their own draft (``own``:
    "Your name") or as anyone else reads the request ("Referrer's name")."""
    rows: list[Row] = []
    joined: str | None = None
    for definition in top_level(section_fields(section, request.checklist_version)):
        if definition.kind is Kind.LIST:
            rows += _list_rows(request, definition, today)
        elif definition.kind is Kind.GROUP:
            rows += _group_rows(request, definition, today)
        elif asked(request, definition):
            text = answer(request, definition, definition.path, today)
            # Answers about one checklist entry (a consideration's answer and
            # its explanation) read as one row, under the first one's label.
            entry = definition.parent if "." in definition.parent else None
            if entry is not None and entry == joined:
                rows[-1] = Row(rows[-1].question, f"{rows[-1].answer}\n{text}")
            else:
                rows.append(Row(definition.listed_label(own=own), text))
            joined = entry
    return rows


def difficulty_identified(request: VigRequest, *, missing: str = "") -> str:
    """When the difficulty was first identified, as it was given: "June 2024" when only
    the month was, "3 June 2024" for a day."""
    return format_day_or_month(
        request.difficulty_identified_on,
        month_only=request.difficulty_identified_month_only,
        missing=missing,
    )
