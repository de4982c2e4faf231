"""Opening a database file: the light summaries at once, every record checked.

Opening reads the summaries the register needs straight from the stored
documents and validates the small tables; the requests themselves are
validated with pydantic by :class:`Validation`, at once or in a background
thread (the app), so the first screen does not wait for a large file.
"""

from __future__ import annotations

import contextlib
import gc
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from ..domain.history import HistoryEntry
from ..domain.models import MeetingMove, MeetingRecord, Practitioner, VigRequest
from ..domain.summary import RequestSummary
from ..domain.wording import plural
from . import migrations, packed, slices, splice
from .errors import CorruptDatabaseError
from .listing import Summariser
from .migrations import (
    LEDGER,
    MEETING_MOVES,
    MEETING_RECORDS,
    META,
    META_ID,
    PRACTITIONERS,
    REQUESTS,
)
from .storage import Tables, read_sealed_database_file

REQUEST_LIST = TypeAdapter(list[VigRequest])
PRACTITIONER_LIST = TypeAdapter(list[Practitioner])
MOVE_LIST = TypeAdapter(list[MeetingMove])
LEDGER_LIST = TypeAdapter(list[HistoryEntry])
RECORD_LIST = TypeAdapter(list[MeetingRecord])


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cutoff_days: int = Field(default=1, ge=0, le=60)


class Meta(BaseModel):
    model_config = ConfigDict(extra="forbid")
    schema_version: int
    settings: Settings = Field(default_factory=Settings)
    #: The checklists the service installed (version -> TOML text), and the one in use.
    checklists: dict[str, str] = Field(default_factory=dict)
    checklist_in_use: str | None = None


_METAS = TypeAdapter(list[Meta])


def _validate_table(
    path: Path, tables: Tables, name: str, adapter: TypeAdapter[list[Any]]
) -> tuple[list[str], list[Any]]:
    """Validate every record of one table; the first problem names record, id and field."""
    table = tables.get(name, {})
    doc_ids = list(table)
    try:
        return doc_ids, adapter.validate_python(list(table.values()))
    except ValidationError as error:
        problems = error.errors(include_url=False)
        first = problems[0]
        position = first["loc"][0] if first["loc"] else 0
        field_path = ".".join(str(part) for part in first["loc"][1:]) or "the record itself"
        doc_id = doc_ids[position] if isinstance(position, int) else "?"
        detail = (
            f"record {position + 1 if isinstance(position, int) else '?'} of {len(doc_ids)} "
            f"in table {name!r} (doc id {doc_id}) has a bad {field_path}: {first['msg']}"
        )
        records = {problem["loc"][0] for problem in problems if problem["loc"]}
        if len(problems) > 1:
            detail += (
                f" ({plural(len(problems) - 1, 'more problem')} in "
                f"{plural(len(records), 'record')})"
            )
        raise CorruptDatabaseError(path, detail) from None


@dataclass
class Loaded:
    """What opening learnt from the file: the small tables validated, and a
    summary of every request (the requests themselves are validated by
    :func:`validate_requests`, at once or in the background)."""

    request_ids: list[str]
    #: None when the file is trusted (:mod:`~vig_tui.store.written`): each summary is
    #: then made from ``requests`` when first wanted (importing one request wants none).
    summaries: list[RequestSummary] | None
    practitioner_ids: list[str]
    practitioners: list[Practitioner]
    #: Each request's id and reference, in file order (for a trusted file).
    ids: list[UUID] = field(default_factory=list)
    references: list[str | None] = field(default_factory=list)
    requests: Mapping[str, Any] | None = None


@contextlib.contextmanager
def gc_paused(*, keep: bool = False) -> Iterator[None]:
    """Bulk loads make hundreds of thousands of objects and no cycles; with the
    collector running, building them takes several times longer.

    With ``keep`` (opening a database) what was made is frozen: it lives as
    long as the store, and otherwise the collector's next passes would walk
    every one of those objects, a pause of about 0.1 s at 10,000 requests,
    perhaps in the middle of a keystroke (reference counting still frees
    whatever is let go)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if keep:
            gc.freeze()
    finally:
        if was_enabled:
            gc.enable()


def _summarise(path: Path, tables: Tables) -> tuple[list[str], list[RequestSummary]]:
    table = tables.get(REQUESTS, {})
    summariser = Summariser(path, len(table))
    for doc_id, doc in table.items():
        summariser.add(doc_id, doc)
    return summariser.request_ids, summariser.summaries


def read_database(path: Path) -> tuple[Tables | None, str | None]:
    """:func:`~vig_tui.store.storage.read_sealed_database_file`, a slice at a time when the
    file's index allows (:mod:`~vig_tui.store.slices`: the same tables, without the whole
    text in memory, and each request's history kept as its text, :mod:`~vig_tui.store.packed`).

    Only a file of this release's schema is read in slices: one to be upgraded is
    read whole, since an upgrade may change records in place."""
    index = splice.read_index(path)
    if index is not None and index.keys.get("schema") == migrations.current_version():
        with gc_paused():
            tables = slices.read_in_slices(path, index, {REQUESTS: packed.pack})
        if tables is not None:
            return tables, index.digest
    return read_sealed_database_file(path)


def validate_requests(
    path: Path,
    table: Mapping[str, Any],
    *,
    first: int = 1,
    total: int | None = None,
    pace: Callable[[], None] | None = None,
    total_known: bool = True,
) -> None:
    """Validate every request, one at a time so that only one model is alive at once.

    ``first`` and ``total`` place the records within the whole table in messages
    (not ``total_known``: a table being read, whose size is not known yet);
    ``pace`` is called after every :data:`_PACE_EVERY` records.
    """
    total = len(table) if total is None else total
    of_total = f" of {total}" if total_known else ""
    for position, (doc_id, doc) in enumerate(list(table.items()), start=first):
        if pace is not None and position % _PACE_EVERY == 0:
            pace()
        try:
            VigRequest.model_validate(packed.unpacked(doc))
        except ValidationError as error:
            problems = error.errors(include_url=False)
            problem = problems[0]
            field_path = ".".join(str(part) for part in problem["loc"]) or "the record itself"
            detail = (
                f"record {position}{of_total} in table 'requests' (doc id {doc_id}) "
                f"has a bad {field_path}: {problem['msg']}"
            )
            if len(problems) > 1:
                detail += f" ({plural(len(problems) - 1, 'more problem')} in that record)"
            raise CorruptDatabaseError(path, detail) from None


def load_tables(path: Path, tables: Tables) -> Loaded:
    request_ids, summaries = _summarise(path, tables)
    practitioner_ids, practitioners = _validate_table(
        path, tables, PRACTITIONERS, PRACTITIONER_LIST
    )
    _validate_table(path, tables, MEETING_MOVES, MOVE_LIST)
    _validate_table(path, tables, LEDGER, LEDGER_LIST)
    _validate_table(path, tables, MEETING_RECORDS, RECORD_LIST)
    meta_ids, _ = _validate_table(path, tables, META, _METAS)
    if meta_ids != [META_ID]:
        raise CorruptDatabaseError(
            path, f"table 'meta' should hold exactly record {META_ID}, not {meta_ids}"
        )
    return Loaded(request_ids, summaries, practitioner_ids, practitioners)


def load_trusted_tables(path: Path, tables: Tables) -> Loaded:
    """:func:`load_tables` for a file that is byte for byte what vig-tui last wrote
    (:mod:`~vig_tui.store.written`): each request's id and reference only (its summary
    is made when wanted), and of the small tables only those opening uses
    (the roster, meta); the others are validated as they are read."""
    table = tables.get(REQUESTS, {})
    try:
        ids = [UUID(doc["id"]) for doc in table.values()]
    except (KeyError, ValueError, TypeError, AttributeError):
        return load_tables(path, tables)  # vig-tui never writes this: say what is wrong
    if len(set(ids)) != len(ids):
        return load_tables(path, tables)
    references = [doc.get("reference") for doc in table.values()]
    practitioner_ids, practitioners = _validate_table(
        path, tables, PRACTITIONERS, PRACTITIONER_LIST
    )
    meta_ids, _ = _validate_table(path, tables, META, _METAS)
    if meta_ids != [META_ID]:
        raise CorruptDatabaseError(
            path, f"table 'meta' should hold exactly record {META_ID}, not {meta_ids}"
        )
    return Loaded(
        list(table), None, practitioner_ids, practitioners, ids, references, requests=table
    )


#: The background check gives way to the app's own thread after this many records
#: (about 1.5 ms of work) ...
_PACE_EVERY = 50
#: ... for this long (seconds), unless a write is waiting for it: the interpreter
#: runs one thread at a time, and a keystroke should not wait for the check.
_PACE_PAUSE = 0.002


class Validation:
    """Whether every stored request has been validated, and what was found.

    Opened for the app, a large database is validated in a background thread
    so the first screen does not wait for it, after a pause, so the screens a
    person opens first do not share the interpreter with it, and a little at a
    time, so keystrokes meanwhile are handled at once. A write cuts the pauses
    short and waits for the outcome, and a bad record stops all writing, so a
    bad file is never overwritten.
    """

    def __init__(self) -> None:
        self._done = threading.Event()
        self._wanted = threading.Event()
        self.error: CorruptDatabaseError | None = None
        #: Why the records were not validated one by one (None: they were, or will be).
        self.trusted_because: str | None = None

    def trust(self, because: str) -> None:
        """Take the records as checked without validating each: ``because`` says why
        (the file is byte for byte what vig-tui wrote, and it writes only records
        that validate). A record that fails when it is read is still refused then."""
        self.trusted_because = because
        self._done.set()

    def run(
        self, path: Path, table: Mapping[str, Any], *, after: float = 0.0, paced: bool = False
    ) -> None:
        """Validate ``table``; in the background, ``after`` a pause and ``paced``."""
        self._wanted.wait(after)
        try:
            # The collector is off while the check runs (it makes and drops a
            # model per record): its passes would otherwise come every few
            # milliseconds and walk whatever the app holds, such as the
            # register's rows, in the middle of keystrokes.
            with gc_paused():
                validate_requests(path, table, pace=self._give_way if paced else None)
        except CorruptDatabaseError as error:
            self.error = error
        except Exception as error:  # a record the check itself could not read
            self.error = CorruptDatabaseError(
                path, f"its records could not all be checked: {type(error).__name__}: {error}"
            )
        finally:
            self._done.set()

    def _give_way(self) -> None:
        if not self._wanted.is_set():
            time.sleep(_PACE_PAUSE)

    def start(self, path: Path, table: Mapping[str, Any], *, after: float = 0.0) -> None:
        """Validate in a thread, starting ``after`` seconds from now or at the first write."""
        threading.Thread(
            target=self.run,
            args=(path, table),
            kwargs={"after": after, "paced": True},
            name="vig-tui-validate",
            daemon=True,
        ).start()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    def check(self) -> None:
        """Have the validation done now and wait for it; raise what it found."""
        self._wanted.set()
        self._done.wait()
        if self.error is not None:
            raise self.error
