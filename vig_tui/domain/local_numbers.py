"""The numbers a referrer's own machine gives the requests it sends by file.

Only the service's register gives references (VIG-2026-0042). A request sent
by file from a worker's own machine is numbered there with a local number,
``DRAFT-7F3A-0001``: "DRAFT" and the machine's own four characters say whose
number it is, and it has a letter where a reference has the year, so neither
can be taken for the other (see ``LOCAL_NUMBER_PATTERN``). The service gives
its reference at receipt and keeps the local number beside it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

_HEX = re.compile(r"^[0-9A-F]{4}")


def machine_tag(machine_id: str) -> str:
    """Four capital hex characters that stand for the machine: the first four of its
    id (a uuid4, shown by ``vig-tui profile``), or of that id's SHA-256 when the id
    does not start with four."""
    upper = machine_id.strip().upper()
    if _HEX.match(upper):
        return upper[:4]
    return hashlib.sha256(machine_id.encode("utf-8")).hexdigest()[:4].upper()


def local_prefix(machine_id: str) -> str:
    return f"DRAFT-{machine_tag(machine_id)}-"


def next_local_number(taken: Iterable[str | None], machine_id: str) -> str:
    """The number after the highest this machine has given (``taken``: every local
    number in the database, others' included); the first is ``...-0001``."""
    prefix = local_prefix(machine_id)
    highest = 0
    for number in taken:
        if number and number.startswith(prefix) and number[len(prefix) :].isdigit():
            highest = max(highest, int(number[len(prefix) :]))
    return f"{prefix}{highest + 1:04d}"
