"""The TinyDB file backend of :class:`~vig_tui.store.repository.Repository`.

Requests, the practitioner roster, moved meetings and settings in one JSON
file. Screens call these methods (often from worker threads); every one runs
under one re-entrant lock, and every change reaches the disk through one
atomic, durable write before the method returns (see
:mod:`vig_tui.store.storage`). Everything handed out is a fresh, validated
copy: change it and save it with the version it was read at.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from uuid import UUID

from pydantic import ValidationError
from tinydb import TinyDB

from ..domain.agenda import agenda as agenda_of
from ..domain.changes import checklist_entry, meeting_record_entry
from ..domain.history import (
    SERVICE_CHAIN,
    UNKNOWN_ACTOR,
    Action,
    Actor,
    Change,
    HistoryEntry,
    first_broken,
    tombstone,
)
from ..domain.meetings import Meeting, MeetingCalendar
from ..domain.models import (
    MeetingMove,
    MeetingRecord,
    Practitioner,
    RequestStatus,
    VigRequest,
)
from ..domain.receiving import Arrival, Outcome, admit
from ..domain.summary import RequestSummary
from . import migrations, splice, steps, written
from .checklists import put_checklists_in_use
from .errors import (
    CorruptDatabaseError,
    NewerSchemaError,
    ReadOnlyError,
    RequestNotFound,
    StoreError,
    VersionConflict,
)
from .indexing import index_keys
from .kept_copies import remove_from_kept_copies
from .listing import database_file
from .loading import (
    LEDGER_LIST,
    MOVE_LIST,
    PRACTITIONER_LIST,
    REQUEST_LIST,
    Loaded,
    Meta,
    Settings,
    Validation,
    gc_paused,
    load_tables,
    load_trusted_tables,
    read_database,
)
from .lock import DatabaseLock
from .migrations import (
    LEDGER,
    MEETING_MOVES,
    MEETING_RECORDS,
    META,
    META_ID,
    PRACTITIONERS,
    RECEIVED_COPIES,
    REQUESTS,
)
from .packed import unpacked
from .paths import ensure_private_folder
from .repository import ImportReport
from .steps import aware
from .storage import (
    AtomicJSONStorage,
    Tables,
    remove_leftover_temp_files,
)


def _replace_with(new: Mapping[str, Any]) -> Callable[[MutableMapping[Any, Any]], None]:
    """A TinyDB update that makes a document exactly ``new`` (no stale keys left)."""

    def replace(doc: MutableMapping[Any, Any]) -> None:
        doc.clear()
        doc.update(new)

    return replace


def _replace_by_id(
    new: Mapping[UUID, Mapping[str, Any]],
) -> Callable[[MutableMapping[Any, Any]], None]:
    """One TinyDB update replacing several documents, each found by its ``id``."""

    def replace(doc: MutableMapping[Any, Any]) -> None:
        replacement = new[UUID(doc["id"])]
        doc.clear()
        doc.update(replacement)

    return replace


def ledger_entry(
    who: Actor, action: str, request: VigRequest, summary: str, *, reason: str = ""
) -> HistoryEntry:
    """The ledger's (unsealed) entry that a request came, was sent or went."""
    return HistoryEntry(
        who=who,
        action=action,
        summary=summary,
        reason=reason.strip() or None,
        status=request.status,
        request_id=request.id,
        reference=request.reference,
    )


def checked_document(request: VigRequest, *, version: int) -> tuple[VigRequest, dict[str, Any]]:
    """The JSON document for a request at ``version``, and a copy validated from
    it: whatever is written must open again (a record that fails validation
    blocks the whole file)."""
    doc = request.model_dump(mode="json")
    doc["version"] = version
    return VigRequest.model_validate(doc), doc


class FileRepository:
    """The records of one VIG service in one file: open with :meth:`open`, close when done."""

    def __init__(
        self,
        path: Path,
        db: TinyDB,
        storage: AtomicJSONStorage,
        loaded: Loaded,
        lock: DatabaseLock | None,
        validation: Validation,
    ) -> None:
        """Use :meth:`open`."""
        self.path = path
        self.read_only = lock is None
        self._db = db
        self._storage = storage
        self._lock_file = lock
        self._lock = threading.RLock()
        self._closed = False
        self._requests = db.table(REQUESTS)
        self._practitioners = db.table(PRACTITIONERS)
        self._moves = db.table(MEETING_MOVES)
        self._records = db.table(MEETING_RECORDS)
        self._meta = db.table(META)
        self._ledger = db.table(LEDGER)
        self._received = db.table(RECEIVED_COPIES)
        #: Request id -> doc id in the received copies, once read.
        self._received_ids: dict[UUID, int] | None = None
        #: The newest ledger hash, once read (None: read it at the next append).
        self._ledger_tip: str | None = None
        self._doc_ids: dict[UUID, int] = {}
        self._by_reference: dict[str, UUID] = {}
        self._summaries: dict[UUID, RequestSummary] = {}
        #: The stored requests of a trusted file whose summaries are not made yet.
        self._unsummarised: Mapping[str, Any] | None = None
        self._validation = validation
        if loaded.summaries is None:
            for doc_id, request_id, reference in zip(
                loaded.request_ids, loaded.ids, loaded.references, strict=True
            ):
                self._doc_ids[request_id] = int(doc_id)
                if reference:
                    self._by_reference.setdefault(reference, request_id)
            self._unsummarised = loaded.requests
        else:
            for doc_id, summary in zip(loaded.request_ids, loaded.summaries, strict=True):
                self._remember(summary, int(doc_id))
        self._practitioner_ids = {
            p.id: int(doc_id)
            for doc_id, p in zip(loaded.practitioner_ids, loaded.practitioners, strict=True)
        }

    # Opening and closing

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        read_only: bool = False,
        validate_in_background: bool = False,
        validate_after: float = 0.0,
        wait: float = 0.0,
    ) -> FileRepository:
        """Open (or create) the database at ``path``.

        Writable: takes the lock (or raises :class:`DatabaseLockedError`),
        removes temporary files a killed copy left behind, creates a missing
        file and migrates an older one. Read-only: no lock, and nothing on disk
        is changed (a missing file reads as an empty database). Either way
        every record is validated; a file that fails raises
        :class:`CorruptDatabaseError` and is left byte for byte.

        With ``validate_in_background`` (the app, so its first screen does not
        wait on a large file) the requests are validated in a thread after
        this returns: :meth:`validated` reports the outcome, and every write
        waits for it and is refused if a record failed. ``validate_after``
        delays the start of that check by so many seconds (a write starts it
        at once), so the first screens opened do not share the interpreter
        with it. ``wait`` is how long to keep trying for a lock another copy
        holds before giving up.
        """
        path = database_file(Path(path).expanduser())
        if read_only:
            with gc_paused(keep=True):
                return cls._load(
                    path, lock=None, background=validate_in_background, after=validate_after
                )
        try:
            ensure_private_folder(path.parent)
        except OSError as error:
            raise StoreError(
                f"Cannot create the folder for {path}: {error.strerror or error}."
            ) from None
        lock = DatabaseLock.acquire(path, wait=wait)
        try:
            remove_leftover_temp_files(path)
            remove_leftover_temp_files(written.note_path(path))
            remove_leftover_temp_files(splice.index_path(path))
            with gc_paused(keep=True):
                return cls._load(
                    path, lock=lock, background=validate_in_background, after=validate_after
                )
        except BaseException:
            lock.release()
            raise

    @classmethod
    def _load(
        cls, path: Path, *, lock: DatabaseLock | None, background: bool, after: float = 0.0
    ) -> FileRepository:
        read_only = lock is None
        tables, digest = read_database(path)
        migrated: Tables | None = None
        if tables is None:
            migrated = migrations.fresh_tables()
            loaded = load_tables(path, migrated)
        else:
            try:
                version = migrations.schema_version(tables)
            except migrations.SchemaError as error:
                raise CorruptDatabaseError(path, str(error)) from None
            supported = migrations.current_version()
            if version > supported:
                raise NewerSchemaError(path, version, supported)
            if version < supported:
                try:
                    migrated = migrations.migrate(tables, version)
                except Exception as error:
                    raise CorruptDatabaseError(
                        path, f"it could not be upgraded from version {version}: {error!r}"
                    ) from error
            # Byte for byte what vig-tui last wrote, under the same rules: and it writes
            # only records that validate (_checked). 50,000 checked again took seconds.
            trusted = migrated is None and digest is not None and written.wrote(path, digest)
            if trusted:
                loaded = load_trusted_tables(path, tables)
            else:
                loaded = load_tables(path, migrated if migrated is not None else tables)
        content: Tables = migrated if migrated is not None else (tables or {})
        validation = Validation()
        # A file about to be rewritten (upgraded) is checked first, whatever was
        # asked: a bad record is never written over.
        check_now = not background or (migrated is not None and not read_only)
        if loaded.summaries is None:
            validation.trust("it is byte for byte what vig-tui last wrote, under these rules")
            check_now = True  # nothing left to start
        elif check_now:
            validation.run(path, content.get(REQUESTS, {}))
            validation.check()
            if digest is not None and migrated is None and not read_only:
                written.note(path, digest)  # checked now: the next open need not
        db = TinyDB(
            path,
            storage=AtomicJSONStorage,
            read_only=read_only,
            tables=tables or {},
            index_keys=index_keys,
        )
        storage = db.storage
        assert isinstance(storage, AtomicJSONStorage)
        if migrated is not None:
            if read_only:
                storage.adopt(migrated)
            else:
                storage.replace_all(migrated)
        store = cls(path, db, storage, loaded, lock, validation)
        ledger = content.get(LEDGER) or {}
        newest = max(ledger, key=int, default=None)  # the chain's tip, without a scan later
        if newest is None:
            store._ledger_tip = SERVICE_CHAIN
        elif isinstance(ledger[newest], dict) and ledger[newest].get("hash"):
            store._ledger_tip = str(ledger[newest]["hash"])
        meta = store._meta_record()
        put_checklists_in_use(path, meta.checklists, meta.checklist_in_use)
        if not check_now:
            # Started last, so it does not compete with opening for the interpreter.
            validation.start(path, content.get(REQUESTS, {}), after=after)
        return store

    def close(self) -> None:
        """Release the lock; the data is already on disk. Safe to call twice."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._db.close()
            if self._lock_file is not None:
                self._lock_file.release()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def location(self) -> str:
        """The database file's path, for messages."""
        return str(self.path)

    @property
    def closed(self) -> bool:
        return self._closed

    # Internals

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"{self.path} has been closed; open it again to continue.")

    def _check_writable(self) -> None:
        self._check_open()
        if self.read_only:
            raise ReadOnlyError(self.path)
        self._validation.check()

    @contextlib.contextmanager
    def _write_lock(self) -> Iterator[None]:
        """The store's lock, for a write. The background check of every record
        is waited for first, without the lock, so reads meanwhile (from the
        app's own thread, say) are never held up by it."""
        self._check_open()
        if not self.read_only:
            self._validation.check()
        with self._lock:
            self._check_writable()
            yield

    def validated(self, timeout: float | None = None) -> bool:
        """Wait (up to ``timeout`` seconds) until every request has been validated, or
        taken as checked without it: a file that is byte for byte what vig-tui last wrote
        (:mod:`~vig_tui.store.written`; :attr:`trusted_because` then says so).

        True when done; raises :class:`CorruptDatabaseError` if a record failed.
        """
        done = self._validation.wait(timeout)
        if done and self._validation.error is not None:
            raise self._validation.error
        return done

    @property
    def trusted_because(self) -> str | None:
        """Why the records were not validated one by one at open (None: they were, or
        are being): the file was byte for byte what vig-tui last wrote."""
        return self._validation.trusted_because

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """One atomic write for everything inside. On failure nothing has changed,
        on disk or in memory; callers update their indexes only after it succeeds."""
        self._check_writable()
        try:
            with self._storage.transaction():
                yield
        except BaseException:
            for table in (
                self._requests,
                self._practitioners,
                self._moves,
                self._meta,
                self._ledger,
                self._records,
                self._received,
            ):
                table.clear_cache()
            self._ledger_tip = None
            self._received_ids = None
            raise

    def _summary(self, request_id: UUID) -> RequestSummary | None:
        """The summary of one request held (made now if the file's are not made yet)."""
        summary = self._summaries.get(request_id)
        if summary is None and self._unsummarised is not None:
            doc_id = self._doc_ids.get(request_id)
            if doc_id is not None:
                summary = RequestSummary.of_document(self._unsummarised[str(doc_id)])
        return summary

    def _all_summaries(self) -> dict[UUID, RequestSummary]:
        """Every request's summary, in the order the file holds them."""
        if self._unsummarised is not None:
            stored, made = self._unsummarised, self._summaries
            with gc_paused():
                self._summaries = {
                    request_id: made.get(request_id)
                    or RequestSummary.of_document(stored[str(doc_id)])
                    for request_id, doc_id in self._doc_ids.items()
                }
            self._unsummarised = None
        return self._summaries

    def _remember(self, summary: RequestSummary, doc_id: int) -> None:
        previous = self._summary(summary.id)
        if previous is not None and previous.reference and previous.reference != summary.reference:
            self._by_reference.pop(previous.reference, None)
        self._doc_ids[summary.id] = doc_id
        if summary.reference:
            self._by_reference.setdefault(summary.reference, summary.id)
        self._summaries[summary.id] = summary

    def _forget(self, request_id: UUID) -> None:
        summary = self._summary(request_id)
        self._summaries.pop(request_id, None)
        del self._doc_ids[request_id]
        reference = summary.reference if summary is not None else None
        if reference and self._by_reference.get(reference) == request_id:
            del self._by_reference[reference]

    def _doc_id(self, request_id: UUID) -> int:
        try:
            return self._doc_ids[request_id]
        except KeyError:
            raise RequestNotFound(f"There is no request with id {request_id}.") from None

    _checked = staticmethod(checked_document)

    def _meta_record(self) -> Meta:
        return Meta.model_validate(self._meta.get(doc_id=int(META_ID)))

    # Requests

    def get(self, request_id: UUID) -> VigRequest:
        """A validated copy of one request; :class:`RequestNotFound` if there is none."""
        with self._lock:
            self._check_open()
            doc = self._requests.get(doc_id=self._doc_id(request_id))
            try:
                return VigRequest.model_validate(unpacked(doc))
            except ValidationError as error:
                raise self._bad_record(error, [doc]) from None

    def _bad_record(
        self, error: ValidationError, docs: list[Any], *, listed: bool = False
    ) -> CorruptDatabaseError:
        """A stored request that fails validation when read (opening trusted the file,
        :mod:`~vig_tui.store.written`, and something changed it since): named, never a traceback."""
        problem = error.errors(include_url=False)[0]
        location = list(problem["loc"])
        index = location.pop(0) if listed and location else 0
        doc = docs[index] if isinstance(index, int) and index < len(docs) else None
        field_path = ".".join(str(part) for part in location) or "the record itself"
        if isinstance(doc, dict):
            name = doc.get("reference") or f"draft {doc.get('id')}"
        else:
            name = "(unreadable)"
        return CorruptDatabaseError(
            self.path, f"request {name} has a bad {field_path}: {problem['msg']}"
        )

    def find_reference(self, reference: str) -> VigRequest | None:
        with self._lock:
            self._check_open()
            request_id = self._by_reference.get(reference.strip().upper())
            return None if request_id is None else self.get(request_id)

    def save(
        self, request: VigRequest, *, base_version: int | None, ledger: str | None = None
    ) -> VigRequest:
        """Store ``request`` as made to version ``base_version`` (``None`` or 0: new).

        Refused with :class:`VersionConflict` when the stored copy is at another
        version, or a new request's id is taken. Returns the stored copy, whose
        ``version`` is one more than the stored one; on disk, durably, before
        this returns. ``request`` itself is not changed. A new request is
        recorded in the ledger as created (by whoever its first history entry
        names); ``ledger`` names another action to record there, by whoever
        made the request's newest entry, in the same write.
        """
        with self._write_lock():
            doc_id = self._expect_version(request.id, base_version)
            checked, doc = self._checked(request, version=(base_version or 0) + 1)
            if checked.reference:
                holder = self._by_reference.get(checked.reference)
                if holder is not None and holder != checked.id:
                    raise StoreError(
                        f"Reference {checked.reference} already belongs to another request."
                    )
            with self._writing():
                if doc_id is None:
                    first = checked.history[0].who if checked.history else UNKNOWN_ACTOR
                    self._append_ledger(first, Action.CREATED, checked, "Request started")
                    doc_id = self._requests.insert(doc)
                else:
                    self._requests.update(_replace_with(doc), doc_ids=[doc_id])
                if ledger is not None:
                    newest = checked.history[-1] if checked.history else None
                    self._append_ledger(
                        newest.who if newest else UNKNOWN_ACTOR,
                        ledger,
                        checked,
                        newest.summary if newest else ledger,
                    )
            self._remember(RequestSummary.of_document(doc), doc_id)
            return checked

    def delete(
        self,
        request_id: UUID,
        *,
        base_version: int,
        who: Actor = UNKNOWN_ACTOR,
        reason: str = "",
    ) -> None:
        """Remove a request, if it is still at ``base_version`` (else :class:`VersionConflict`);
        the ledger records who removed it, and why."""
        with self._write_lock():
            doc_id = self._doc_id(request_id)
            self._expect_version(request_id, base_version)
            gone = self.get(request_id)
            with self._writing():
                self._append_ledger(who, Action.DELETED, gone, "Request deleted", reason=reason)
                self._requests.remove(doc_ids=[doc_id])
            self._forget(request_id)

    def expunge(self, request_id: UUID, *, base_version: int, who: Actor, rule: str) -> None:
        """Delete a request of any status, and its history, for good under the retention
        rule ``rule``, if it is still at ``base_version`` (else :class:`VersionConflict`).

        The ledger gains a tombstone (reference or draft id, when, who, the rule) in
        the same write; the request's earlier entries there hold nothing of the family.
        The kept copies of the file lose the request too
        (:mod:`~vig_tui.store.kept_copies`), so no copy beside the database holds it; if
        one can be neither rewritten nor removed, :class:`~vig_tui.store.kept_copies.
        CopiesStillHoldIt` (a StoreError) says which, after the request is gone.
        """
        rule = rule.strip()
        if not rule:
            raise ValueError("Name the retention rule the request is deleted under.")
        with self._write_lock():
            doc_id = self._doc_id(request_id)
            self._expect_version(request_id, base_version)
            held = self._summary(request_id)
            assert held is not None
            entry = tombstone(
                who, rule, request_id=request_id, reference=held.reference, status=held.status
            )
            copy_id = self._received_index().get(request_id)
            with self._writing():
                self._insert_ledger(entry)
                self._requests.remove(doc_ids=[doc_id])
                if copy_id is not None:
                    # The copy last received holds the family's answers too.
                    self._received.remove(doc_ids=[copy_id])
            self._forget(request_id)
            self._received_index().pop(request_id, None)
            remove_from_kept_copies(self.path, request_id, entry)

    def _stored_version(self, request_id: UUID) -> int:
        stored = self._requests.get(doc_id=self._doc_id(request_id))
        assert stored is not None and not isinstance(stored, list)
        return int(stored.get("version", 0))

    def _expect_version(self, request_id: UUID, base_version: int | None) -> int | None:
        """The stored request's doc id (``None`` when it is new), if it is at ``base_version``."""
        doc_id = self._doc_ids.get(request_id)
        if doc_id is None:
            if base_version:
                raise RequestNotFound(
                    f"The request you were changing (id {request_id}) is no longer in "
                    f"{self.path}: it may have been deleted. Your change has not been saved."
                )
            return None
        if not base_version or self._stored_version(request_id) != base_version:
            raise VersionConflict(self.get(request_id), base_version)
        return doc_id

    def requests(
        self, *, status: RequestStatus | None = None, meeting: date | None = None
    ) -> list[VigRequest]:
        """Validated copies of the matching requests, oldest first."""
        with self._lock:
            self._check_open()
            return self._validated(
                s
                for s in self._all_summaries().values()
                if (status is None or s.status == status)
                and (meeting is None or s.meeting == meeting)
            )

    def agenda(self, meeting: Meeting | date) -> list[VigRequest]:
        """Validated copies of the requests on a meeting's agenda, oldest first.

        The one definition, :func:`~vig_tui.domain.agenda.on_agenda`, is applied
        to the light summaries, so only the meeting's own requests are read and
        validated: those due at it and those it decided on, however many
        meetings later decided on them again.
        """
        with self._lock:
            self._check_open()
            return self._validated(agenda_of(self._all_summaries().values(), meeting))

    def _validated(self, summaries: Iterable[RequestSummary]) -> list[VigRequest]:
        doc_ids = [self._doc_ids[s.id] for s in summaries]
        if not doc_ids:
            return []
        with gc_paused():
            docs = [unpacked(doc) for doc in self._requests.get(doc_ids=doc_ids)]
            try:
                return REQUEST_LIST.validate_python(docs)
            except ValidationError as error:
                raise self._bad_record(error, docs, listed=True) from None

    def summaries(self) -> list[RequestSummary]:
        """One light row per request (kept up to date by every change), oldest first."""
        with self._lock:
            self._check_open()
            return list(self._all_summaries().values())

    def count(self) -> int:
        with self._lock:
            self._check_open()
            return len(self._doc_ids)

    def counts_by_status(self) -> dict[RequestStatus, int]:
        """Every status, with zero for those no request has."""
        with self._lock:
            self._check_open()
            counted = Counter(s.status for s in self._all_summaries().values())
            return {status: counted.get(status, 0) for status in RequestStatus}

    def _next_reference(self, year: int, issued: Iterable[str] = ()) -> str:
        prefix = f"VIG-{year}-"
        highest = max(
            (
                int(ref[len(prefix) :])
                for ref in [*self._by_reference, *issued]
                if ref.startswith(prefix)
            ),
            default=0,
        )
        return f"{prefix}{highest + 1:04d}"

    def submit(
        self,
        request: VigRequest,
        on: date,
        *,
        base_version: int | None,
        who: Actor = UNKNOWN_ACTOR,
    ) -> VigRequest:
        """Send a request: reference, meeting, status SUBMITTED (with its history line), saved
        as :meth:`save` saves it (refused if the stored copy is not at ``base_version``).

        A request that already has a reference (sent before) keeps it.
        Returns the saved copy; ``request`` itself is not changed.
        """
        with self._write_lock():
            sent = steps.sent_copy(
                request,
                on,
                next_reference=lambda: self._next_reference(on.year),
                meeting=self.calendar().meeting_for_submission(on).date,
                who=who,
            )
            return self.save(sent, base_version=base_version, ledger=Action.SENT)

    def import_requests(
        self,
        requests: list[VigRequest],
        *,
        who: Actor = UNKNOWN_ACTOR,
        summary: str = "Imported from a file",
    ) -> ImportReport:
        """Add new requests and update those whose incoming copy is newer, in one write.

        All or nothing: if :meth:`import_conflicts` finds any conflict (or the
        write fails), nothing at all is imported.
        """
        with self._write_lock():
            report, added, updated = self._plan_import(requests)
            if report.conflicts or (not added and not updated):
                return report
            with self._writing():
                for checked, _ in [*added, *updated.values()]:
                    self._append_ledger(who, Action.IMPORTED, checked, summary)
                new_ids = self._requests.insert_multiple([doc for _, doc in added])
                if updated:
                    self._requests.update(
                        _replace_by_id({key: doc for key, (_, doc) in updated.items()}),
                        doc_ids=[self._doc_ids[key] for key in updated],
                    )
            for (_, doc), doc_id in zip(added, new_ids, strict=True):
                self._remember(RequestSummary.of_document(doc), doc_id)
            for key, (_, doc) in updated.items():
                self._remember(RequestSummary.of_document(doc), self._doc_ids[key])
            report.added, report.updated = len(added), len(updated)
            return report

    def import_conflicts(self, requests: list[VigRequest]) -> list[str]:
        """Why importing ``requests`` would be refused (empty when it would not), without
        writing: a request given twice, a reference given to two requests, a request held
        here whose copy is as new or newer, or a reference another request already has."""
        with self._lock:
            self._check_open()
            return self._plan_import(requests)[0].conflicts

    def _history_grows(self, incoming: VigRequest) -> bool:
        """True when ``incoming``'s history continues the stored copy's (nothing lost)."""
        stored = self._requests.get(doc_id=self._doc_id(incoming.id))
        assert stored is not None and not isinstance(stored, list)
        hashes = [entry.get("hash") for entry in unpacked(stored).get("history") or ()]
        return [entry.hash for entry in incoming.history[: len(hashes)]] == hashes

    def _plan_import(
        self, requests: list[VigRequest]
    ) -> tuple[
        ImportReport,
        list[tuple[VigRequest, dict[str, Any]]],
        dict[UUID, tuple[VigRequest, dict[str, Any]]],
    ]:
        report = ImportReport()
        owners = dict(self._by_reference)
        seen: set[UUID] = set()
        added: list[tuple[VigRequest, dict[str, Any]]] = []
        updated: dict[UUID, tuple[VigRequest, dict[str, Any]]] = {}
        for incoming in requests:
            current = self._summary(incoming.id)
            stored_version = 0 if current is None else self._stored_version(incoming.id)
            checked, doc = self._checked(incoming, version=stored_version + 1)
            label = checked.reference or f"Draft {checked.id}"
            if checked.id in seen:
                report.conflicts.append(f"{label}: appears more than once in the import.")
                continue
            seen.add(checked.id)
            if current is not None and aware(checked.updated_at) <= aware(current.updated_at):
                report.conflicts.append(
                    f"{label}: the copy here was changed at the same time or later "
                    f"({aware(current.updated_at):%d %b %Y %H:%M} UTC)."
                )
                continue
            if current is not None and not self._history_grows(checked):
                report.conflicts.append(
                    f"{label}: the copy here has changes the file's copy lacks (their "
                    "histories differ); import with --merge to merge them answer by answer."
                )
                continue
            if checked.reference:
                owner = owners.get(checked.reference)
                if owner is not None and owner != checked.id:
                    stored = self._by_reference.get(checked.reference) == owner
                    where = "here" if stored else "in the import"
                    report.conflicts.append(
                        f"{label}: another request {where} already has this reference."
                    )
                    continue
            if current is not None and current.reference:
                owners.pop(current.reference, None)
            if checked.reference:
                owners[checked.reference] = checked.id
            if current is None:
                added.append((checked, doc))
            else:
                updated[checked.id] = (checked, doc)
        return report, added, updated

    # Requests received by file

    def _received_index(self) -> dict[UUID, int]:
        if self._received_ids is None:
            self._received_ids = {UUID(doc["id"]): doc.doc_id for doc in self._received.all()}
        return self._received_ids

    def received_copy(self, request_id: UUID) -> VigRequest | None:
        """The copy last received by file (the next merge's base); None if none was kept."""
        with self._lock:
            self._check_open()
            doc_id = self._received_index().get(request_id)
            if doc_id is None:
                return None
            doc = self._received.get(doc_id=doc_id)
            assert doc is not None and not isinstance(doc, list)
            try:
                return VigRequest.model_validate(doc["copy"])
            except (KeyError, ValueError) as error:
                raise CorruptDatabaseError(
                    self.path, f"the copy of request {request_id} last received is damaged: {error}"
                ) from None

    def receive(self, arrivals: list[Arrival], on: date, *, who: Actor) -> list[VigRequest]:
        """Take received copies in one write (see :meth:`Repository.receive`)."""
        with self._write_lock():
            meeting = self.calendar().meeting_for_submission(on).date
            issued: list[str] = []
            plan: list[tuple[VigRequest, dict[str, Any], int | None, dict[str, Any] | None]] = []
            planned: set[UUID] = set()
            for arrival in arrivals:
                if arrival.outcome is Outcome.UNCHANGED:
                    continue
                if arrival.request.id in planned:
                    raise StoreError(
                        f"Request {arrival.request.id} was given twice in one file; "
                        "nothing was received."
                    )
                planned.add(arrival.request.id)
                if arrival.outcome is Outcome.NEW:
                    if arrival.request.id in self._doc_ids:
                        raise VersionConflict(self.get(arrival.request.id), None)
                    reference = self._next_reference(on.year, issued)
                    issued.append(reference)
                    admitted = admit(arrival.request, reference, meeting, on, who)
                    checked, doc = self._checked(admitted, version=1)
                    doc_id = None
                else:
                    doc_id = self._expect_version(arrival.request.id, arrival.base_version)
                    checked, doc = self._checked(
                        arrival.request, version=(arrival.base_version or 0) + 1
                    )
                copy_doc = None
                if arrival.received is not None:
                    received = arrival.received.model_dump(mode="json")
                    copy_doc = VigRequest.model_validate(received).model_dump(mode="json")
                plan.append((checked, doc, doc_id, copy_doc))
            if not plan:
                return []
            index = self._received_index()
            new_ids: list[tuple[VigRequest, dict[str, Any], int]] = []
            with self._writing():
                for checked, doc, doc_id, copy_doc in plan:
                    newest = checked.history[-1]
                    self._append_ledger(who, newest.action, checked, newest.summary)
                    if doc_id is None:
                        doc_id = self._requests.insert(doc)
                    else:
                        self._requests.update(_replace_with(doc), doc_ids=[doc_id])
                    new_ids.append((checked, doc, doc_id))
                    if copy_doc is None:
                        continue
                    kept_copy = {"id": str(checked.id), "copy": copy_doc}
                    copy_id = index.get(checked.id)
                    if copy_id is None:
                        index[checked.id] = self._received.insert(kept_copy)
                    else:
                        self._received.update(_replace_with(kept_copy), doc_ids=[copy_id])
            for _, doc, doc_id in new_ids:
                self._remember(RequestSummary.of_document(doc), doc_id)
            return [checked for checked, _, _ in new_ids]

    # Meetings and settings

    def calendar(self) -> MeetingCalendar:
        with self._lock:
            self._check_open()
            moves = MOVE_LIST.validate_python(self._moves.all())
            return MeetingCalendar(moves, self.cutoff_days)

    def meeting_moves(self) -> list[MeetingMove]:
        """Every move recorded, oldest first (a later move of a meeting replaces an earlier)."""
        with self._lock:
            self._check_open()
            return MOVE_LIST.validate_python(self._moves.all())

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
        with self._write_lock():
            held = self.calendar().meeting_in(scheduled.year, scheduled.month)
            steps.check_meeting_day(held, scheduled)
            move = MeetingMove(scheduled=scheduled, moved_to=moved_to, reason=reason)
            moving: dict[UUID, tuple[VigRequest, dict[str, Any]]] = {}
            if held.date != moved_to:
                for request in self.requests(meeting=held.date):
                    steps.move_request(request, held, moved_to, who, reason)
                    moving[request.id] = self._checked(request, version=request.version + 1)
            summary, changes = steps.meeting_move(held, moved_to)
            with self._writing():
                self._append_service_change(
                    who,
                    Action.MEETING_MOVED,
                    summary,
                    changes,
                    reason=reason if ledger_reason is None else ledger_reason,
                )
                self._moves.insert(move.model_dump(mode="json"))
                if moving:
                    self._requests.update(
                        _replace_by_id({key: doc for key, (_, doc) in moving.items()}),
                        doc_ids=[self._doc_ids[key] for key in moving],
                    )
            for key, (_, doc) in moving.items():
                self._remember(RequestSummary.of_document(doc), self._doc_ids[key])

    @property
    def cutoff_days(self) -> int:
        """Days before a meeting by which a request must be sent to go to it."""
        with self._lock:
            self._check_open()
            return self._meta_record().settings.cutoff_days

    @cutoff_days.setter
    def cutoff_days(self, days: int) -> None:
        self.set_cutoff_days(days)

    def set_cutoff_days(self, days: int, *, who: Actor = UNKNOWN_ACTOR) -> None:
        """Change the cut-off, recorded in the service ledger with the old and new value."""
        with self._write_lock():
            settings = Settings(cutoff_days=days).model_dump(mode="json")
            before = self._meta_record().settings.cutoff_days
            with self._writing():
                if before != days:
                    self._append_service_change(
                        who,
                        Action.SETTINGS_CHANGED,
                        "Settings changed",
                        [
                            Change(
                                field="settings.cutoff_days",
                                label="Days before a meeting by which a request must be sent",
                                old=before,
                                new=days,
                            )
                        ],
                    )
                self._meta.update(
                    lambda doc: doc.update(settings={**doc.get("settings", {}), **settings}),
                    doc_ids=[int(META_ID)],
                )

    # The service's checklist

    def installed_checklists(self) -> dict[str, str]:
        with self._lock:
            self._check_open()
            return dict(self._meta_record().checklists)

    @property
    def checklist_version(self) -> str | None:
        with self._lock:
            self._check_open()
            return self._meta_record().checklist_in_use

    def install_checklist(self, version: str, text: str, *, who: Actor = UNKNOWN_ACTOR) -> None:
        """Keep and use checklist ``version``; the ledger records who installed it."""
        with self._write_lock():
            meta = self._meta_record()
            installed = meta.checklists
            steps.check_new_checklist(installed, version, text)
            checklists = {**installed, version: text}
            with self._writing():
                self._insert_ledger(checklist_entry(who, meta.checklist_in_use, version))
                self._meta.update(
                    lambda doc: doc.update(checklists=checklists, checklist_in_use=version),
                    doc_ids=[int(META_ID)],
                )
            put_checklists_in_use(self.path, checklists, version)

    # Roster

    def practitioners(self) -> list[Practitioner]:
        """The roster, by name."""
        with self._lock:
            self._check_open()
            roster = PRACTITIONER_LIST.validate_python(self._practitioners.all())
            return sorted(roster, key=lambda p: p.name.casefold())

    def save_practitioner(
        self, practitioner: Practitioner, *, who: Actor = UNKNOWN_ACTOR, reason: str = ""
    ) -> None:
        """Add or change a practitioner; the ledger records each detail's old and new value."""
        with self._write_lock():
            doc = practitioner.model_dump(mode="json")
            checked = Practitioner.model_validate(doc)
            doc_id = self._practitioner_ids.get(checked.id)
            before = {} if doc_id is None else dict(self._practitioners.get(doc_id=doc_id) or {})
            changes = steps.roster_changes(checked, doc, before)
            with self._writing():
                if changes:
                    self._append_service_change(
                        who,
                        Action.ROSTER_CHANGED,
                        f"{'Added' if doc_id is None else 'Changed'} {checked.name} on the roster",
                        changes,
                        reason=reason,
                    )
                if doc_id is None:
                    doc_id = self._practitioners.insert(doc)
                else:
                    self._practitioners.update(_replace_with(doc), doc_ids=[doc_id])
            self._practitioner_ids[checked.id] = doc_id

    # Meeting records (attendees, apologies, actions)

    def meeting_record(self, meeting: date) -> MeetingRecord:
        """What was recorded of the meeting held on ``meeting`` (empty if nothing yet)."""
        with self._lock:
            self._check_open()
            for doc in self._records.all():
                if doc.get("meeting") == meeting.isoformat():
                    return MeetingRecord.model_validate(dict(doc))
            return MeetingRecord(meeting=meeting)

    def save_meeting_record(
        self, record: MeetingRecord, *, who: Actor = UNKNOWN_ACTOR, reason: str = ""
    ) -> MeetingRecord:
        """Keep ``record`` as the one record of its meeting; returns what was saved. The
        ledger records who changed it, with each part's old and new value."""
        with self._write_lock():
            saved = MeetingRecord.model_validate(
                {**record.model_dump(mode="json"), "updated_at": datetime.now(UTC).isoformat()}
            )
            doc = saved.model_dump(mode="json")
            found = [d for d in self._records.all() if d.get("meeting") == doc["meeting"]]
            same = [d.doc_id for d in found]
            entry = meeting_record_entry(who, dict(found[0]) if found else None, doc, reason=reason)
            with self._writing():
                if entry is not None:
                    self._insert_ledger(entry)
                if same:
                    self._records.update(_replace_with(doc), doc_ids=same[:1])
                else:
                    self._records.insert(doc)
            return saved

    # The service ledger: which requests exist, and changes that belong to no one request

    def ledger(self) -> list[HistoryEntry]:
        """Every ledger entry, oldest first (a hash chain from :data:`SERVICE_CHAIN`)."""
        with self._lock:
            self._check_open()
            docs = sorted(self._ledger.all(), key=lambda doc: doc.doc_id)
            return LEDGER_LIST.validate_python(docs)

    def carry_ledger(self, entries: list[HistoryEntry]) -> None:
        """Start the empty ledger with another register's ``entries``, as they are."""
        with self._write_lock():
            broken = first_broken(entries, SERVICE_CHAIN)
            if broken is not None:
                raise StoreError(
                    f"The ledger being copied does not verify (entry {broken + 1} does not "
                    "match its content or its place): run `vig-tui audit verify` on the copy's "
                    "source and ask for help before copying it."
                )
            if self._ledger.all():
                raise StoreError(
                    f"{self.path} already keeps a ledger: another register's cannot be "
                    "carried into it."
                )
            if not entries:
                return
            with self._writing():
                self._ledger.insert_multiple([entry.model_dump(mode="json") for entry in entries])
            self._ledger_tip = entries[-1].hash

    def _ledger_head(self) -> str:
        if self._ledger_tip is None:
            docs = self._ledger.all()
            newest = max(docs, key=lambda doc: doc.doc_id) if docs else None
            self._ledger_tip = SERVICE_CHAIN if newest is None else str(newest["hash"])
        return self._ledger_tip

    def _append_ledger(
        self, who: Actor, action: str, request: VigRequest, summary: str, *, reason: str = ""
    ) -> None:
        """Record (inside a write) that a request came, was sent or went."""
        self._insert_ledger(ledger_entry(who, action, request, summary, reason=reason))

    def _append_service_change(
        self,
        who: Actor,
        action: str,
        summary: str,
        changes: list[Change],
        *,
        reason: str = "",
    ) -> None:
        entry = HistoryEntry(
            who=who, action=action, summary=summary, changes=changes, reason=reason.strip() or None
        )
        self._insert_ledger(entry)

    def _insert_ledger(self, entry: HistoryEntry) -> None:
        sealed = entry.sealed(self._ledger_head())
        self._ledger.insert(sealed.model_dump(mode="json"))
        self._ledger_tip = sealed.hash


#: The name callers have always used for the file backend.
Store = FileRepository
