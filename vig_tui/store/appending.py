"""Importing new requests into a large file without parsing it (the trusted append path).

``vig-tui import`` of one request into a 50,000-request file spent seconds
parsing the file only to learn which ids and references were taken and where
the ledger's chain ends. When the file is byte for byte what vig-tui last wrote
(its note and index agree, :mod:`~vig_tui.store.written`,
:mod:`~vig_tui.store.splice`), those come from the index instead, and the new
requests and their ledger entries are spliced into the file's bytes at the
ends of their tables: the same file a full rewrite would write, sealed,
kept-copy rotated and renamed into place the same way, under the same lock.

Only a plain addition takes this path: every request new (id not held, not
given twice), every reference free. Anything else (an update of a held
request, any conflict, a file edited by hand, a missing or stale index, an
older schema) returns ``None`` and the caller opens the store as before, which
lists every conflict and validates a file vig-tui did not write.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ..domain.history import UNKNOWN_ACTOR, Action, Actor
from ..domain.models import VigRequest
from . import migrations, splice, written
from .errors import StoreWriteError
from .file_repository import checked_document, ledger_entry
from .listing import database_file
from .lock import DatabaseLock
from .migrations import LEDGER, REQUESTS
from .repository import ImportReport
from .storage import remove_leftover_temp_files


def import_new_requests(
    path: Path, requests: list[VigRequest], *, who: Actor = UNKNOWN_ACTOR, wait: float = 0.0
) -> ImportReport | None:
    """Add ``requests`` (all new) to the file at ``path`` without parsing it, as
    :meth:`FileRepository.import_requests` would; ``None`` when this path does not apply.

    Takes the database's lock (waiting up to ``wait`` seconds; else
    :class:`DatabaseLockedError`). A failed write raises :class:`StoreWriteError`
    and leaves the file as it was.
    """
    path = database_file(Path(path).expanduser())
    if not requests or not path.is_file():
        return None
    lock = DatabaseLock.acquire(path, wait=wait)
    try:
        for target in (path, written.note_path(path), splice.index_path(path)):
            remove_leftover_temp_files(target)
        index = splice.read_index(path)
        if index is None or index.keys.get("schema") != migrations.current_version():
            return None
        planned = _plan(index, requests, who)
        if planned is None:
            return None
        additions, ids, references, tip = planned
        try:
            spliced = splice.splice(path, index, additions)
        except splice.Stale:
            return None
        except OSError as error:
            raise StoreWriteError(path, error) from error
        keys = dict(index.keys)
        keys["ids"] = [*index.keys["ids"], *ids]
        keys["references"] = [*index.keys["references"], *references]
        keys["ledger_tip"] = tip
        written.note(path, spliced.digest)
        splice.write_index(path, replace(spliced, keys=keys))
        return ImportReport(added=len(requests))
    finally:
        lock.release()


def _plan(
    index: splice.FileIndex, requests: list[VigRequest], who: Actor
) -> tuple[dict[str, list[tuple[int, dict[str, Any]]]], list[str], list[str], str] | None:
    """The records to add (each table's in order), the new ids and references and the
    ledger's new tip; ``None`` when anything is not a plain addition."""
    try:
        held_ids = set(index.keys["ids"])
        held_references = set(index.keys["references"])
        tip = str(index.keys["ledger_tip"])
        next_request = index.tables[REQUESTS].last_id + 1
        next_entry = index.tables[LEDGER].last_id + 1
    except (KeyError, TypeError):
        return None
    ids: list[str] = []
    references: list[str] = []
    documents: list[tuple[int, dict[str, Any]]] = []
    entries: list[tuple[int, dict[str, Any]]] = []
    for incoming in requests:
        checked, doc = checked_document(incoming, version=1)
        request_id = str(checked.id)
        if request_id in held_ids or request_id in ids:
            return None
        reference = checked.reference
        if reference and (reference in held_references or reference in references):
            return None
        # Chained exactly as FileRepository.import_requests chains it: one entry per
        # request, in the import's order, each after the one before.
        sealed = ledger_entry(who, Action.IMPORTED, checked, "Imported from a file").sealed(tip)
        tip = sealed.hash
        entries.append((next_entry + len(entries), sealed.model_dump(mode="json")))
        documents.append((next_request + len(documents), doc))
        ids.append(request_id)
        if reference:
            references.append(reference)
    return {REQUESTS: documents, LEDGER: entries}, ids, references, tip
