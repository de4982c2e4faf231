"""Taking a copy of a request that came by file into the service's register.

Pure rules, no storage: what a copy received means for the register's own copy.

* A request the register has never held is **new**: it keeps its answers, its
  history and its sender (a :class:`~vig_tui.domain.models.Receipt`) and is
  given the service's reference, its meeting and one "received" entry by
  :func:`admit` (the store calls it, inside the write that takes the number).
* A copy identical to the one last received is **unchanged**: nothing is done.
* Otherwise it is **merged** answer by answer against the copy last received
  (:func:`~vig_tui.domain.merge.three_way`): answers changed on their side only
  are taken, answers both sides changed differently wait as
  :class:`~vig_tui.domain.models.WaitingConflict` s, with who changed each and
  when, and one "received" entry names every answer taken.

:func:`resolve` settles one waiting conflict by the coordinator's choice; its
history entry names both values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, JsonValue

from .changes import answer_changes, describe_value, label_for
from .fields import answer_at, set_answer
from .history import Action, Actor, Change, HistoryEntry, canonical_value
from .merge import FieldConflict, three_way
from .models import Carer, Receipt, RequestStatus, VigRequest, WaitingConflict, utc_now
from .rules import Finding
from .wording import plural


class Outcome(StrEnum):
    NEW = "new"
    UNCHANGED = "unchanged"
    MERGED = "merged"


@dataclass
class Arrival:
    """What one received copy does to the register."""

    outcome: Outcome
    #: What to store (new: not yet numbered, see :func:`admit`); for UNCHANGED, ours.
    request: VigRequest
    #: The copy as received: the base of the next merge (None: keep none, as when a
    #: referrer's copy takes a decision sent back).
    received: VigRequest | None
    #: The stored version ``request`` was made from (None: new).
    base_version: int | None
    taken: list[str] = field(default_factory=list)
    conflicts: list[WaitingConflict] = field(default_factory=list)


def as_json(value: Any) -> JsonValue:
    """An answer as JSON holds it (a carer as its document, a date as ISO text)."""
    if isinstance(value, BaseModel):
        dumped: JsonValue = value.model_dump(mode="json")
        return dumped
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return canonical_value(value)


def last_change(request: VigRequest, path: str) -> tuple[str, datetime | None]:
    """Who last changed the answer at ``path`` in ``request``'s history, and when."""
    for entry in reversed(request.history):
        for change in entry.changes:
            if (
                change.field == path
                or change.field.startswith(path + ".")
                or path.startswith(change.field + ".")
            ):
                return entry.who.described, entry.at
    return "", None


def same_copy(one: VigRequest, other: VigRequest) -> bool:
    """True when two copies hold exactly the same (answers, history, everything)."""
    return one.model_dump(mode="json") == other.model_dump(mode="json")


def incoming(theirs: VigRequest, receipt: Receipt, *, trusted: bool = False) -> VigRequest:
    """The sender's copy as the register first keeps it: their answers and history,
    the receipt; none of the register's own bookkeeping carried in from the file (nor,
    unless ``trusted``, decisions: only the service's meetings make those)."""
    request = theirs.model_copy(deep=True)
    request.reference = None
    request.received = receipt
    request.conflicts = []
    if not trusted:
        request.decisions = []
    return request


def admit(request: VigRequest, reference: str, meeting: date, on: date, who: Actor) -> VigRequest:
    """A new request's place in the register: the service's reference, its meeting, status
    Submitted, and one "received" entry naming the sender and their own number."""
    before = request.model_copy(deep=True)
    admitted = request.model_copy(deep=True)
    admitted.reference = reference
    admitted.meeting = meeting
    admitted.submitted_on = on
    receipt = admitted.received
    sender = receipt.sender if receipt and receipt.sender else "the sender"
    local = admitted.local_number
    theirs = f" (their number {local})" if local else ""
    summary = (
        f"Received by file from {sender}{theirs} as {reference}, "
        f"for the meeting on {meeting.day} {meeting:%B %Y}"
    )
    changes = answer_changes(before, admitted, ("reference", "meeting", "submitted_on"))
    if admitted.status is RequestStatus.SUBMITTED:
        admitted.record(who, Action.RECEIVED, summary, changes=changes)
    else:
        admitted.change_status(
            RequestStatus.SUBMITTED, who, Action.RECEIVED, summary, changes=changes
        )
    return admitted


def _base_without_copy(ours: VigRequest, theirs: VigRequest) -> VigRequest | None:
    """The copy both started from when none was kept (an import): theirs when ours grew
    from it, ours when theirs grew from it; None when neither did (every difference is
    then for a person)."""
    our_hashes = [entry.hash for entry in ours.history]
    their_hashes = [entry.hash for entry in theirs.history]
    if our_hashes[: len(their_hashes)] == their_hashes:
        return theirs
    if their_hashes[: len(our_hashes)] == our_hashes:
        return ours
    return None


def _all_conflicts(ours: VigRequest, theirs: VigRequest) -> list[FieldConflict]:
    differing = three_way(ours, ours, theirs).taken
    return [
        FieldConflict(
            path, label_for(path, ours, own=False), None, _value(ours, path), _value(theirs, path)
        )
        for path in differing
        if path != "decisions"
    ]


def _value(request: VigRequest, path: str) -> Any:
    if path.startswith("carers.") and path.count(".") == 1:
        carer_id = path.split(".", 1)[1]
        return next((c for c in request.carers if str(c.id) == carer_id), None)
    return answer_at(request, path)


def merge_copy(
    ours: VigRequest,
    base: VigRequest | None,
    theirs: VigRequest,
    receipt: Receipt,
    who: Actor,
    *,
    trusted: bool = False,
) -> Arrival:
    """Merge a received copy of a request the register holds (``ours``) against ``base``,
    the copy last received from the sender (None: none kept). Decisions are taken from
    it only when ``trusted`` (the service's own file, imported): a referrer's copy holds
    only the decisions the service sent back, and could not add one."""
    received = theirs.model_copy(deep=True)
    if base is not None and same_copy(base, theirs):
        return Arrival(Outcome.UNCHANGED, ours, received, ours.version)
    if base is None:
        base = _base_without_copy(ours, theirs)
        if base is theirs:
            return Arrival(Outcome.UNCHANGED, ours, received, ours.version)
    if base is None:
        merged = ours.model_copy(deep=True)
        taken: list[str] = []
        found = _all_conflicts(ours, theirs)
        extra = three_way(theirs, ours, theirs)
        if "decisions" in extra.taken:
            merged.decisions = extra.merged.decisions
            taken.append("decisions")
    else:
        result = three_way(base, ours, theirs)
        merged, taken, found = result.merged, result.taken, result.conflicts
    if not trusted and "decisions" in taken:
        merged.decisions = [d.model_copy(deep=True) for d in ours.decisions]
        taken = [path for path in taken if path != "decisions"]
    now = utc_now()
    waiting = [
        WaitingConflict(
            path=c.path,
            label=c.label[:200],
            base=as_json(c.base),
            ours=as_json(c.ours),
            theirs=as_json(c.theirs),
            ours_by=last_change(ours, c.path)[0][:200],
            ours_at=last_change(ours, c.path)[1],
            theirs_by=last_change(theirs, c.path)[0][:200],
            theirs_at=last_change(theirs, c.path)[1],
            received_at=now,
        )
        for c in found
    ]
    new_paths = {c.path for c in waiting}
    merged.conflicts = [c for c in ours.conflicts if c.path not in new_paths] + waiting
    previous = ours.received
    if previous is not None and previous.sender_key and not receipt.sender_key:
        # A copy from a JSON pack or an import carries no key: the sender and the key
        # decisions are sealed back to stay those of the sealed file that brought it.
        merged.received = previous.model_copy(update={"last_received_at": now})
    else:
        merged.received = receipt.model_copy(
            update={"first_received_at": previous.first_received_at if previous else now}
        )
    changes = [
        Change(
            field=path,
            label=label_for(path, merged, own=False),
            old=as_json(_value(ours, path)),
            new=as_json(_value(merged, path)),
        )
        for path in taken
        if path != "decisions"
    ]
    merged.record(who, Action.RECEIVED, _merge_summary(receipt, taken, waiting), changes=changes)
    return Arrival(Outcome.MERGED, merged, received, ours.version, taken, waiting)


def _merge_summary(receipt: Receipt, taken: list[str], waiting: list[WaitingConflict]) -> str:
    sender = receipt.sender or "the sender"
    parts = []
    answers = [path for path in taken if path != "decisions"]
    if answers:
        parts.append(f"{plural(len(answers), 'answer')} changed there taken")
    if "decisions" in taken:
        parts.append("their decisions added")
    if waiting:
        verb = "waits" if len(waiting) == 1 else "wait"
        parts.append(f"{plural(len(waiting), 'answer')} changed on both sides {verb} in the Inbox")
    if not parts:
        parts.append("no answer changed")
    return f"Received a new copy by file from {sender}: {'; '.join(parts)}"


# Settling a waiting conflict ---------------------------------------------------


class Choice(StrEnum):
    KEEP = "keep"  # the register's own answer
    TAKE = "take"  # the sender's answer
    EDIT = "edit"  # a third answer, written by the coordinator


class ResolveError(ValueError):
    """A conflict that cannot be settled as asked; the message says why."""


def waiting(request: VigRequest, path: str) -> WaitingConflict:
    for conflict in request.conflicts:
        if conflict.path == path:
            return conflict
    raise ResolveError(
        f"{label_for(path, request, own=False)}: no conflict waits on this answer any more"
    )


def _put(request: VigRequest, path: str, value: JsonValue) -> None:
    if path.startswith("carers.") and path.count(".") == 1:
        carer_id = path.split(".", 1)[1]
        kept = [c for c in request.carers if str(c.id) != carer_id]
        if value is not None:
            carer = Carer.model_validate(value)
            at = next((i for i, c in enumerate(request.carers) if str(c.id) == carer_id), None)
            kept.insert(len(kept) if at is None else at, carer)
        request.carers = kept
    else:
        set_answer(request, path, value)


def resolve(
    request: VigRequest,
    path: str,
    choice: Choice,
    who: Actor,
    value: JsonValue = None,
) -> tuple[VigRequest, HistoryEntry]:
    """The request with one waiting conflict settled, and its "conflict resolved" entry
    (both sides' values, who changed each and when, and what was chosen)."""
    conflict = waiting(request, path)
    settled = request.model_copy(deep=True)
    current = as_json(_value(request, path))
    chosen: JsonValue = {
        Choice.KEEP: current,
        Choice.TAKE: conflict.theirs,
        Choice.EDIT: value,
    }[choice]
    try:
        _put(settled, path, chosen)
    except (ValueError, KeyError) as error:
        raise ResolveError(f"{conflict.label}: that answer cannot be stored ({error})") from None
    settled.conflicts = [c for c in settled.conflicts if c.path != path]
    sender = request.received.sender_name if request.received else "the sender"
    words = {
        Choice.KEEP: "kept the service's answer",
        Choice.TAKE: f"took {sender}'s answer",
        Choice.EDIT: "wrote a new answer",
    }[choice]
    reason = (
        f"The service's answer: {describe_side(path, conflict.ours)}"
        f"{_by(conflict.ours_by, conflict.ours_at)}. "
        f"{sender}'s answer: {describe_side(path, conflict.theirs)}"
        f"{_by(conflict.theirs_by, conflict.theirs_at)}."
    )
    new = as_json(_value(settled, path))
    entry = settled.record(
        who,
        Action.CONFLICT_RESOLVED,
        f"{conflict.label}: {words}",
        changes=[Change(field=path, label=conflict.label, old=current, new=new)],
        reason=reason,
    )
    return settled, entry


def describe_side(path: str, value: JsonValue) -> str:
    """One side's answer as a person reads it; a parent or carer one side removed is
    "(removed)", not "(blank)"."""
    if value is None and whole_carer(path):
        return "(removed)"
    return describe_value(value)


def _by(name: str, at: datetime | None) -> str:
    if not name:
        return ""
    when = f" on {at.day} {at:%b %Y %H:%M}" if at else ""
    return f" (by {name}{when})"


def typed_answer(request: VigRequest, path: str, text: str) -> JsonValue:
    """What the coordinator typed as a third answer, as the model stores it; ResolveError
    (with a message to show beside the box) when it cannot be read as that answer."""
    from .dates import DateError, parse_date
    from .fields import Kind, find

    definition = find(path, request.checklist_version)
    text = text.strip()
    if definition is None:
        raise ResolveError(
            "This answer cannot be typed here: keep one side's answer, then change it on the "
            "request's page"
        )
    label = definition.short or definition.label
    if definition.kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        return _checked_text(path, text, label)
    if definition.kind is Kind.DATE:
        if not text:
            return None
        try:
            return parse_date(text, label=label).isoformat()
        except DateError as error:
            raise ResolveError(str(error)) from None
    if definition.kind in (Kind.YES_NO, Kind.TICK):
        words = {"yes": True, "y": True, "no": False, "n": False}
        if text.lower() not in words:
            raise ResolveError(f"Enter Yes or No for {label}")
        return words[text.lower()]
    options = {str(name).lower(): as_json(value) for name, value in definition.choices} | {
        str(as_json(value)).lower(): as_json(value) for _, value in definition.choices
    }
    if definition.kind is Kind.CHOICE:
        if not text:
            return None
        if text.lower() not in options:
            names = ", ".join(str(name) for name, _ in definition.choices)
            raise ResolveError(f"Enter one of: {names}")
        return options[text.lower()]
    if definition.kind is Kind.TICKS:
        chosen = [part.strip().lower() for part in text.split(",") if part.strip()]
        unknown = [part for part in chosen if part not in options]
        if unknown:
            names = ", ".join(str(name) for name, _ in definition.choices)
            raise ResolveError(f"Enter some of these, separated by commas: {names}")
        return [options[part] for part in chosen]
    raise ResolveError(
        "This answer cannot be typed here: keep one side's answer, then change it on the "
        "request's page"
    )


def _checked_text(path: str, text: str, label: str) -> str:
    """Text answers with a format (email, phone, postcode) are checked as the pages check them."""
    from .validation import check_email, check_phone, check_postcode, normalise_postcode

    name = path.rsplit(".", 1)[-1]
    problem = None
    if name == "email":
        problem = check_email(text, f"the {label.lower()}")
    elif name == "phone":
        problem = check_phone(text, f"the {label.lower()}")
    elif name == "postcode":
        problem = check_postcode(text)
        text = normalise_postcode(text) or text
    if problem:
        raise ResolveError(problem)
    return text


def whole_carer(path: str) -> bool:
    """Whether a conflict is over a whole parent or carer ("carers.<id>"), not one answer."""
    return path.startswith("carers.") and path.count(".") == 1


def carer_problems(request: VigRequest, carer: Carer, on: date) -> list[Finding]:
    """What the walkthrough would stop at in ``carer`` as one of ``request``'s parents and
    carers (a missing name or relationship, a phone or email it cannot read), in its words."""
    from .rules import evaluate, findings_for_field

    trial = request.model_copy(deep=True)
    _put(trial, f"carers.{carer.id}", carer.model_dump(mode="json"))
    findings = findings_for_field(evaluate(trial, on), f"carers.{carer.id}")
    return [finding for finding in findings if finding.blocking]


def editable(request: VigRequest, path: str) -> bool:
    """Whether a third answer can be typed for ``path`` (not for a whole carer)."""
    from .fields import Kind, find

    definition = find(path, request.checklist_version)
    return definition is not None and definition.kind not in (Kind.LIST, Kind.GROUP)
