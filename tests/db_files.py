"""Reading and planting database content in tests, as a damaged or hand-made file would be.

The database carries a checksum of its content (vig_tui/store/checksum.py):
``write_tables`` seals what it writes the way vig-tui does, so the content
itself (a bad record, an old schema) is what a test exercises, not the seal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vig_tui.store import checksum


def read_tables(path: Path) -> dict[str, Any]:
    """The tables in a database file, without its checksum."""
    tables = json.loads(path.read_text(encoding="utf-8"))
    tables.pop(checksum.MEMBER, None)
    return tables


def write_tables(path: Path, tables: dict[str, Any], *, sealed: bool = True) -> None:
    """Write ``tables`` as a database file: sealed with their checksum, or (``sealed=False``)
    as files were written before checksums were kept."""
    body = json.dumps(tables, separators=(",", ":")).encode()
    path.write_bytes(b"".join(checksum.sealed([body[:-1], b"}"])) if sealed else body)
