"""Plain TinyDB, as anyone would use it: the benchmark's yardstick.

The benchmark compares vig-tui with the simplest program that could do the
same job on the same file: TinyDB with its default ``JSONStorage``. This file
is that program, kept in the store package because only the store imports
TinyDB. Run as a script (by its path, so nothing of vig-tui is imported) it
lists a database as ``vig-tui list`` does::

    python vig_tui/store/baseline.py DB.json [--json]

Imported, :func:`plain_table` gives a table of a file opened the same way, for
timing TinyDB's own updates.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

SCRIPT = Path(__file__)


@contextmanager
def plain_table(path: Path, name: str) -> Iterator[Table]:
    """Table ``name`` of ``path`` opened with TinyDB's defaults."""
    db = TinyDB(path)
    try:
        yield db.table(name)
    finally:
        db.close()


#: Each status in the words the app shows (``RequestStatus.label``; a test keeps them equal).
STATUS_WORDS = {
    "draft": "Draft",
    "submitted": "Submitted",
    "allocated": "Allocated",
    "in_progress": "In progress",
    "not_accepted": "Not accepted",
    "deferred": "Deferred",
    "withdrawn": "Withdrawn",
    "closed": "Closed",
}


def _row(doc: dict[str, Any]) -> dict[str, Any]:
    child = doc.get("child") or {}
    return {
        "id": doc["id"],
        "reference": doc.get("reference"),
        "local_number": doc.get("local_number"),
        "sent_by_file_on": (doc.get("sent_by_file") or {}).get("on"),
        "status": doc.get("status", "draft"),
        "meeting": doc.get("meeting"),
        "child_name": child.get("name", ""),
        "child_date_of_birth": child.get("date_of_birth"),
        "referrer_role": (doc.get("referrer") or {}).get("role"),
        "submitted_on": doc.get("submitted_on"),
        "updated_at": datetime.fromisoformat(doc["updated_at"]).isoformat(),
        "decision": (doc.get("decisions") or [{}])[-1].get("outcome"),
    }


def _number(doc: dict[str, Any]) -> str | None:
    """The service's reference, else the sender's own number (sent by file)."""
    return doc.get("reference") or doc.get("local_number")


def main(argv: list[str]) -> int:
    """Print every request of the file, as ``vig-tui list`` (or ``list --json``) does."""
    path, as_json = Path(argv[0]), "--json" in argv[1:]
    with TinyDB(path) as db:
        docs = db.table("requests").all()
    docs.sort(key=lambda d: (_number(d) or "~", d["created_at"]))
    if as_json:
        print(json.dumps([_row(doc) for doc in docs], indent=2))
        return 0
    if docs:
        print(f"{'Reference':15} {'Status':13} {'Meeting':10}  Child")
    else:
        print("No requests.")
    for doc in docs:
        print(
            f"{_number(doc) or 'draft':15} {STATUS_WORDS[doc.get('status', 'draft')]:13} "
            f"{doc.get('meeting') or '-':10}  "
            f"{(doc.get('child') or {}).get('name') or '(child not named)'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
