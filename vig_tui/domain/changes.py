"""Which answers differ between two copies of a request, with old and new values.

A correction's history entry, a draft visit's entry and a version conflict all
list the answers that changed, each with its dotted path, the question's label
and the value either side (as JSON holds it), so the history says what the
answer was and what it became, not only that it changed.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

from .history import Change, HistoryEntry
from .models import VigRequest
from .progress import SECTION_ANSWERS
from .rules import Section
from .vocabulary import Choice

#: Top-level answers in the order the task list asks them.
ANSWERS: tuple[str, ...] = tuple(name for s in Section for name in SECTION_ANSWERS[s])

#: What the request's own fields (not answers) are called in history and conflicts.
_RECORD_LABELS = {
    "status": "Status",
    "meeting": "Meeting",
    "reference": "Reference",
    "submitted_on": "Sent on",
    "decisions": "Decisions",
}

_PARTS = {
    "referrer": "About you",
    "route": "How the request was agreed",
    "child": "The child",
    "carers": "Carer",
    "case_holder": "The case holder",
    "evidence": "Evidence",
    "considerations": "Before you send",
    "difficulty_identified_on": "When the difficulty was first noticed",
    "carer_agrees": "The parent or carer agrees",
    "interpreter_needed": "Interpreter needed",
    "interpreter_language": "Interpreter's language",
    "notes": "Anything else",
}


def label_for(path: str) -> str:
    """The words a person reads for a dotted answer path ("carers.1.name" -> "Carer 2: name")."""
    try:
        fields = importlib.import_module(f"{__package__}.fields")
    except ImportError:
        fields = None
    if fields is not None and hasattr(fields, "label_for"):
        try:
            label: str = fields.label_for(path)
            return label
        except (KeyError, ValueError, LookupError):
            pass
    return _derived_label(path)


def _derived_label(path: str) -> str:
    head, *rest = path.split(".")
    if head in _RECORD_LABELS and not rest:
        return _RECORD_LABELS[head]
    words = _PARTS.get(head, head.replace("_", " ").capitalize())
    if head == "carers" and rest and rest[0].isdigit():
        words = f"Carer {int(rest[0]) + 1}"
        rest = rest[1:]
    elif head in ("evidence", "considerations") and rest:
        words = f"{words} ({rest[0].replace('_', ' ')})"
        rest = rest[1:]
    if rest:
        words += ": " + " ".join(part.replace("_", " ") for part in rest)
    return words


def answer_changes(
    before: VigRequest, after: VigRequest, names: Iterable[str] = ANSWERS
) -> list[Change]:
    """Each answer (leaf) under ``names`` that differs, with its old and new value."""
    changes: list[Change] = []
    names = list(names)
    old = before.model_dump(mode="json", include=set(names))
    new = after.model_dump(mode="json", include=set(names))
    for name in names:
        _diff(name, old.get(name), new.get(name), changes)
    return changes


def section_changes(before: VigRequest, after: VigRequest, section: Section) -> list[Change]:
    return answer_changes(before, after, SECTION_ANSWERS[section])


def _diff(path: str, old: Any, new: Any, changes: list[Change]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in dict.fromkeys([*old, *new]):
            _diff(f"{path}.{key}", old.get(key), new.get(key), changes)
    elif isinstance(old, list) and isinstance(new, list) and path == "carers":
        for index in range(max(len(old), len(new))):
            _diff(
                f"{path}.{index}",
                old[index] if index < len(old) else None,
                new[index] if index < len(new) else None,
                changes,
            )
    elif isinstance(old, dict) or isinstance(new, dict):
        # A carer added or removed: each of their answers, from or to nothing.
        for key in dict.fromkeys([*(old or {}), *(new or {})]):
            _diff(f"{path}.{key}", (old or {}).get(key), (new or {}).get(key), changes)
    elif old != new and not (_blank(old) and _blank(new)):
        changes.append(Change(field=path, label=label_for(path), old=old, new=new))


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def _choice_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for choice in Choice.__subclasses__():
        for member in choice:
            labels.setdefault(member.value, member.label)
    return labels


_CHOICE_LABELS = _choice_labels()


def describe_value(value: Any) -> str:
    """A changed value as a person reads it in history lines ("(blank)" for nothing)."""
    if isinstance(value, str) and value in _CHOICE_LABELS:
        return _CHOICE_LABELS[value]
    if _blank(value):
        return "(blank)"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, list):
        return ", ".join(describe_value(item) for item in value)
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def describe_change(change: Change) -> str:
    """ "Child: name: Amy -> Amelia" (old and new as a person reads them)."""
    return f"{change.label}: {describe_value(change.old)} → {describe_value(change.new)}"


def describe_entry(entry: HistoryEntry) -> list[str]:
    """One entry as readable lines: when, what and who; each change; the reason."""
    when = entry.at.astimezone().strftime("%d %b %Y %H:%M %Z").strip()
    what = entry.summary or entry.action.capitalize()
    lines = [f"{when}  {what}  (by {entry.who.described})"]
    lines.extend(f"  {describe_change(change)}" for change in entry.changes)
    if entry.reason:
        lines.append(f"  Reason: {entry.reason}")
    return lines
