"""Which answers differ between two copies of a request, with old and new values.

A correction's history entry, a draft visit's entry and a version conflict all
list the answers that changed, each with its dotted path, the question's label
and the value either side (as JSON holds it), so the history says what the
answer was and what it became, not only that it changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from . import fields
from .dates import format_month
from .history import Action, Actor, Change, HistoryEntry
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
    "local_number": "Local number",
    "sent_by_file": "Sent by file",
    "decisions": "Decisions",
}


def label_for(path: str, request: VigRequest | None = None, *, own: bool = True) -> str:
    """The words a person reads for a dotted path (the question's label from domain.fields;
    ``own=False``: as someone other than the referrer reads it, "Referrer's name")."""
    if path in _RECORD_LABELS:
        return _RECORD_LABELS[path]
    return fields.label_for(path, request, own=own)


def answer_changes(
    before: VigRequest, after: VigRequest, names: Iterable[str] = ANSWERS
) -> list[Change]:
    """Each answer (leaf) under ``names`` that differs, with its old and new value.

    Carers are followed by their stable id (``carers.<id>.name``); one added or
    removed lists each of their answers from or to nothing.
    """
    found: list[tuple[str, Any, Any]] = []
    names = list(names)
    old = before.model_dump(mode="json", include=set(names))
    new = after.model_dump(mode="json", include=set(names))
    for name in names:
        _diff(name, old.get(name), new.get(name), found)
    return [
        Change(field=path, label=label_for(path, after), old=was, new=now)
        for path, was, now in found
    ]


def section_changes(before: VigRequest, after: VigRequest, section: Section) -> list[Change]:
    return answer_changes(before, after, SECTION_ANSWERS[section])


def _by_id(items: list[Any]) -> dict[str, Any]:
    return {str(item.get("id")): item for item in items if isinstance(item, dict)}


def _diff(path: str, old: Any, new: Any, found: list[tuple[str, Any, Any]]) -> None:
    if isinstance(old, dict) or isinstance(new, dict):
        old, new = old if isinstance(old, dict) else {}, new if isinstance(new, dict) else {}
        for key in dict.fromkeys([*old, *new]):
            if not (path.startswith("carers.") and key == "id"):
                _diff(f"{path}.{key}", old.get(key), new.get(key), found)
    elif isinstance(old, list) and isinstance(new, list) and path == "carers":
        old_items, new_items = _by_id(old), _by_id(new)
        for item in dict.fromkeys([*old_items, *new_items]):
            _diff(f"{path}.{item}", old_items.get(item), new_items.get(item), found)
    elif old != new and not (_blank(old) and _blank(new)):
        found.append((path, old, new))


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def _choice_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for choice in Choice.__subclasses__():
        for member in choice:
            labels.setdefault(member.value, member.label)
    return labels


_CHOICE_LABELS = _choice_labels()


def describe_value(value: Any, *, month_only: bool = False) -> str:
    """A changed value as a person reads it in history lines ("(blank)" for nothing).

    ``month_only``: the value is a MONTH answer given as a month alone (held as the
    month's first day), read "September 2025" as its question page shows it.
    """
    if isinstance(value, str) and value in _CHOICE_LABELS:
        return _CHOICE_LABELS[value]
    if _blank(value):
        return "(blank)"
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        day = date.fromisoformat(value)
        return format_month(day) if month_only else f"{day.day} {day:%b %Y}"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, list):
        return ", ".join(describe_value(item) for item in value)
    if isinstance(value, dict) and "relationship" in value:
        return describe_carer(value)
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


_LIVES: dict[Any, str] = {True: "lives with the child", False: "does not live with the child"}


def describe_carer(carer: dict[str, Any]) -> str:
    """A whole parent or carer in one line: "Kerenza Pascoe, Mother, 01632 960 123, lives
    with the child" (what was given; nothing cut, so history keeps it all)."""
    relationship = carer.get("relationship")
    parts = [
        carer.get("name") or "(no name)",
        carer.get("relationship_other") or _CHOICE_LABELS.get(relationship or "", ""),
        carer.get("phone") or "",
        carer.get("email") or "",
        " ".join(str(carer.get("address") or "").split()),
        _LIVES.get(carer.get("lives_with_child"), ""),
    ]
    return ", ".join(str(part) for part in parts if part)


def shown_label(path: str, stored: str) -> str:
    """The label a history line or a waiting conflict reads: the question's words for
    whoever reads it ("Referrer's name", not the "Your name" stored with an entry made
    before), else the label stored with it (a carer's keeps its place then)."""
    definition = fields.find(path)
    if definition is not None and definition.to_others:
        return definition.to_others
    return stored


#: A MONTH answer's month-only flag before and after an entry, by the answer's path.
MonthOnly = dict[str, tuple[bool, bool]]


def describe_change(change: Change, month_only: MonthOnly | None = None) -> str:
    """ "Child: name: Amy -> Amelia" (old and new as a person reads them; a date given
    as a month alone, by ``month_only`` from :func:`month_only_flags`, as the month)."""
    before, after = (month_only or {}).get(change.field, (False, False))
    old = describe_value(change.old, month_only=before)
    new = describe_value(change.new, month_only=after)
    return f"{shown_label(change.field, change.label)}: {old} → {new}"


def month_only_flags(request: VigRequest) -> list[MonthOnly]:
    """For each history entry (oldest first): whether each MONTH answer was given as a
    month alone before and after it.

    The flag is an answer of its own (``difficulty_identified_month_only``), listed in
    an entry only when it changed; so it is read back from the request as it is now,
    entry by entry, newest first. Only the words shown depend on it: the stored values
    (and so the hashes) are the dates as they were kept.
    """
    form = fields.form_for(request.checklist_version)
    flags = {d.path: d.month_only for d in form if d.kind is fields.Kind.MONTH and d.month_only}
    state = {path: bool(fields.answer_at(request, flag)) for path, flag in flags.items()}
    found: list[MonthOnly] = []
    for entry in reversed(request.history):
        changed = {c.field: c.old for c in entry.changes}
        before = {
            path: bool(changed[flag]) if flag in changed else state[path]
            for path, flag in flags.items()
        }
        found.append({path: (before[path], state[path]) for path in flags})
        state = before
    found.reverse()
    return found


def describe_entry(entry: HistoryEntry, month_only: MonthOnly | None = None) -> list[str]:
    """One entry as readable lines: when, what and who; each change; the reason."""
    when = entry.at.astimezone().strftime("%d %b %Y %H:%M %Z").strip()
    what = entry.summary or entry.action.capitalize()
    lines = [f"{when}  {what}  (by {entry.who.described})"]
    lines.extend(f"  {describe_change(change, month_only)}" for change in entry.changes)
    if entry.reason:
        lines.append(f"  Reason: {entry.reason}")
    return lines


#: What a version conflict compares besides the answers.
_RECORD = ("status", "meeting")


def differences(loaded: VigRequest, current: VigRequest) -> list[Change]:
    """What differs between the copy a worker opened and the one stored now (side by side)."""
    return answer_changes(loaded, current, (*_RECORD, *ANSWERS))


def entries_since(loaded: VigRequest, current: VigRequest) -> list[HistoryEntry]:
    """The history entries ``current`` has that ``loaded`` had not (newest last)."""
    known = {entry.hash for entry in loaded.history}
    return [entry for entry in current.history if entry.hash not in known]


#: The parts of a meeting's record the ledger follows, with their labels.
MEETING_RECORD_PARTS = (
    ("attendees", "Present"),
    ("apologies", "Apologies"),
    ("actions", "Actions agreed"),
)


def meeting_record_entry(
    who: Actor, before: dict[str, Any] | None, after: dict[str, Any], *, reason: str = ""
) -> HistoryEntry | None:
    """The ledger's entry for saving a meeting's record (both as JSON holds them): each
    part's old and new value; None when nothing changed."""
    old = before or {}
    changes = [
        Change(field=f"meeting_record.{name}", label=label, old=old.get(name), new=after.get(name))
        for name, label in MEETING_RECORD_PARTS
        if (old.get(name) or None) != (after.get(name) or None)
    ]
    if not changes:
        return None
    made = "changed" if before is not None else "made"
    return HistoryEntry(
        who=who,
        action=Action.MEETING_RECORDED,
        summary=f"Record of the meeting on {after['meeting']} {made}",
        changes=changes,
        reason=reason.strip() or None,
    )


def checklist_entry(who: Actor, in_use: str | None, version: str) -> HistoryEntry:
    """The ledger's entry for installing checklist ``version`` (``in_use``: the one before)."""
    return HistoryEntry(
        who=who,
        action=Action.CHECKLIST_INSTALLED,
        summary=f"Checklist version {version} installed",
        changes=[
            Change(
                field="checklist_in_use",
                label="The checklist new requests are made under",
                old=in_use,
                new=version,
            )
        ],
    )
