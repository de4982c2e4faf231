"""The one interface to a VIG service's records, whichever backend holds them.

Screens, the command line and the service layer talk to a :class:`Repository`;
the TinyDB file (:class:`~vig_tui.store.file_repository.FileRepository`) is its
first implementation, and a PostgreSQL server its second. Every model handed
out is a fresh copy: change it, then ``save`` it with the version it was read
at. A save made against an older version than the stored one is refused with
:class:`~vig_tui.store.errors.VersionConflict`: nothing is ever overwritten
blindly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self, runtime_checkable
from uuid import UUID

from ..domain.history import UNKNOWN_ACTOR, Actor, HistoryEntry
from ..domain.meetings import Meeting, MeetingCalendar
from ..domain.models import MeetingMove, MeetingRecord, Practitioner, RequestStatus, VigRequest
from ..domain.receiving import Arrival
from ..domain.summary import RequestSummary
from .errors import StoreError
from .listing import SERVER_SCHEMES


@dataclass
class ImportReport:
    """What an import did: counts of requests added and updated, and what it left out, why."""

    added: int = 0
    updated: int = 0
    conflicts: list[str] = field(default_factory=list)


class Repository(Protocol):
    """Requests, the practitioner roster, moved meetings and settings of one service.

    Versions: ``VigRequest.version`` is 0 for a request never saved; each save
    stores ``version + 1``. ``base_version`` is the version the change was
    made to: ``None`` (or 0) for a new request, refused if its id is taken.
    """

    @property
    def read_only(self) -> bool:
        """True when changes are refused (:class:`~vig_tui.store.errors.ReadOnlyError`)."""
        ...

    @property
    def location(self) -> str:
        """Where the records are, for messages: a file path, or a URL without its password."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def validated(self, timeout: float | None = None) -> bool:
        """Wait until every record has been checked (a file vig-tui itself last wrote is
        taken as checked: see :mod:`vig_tui.store.written`); raise what a bad one is."""
        ...

    # Requests

    def get(self, request_id: UUID) -> VigRequest:
        """A copy of one request; :class:`~vig_tui.store.errors.RequestNotFound` if none."""
        ...

    def find_reference(self, reference: str) -> VigRequest | None: ...

    def save(
        self, request: VigRequest, *, base_version: int | None, ledger: str | None = None
    ) -> VigRequest:
        """Store ``request`` if the stored copy is still at ``base_version``; returns
        the stored copy (its ``version`` one more than before). Durable on return.
        A new request is recorded in the ledger as created; ``ledger`` names another
        action to record there (by the author of the request's newest history entry)."""
        ...

    def delete(
        self,
        request_id: UUID,
        *,
        base_version: int,
        who: Actor = UNKNOWN_ACTOR,
        reason: str = "",
    ) -> None:
        """Remove a request (still at ``base_version``); the ledger records who and why."""
        ...

    def expunge(self, request_id: UUID, *, base_version: int, who: Actor, rule: str) -> None:
        """Delete a request of any status and its whole history for good, under the named
        retention rule; the ledger keeps a tombstone: reference (or draft id), deleted on,
        by whom, the rule. ``audit verify`` still passes afterwards. Refused with
        :class:`~vig_tui.store.errors.VersionConflict` if the stored copy is not at
        ``base_version``; on a server only the coordinator may."""
        ...

    def summaries(self) -> list[RequestSummary]:
        """One light row per request, oldest first."""
        ...

    def requests(
        self, *, status: RequestStatus | None = None, meeting: date | None = None
    ) -> list[VigRequest]: ...

    def agenda(self, meeting: Meeting | date) -> list[VigRequest]: ...

    def count(self) -> int: ...

    def counts_by_status(self) -> dict[RequestStatus, int]: ...

    def submit(
        self,
        request: VigRequest,
        on: date,
        *,
        base_version: int | None,
        who: Actor = UNKNOWN_ACTOR,
    ) -> VigRequest:
        """Send ``request``: the next reference of the year (issued inside the same
        write), its meeting, status SUBMITTED, a "sent" history entry by ``who``
        (and in the ledger); returns the stored copy."""
        ...

    def import_requests(
        self,
        requests: list[VigRequest],
        *,
        who: Actor = UNKNOWN_ACTOR,
        summary: str = "Imported from a file",
    ) -> ImportReport:
        """Add or update many requests in one change: all of it, or nothing. The ledger
        records each with ``summary`` (a copy of a register says where from)."""
        ...

    def import_conflicts(self, requests: list[VigRequest]) -> list[str]:
        """What would stop :meth:`import_requests` taking ``requests``; nothing is written."""
        ...

    # Requests received by file (the service's register; see vig_tui.domain.receiving)

    def received_copy(self, request_id: UUID) -> VigRequest | None:
        """The copy of a request last received by file from its sender (the base the
        next copy received is merged against); None if none was kept."""
        ...

    def receive(self, arrivals: list[Arrival], on: date, *, who: Actor) -> list[VigRequest]:
        """Take received copies in one write: all of them, or (on any error) none. A new
        one gets the year's next reference and the meeting for ``on`` (through
        :func:`~vig_tui.domain.receiving.admit`); a merged one is saved if the stored copy
        is still at its ``base_version`` (else :class:`VersionConflict`). Each copy as
        received is kept as the next merge base. Returns the stored requests (unchanged
        arrivals are skipped)."""
        ...

    # Meetings and settings

    def calendar(self) -> MeetingCalendar: ...

    def meeting_moves(self) -> list[MeetingMove]: ...

    def move_meeting(
        self,
        scheduled: date,
        moved_to: date,
        reason: str = "",
        *,
        who: Actor = UNKNOWN_ACTOR,
        ledger_reason: str | None = None,
    ) -> None:
        """Move a meeting: each request due at it, and the ledger, record who and why
        (``ledger_reason``, when given, is the ledger's why instead of ``reason``: a copy
        of a register says where the move was copied from)."""
        ...

    @property
    def cutoff_days(self) -> int: ...

    @cutoff_days.setter
    def cutoff_days(self, days: int) -> None: ...

    def set_cutoff_days(self, days: int, *, who: Actor = UNKNOWN_ACTOR) -> None:
        """Change the cut-off; the ledger keeps who, the old and the new value."""
        ...

    # The service's checklist (see vig_tui.domain.checklist_file)

    def installed_checklists(self) -> dict[str, str]:
        """Every checklist the service installed: version -> its TOML text."""
        ...

    @property
    def checklist_version(self) -> str | None:
        """The installed checklist new requests are made under (None: the built-in one)."""
        ...

    def install_checklist(self, version: str, text: str, *, who: Actor = UNKNOWN_ACTOR) -> None:
        """Keep ``text`` (checked by the caller) as ``version`` and put it in use. A version
        is never changed once installed: requests made under it are judged by it. The
        ledger records who installed which version."""
        ...

    # Roster

    def practitioners(self) -> list[Practitioner]: ...

    def save_practitioner(
        self, practitioner: Practitioner, *, who: Actor = UNKNOWN_ACTOR, reason: str = ""
    ) -> None: ...

    # Meeting records (attendees, apologies, actions)

    def meeting_record(self, meeting: date) -> MeetingRecord:
        """What was recorded of the meeting held on ``meeting`` (empty if nothing yet)."""
        ...

    def save_meeting_record(
        self, record: MeetingRecord, *, who: Actor = UNKNOWN_ACTOR, reason: str = ""
    ) -> MeetingRecord:
        """Keep ``record`` as its meeting's one record; the ledger keeps who changed what
        (old and new attendees, apologies, actions)."""
        ...


@runtime_checkable
class Watchable(Protocol):
    """A repository that several people change at once (a server): it tells the app
    when anyone changes it, so screens can show the change without a key press."""

    def watch(self, changed: Callable[[], None]) -> Callable[[], None]:
        """Call ``changed`` (from another thread) soon after each change by anyone;
        returns the function that stops watching."""
        ...


@runtime_checkable
class KeepsLedger(Protocol):
    """A backend that keeps the service-wide ledger (the TinyDB file in its ``ledger``
    table; a server in ``vig.ledger``, append-only by trigger)."""

    def ledger(self) -> list[HistoryEntry]:
        """The service-wide chain, oldest first: each request created, imported, sent,
        deleted or deleted for good, and the changes to settings, the roster and meetings.
        Appended in the same write as the change it records."""
        ...

    def carry_ledger(self, entries: list[HistoryEntry]) -> None:
        """Start this register's empty ledger with another's ``entries``, exactly as they
        are (a copy of a whole register): their hashes still chain, and what the copy
        then does is recorded after them. Refused if this ledger holds anything, or if
        ``entries`` do not chain."""
        ...


@runtime_checkable
class SharedRegister(Protocol):
    """A register many people log in to (a server): it knows the login's role, and keeps
    the service's public key once it is the service's register. The private key is never
    kept here; it stays on the coordinator's own computer."""

    def is_coordinator(self) -> bool:
        """True when this login acts as the service's coordinator."""
        ...

    def service_public_key(self) -> str | None:
        """The service's public key, or None while the register is not the service's."""
        ...

    def keep_service_public_key(self, public_key: str) -> None:
        """Make the register the service's (the coordinator only; once: never replaced)."""
        ...


def open_repository(
    target: str | Path,
    *,
    read_only: bool = False,
    validate_in_background: bool = False,
    validate_after: float = 0.0,
    wait: float = 0.0,
) -> Repository:
    """Open the records at ``target``: a database file's path (a TinyDB file), or
    a ``postgresql://`` URL (a shared register on a server; the background-check
    options do not apply, the server holds only checked records).

    The options are those of :meth:`FileRepository.open
    <vig_tui.store.file_repository.FileRepository.open>`.
    """
    if isinstance(target, str) and target.lower().startswith(SERVER_SCHEMES):
        try:
            from .postgres.repository import PostgresRepository
        except ImportError:
            raise StoreError(
                "This copy of vig-tui cannot open a database server: its PostgreSQL driver "
                "is not installed. Install it with: pip install 'vig-tui[postgres]'"
            ) from None
        return PostgresRepository.open(target, read_only=read_only)
    from .file_repository import FileRepository

    return FileRepository.open(
        Path(target),
        read_only=read_only,
        validate_in_background=validate_in_background,
        validate_after=validate_after,
        wait=wait,
    )
