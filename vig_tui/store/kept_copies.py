"""Taking a request deleted for good out of the database's kept copies too.

A request deleted under a retention rule must not survive in ``NAME.1``-``NAME.3``
(:mod:`~vig_tui.store.generations`), each an earlier state of the whole file. Each
copy that holds the request is rewritten without it (atomically, owner-only, with
its own checksum), and its ledger, if it has one, gains the same tombstone the
database's ledger did, chained after that copy's newest entry: a copy put back by
``vig-tui restore`` still holds every other record and still passes
``vig-tui audit verify``. A copy that cannot be read (damaged) is removed, since
it cannot be rewritten without the request.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from uuid import UUID

import orjson

from ..atomic import write_atomically
from ..domain.history import SERVICE_CHAIN, HistoryEntry
from . import checksum, generations
from .errors import StoreError
from .migrations import LEDGER
from .storage import Tables, read_database_file

log = logging.getLogger(__name__)


class CopiesStillHoldIt(StoreError):
    """The request was deleted for good from the database, but an earlier copy beside it
    still holds it and could be neither rewritten nor removed: say so, and which."""

    def __init__(self, db_path: Path, left: list[str]) -> None:
        self.left = left
        super().__init__(
            f"The request was deleted for good from {db_path}, but these earlier copies of "
            f"the database still hold it and could not be changed: {', '.join(left)}. "
            "Delete them by hand."
        )


def remove_from_kept_copies(db_path: Path, request_id: UUID, tombstone: HistoryEntry) -> None:
    """Take the request ``request_id`` out of every kept copy of ``db_path``.

    Raises :class:`CopiesStillHoldIt` naming any copy that still holds it (neither
    rewritten nor removed), after trying every copy.
    """
    left: list[str] = []
    for path in generations.kept_copy_paths(db_path):
        try:
            _rewrite(path, request_id, tombstone)
        except (StoreError, OSError) as error:
            log.warning("could not rewrite %s without %s: %s; removing it", path, request_id, error)
            try:
                os.unlink(path)
            except FileNotFoundError:
                continue
            except OSError as unlink_error:
                left.append(f"{path} ({unlink_error.strerror or unlink_error})")
    if left:
        raise CopiesStillHoldIt(db_path, left)


def _rewrite(path: Path, request_id: UUID, tombstone: HistoryEntry) -> None:
    tables = read_database_file(path)
    if tables is None:
        return
    wanted = str(request_id)
    found = False
    for table in tables.values():
        for doc_id in [key for key, doc in table.items() if doc.get("id") == wanted]:
            del table[doc_id]
            found = True
    if not found:
        return
    ledger = tables.get(LEDGER)
    if ledger is not None:
        _append(ledger, tombstone)
    write_atomically(path, _sealed(tables))


def _append(ledger: dict[str, dict[str, object]], tombstone: HistoryEntry) -> None:
    newest = max(ledger, key=int, default=None)
    previous = SERVICE_CHAIN if newest is None else str(ledger[newest]["hash"])
    sealed = tombstone.sealed(previous)
    ledger[str(int(newest) + 1 if newest is not None else 1)] = sealed.model_dump(mode="json")


def _sealed(tables: Tables) -> list[bytes]:
    """The tables as the database file holds them, with their checksum."""
    body = orjson.dumps(tables)
    return checksum.sealed([body[:-1], b"}"])
