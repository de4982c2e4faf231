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
from typing import Any
from uuid import uuid4

import orjson

from ..domain.wording import plural

Tables = dict[str, dict[str, dict[str, Any]]]
Migration = Callable[[Tables], None]

REQUESTS = "requests"
PRACTITIONERS = "practitioners"
MEETING_MOVES = "meeting_moves"
META = "meta"
#: Attendees, apologies and actions of each meeting (a file from before it has none:
#: TinyDB makes the table at the first record, so no migration is needed).
MEETING_RECORDS = "meeting_records"
TABLES = (REQUESTS, PRACTITIONERS, MEETING_MOVES, META, MEETING_RECORDS)
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


MIGRATIONS: list[Migration] = [_add_meta, _carer_ids, _add_request_versions]


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
