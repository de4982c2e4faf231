"""Where a worker is in a request: each section's status and the section last open.

Pure functions of the request (no Textual), so the task list, Home and the
tests agree. The walkthrough keeps its own progress in the request's
``progress`` (never in its history): the section last opened, so a draft
resumes where it was left, and the sections whose answers were checked, so a
section the worker has already tried to finish says "There is a problem"
while blocking findings remain.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from .dates import format_date
from .fields import section_fields
from .models import VigRequest
from .rules import Finding, Section, blocking, evaluate, findings_for, ineligible


class SectionStatus(StrEnum):
    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"
    PROBLEM = "There is a problem"


#: The request's top-level answers asked in each section (from the question definitions).
SECTION_ANSWERS: dict[Section, tuple[str, ...]] = {
    # A MONTH question's flag (only the month was given) goes with its answer.
    section: tuple(
        dict.fromkeys(
            path.split(".")[0]
            for f in section_fields(section)
            for path in (f.path, f.month_only)
            if path
        )
    )
    for section in Section
}

_BLANK = VigRequest()
_SECTIONS = {section.value for section in Section}


def section_answered(request: VigRequest, section: Section) -> bool:
    """Has anything been answered in this section?"""
    return any(getattr(request, name) != getattr(_BLANK, name) for name in SECTION_ANSWERS[section])


def last_section(request: VigRequest) -> Section | None:
    """The section the worker last opened, if any."""
    opened = request.progress.last_opened
    return Section(opened) if opened in _SECTIONS else None


def checked_sections(request: VigRequest) -> set[Section]:
    """Sections whose answers the worker has tried to continue from at least once."""
    return {Section(value) for value in request.progress.checked if value in _SECTIONS}


def note_opened(request: VigRequest, section: Section) -> None:
    request.progress.last_opened = section.value


def note_checked(request: VigRequest, section: Section) -> None:
    if section.value not in request.progress.checked:
        request.progress.checked = [*request.progress.checked, section.value]


def section_status(request: VigRequest, section: Section, findings: list[Finding]) -> SectionStatus:
    """The task-list status of one section, given the request's findings."""
    if not section_answered(request, section):
        return SectionStatus.NOT_STARTED
    if not blocking(findings_for(findings, section)):
        return SectionStatus.COMPLETED
    if section in checked_sections(request):
        return SectionStatus.PROBLEM
    return SectionStatus.IN_PROGRESS


def ineligible_so_far(request: VigRequest, findings: list[Finding]) -> list[Finding]:
    """Why the service cannot accept the request, from the sections answered so far.

    A section with nothing answered says nothing yet: a request whose evidence is
    not started is unfinished, not refused (even after Continue on the empty
    page, which asks for the answers instead).
    """
    return [f for f in ineligible(findings) if section_answered(request, f.section)]


def statuses(request: VigRequest, on: date) -> dict[Section, SectionStatus]:
    findings = evaluate(request, on)
    return {section: section_status(request, section, findings) for section in Section}


def next_unfinished(request: VigRequest, on: date) -> Section | None:
    """The first section not yet completed, or None when all are."""
    for section, status in statuses(request, on).items():
        if status is not SectionStatus.COMPLETED:
            return section
    return None


def changed_fields(before: VigRequest, after: VigRequest, section: Section) -> list[str]:
    """Paths of the answers in ``section`` that differ (for correction history).

    A carer is followed by their id (``carers.<id>.name``), so removing one
    names that carer only; one added or removed is named whole (``carers.<id>``).
    """
    changes: list[str] = []
    for name in SECTION_ANSWERS[section]:
        _diff(
            name,
            before.model_dump(mode="json", include={name}).get(name),
            after.model_dump(mode="json", include={name}).get(name),
            changes,
        )
    return changes


def _by_id(items: list[Any]) -> dict[str, Any]:
    return {str(item.get("id")): item for item in items if isinstance(item, dict)}


def _diff(path: str, old: Any, new: Any, changes: list[str]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in dict.fromkeys([*old, *new]):
            _diff(f"{path}.{key}", old.get(key), new.get(key), changes)
    elif isinstance(old, list) and isinstance(new, list) and path == "carers":
        old_items, new_items = _by_id(old), _by_id(new)
        for item in dict.fromkeys([*old_items, *new_items]):
            if item in old_items and item in new_items:
                _diff(f"{path}.{item}", old_items[item], new_items[item], changes)
            else:
                changes.append(f"{path}.{item}")
    elif old != new:
        changes.append(path)


def describe_draft(draft: VigRequest, on: date) -> str:
    """A draft as a worker recognises it: "Amy Tre · changed 3 December 2026 · last in
    “The evidence”" (Home's list, and the question before deleting it)."""
    who = draft.child.name or "Child not named yet"
    where = last_section(draft) or next_unfinished(draft, on)
    place = f"last in “{where.title}”" if where else "ready to check"
    return f"{who} · changed {format_date(draft.updated_at.date())} · {place}"
