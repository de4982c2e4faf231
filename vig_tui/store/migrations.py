"""Schema versions of the database file, and the steps between them.

The ``meta`` table's record 1 holds ``schema_version`` and ``settings``.
``MIGRATIONS[n]`` turns a version ``n`` file into version ``n + 1``; the
current version is the length of the list, so adding a step is the whole of
a schema change. Steps work on plain JSON tables (before validation) and on a
copy: the store validates the result and writes it in one atomic write, so a
step that fails, or produces records that do not validate, changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import orjson

from ..domain.wording import plural

if TYPE_CHECKING:
    from ..domain.history import HistoryEntry

Tables = dict[str, dict[str, dict[str, Any]]]
Migration = Callable[[Tables], None]

REQUESTS = "requests"
PRACTITIONERS = "practitioners"
MEETING_MOVES = "meeting_moves"
META = "meta"
#: The service-wide chain: which requests exist, settings and roster changes.
LEDGER = "ledger"
#: Attendees, apologies and actions of each meeting (a file from before it has none:
#: TinyDB makes the table at the first record, so no migration is needed).
MEETING_RECORDS = "meeting_records"
#: The copy of each request last received by file ({"id": request id, "copy": document}):
#: the base the next copy received is merged against.
RECEIVED_COPIES = "received_copies"
TABLES = (REQUESTS, PRACTITIONERS, MEETING_MOVES, META, MEETING_RECORDS, LEDGER, RECEIVED_COPIES)
#: The one record of the meta table.
META_ID = "1"
DEFAULT_SETTINGS: dict[str, Any] = {"cutoff_days": 1}


class SchemaError(ValueError):
    """The meta table is not what any version of vig-tui writes."""


def _add_meta(tables: Tables) -> None:
    """Version 0 (files from before versioning, with no meta table) -> 1."""
    for name in TABLES:
        tables.setdefault(name, {})
    tables[META][META_ID] = {"schema_version": 0, "settings": dict(DEFAULT_SETTINGS)}


def _carer_ids(tables: Tables) -> None:
    """Version 1 -> 2: each parent or carer gets a stable id (answers are named by it)."""
    for record in tables[REQUESTS].values():
        carers = record.get("carers")
        if not isinstance(carers, list):
            continue
        for carer in carers:
            if isinstance(carer, dict) and "id" not in carer:
                carer["id"] = str(uuid4())


def _add_request_versions(tables: Tables) -> None:
    """Version 2 -> 3: every stored request gets ``version`` 1 (it has been saved once
    as far as anyone can now tell); later saves count on from there."""
    for doc in tables.get(REQUESTS, {}).values():
        if not doc.get("version"):
            doc["version"] = 1


def _attributed_history(tables: Tables) -> None:
    """Version 3 -> 4: history entries say who (here: unknown), old -> new, and are chained.

    The old entries (kind, summary, status, reason) become entries by
    "unknown: recorded before history kept who"; a status entry's old status
    is the one before it. The walkthrough's progress notes leave the history
    for the request's ``progress``. Every request existing is recorded, in the
    order they were made, in the new service-wide ledger.
    """
    # Imported here: reading a file's version (``vig-tui list``) needs none of this.
    from ..domain.history import (
        SERVICE_CHAIN,
        UNKNOWN_ACTOR,
        Action,
        Change,
        HistoryEntry,
        request_chain_start,
    )
    from ..domain.rules import Section

    # Kinds of the old history, as the actions of the new.
    old_kinds = {
        "created": Action.CREATED,
        "status": Action.STATUS,
        "correction": Action.CORRECTED,
        "decision": Action.DECIDED,
        "meeting": Action.MEETING_MOVED,
    }
    opened = {f"Opened “{s.title}”": s.value for s in Section}
    checked = {f"Checked “{s.title}”": s.value for s in Section}
    tables.setdefault(LEDGER, {})
    ledger: list[HistoryEntry] = []
    for doc in sorted(tables.get(REQUESTS, {}).values(), key=lambda d: str(d.get("created_at"))):
        old_history = doc.get("history") or []
        progress: dict[str, Any] = {"last_opened": None, "checked": []}
        entries: list[HistoryEntry] = []
        status = "draft"
        previous = request_chain_start(doc["id"])
        for old in old_history:
            summary = str(old.get("summary", ""))
            if old.get("kind") == "progress":
                if summary in opened:
                    progress["last_opened"] = opened[summary]
                elif summary in checked and checked[summary] not in progress["checked"]:
                    progress["checked"].append(checked[summary])
                continue
            changes: list[Change] = []
            new_status = old.get("status")
            if new_status and new_status != status:
                changes.append(Change(field="status", label="Status", old=status, new=new_status))
                status = new_status
            entry = HistoryEntry.model_validate(
                {
                    "at": old.get("at"),
                    "who": UNKNOWN_ACTOR,
                    "action": old_kinds.get(str(old.get("kind")), str(old.get("kind"))),
                    "summary": summary,
                    "changes": changes,
                    "reason": str(old.get("reason") or "").strip() or None,
                    "status": new_status,
                }
            ).sealed(previous)
            previous = entry.hash
            entries.append(entry)
        doc["history"] = [entry.model_dump(mode="json") for entry in entries]
        doc["history_head"] = entries[-1].hash if entries else None
        doc["progress"] = progress
        created = HistoryEntry.model_validate(
            {
                "at": doc.get("created_at"),
                "who": UNKNOWN_ACTOR,
                "action": Action.CREATED,
                "summary": "Recorded when the database was upgraded",
                "request_id": doc["id"],
                "reference": doc.get("reference"),
            }
        )
        ledger.append(created.sealed(ledger[-1].hash if ledger else SERVICE_CHAIN))
    tables[LEDGER] = {
        str(number): entry.model_dump(mode="json") for number, entry in enumerate(ledger, start=1)
    }


MIGRATIONS: list[Migration] = [
    _add_meta,
    _carer_ids,
    _add_request_versions,
    _attributed_history,
]


def current_version() -> int:
    return len(MIGRATIONS)


def fresh_tables() -> Tables:
    """The content of a new, empty database."""
    tables: Tables = {name: {} for name in TABLES}
    tables[META][META_ID] = {
        "schema_version": current_version(),
        "settings": dict(DEFAULT_SETTINGS),
    }
    return tables


def schema_version(tables: Tables) -> int:
    """The file's version: 0 for a vig-tui file from before versions were kept.

    Raises :class:`SchemaError` for a meta table no vig-tui wrote, and for a
    file without one that holds tables vig-tui does not know (another
    program's TinyDB file is not ours to convert).
    """
    meta = tables.get(META)
    if not meta:
        foreign = sorted(name for name, table in tables.items() if name not in TABLES and table)
        if foreign:
            raise SchemaError(
                "it does not look like a vig-tui database (it has no version record, "
                f"and holds {plural(len(foreign), 'table')} {', '.join(map(repr, foreign))})"
            )
        return 0
    record = meta.get(META_ID)
    version = record.get("schema_version") if isinstance(record, dict) else None
    if type(version) is not int or version < 1:
        raise SchemaError(
            f"its version record (table 'meta', record {META_ID}) has no valid schema_version"
        )
    return version


def migrate(tables: Tables, version: int) -> Tables:
    """A migrated copy of ``tables`` (``tables`` itself is left unchanged)."""
    migrated: Tables = orjson.loads(orjson.dumps(tables))
    for step in range(version, current_version()):
        MIGRATIONS[step](migrated)
        migrated[META][META_ID]["schema_version"] = step + 1
    return migrated
