"""Every answer of a request as (question, answer) rows, section by section.

Pure (no Textual): Check your answers shows these rows, and any other screen
that shows a whole request can too. A skipped optional answer reads
"Not provided"; a required one not yet given reads "Not answered".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .checklist import checklist_for
from .dates import describe_age, format_date, format_day_or_month
from .models import Answer, Programme, RouteKind, VigRequest
from .rules import Section

NOT_PROVIDED = "Not provided"
NOT_ANSWERED = "Not answered"


@dataclass(frozen=True)
class Row:
    question: str
    answer: str


def _text(value: str, *, optional: bool = False) -> str:
    return value.strip() or (NOT_PROVIDED if optional else NOT_ANSWERED)


def _yes_no(value: bool | None, *, optional: bool = False) -> str:
    if value is None:
        return NOT_PROVIDED if optional else NOT_ANSWERED
    return "Yes" if value else "No"


def _label(value: object | None) -> str:
    return getattr(value, "label", NOT_ANSWERED) if value is not None else NOT_ANSWERED


def section_rows(request: VigRequest, section: Section, today: date) -> list[Row]:
    return _BUILDERS[section](request, today)


def _referrer(request: VigRequest, today: date) -> list[Row]:
    r = request.referrer
    return [
        Row("Your name", _text(r.name)),
        Row("Your role", _label(r.role)),
        Row("Your team", _text(r.team)),
        Row("Your phone number", _text(r.phone, optional=bool(r.email))),
        Row("Your email address", _text(r.email, optional=bool(r.phone))),
    ]


def _route(request: VigRequest, today: date) -> list[Row]:
    route = request.route
    rows = [Row("How the request was agreed", _label(route.kind))]
    if route.kind is RouteKind.EARLY_HELP_HUB:
        rows.append(Row("Early Help Hub request form reference", _text(route.hub_reference)))
    elif route.kind is RouteKind.CASE_MANAGEMENT:
        rows.append(Row("Team manager who agreed it", _text(route.team_manager)))
        rows.append(Row("Date it was agreed", format_date(route.agreed_on, missing=NOT_ANSWERED)))
    return rows


def _child_family(request: VigRequest, today: date) -> list[Row]:
    child = request.child
    born = format_date(child.date_of_birth, missing=NOT_ANSWERED)
    if child.date_of_birth is not None and child.date_of_birth <= today:
        born += f" (aged {describe_age(child.date_of_birth, today)})"
    rows = [
        Row("The child's full name", _text(child.name)),
        Row("Date of birth", born),
        Row("Gender", _text(child.gender, optional=True)),
        Row("Address", _text(child.address, optional=True)),
        Row("Postcode", _text(child.postcode, optional=True)),
        Row("Nursery, school or other setting", _text(child.setting, optional=True)),
        Row("First language", _text(child.first_language, optional=True)),
    ]
    if not request.carers:
        rows.append(Row("Parents and carers", NOT_ANSWERED))
    for index, carer in enumerate(request.carers, start=1):
        relationship = _label(carer.relationship)
        if carer.relationship_other:
            relationship = f"{relationship}: {carer.relationship_other}"
        details = [
            _text(carer.name),
            relationship,
            f"Phone: {_text(carer.phone, optional=True)}",
            f"Lives with the child: {_yes_no(carer.lives_with_child, optional=True)}",
        ]
        rows.append(Row(f"Parent or carer {index}", "\n".join(details)))
    return rows


def _case_holder(request: VigRequest, today: date) -> list[Row]:
    holder = request.case_holder
    rows = [
        Row("Has a case holder, lead professional or named health visitor", _yes_no(holder.exists))
    ]
    if holder.exists:
        rows += [
            Row("Their name", _text(holder.name)),
            Row("Their role", _label(holder.role)),
            Row("Their team", _text(holder.team, optional=True)),
            Row("Their phone number", _text(holder.phone, optional=bool(holder.email))),
            Row("Their email address", _text(holder.email, optional=bool(holder.phone))),
        ]
    return rows


def _evidence(request: VigRequest, today: date) -> list[Row]:
    checklist = checklist_for(request.checklist_version)
    rows: list[Row] = []
    for criterion in checklist.criteria:
        answer = request.criterion(criterion.id)
        if not answer.ticked:
            continue
        text = _text(answer.evidence)
        if answer.programmes:
            names = [
                p.label if p is not Programme.OTHER else f"Other: {_text(answer.other_programme)}"
                for p in answer.programmes
            ]
            text = f"Programmes: {', '.join(names)}\n{text}"
        rows.append(Row(criterion.title, text))
    if not rows:
        rows.append(Row("Criteria", "None selected"))
    rows.append(
        Row(
            "When the difficulty was first identified",
            difficulty_identified(request, missing=NOT_PROVIDED),
        )
    )
    return rows


def _before_you_send(request: VigRequest, today: date) -> list[Row]:
    checklist = checklist_for(request.checklist_version)
    rows = []
    for consideration in checklist.considerations:
        answer = request.answer(consideration.id)
        reply = answer.answer.label if isinstance(answer.answer, Answer) else NOT_ANSWERED
        rows.append(Row(consideration.question, f"{reply}\n{_text(answer.explanation)}"))
    rows += [
        Row("Does the parent or carer agree to the request?", _yes_no(request.carer_agrees)),
        Row("Does the family need an interpreter?", _yes_no(request.interpreter_needed)),
    ]
    if request.interpreter_needed:
        rows.append(Row("Language", _text(request.interpreter_language)))
    rows.append(
        Row("Anything else the VIG service should know", _text(request.notes, optional=True))
    )
    return rows


_BUILDERS = {
    Section.REFERRER: _referrer,
    Section.ROUTE: _route,
    Section.CHILD_FAMILY: _child_family,
    Section.CASE_HOLDER: _case_holder,
    Section.EVIDENCE: _evidence,
    Section.BEFORE_YOU_SEND: _before_you_send,
}


def difficulty_identified(request: VigRequest, *, missing: str = "") -> str:
    """When the difficulty was first identified, as it was given: "June 2024" for a
    month, "3 June 2024" for a day, and "(during pregnancy)" when the worker said so."""
    text = format_day_or_month(
        request.difficulty_identified_on,
        month_only=request.difficulty_identified_month_only,
        missing="",
    )
    if request.difficulty_identified_in_pregnancy:
        text = f"{text} (during pregnancy)" if text else "During pregnancy"
    return text or missing
