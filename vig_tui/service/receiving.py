"""Receiving sealed files: requests into the service's register, decisions into a
referrer's copies, and settling the answers both sides changed (issue #11 §3, §4).

Each file is opened and checked whole before anything is written
(:func:`open_sealed`), then taken in one write (the store's ``receive``), so a
file is either taken entirely or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from pydantic import JsonValue, ValidationError

from ..domain.changes import answer_changes
from ..domain.dates import format_date
from ..domain.history import Action, Actor
from ..domain.models import (
    Decision,
    DecisionOutcome,
    Receipt,
    RequestStatus,
    VigRequest,
    WaitingConflict,
    utc_now,
)
from ..domain.receiving import Arrival, Choice, Outcome, incoming, merge_copy, resolve
from ..exchange.payloads import DecisionNotice, NoticeItem, RequestFile, read_document
from ..exchange.sealing import MAX_SEALED_BYTES, ExchangeError, unseal
from ..store.errors import RequestNotFound

if TYPE_CHECKING:
    from pyrage import x25519

    from ..store import Repository


def open_sealed(
    data: bytes, identities: Sequence[x25519.Identity], *, name: str
) -> RequestFile | DecisionNotice:
    """The document in a sealed file, checked whole; :class:`ExchangeError` saying why not."""
    if not identities:
        raise ExchangeError(
            f"{name} cannot be opened here: this register has no service key and this "
            "computer no key of its own (nothing was sent to it)."
        )
    document = read_document(unseal(data, identities, name=name), name=name)
    if isinstance(document, RequestFile):
        ids = [request.id for request in document.requests]
        if len(set(ids)) != len(ids):
            raise ExchangeError(
                f"{name} holds the same request twice, so it cannot be taken as it stands. "
                "Nothing from it was used; ask for it to be sent again."
            )
        for position, request in enumerate(document.requests, start=1):
            if not request.history or request.history_problem() is not None:
                raise ExchangeError(
                    f"{name}: request {position}'s history is not whole (it was not made by "
                    "vig-tui, or was changed after it was sent). Nothing from the file was "
                    "used; ask for it to be sent again."
                )
    else:
        ids = [item.request_id for item in document.decisions]
        if len(set(ids)) != len(ids):
            raise ExchangeError(
                f"{name} holds two decisions on one request. Nothing from it was used."
            )
    return document


@dataclass(frozen=True)
class JsonPack:
    """Requests in the JSON pack form: a meeting pack or ``vig-tui export --format json``
    (a list of requests), or one request's summary (``export --request --format json``),
    which holds its request whole. Not sealed, so it names no sender but each request's
    referrer, and carries no key for decisions sent back."""

    requests: list[VigRequest]


#: The JSON forms `vig-tui receive` takes, for messages.
_JSON_FORMS = (
    "a meeting pack or `vig-tui export --format json`, or one request's summary from "
    "`vig-tui export --request REFERENCE --format json`"
)


def is_json(data: bytes) -> bool:
    """Whether a file looks like JSON (a sealed file starts with the age header)."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{")


def _json_records(document: object, name: str) -> list[object]:
    """The request records in a JSON document, or ExchangeError saying why there are none."""
    if isinstance(document, dict) and document.get("redacted") is True:
        raise ExchangeError(
            f"{name} is redacted: its names, dates of birth and contact details were "
            "removed, so receiving it would make records of no one. Nothing from it was "
            "used; ask for the full file, sealed (`vig-tui send`), or the pack without --redact."
        )
    if isinstance(document, dict) and document.get("kind") == "vig-request-summary":
        if not isinstance(document.get("request"), dict):
            raise ExchangeError(
                f"{name} is a request's summary that does not hold the request whole (made "
                "by an older vig-tui). Nothing from it was used; ask for the request file "
                "(`vig-tui send`) or the summary written again."
            )
        return [document["request"]]
    if isinstance(document, dict) and "kind" not in document and "history" in document:
        return [document]
    if isinstance(document, list) and document:
        return list(document)
    raise ExchangeError(
        f"{name} holds no requests in a form vig-tui takes ({_JSON_FORMS}). "
        "Nothing from it was used."
    )


def open_json_pack(data: bytes, *, name: str) -> JsonPack:
    """The requests in a JSON pack, checked whole as a sealed file's are (each a request
    vig-tui made, its history whole, none twice, none a draft never sent);
    :class:`ExchangeError` saying why not, and then nothing from it is used."""
    if len(data) > MAX_SEALED_BYTES:
        raise ExchangeError(
            f"{name} is {len(data):,} bytes, larger than any file vig-tui writes; it was not read."
        )
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ExchangeError(
            f"{name} is not readable JSON ({error}). Nothing from it was used."
        ) from None
    records = _json_records(document, name)
    requests: list[VigRequest] = []
    for position, record in enumerate(records, start=1):
        try:
            requests.append(VigRequest.model_validate(record))
        except ValidationError as error:
            problems = error.errors(include_url=False)
            first = problems[0]
            where = ".".join(str(part) for part in first["loc"]) or "the record"
            more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
            raise ExchangeError(
                f"{name}: request {position} cannot be used: {where}: {first['msg']}{more}. "
                "Nothing from the file was used."
            ) from None
    ids = [request.id for request in requests]
    if len(set(ids)) != len(ids):
        raise ExchangeError(
            f"{name} holds the same request twice, so it cannot be taken as it stands. "
            "Nothing from it was used."
        )
    for position, request in enumerate(requests, start=1):
        if not request.history or request.history_problem() is not None:
            raise ExchangeError(
                f"{name}: request {position}'s history is not whole (it was not made by "
                "vig-tui, or was changed after it was written). Nothing from the file was used."
            )
        if request.status is RequestStatus.DRAFT:
            raise ExchangeError(
                f"{name}: request {position} is a draft that was never sent. Nothing from "
                "the file was used; the referrer sends it first (Send request to the VIG "
                "service), then the file holds it as sent."
            )
    return JsonPack(requests)


@dataclass
class Received:
    """What taking one file did, request by request."""

    new: list[VigRequest] = field(default_factory=list)
    merged: list[VigRequest] = field(default_factory=list)
    unchanged: list[VigRequest] = field(default_factory=list)
    #: Decision notices: the copies that took a decision, and notices already taken.
    decided: list[VigRequest] = field(default_factory=list)
    #: Decisions on requests this machine does not hold (their references).
    not_here: list[str] = field(default_factory=list)

    @property
    def conflicts(self) -> list[tuple[VigRequest, WaitingConflict]]:
        return [(request, c) for request in self.merged for c in request.conflicts]

    @property
    def changed(self) -> bool:
        return bool(self.new or self.merged or self.decided)


def receipt_of(document: RequestFile) -> Receipt:
    sender = document.sender
    now = utc_now()
    return Receipt(
        sender_name=sender.name,
        sender_role=sender.role,
        sender_team=sender.team,
        sender_email=sender.email,
        sender_phone=sender.phone,
        sender_key=document.sender_key,
        sent_at=document.sent_at,
        first_received_at=now,
        last_received_at=now,
    )


def receive_requests(store: Repository, who: Actor, document: RequestFile, *, on: date) -> Received:
    """Take a request file into the register in one write: new requests get the service's
    reference and meeting; copies of requests held here are merged against the copy last
    received (answers both sides changed wait as conflicts); an identical copy changes
    nothing."""
    receipt = receipt_of(document)
    return _take(store, who, document.requests, lambda _: receipt, on, trusted=False)


def receipt_from_referrer(request: VigRequest) -> Receipt:
    """A JSON pack names no sender: each request's referrer is taken as its sender."""
    referrer = request.referrer
    now = utc_now()
    return Receipt(
        sender_name=referrer.name or "an unnamed referrer",
        sender_role=referrer.role.label if referrer.role else "",
        sender_team=referrer.team,
        sender_email=referrer.email,
        sender_phone=referrer.phone,
        first_received_at=now,
        last_received_at=now,
    )


def receive_pack(store: Repository, who: Actor, pack: JsonPack, *, on: date) -> Received:
    """Take a JSON pack as a request file is taken (new requests numbered, copies merged
    three-way, the same file twice changing nothing); its decisions are not taken, as a
    referrer's are not."""
    return _take(store, who, pack.requests, receipt_from_referrer, on, trusted=False)


def merge_requests(
    store: Repository, who: Actor, requests: list[VigRequest], *, on: date
) -> Received:
    """``vig-tui import --merge``: each request in a JSON file is taken as a copy received
    from "an imported file", through the same merge as a request file."""
    receipt = Receipt(sender_name="an imported file")
    return _take(store, who, requests, lambda _: receipt, on, trusted=True)


def _take(
    store: Repository,
    who: Actor,
    requests: list[VigRequest],
    receipt_for: Callable[[VigRequest], Receipt],
    on: date,
    *,
    trusted: bool,
) -> Received:
    arrivals: list[Arrival] = []
    for theirs in requests:
        try:
            ours: VigRequest | None = store.get(theirs.id)
        except RequestNotFound:
            ours = None
        if ours is None:
            request = incoming(theirs, receipt_for(theirs), trusted=trusted)
            arrivals.append(Arrival(Outcome.NEW, request, theirs, None))
        else:
            base = store.received_copy(theirs.id)
            receipt = receipt_for(theirs)
            arrivals.append(merge_copy(ours, base, theirs, receipt, who, trusted=trusted))
    stored = {request.id: request for request in store.receive(arrivals, on, who=who)}
    result = Received()
    for arrival in arrivals:
        if arrival.outcome is Outcome.UNCHANGED:
            result.unchanged.append(arrival.request)
        elif arrival.outcome is Outcome.NEW:
            result.new.append(stored[arrival.request.id])
        else:
            result.merged.append(stored[arrival.request.id])
    return result


def waiting_conflicts(store: Repository) -> list[tuple[VigRequest, WaitingConflict]]:
    """Every answer waiting for the coordinator, oldest request first (the Inbox)."""
    found: list[tuple[VigRequest, WaitingConflict]] = []
    for summary in store.summaries():
        if summary.waiting_conflicts:
            request = store.get(summary.id)
            found.extend((request, conflict) for conflict in request.conflicts)
    return found


def resolve_conflict(
    store: Repository,
    who: Actor,
    request: VigRequest,
    path: str,
    choice: Choice,
    value: JsonValue = None,
) -> VigRequest:
    """Settle one waiting conflict (keep ours, take theirs, or a new answer) with one
    "conflict resolved" entry naming both values; saved at the version it was read at."""
    settled, _ = resolve(request, path, choice, who, value)
    return store.save(settled, base_version=request.version)


# Decisions sent back -----------------------------------------------------------

_STATUS_AFTER = {
    DecisionOutcome.ALLOCATED: RequestStatus.ALLOCATED,
    DecisionOutcome.IN_PROGRESS: RequestStatus.IN_PROGRESS,
    DecisionOutcome.NOT_ACCEPTED: RequestStatus.NOT_ACCEPTED,
    DecisionOutcome.DEFERRED: RequestStatus.DEFERRED,
    DecisionOutcome.MORE_INFORMATION: RequestStatus.SUBMITTED,
}


def decision_of(item: NoticeItem) -> Decision:
    """The decision as the referrer's copy keeps it (the same meeting, outcome and time as
    the service's, so a later merge knows it as the same decision)."""
    return Decision(
        meeting=item.meeting,
        outcome=item.outcome,
        recorded_at=item.recorded_at,
        practitioner_name=item.practitioner_name,
        priority=item.priority,
        not_accepted_reason=item.not_accepted_reason,
        reason=item.reason,
        note=item.note,
        information_needed=item.information_needed,
        information_from=item.information_from,
    )


def _known(request: VigRequest, decision: Decision) -> bool:
    return any(
        d.meeting == decision.meeting
        and d.outcome == decision.outcome
        and d.recorded_at == decision.recorded_at
        for d in request.decisions
    )


def take_notice(store: Repository, who: Actor, notice: DecisionNotice) -> Received:
    """A referrer's copies take the decisions the service sent back: the service's
    reference, the decision, the status it leads to, one "decision received" entry each.
    A notice taken before changes nothing."""
    result = Received()
    changed: list[tuple[VigRequest, VigRequest]] = []
    for item in notice.decisions:
        try:
            ours = store.get(item.request_id)
        except RequestNotFound:
            result.not_here.append(item.reference)
            continue
        decision = decision_of(item)
        if _known(ours, decision):
            result.unchanged.append(ours)
            continue
        updated = ours.model_copy(deep=True)
        updated.reference = item.reference
        updated.meeting = item.next_meeting or item.meeting
        updated.decisions.append(decision)
        updated.decision_received_at = utc_now()
        status = _STATUS_AFTER[item.outcome]
        summary = (
            f"Decision received from {notice.service_name} as {item.reference}: "
            f"meeting on {format_date(item.meeting)}, {item.outcome.label.lower()}"
            + (f" to {item.practitioner_name}" if item.practitioner_name else "")
        )
        changes = answer_changes(ours, updated, ("reference", "meeting"))
        reason = item.note or item.reason or item.information_needed or None
        if status is updated.status:
            updated.record(who, Action.DECISION_RECEIVED, summary, changes=changes, reason=reason)
        else:
            updated.change_status(
                status, who, Action.DECISION_RECEIVED, summary, changes=changes, reason=reason
            )
        changed.append((ours, updated))
    if not changed and result.not_here and not result.unchanged:
        raise ExchangeError(
            "These decisions are on requests this computer does not hold "
            f"({', '.join(result.not_here)}): nothing was changed. Was it sent to someone else?"
        )
    arrivals = [
        Arrival(Outcome.MERGED, updated, None, before.version) for before, updated in changed
    ]
    result.decided = store.receive(arrivals, date.today(), who=who)
    return result
