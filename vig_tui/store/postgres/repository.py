"""The register on a PostgreSQL server: the Repository interface over psycopg 3.

Each change is one transaction. A change to a stored request locks its row,
checks its version (and the UPDATE checks it again in its WHERE), writes the
new copy and appends the new history entries to ``vig.history``, which nobody
can rewrite. References come from one counter row per year, updated (so
locked) inside the send's transaction: unique and consecutive however many
workers send at once. What a login may see and change is decided by the
server's row-level security (see ``migrations/0001_register.sql``); its
refusals arrive here as :class:`~.connection.AccessRefused`.

One connection serves the app, under a lock (screens call from worker
threads); a dropped connection is opened again at the next call.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any, Self
from uuid import UUID

import orjson
import psycopg
from psycopg import errors as pg_errors
from psycopg.types.json import Json, Jsonb, set_json_loads
from pydantic import BaseModel, Field, TypeAdapter

from ...domain.agenda import agenda as agenda_of
from ...domain.changes import checklist_entry, meeting_record_entry
from ...domain.history import (
    SERVICE_CHAIN,
    UNKNOWN_ACTOR,
    Action,
    Actor,
    Change,
    HistoryEntry,
    first_broken,
    tombstone,
)
from ...domain.meetings import Meeting, MeetingCalendar
from ...domain.models import (
    MeetingMove,
    MeetingRecord,
    Practitioner,
    RequestStatus,
    VigRequest,
)
from ...domain.receiving import Arrival, Outcome, admit
from ...domain.summary import RequestSummary
from .. import steps
from ..checklists import put_checklists_in_use
from ..errors import ReadOnlyError, RequestNotFound, StoreError, VersionConflict
from ..loading import gc_paused
from ..recovery import forget as forget_kept_change
from ..repository import ImportReport
from .connection import AccessRefused, connect, location, login_of, server_error
from .schema import applied_versions, latest_version

__all__ = ["PostgresRepository"]

_PRACTITIONERS = TypeAdapter(list[Practitioner])
_MOVES = TypeAdapter(list[MeetingMove])
_LEDGER = TypeAdapter(list[HistoryEntry])
#: Request columns besides the document, and the query that reads whole requests.
_ORDER = " ORDER BY r.created_at, r.id"


def _select_requests(where: str) -> str:
    """Whole requests (``where`` filters ``vig.requests r``), each with its history: the
    newest row at each position (see migration 4), gathered in one join rather than a
    query per request (which a fresh table without statistics makes quadratic)."""
    return f"""
WITH wanted AS (
  SELECT r.id, r.created_at, r.version, r.doc, r.history_count FROM vig.requests r{where}),
entries AS (
  SELECT DISTINCT ON (h.request_id, h.position) h.request_id, h.position, h.entry
  FROM vig.history h JOIN wanted w ON h.request_id = w.id AND h.position < w.history_count
  ORDER BY h.request_id, h.position, h.seq DESC),
histories AS (
  SELECT request_id, jsonb_agg(entry ORDER BY position) AS entries
  FROM entries GROUP BY request_id)
SELECT w.version, w.doc, COALESCE(histories.entries, '[]'::jsonb)
FROM wanted w LEFT JOIN histories ON histories.request_id = w.id
ORDER BY w.created_at, w.id
"""


#: The channel the server's triggers notify on every change (see the migration).
CHANNEL = "vig_register"


class _ReadOnly(ReadOnlyError):
    def __init__(self, where: str) -> None:
        StoreError.__init__(
            self,
            f"The register at {where} was opened read-only, so changes cannot be saved. "
            "Open it again without --read-only to change it.",
        )


class _Cutoff(BaseModel):
    cutoff_days: int = Field(ge=0, le=60)


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def _summary_document(doc: dict[str, Any]) -> dict[str, Any]:
    """What :meth:`RequestSummary.of_document` reads of a stored request, and no more
    (migration 0002 computes the same for requests stored before it): an evidence
    answer's text becomes whether there is any, all a summary asks of it."""
    child, referrer = doc.get("child") or {}, doc.get("referrer") or {}
    return {
        "id": doc["id"],
        "reference": doc.get("reference"),
        "status": doc.get("status"),
        "meeting": doc.get("meeting"),
        "updated_at": doc.get("updated_at"),
        "created_at": doc.get("created_at"),
        "submitted_on": doc.get("submitted_on"),
        "local_number": doc.get("local_number"),
        "sent_by_file": doc.get("sent_by_file"),
        "difficulty_identified_on": doc.get("difficulty_identified_on"),
        "child": {"name": child.get("name"), "date_of_birth": child.get("date_of_birth")},
        "referrer": {
            "name": referrer.get("name"),
            "role": referrer.get("role"),
            "team": referrer.get("team"),
        },
        "route": {"kind": (doc.get("route") or {}).get("kind")},
        "carers": [
            {"name": c.get("name"), "relationship": c.get("relationship")}
            for c in doc.get("carers") or ()
        ],
        "decisions": [
            {
                "meeting": d.get("meeting"),
                "outcome": d.get("outcome"),
                "priority": d.get("priority"),
            }
            for d in doc.get("decisions") or ()
        ],
        "evidence": {
            key: {"ticked": answer.get("ticked"), "evidence": bool(answer.get("evidence"))}
            for key, answer in (doc.get("evidence") or {}).items()
        },
        "conflicts": [{"path": c.get("path")} for c in doc.get("conflicts") or ()],
        "decision_received_at": doc.get("decision_received_at"),
    }


def _request(version: int, doc: dict[str, Any], history: list[Any]) -> VigRequest:
    return VigRequest.model_validate({**doc, "version": version, "history": history})


def _about(
    who: Actor,
    action: str,
    summary: str,
    *,
    request_id: UUID,
    reference: str | None,
    status: RequestStatus | str | None,
    reason: str = "",
) -> HistoryEntry:
    """A ledger entry about one request (as the file's ``_append_ledger`` makes it)."""
    return HistoryEntry(
        who=who,
        action=action,
        summary=summary,
        reason=reason.strip() or None,
        status=RequestStatus(status) if status is not None else None,
        request_id=request_id,
        reference=reference,
    )


def _saved(stored: VigRequest, *, new: bool, ledger: str | None) -> list[HistoryEntry]:
    """What the ledger records of a save: a new request as created (by whoever its first
    history entry names), and ``ledger``'s action by whoever made the newest entry."""
    entries = []
    if new:
        first = stored.history[0].who if stored.history else UNKNOWN_ACTOR
        entries.append(
            _about(
                first,
                Action.CREATED,
                "Request started",
                request_id=stored.id,
                reference=stored.reference,
                status=stored.status,
            )
        )
    if ledger is not None:
        newest = stored.history[-1] if stored.history else None
        entries.append(
            _about(
                newest.who if newest else UNKNOWN_ACTOR,
                ledger,
                newest.summary if newest else ledger,
                request_id=stored.id,
                reference=stored.reference,
                status=stored.status,
            )
        )
    return entries


def append_ledger(connection: psycopg.Connection, entries: Sequence[HistoryEntry]) -> None:
    """Seal ``entries`` after the ledger's newest and add them, inside the caller's
    transaction (``vig.ledger_tip`` holds the ledger's lock until it ends)."""
    if not entries:
        return
    row = connection.execute("SELECT vig.ledger_tip()").fetchone()
    tip: str | None = row[0] if row else None
    for entry in entries:
        sealed = entry.sealed(tip or SERVICE_CHAIN)
        connection.execute(
            "SELECT vig.ledger_append(%s, %s, %s)",
            (Jsonb(sealed.model_dump(mode="json"), dumps=_dumps), sealed.hash, tip),
        )
        tip = sealed.hash


class PostgresRepository:
    """Requests, roster, moved meetings and settings in a PostgreSQL database."""

    def __init__(self, url: str, connection: psycopg.Connection, *, read_only: bool) -> None:
        """Use :meth:`open`."""
        self.url = url
        self._read_only = read_only
        self._connection: psycopg.Connection | None = connection
        self._lock = threading.RLock()
        self._closed = False
        self.login = connection.info.user
        #: Summaries read so far, with the version each was read at (see summaries()).
        self._summaries: dict[UUID, tuple[int, RequestSummary]] = {}
        self._service_key: str | None = None

    # Opening and closing

    @classmethod
    def open(cls, url: str, *, read_only: bool = False) -> PostgresRepository:
        """Connect to the register at ``url``; :class:`StoreError` (its subclass
        :class:`~vig_tui.store.errors.RegisterUnreachable` when the server does not answer)
        if it cannot be used."""
        connection = cls._connect(url, read_only=read_only)
        try:
            with server_error(url):
                versions = applied_versions(connection)
            if not versions:
                raise StoreError(
                    f"{location(url)} has no vig-tui register yet: whoever runs the server "
                    f"creates it with `vig-tui server init URL`."
                )
            if max(versions) > latest_version():
                raise StoreError(
                    f"The register at {location(url)} was set up by a newer version of vig-tui "
                    f"(version {max(versions)}; this copy understands up to "
                    f"{latest_version()}). Update vig-tui to use it."
                )
            if max(versions) < latest_version():
                raise StoreError(
                    f"The register at {location(url)} needs upgrading (it is at version "
                    f"{max(versions)}, this copy of vig-tui needs {latest_version()}): whoever "
                    "runs the server upgrades it with `vig-tui server init URL`."
                )
        except BaseException:
            connection.close()
            raise
        repository = cls(url, connection, read_only=read_only)
        try:
            put_checklists_in_use(
                location(url), repository.installed_checklists(), repository.checklist_version
            )
        except BaseException:
            repository.close()
            raise
        return repository

    @staticmethod
    def _connect(url: str, *, read_only: bool) -> psycopg.Connection:
        connection = connect(url, autocommit=True)
        set_json_loads(orjson.loads, connection)
        with server_error(url):
            # The register's rows are sorted in memory, not on disk, at 50,000 requests.
            connection.execute("SET work_mem = '64MB'")
        if read_only:
            with server_error(url):
                connection.execute("SET default_transaction_read_only = on")
        return connection

    @property
    def read_only(self) -> bool:
        return self._read_only

    @property
    def location(self) -> str:
        return location(self.url)

    @property
    def path(self) -> str:
        """Where the register is, for messages (the file backend's ``path``)."""
        return self.location

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def validated(self, timeout: float | None = None) -> bool:
        """Every request is checked as it is read (the server holds no half-written one)."""
        return True

    # Internals

    @contextlib.contextmanager
    def _session(self) -> Iterator[psycopg.Connection]:
        """The connection (opened again if it dropped), under the lock, errors in words."""
        with self._lock:
            if self._closed:
                raise StoreError(f"{self.location} has been closed; open it again to continue.")
            with server_error(self.url):
                connection = self._connection
                if connection is None or connection.closed or connection.broken:
                    if connection is not None:
                        connection.close()
                    self._connection = None
                    connection = self._connect(self.url, read_only=self._read_only)
                    self._connection = connection
                try:
                    yield connection
                except (psycopg.OperationalError, psycopg.InterfaceError):
                    if connection.broken:
                        connection.close()
                        self._connection = None
                    raise

    @contextlib.contextmanager
    def _change(self) -> Iterator[psycopg.Connection]:
        """One transaction: all of it is stored, or (on any error) none of it."""
        if self._read_only:
            raise _ReadOnly(self.location)
        with self._session() as connection, connection.transaction():
            yield connection

    def _fetch(
        self, connection: psycopg.Connection, where: str = "", params: Sequence[Any] = ()
    ) -> list[VigRequest]:
        with gc_paused():  # thousands of documents and models, and no cycles
            rows = connection.execute(_select_requests(where), params).fetchall()
            return [_request(version, doc, history) for version, doc, history in rows]

    def _get(self, connection: psycopg.Connection, request_id: UUID) -> VigRequest | None:
        found = self._fetch(connection, " WHERE r.id = %s", (request_id,))
        return found[0] if found else None

    def _save(
        self, connection: psycopg.Connection, request: VigRequest, base_version: int | None
    ) -> VigRequest:
        """Store ``request`` inside the caller's transaction; the stored copy."""
        checked = VigRequest.model_validate(request.model_dump(mode="json"))
        doc = checked.model_dump(mode="json", exclude={"history", "version"})
        history = [entry.model_dump(mode="json") for entry in checked.history]
        columns = (
            checked.reference,
            checked.status.value,
            checked.meeting,
            steps.aware(checked.updated_at),
            len(history),
            Jsonb(doc, dumps=_dumps),
            Json(_summary_document(doc), dumps=_dumps),
        )
        try:
            if not base_version:
                row = connection.execute(
                    "INSERT INTO vig.requests (id, created_at, version, reference, status,"
                    " meeting, updated_at, history_count, doc, summary)"
                    " VALUES (%s, %s, 1, %s, %s, %s, %s, %s, %s, %s)"
                    " ON CONFLICT (id) DO NOTHING RETURNING owner",
                    (checked.id, steps.aware(checked.created_at), *columns),
                ).fetchone()
                if row is None:
                    current = self._get(connection, checked.id)
                    if current is None:
                        raise StoreError(
                            f"A request with id {checked.id} already exists and belongs to "
                            "another worker; nothing was saved."
                        )
                    raise VersionConflict(current, base_version)
                owner, stored, version = row[0], 0, 1
            else:
                locked = connection.execute(
                    "SELECT version, history_count, owner FROM vig.requests"
                    " WHERE id = %s FOR UPDATE",
                    (checked.id,),
                ).fetchone()
                if locked is None:
                    raise RequestNotFound(
                        f"The request you were changing (id {checked.id}) is no longer in "
                        f"the register at {self.location}: it may have been deleted. "
                        "Your change has not been saved."
                    )
                current_version, stored, owner = locked
                if current_version != base_version:
                    current = self._get(connection, checked.id)
                    assert current is not None
                    raise VersionConflict(current, base_version)
                stored = self._first_new_entry(connection, checked, history, stored)
                row = connection.execute(
                    "UPDATE vig.requests SET version = version + 1, reference = %s,"
                    " status = %s, meeting = %s, updated_at = %s, history_count = %s, doc = %s,"
                    " summary = %s WHERE id = %s AND version = %s RETURNING version",
                    (*columns, checked.id, base_version),
                ).fetchone()
                if row is None:
                    raise AccessRefused("your login may not change this request")
                version = row[0]
        except pg_errors.UniqueViolation:
            raise StoreError(
                f"Reference {checked.reference} already belongs to another request; "
                "nothing was saved."
            ) from None
        if len(history) > stored:
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO vig.history (request_id, owner, position, entry)"
                    " VALUES (%s, %s, %s, %s)",
                    [
                        (checked.id, owner, position, Jsonb(entry, dumps=_dumps))
                        for position, entry in enumerate(history[stored:], start=stored)
                    ],
                )
        return checked.model_copy(update={"version": version})

    @staticmethod
    def _first_new_entry(
        connection: psycopg.Connection,
        request: VigRequest,
        history: list[dict[str, Any]],
        stored: int,
    ) -> int:
        """The position from which ``history`` is new: entries are only added, except
        that the newest stored one may be replaced (a draft's autosaves of one visit to
        a section make one entry; the replaced row stays in the log)."""
        label = request.reference or "This draft"
        if len(history) < stored:
            raise StoreError(
                f"{label}: a change may add to a request's history but not remove from it; "
                "nothing was saved."
            )
        if stored == 0:
            return 0
        row = connection.execute(
            "SELECT COALESCE(jsonb_agg(h.entry ORDER BY h.position), '[]'::jsonb) FROM"
            " (SELECT DISTINCT ON (position) position, entry FROM vig.history"
            "  WHERE request_id = %s AND position < %s ORDER BY position, seq DESC) AS h",
            (request.id, stored),
        ).fetchone()
        kept: list[Any] = row[0] if row else []
        if kept[: stored - 1] == history[: stored - 1]:
            return stored if kept[stored - 1 :] == history[stored - 1 : stored] else stored - 1
        raise StoreError(
            f"{label}: a change may add to a request's history (or replace its newest entry) "
            "but not rewrite it; nothing was saved."
        )

    # Requests

    def get(self, request_id: UUID) -> VigRequest:
        with self._session() as connection:
            found = self._get(connection, request_id)
        if found is None:
            raise RequestNotFound(f"There is no request with id {request_id}.")
        return found

    def find_reference(self, reference: str) -> VigRequest | None:
        with self._session() as connection:
            found = self._fetch(connection, " WHERE r.reference = %s", (reference.strip().upper(),))
        return found[0] if found else None

    def save(
        self, request: VigRequest, *, base_version: int | None, ledger: str | None = None
    ) -> VigRequest:
        """Store ``request`` (see the Repository); a new request, and ``ledger``'s action,
        are recorded in the ledger in the same transaction."""
        with self._change() as connection:
            stored = self._save(connection, request, base_version)
            append_ledger(connection, _saved(stored, new=not base_version, ledger=ledger))
            return stored

    def delete(
        self,
        request_id: UUID,
        *,
        base_version: int,
        who: Actor = UNKNOWN_ACTOR,
        reason: str = "",
    ) -> None:
        """Delete a draft; the ledger records who deleted it, and why."""
        with self._change() as connection:
            deleted = connection.execute(
                "DELETE FROM vig.requests WHERE id = %s AND version = %s"
                " RETURNING reference, status",
                (request_id, base_version),
            ).fetchone()
            if deleted is not None:
                reference, status = deleted
                append_ledger(
                    connection,
                    [
                        _about(
                            who,
                            Action.DELETED,
                            "Request deleted",
                            request_id=request_id,
                            reference=reference,
                            status=status,
                            reason=reason,
                        )
                    ],
                )
                return
            current = self._get(connection, request_id)
            if current is None:
                raise RequestNotFound(f"There is no request with id {request_id}.")
            if current.version != base_version:
                raise VersionConflict(current, base_version)
            raise AccessRefused("only drafts can be deleted, and only by the worker who made them")

    def expunge(self, request_id: UUID, *, base_version: int, who: Actor, rule: str) -> None:
        """Delete a request of any status and every history row it has for good under the
        retention rule ``rule`` (``vig.expunge`` on the server: only the coordinator may),
        with the ledger's tombstone in the same transaction."""
        rule = rule.strip()
        if not rule:
            raise ValueError("Name the retention rule the request is deleted under.")
        with self._change() as connection:
            row = connection.execute(
                "SELECT version, reference, status FROM vig.requests WHERE id = %s",
                (request_id,),
            ).fetchone()
            if row is None:
                raise RequestNotFound(f"There is no request with id {request_id}.")
            version, reference, status = row
            if version != base_version:
                current = self._get(connection, request_id)
                assert current is not None
                raise VersionConflict(current, base_version)
            entry = tombstone(who, rule, request_id=request_id, reference=reference, status=status)
            previous = connection.execute("SELECT vig.ledger_tip()").fetchone()
            tip = previous[0] if previous else None
            sealed = entry.sealed(tip or SERVICE_CHAIN)
            connection.execute(
                "SELECT vig.expunge(%s, %s, %s, %s, %s)",
                (
                    request_id,
                    base_version,
                    Jsonb(sealed.model_dump(mode="json"), dumps=_dumps),
                    sealed.hash,
                    tip,
                ),
            )
        # A change to it kept on this computer while the server was away goes too.
        forget_kept_change(self.location, request_id)

    def requests(
        self, *, status: RequestStatus | None = None, meeting: date | None = None
    ) -> list[VigRequest]:
        conditions: list[str] = ["true"]
        params: list[Any] = []
        if status is not None:
            conditions.append("r.status = %s")
            params.append(status.value)
        if meeting is not None:
            conditions.append("r.meeting = %s")
            params.append(meeting)
        with self._session() as connection:
            return self._fetch(connection, " WHERE " + " AND ".join(conditions), params)

    def agenda(self, meeting: Meeting | date) -> list[VigRequest]:
        """The meeting's agenda (:func:`~vig_tui.domain.agenda.agenda`, on the summaries)."""
        wanted = [summary.id for summary in agenda_of(self.summaries(), meeting)]
        if not wanted:
            return []
        with self._session() as connection:
            found = {r.id: r for r in self._fetch(connection, " WHERE r.id = ANY(%s)", (wanted,))}
        return [found[request_id] for request_id in wanted if request_id in found]

    def summaries(self) -> list[RequestSummary]:
        """The light rows, oldest first, from the summary kept beside each request.

        Summaries already read are kept with their version: a later call reads every
        request's id and version, and the summaries only of those that changed (the
        register opened after Home reads a few rows, not ten thousand)."""
        with self._session() as connection, gc_paused():
            listed = connection.execute(
                "SELECT r.id, r.version FROM vig.requests r" + _ORDER, prepare=True
            ).fetchall()
            known = self._summaries
            stale = [
                request_id
                for request_id, version in listed
                if known.get(request_id, (0, None))[0] != version
            ]
            if stale:
                for request_id, version, doc in connection.execute(
                    "SELECT r.id, r.version, r.summary FROM vig.requests r WHERE r.id = ANY(%s)",
                    (stale,),
                ):
                    known[request_id] = (version, RequestSummary.of_document(doc))
            self._summaries = {
                request_id: known[request_id] for request_id, _ in listed if request_id in known
            }
            return [summary for _, summary in self._summaries.values()]

    def count(self) -> int:
        with self._session() as connection:
            row = connection.execute("SELECT count(*) FROM vig.requests").fetchone()
        return int(row[0]) if row else 0

    def counts_by_status(self) -> dict[RequestStatus, int]:
        with self._session() as connection:
            rows = connection.execute(
                "SELECT status, count(*) FROM vig.requests GROUP BY status"
            ).fetchall()
        counted = dict(rows)
        return {status: int(counted.get(status.value, 0)) for status in RequestStatus}

    def _next_reference(self, connection: psycopg.Connection, year: int) -> str:
        """The year's next reference: its counter row is locked until the send commits."""
        connection.execute(
            "INSERT INTO vig.reference_counters (year, last) VALUES (%s, 0)"
            " ON CONFLICT (year) DO NOTHING",
            (year,),
        )
        row = connection.execute(
            "UPDATE vig.reference_counters SET last = last + 1 WHERE year = %s RETURNING last",
            (year,),
        ).fetchone()
        assert row is not None
        return f"VIG-{year}-{row[0]:04d}"

    def _count_references(self, connection: psycopg.Connection, references: list[str]) -> None:
        """Keep each year's counter at or past the references stored (copies, imports)."""
        highest: dict[int, int] = {}
        for reference in references:
            _, year_text, number_text = reference.split("-")
            year = int(year_text)
            highest[year] = max(highest.get(year, 0), int(number_text))
        for year, last in highest.items():
            connection.execute(
                "INSERT INTO vig.reference_counters (year, last) VALUES (%s, %s)"
                " ON CONFLICT (year) DO UPDATE"
                " SET last = GREATEST(vig.reference_counters.last, excluded.last)",
                (year, last),
            )

    def submit(
        self,
        request: VigRequest,
        on: date,
        *,
        base_version: int | None,
        who: Actor = UNKNOWN_ACTOR,
    ) -> VigRequest:
        """Send ``request``: the year's next reference, its meeting, status SUBMITTED,
        stored in the same transaction as the reference is taken."""
        with self._change() as connection:
            sent = steps.sent_copy(
                request,
                on,
                next_reference=lambda: self._next_reference(connection, on.year),
                meeting=self._calendar(connection).meeting_for_submission(on).date,
                who=who,
            )
            stored = self._save(connection, sent, base_version)
            append_ledger(connection, _saved(stored, new=not base_version, ledger=Action.SENT))
            return stored

    def received_copy(self, request_id: UUID) -> VigRequest | None:
        """The copy last received by file (the next merge's base); None if none was kept."""
        with self._session() as connection:
            row = connection.execute(
                "SELECT doc FROM vig.received_copies WHERE request_id = %s", (request_id,)
            ).fetchone()
        return None if row is None else VigRequest.model_validate(row[0])

    def receive(self, arrivals: list[Arrival], on: date, *, who: Actor) -> list[VigRequest]:
        """Take received copies in one transaction (see :meth:`Repository.receive`)."""
        stored: list[VigRequest] = []
        with self._change() as connection:
            meeting = self._calendar(connection).meeting_for_submission(on).date
            for arrival in arrivals:
                if arrival.outcome is Outcome.UNCHANGED:
                    continue
                if arrival.outcome is Outcome.NEW:
                    reference = self._next_reference(connection, on.year)
                    admitted = admit(arrival.request, reference, meeting, on, who)
                    saved = self._save(connection, admitted, None)
                else:
                    saved = self._save(connection, arrival.request, arrival.base_version)
                stored.append(saved)
                newest = saved.history[-1]
                entry = _about(
                    newest.who,
                    newest.action,
                    newest.summary,
                    request_id=saved.id,
                    reference=saved.reference,
                    status=saved.status,
                )
                append_ledger(connection, [entry])
                if arrival.received is None:
                    continue
                copy = VigRequest.model_validate(arrival.received.model_dump(mode="json"))
                connection.execute(
                    "INSERT INTO vig.received_copies (request_id, doc) VALUES (%s, %s)"
                    " ON CONFLICT (request_id) DO UPDATE"
                    " SET doc = excluded.doc, received_at = now()",
                    (saved.id, Jsonb(copy.model_dump(mode="json"), dumps=_dumps)),
                )
        return stored

    def import_requests(
        self,
        requests: list[VigRequest],
        *,
        who: Actor = UNKNOWN_ACTOR,
        summary: str = "Imported from a file",
    ) -> ImportReport:
        """Add new requests and update those whose incoming copy is newer, in one
        transaction. All or nothing: if :meth:`import_conflicts` finds any conflict
        (or the server refuses any of it), nothing at all is imported."""
        with self._change() as connection:
            report, plan = self._plan_import(connection, requests)
            if report.conflicts:
                return report
            for incoming, base_version in plan:
                stored = self._save(connection, incoming, base_version)
                append_ledger(
                    connection,
                    [
                        _about(
                            who,
                            Action.IMPORTED,
                            summary,
                            request_id=stored.id,
                            reference=stored.reference,
                            status=stored.status,
                        )
                    ],
                )
            self._count_references(
                connection, [r.reference for r, _ in plan if r.reference is not None]
            )
        report.added = sum(1 for _, base in plan if base is None)
        report.updated = len(plan) - report.added
        return report

    def import_conflicts(self, requests: list[VigRequest]) -> list[str]:
        """Why importing ``requests`` would be refused (empty when it would not), without
        writing: a request given twice, a reference given to two requests, a request held
        here whose copy is as new or newer (or has history the incoming one lacks), or a
        reference another request already has."""
        with self._session() as connection:
            return self._plan_import(connection, requests)[0].conflicts

    def _plan_import(
        self, connection: psycopg.Connection, requests: list[VigRequest]
    ) -> tuple[ImportReport, list[tuple[VigRequest, int | None]]]:
        """The conflicts, and each request to store with the version it replaces."""
        report = ImportReport()
        stored = {
            row[0]: row[1:]
            for row in connection.execute(
                "SELECT id, version, updated_at, reference, history_count FROM vig.requests"
                " WHERE id = ANY(%s)",
                ([r.id for r in requests],),
            )
        }
        references = [r.reference for r in requests if r.reference]
        held_by = {
            reference: request_id
            for request_id, reference in connection.execute(
                "SELECT id, reference FROM vig.requests WHERE reference = ANY(%s)", (references,)
            )
        }
        owners = dict(held_by)
        seen: set[UUID] = set()
        plan: list[tuple[VigRequest, int | None]] = []
        for incoming in requests:
            label = incoming.reference or f"Draft {incoming.id}"
            if incoming.id in seen:
                report.conflicts.append(f"{label}: appears more than once in the import.")
                continue
            seen.add(incoming.id)
            current = stored.get(incoming.id)
            if current is not None:
                _, updated_at, _, history_count = current
                if steps.aware(incoming.updated_at) <= updated_at:
                    report.conflicts.append(
                        f"{label}: the copy here was changed at the same time or later "
                        f"({updated_at.astimezone(UTC):%d %b %Y %H:%M} UTC)."
                    )
                    continue
                if len(incoming.history) < history_count:
                    report.conflicts.append(
                        f"{label}: the copy here has history the incoming one lacks."
                    )
                    continue
            if incoming.reference:
                owner = owners.get(incoming.reference)
                if owner is not None and owner != incoming.id:
                    where = "here" if held_by.get(incoming.reference) == owner else "in the import"
                    report.conflicts.append(
                        f"{label}: another request {where} already has this reference."
                    )
                    continue
            if current is not None and current[2]:
                owners.pop(current[2], None)
            if incoming.reference:
                owners[incoming.reference] = incoming.id
            plan.append((incoming, None if current is None else current[0]))
        return report, plan

    # Meetings and settings

    def _calendar(self, connection: psycopg.Connection) -> MeetingCalendar:
        return MeetingCalendar(self._moves(connection), self._cutoff(connection))

    @staticmethod
    def _moves(connection: psycopg.Connection) -> list[MeetingMove]:
        rows = connection.execute("SELECT doc FROM vig.meeting_moves ORDER BY seq").fetchall()
        return _MOVES.validate_python([doc for (doc,) in rows])

    @staticmethod
    def _cutoff(connection: psycopg.Connection) -> int:
        row = connection.execute(
            "SELECT value FROM vig.settings WHERE name = 'cutoff_days'"
        ).fetchone()
        return _Cutoff(cutoff_days=row[0] if row else 1).cutoff_days

    def calendar(self) -> MeetingCalendar:
        with self._session() as connection:
            return self._calendar(connection)

    def meeting_moves(self) -> list[MeetingMove]:
        with self._session() as connection:
            return self._moves(connection)

    def move_meeting(
        self,
        scheduled: date,
        moved_to: date,
        reason: str = "",
        *,
        who: Actor = UNKNOWN_ACTOR,
        ledger_reason: str | None = None,
    ) -> None:
        """Move one month's meeting; requests due at it move with it, with a history line."""
        with self._change() as connection:
            held = self._calendar(connection).meeting_in(scheduled.year, scheduled.month)
            steps.check_meeting_day(held, scheduled)
            move = MeetingMove(scheduled=scheduled, moved_to=moved_to, reason=reason)
            connection.execute(
                "INSERT INTO vig.meeting_moves (doc) VALUES (%s)",
                (Jsonb(move.model_dump(mode="json"), dumps=_dumps),),
            )
            summary, changes = steps.meeting_move(held, moved_to)
            entry = HistoryEntry(
                who=who,
                action=Action.MEETING_MOVED,
                summary=summary,
                changes=changes,
                reason=(reason if ledger_reason is None else ledger_reason).strip() or None,
            )
            append_ledger(connection, [entry])
            if held.date == moved_to:
                return
            for request in self._fetch(connection, " WHERE r.meeting = %s", (held.date,)):
                base = request.version
                steps.move_request(request, held, moved_to, who, reason)
                self._save(connection, request, base)

    @property
    def cutoff_days(self) -> int:
        with self._session() as connection:
            return self._cutoff(connection)

    @cutoff_days.setter
    def cutoff_days(self, days: int) -> None:
        self.set_cutoff_days(days)

    def set_cutoff_days(self, days: int, *, who: Actor = UNKNOWN_ACTOR) -> None:
        """Change the cut-off, recorded in the ledger with the old and new value."""
        checked = _Cutoff(cutoff_days=days).cutoff_days
        with self._change() as connection:
            connection.execute("LOCK TABLE vig.settings IN SHARE ROW EXCLUSIVE MODE")
            before = self._cutoff(connection)
            connection.execute(
                "INSERT INTO vig.settings (name, value) VALUES ('cutoff_days', %s)"
                " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (Jsonb(checked),),
            )
            if before != checked:
                change = Change(
                    field="settings.cutoff_days",
                    label="Days before a meeting by which a request must be sent",
                    old=before,
                    new=checked,
                )
                append_ledger(
                    connection,
                    [
                        HistoryEntry(
                            who=who,
                            action=Action.SETTINGS_CHANGED,
                            summary="Settings changed",
                            changes=[change],
                        )
                    ],
                )

    # The service's checklist: kept in vig.settings, which only the coordinator changes

    def _setting(self, connection: psycopg.Connection, name: str) -> Any:
        row = connection.execute(
            "SELECT value FROM vig.settings WHERE name = %s", (name,)
        ).fetchone()
        return None if row is None else row[0]

    def installed_checklists(self) -> dict[str, str]:
        with self._session() as connection:
            installed = self._setting(connection, "checklists")
        return dict(installed) if isinstance(installed, dict) else {}

    @property
    def checklist_version(self) -> str | None:
        with self._session() as connection:
            version = self._setting(connection, "checklist_in_use")
        return version if isinstance(version, str) else None

    def install_checklist(self, version: str, text: str, *, who: Actor = UNKNOWN_ACTOR) -> None:
        """Keep and use checklist ``version``; the ledger records who installed it."""
        with self._change() as connection:
            connection.execute("LOCK TABLE vig.settings IN SHARE ROW EXCLUSIVE MODE")
            installed = self._setting(connection, "checklists")
            installed = dict(installed) if isinstance(installed, dict) else {}
            in_use = self._setting(connection, "checklist_in_use")
            steps.check_new_checklist(installed, version, text)
            installed[version] = text
            for name, value in (("checklists", installed), ("checklist_in_use", version)):
                connection.execute(
                    "INSERT INTO vig.settings (name, value) VALUES (%s, %s)"
                    " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    (name, Jsonb(value)),
                )
            in_use = in_use if isinstance(in_use, str) else None
            append_ledger(connection, [checklist_entry(who, in_use, version)])
        put_checklists_in_use(self.location, installed, version)

    # Roster

    def practitioners(self) -> list[Practitioner]:
        with self._session() as connection:
            rows = connection.execute("SELECT doc FROM vig.practitioners").fetchall()
        roster = _PRACTITIONERS.validate_python([doc for (doc,) in rows])
        return sorted(roster, key=lambda p: p.name.casefold())

    def save_practitioner(
        self, practitioner: Practitioner, *, who: Actor = UNKNOWN_ACTOR, reason: str = ""
    ) -> None:
        """Add or change a practitioner; the ledger records each detail's old and new value."""
        doc = practitioner.model_dump(mode="json")
        checked = Practitioner.model_validate(doc)
        with self._change() as connection:
            row = connection.execute(
                "SELECT doc FROM vig.practitioners WHERE id = %s FOR UPDATE", (checked.id,)
            ).fetchone()
            before: dict[str, Any] = dict(row[0]) if row else {}
            connection.execute(
                "INSERT INTO vig.practitioners (id, doc) VALUES (%s, %s)"
                " ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
                (checked.id, Jsonb(doc, dumps=_dumps)),
            )
            changes = steps.roster_changes(checked, doc, before)
            if changes:
                added = "Changed" if row else "Added"
                entry = HistoryEntry(
                    who=who,
                    action=Action.ROSTER_CHANGED,
                    summary=f"{added} {checked.name} on the roster",
                    changes=changes,
                    reason=reason.strip() or None,
                )
                append_ledger(connection, [entry])

    # Meeting records (attendees, apologies, actions): the coordinator's

    def meeting_record(self, meeting: date) -> MeetingRecord:
        """What was recorded of the meeting held on ``meeting`` (empty if nothing yet)."""
        with self._session() as connection:
            row = connection.execute(
                "SELECT doc FROM vig.meeting_records WHERE meeting = %s", (meeting,)
            ).fetchone()
        return MeetingRecord.model_validate(row[0]) if row else MeetingRecord(meeting=meeting)

    def save_meeting_record(
        self, record: MeetingRecord, *, who: Actor = UNKNOWN_ACTOR, reason: str = ""
    ) -> MeetingRecord:
        """Keep ``record`` as the one record of its meeting; returns what was saved. The
        ledger records who changed it, with each part's old and new value."""
        saved = MeetingRecord.model_validate(
            {**record.model_dump(mode="json"), "updated_at": datetime.now(UTC).isoformat()}
        )
        doc = saved.model_dump(mode="json")
        with self._change() as connection:
            row = connection.execute(
                "SELECT doc FROM vig.meeting_records WHERE meeting = %s FOR UPDATE",
                (saved.meeting,),
            ).fetchone()
            entry = meeting_record_entry(who, dict(row[0]) if row else None, doc, reason=reason)
            if entry is not None:
                append_ledger(connection, [entry])
            connection.execute(
                "INSERT INTO vig.meeting_records (meeting, doc) VALUES (%s, %s)"
                " ON CONFLICT (meeting) DO UPDATE SET doc = excluded.doc",
                (saved.meeting, Jsonb(saved.model_dump(mode="json"), dumps=_dumps)),
            )
        return saved

    # The service ledger (vig.ledger, migration 5): the coordinator reads it

    def ledger(self) -> list[HistoryEntry]:
        """Every ledger entry, oldest first (a hash chain from ``SERVICE_CHAIN``)."""
        try:
            with self._session() as connection:
                rows = connection.execute("SELECT entry FROM vig.ledger ORDER BY seq").fetchall()
        except AccessRefused:
            raise AccessRefused(
                "only the coordinator's login may read the service ledger (it names every "
                "worker's requests): ask the coordinator to run `vig-tui audit verify`"
            ) from None
        return _LEDGER.validate_python([entry for (entry,) in rows])

    def carry_ledger(self, entries: list[HistoryEntry]) -> None:
        """Start the empty ledger with another register's ``entries``, as they are."""
        broken = first_broken(entries, SERVICE_CHAIN)
        if broken is not None:
            raise StoreError(
                f"The ledger being copied does not verify (entry {broken + 1} does not match "
                "its content or its place): run `vig-tui audit verify` on the copy's source "
                "and ask for help before copying it."
            )
        with self._change() as connection:
            row = connection.execute("SELECT vig.ledger_tip()").fetchone()
            if row is not None and row[0] is not None:
                raise StoreError(
                    f"The register at {self.location} already keeps a ledger: another "
                    "register's cannot be carried into it."
                )
            previous: str | None = None
            for entry in entries:
                connection.execute(
                    "SELECT vig.ledger_append(%s, %s, %s)",
                    (Jsonb(entry.model_dump(mode="json"), dumps=_dumps), entry.hash, previous),
                )
                previous = entry.hash

    # The service's public key (migration 7): the private key is never sent here

    def service_public_key(self) -> str | None:
        """The service's public key when this register is the service's, else None."""
        if self._service_key is not None:
            return self._service_key
        with self._session() as connection:
            row = connection.execute("SELECT public_key FROM vig.service_key").fetchone()
        if row is not None:
            self._service_key = str(row[0])  # kept as made: it never changes
        return self._service_key

    def keep_service_public_key(self, public_key: str) -> None:
        """Make this register the service's: keep ``public_key`` (its private half stays
        with the coordinator). Refused if the register has a key already, or the login is
        not the coordinator's."""
        with self._change() as connection:
            if not self._coordinator(connection):
                raise AccessRefused(
                    "only the service's coordinator can make the register the service's"
                )
            kept = connection.execute(
                "INSERT INTO vig.service_key (public_key) VALUES (%s)"
                " ON CONFLICT (only_one) DO NOTHING RETURNING public_key",
                (public_key,),
            ).fetchone()
            if kept is None:
                raise StoreError(
                    f"The register at {self.location} is the service's already, with its own "
                    "key: replacing it would lose every request sealed to it."
                )
        self._service_key = public_key

    @staticmethod
    def _coordinator(connection: psycopg.Connection) -> bool:
        row = connection.execute(
            "SELECT pg_has_role(current_user, 'vig_coordinator', 'MEMBER')"
        ).fetchone()
        return bool(row and row[0])

    def is_coordinator(self) -> bool:
        """True when this login acts as the service's coordinator (a member of that role)."""
        with self._session() as connection:
            return self._coordinator(connection)

    # Who is connected

    def who(self) -> tuple[str, str, str]:
        """(login, full name, role) of this connection's login, from ``vig.users``
        (the name and role are empty for a login that was not added by add-user)."""
        with self._session() as connection:
            row = connection.execute(
                "SELECT name, role FROM vig.users WHERE login = current_user"
            ).fetchone()
        name, role = (str(row[0]), str(row[1])) if row else ("", "")
        return self.login or login_of(self.url), name, role

    # Live

    def watch(self, changed: Callable[[], None]) -> Callable[[], None]:
        """Call ``changed`` (from a thread) within a moment of any change to the
        register by anyone; returns the function that stops watching."""
        stop = threading.Event()
        thread = threading.Thread(
            target=_listen, args=(self.url, changed, stop), name="vig-register-watch", daemon=True
        )
        thread.start()

        def stop_watching() -> None:
            stop.set()
            thread.join(timeout=3)

        return stop_watching


def _listen(url: str, changed: Callable[[], None], stop: threading.Event) -> None:
    """LISTEN on the register's channel until ``stop``; reconnect when the server drops."""
    reconnecting = False
    while not stop.is_set():
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=5) as connection:
                connection.execute(f"LISTEN {CHANNEL}")
                if reconnecting:
                    changed()  # whatever happened while the connection was down
                reconnecting = True
                while not stop.is_set():
                    if any(True for _ in connection.notifies(timeout=0.25, stop_after=1)):
                        # Several changes in a burst make one refresh.
                        for _ in connection.notifies(timeout=0.05):
                            pass
                        changed()
        except psycopg.Error:
            stop.wait(1.0)
