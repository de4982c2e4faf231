"""Who changed what, when and why: attributed, hash-chained history entries.

Every change to a request leaves one :class:`HistoryEntry`: when (with its
zone), who (:class:`Actor`: the worker's name and role from their profile, the
OS login and the machine's id), the action, each answer's old and new value
with its label, and the reason. Entries are chained: an entry's ``hash`` is the
SHA-256 of its canonical JSON (without the hash) followed by the previous
entry's hash, the first entry's "previous" being the chain's ``start`` (the
request's id), so an entry edited, removed, reordered or moved to another
request no longer matches. The request keeps the newest hash as its
``history_head``, so an entry cut off the end is noticed too.

The same entries, chained from :data:`SERVICE_CHAIN`, make the service-wide
ledger: which requests exist (created, imported, deleted) and the changes that
belong to no one request (settings, the roster, moved meetings).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StringConstraints

from .vocabulary import RequestStatus

#: Who made the entries migrated from releases that did not record it.
UNKNOWN_WORKER = "unknown: recorded before history kept who"
#: The ``start`` of the service-wide ledger's chain.
SERVICE_CHAIN = "vig-tui service ledger"

_Text = Annotated[str, StringConstraints(max_length=20_000)]


class Action:
    """The names of the commands that leave history (stored as plain strings)."""

    CREATED = "created"
    EDITED = "edited"
    SENT = "sent"
    CORRECTED = "corrected"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"
    DELETED = "deleted"
    #: Deleted for good, with its whole history, under a retention rule (the ledger's tombstone).
    EXPUNGED = "expunged"
    MEETING_MOVED = "meeting moved"
    IMPORTED = "imported"
    SETTINGS_CHANGED = "settings changed"
    ROSTER_CHANGED = "roster changed"
    CONSENT_RECORDED = "consent recorded"
    CONSENT_WITHDRAWN = "consent withdrawn"
    WORK_STARTED = "work started"
    CYCLE_RECORDED = "cycle recorded"
    HELPING_QUESTIONS = "helping questions changed"
    MEETING_RECORDED = "meeting recorded"
    CHECKLIST_INSTALLED = "checklist installed"
    #: A request file taken into the service's register (new, or merged with its copy).
    RECEIVED = "received"
    #: The coordinator settled an answer both sides had changed (both values named).
    CONFLICT_RESOLVED = "conflict resolved"
    #: A referrer's copy took the decisions the service sent back.
    DECISION_RECEIVED = "decision received"
    #: Migrated entries keep the kind they had (created, status, correction, decision, meeting).
    STATUS = "status"


def utc_now() -> datetime:
    return datetime.now(UTC)


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Actor(_Frozen):
    """Who made a change: their profile's name and role, OS login and machine id."""

    name: _Text
    role: _Text = ""
    user: _Text = ""
    machine: _Text = ""

    @property
    def described(self) -> str:
        """'Ann Kitto, Health visitor (ann on 1f2e3d4c)' for history lines and conflicts."""
        text = f"{self.name}, {self.role}" if self.role else self.name
        if self.user:
            text += f" ({self.user} on {self.machine[:8]})" if self.machine else f" ({self.user})"
        return text


UNKNOWN_ACTOR = Actor(name=UNKNOWN_WORKER)


class Change(_Frozen):
    """One answer changed: its dotted path, its label, and the values either side (JSON)."""

    field: _Text
    label: _Text
    old: JsonValue = None
    new: JsonValue = None


class HistoryEntry(_Frozen):
    """One change, attributed and chained (see the module's docstring)."""

    at: datetime = Field(default_factory=utc_now)
    who: Actor
    action: _Text
    #: A sentence a person reads: "Sent: VIG-2026-0042, for the meeting on 4 December 2026".
    summary: _Text = ""
    changes: list[Change] = Field(default_factory=list)
    reason: _Text | None = None
    #: The request's status after the change (for entries about a request).
    status: RequestStatus | None = None
    #: For the service ledger: the request the entry is about, and its reference then.
    request_id: UUID | None = None
    reference: str | None = None
    hash: str = ""

    def canonical(self) -> str:
        """The entry without its hash as canonical JSON (sorted keys, no spaces, UTF-8)."""
        content = self.model_dump(mode="json", exclude={"hash"})
        return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def digest(self, previous: str) -> str:
        """SHA-256 (hex) of the canonical JSON followed by the previous entry's hash."""
        return hashlib.sha256((self.canonical() + previous).encode("utf-8")).hexdigest()

    def sealed(self, previous: str) -> HistoryEntry:
        """This entry with its hash, chained after ``previous``."""
        return self.model_copy(update={"hash": self.digest(previous)})


def tombstone(
    who: Actor,
    rule: str,
    *,
    request_id: UUID,
    reference: str | None,
    status: RequestStatus | None,
) -> HistoryEntry:
    """The ledger's record of a request deleted for good under a retention rule: its
    reference (or, for a draft, only its id), when, by whom, and the rule. Nothing
    else of the request is kept."""
    return HistoryEntry(
        who=who,
        action=Action.EXPUNGED,
        summary=f"Deleted for good under the retention rule: {rule}",
        reason=rule,
        status=status,
        request_id=request_id,
        reference=reference,
    )


def request_chain_start(request_id: UUID) -> str:
    """A request's chain starts from its id, so an entry moved between requests shows."""
    return f"vig-tui request {request_id}"


def head(entries: Sequence[HistoryEntry], start: str) -> str:
    """The hash the next entry chains after."""
    return entries[-1].hash if entries else start


def append(entries: list[HistoryEntry], entry: HistoryEntry, start: str) -> HistoryEntry:
    """Seal ``entry`` after the newest of ``entries`` and add it; returns the sealed entry."""
    sealed = entry.sealed(head(entries, start))
    entries.append(sealed)
    return sealed


def first_broken(entries: Sequence[HistoryEntry], start: str) -> int | None:
    """The index of the first entry whose hash does not match its content and place."""
    previous = start
    for index, entry in enumerate(entries):
        if entry.digest(previous) != entry.hash:
            return index
        previous = entry.hash
    return None


def canonical_value(value: Any) -> JsonValue:
    """A value as JSON holds it (dates as ISO text, enums as their stored value)."""
    result: JsonValue = json.loads(json.dumps(value, default=str))
    return result
