"""The database carries a SHA-256 checksum of its own content.

A file can be damaged and still parse: a flipped byte inside a text value, a
second ``"requests"`` key (valid JSON, and the last copy wins). The writer
adds one last member, ``"checksum":"sha256:<hex>"``, holding the SHA-256 of
the file's canonical bytes: exactly the bytes it wrote, without that member.
Opening recomputes it, so any change made since the write is found.

Files written before checksums were kept have no such member: they are read
with a check that no object has the same key twice, and carry a checksum
from their next save on.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

MEMBER = "checksum"
_ALGORITHM = b"sha256:"
#: The member the writer puts last; nothing but whitespace may follow it.
_TRAILER = re.compile(rb'(,?)"checksum":"sha256:([0-9a-f]{64})"\}\s*\Z')
#: The trailer is at most this long, so only the file's tail is searched.
_TAIL = 128


class ChecksumMismatch(ValueError):
    """The content is not what was written with its checksum."""

    @classmethod
    def default(cls) -> ChecksumMismatch:
        return cls(
            "its content does not match the checksum saved with it, so it has been "
            "changed or damaged since vig-tui wrote it"
        )


class DuplicateKey(ValueError):
    """A JSON object has the same key twice (only the last would be kept)."""


def sealed(parts: list[bytes]) -> list[bytes]:
    """``parts`` (one JSON object, ending with its closing brace) with the checksum
    of their bytes added as the object's last member."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    empty = sum(len(part) for part in parts[:-1]) == 1  # just "{"
    separator = b"" if empty else b","
    trailer = separator + b'"checksum":"' + _ALGORITHM + digest.hexdigest().encode() + b'"}'
    return [*parts[:-1], trailer]


def verify(raw: bytes) -> bool:
    """True when ``raw`` carries its checksum and it matches; False when it carries
    none. Raises :class:`ChecksumMismatch` when it does not match."""
    start = max(len(raw) - _TAIL, 0)
    found = _TRAILER.search(raw, start)
    if found is None:
        return False
    digest = hashlib.sha256(memoryview(raw)[: found.start()])
    digest.update(b"}")
    if digest.hexdigest().encode() != found.group(2):
        raise ChecksumMismatch.default()
    return True


def trailer_digest(raw: bytes) -> str | None:
    """The hex digest the content's trailer carries (not checked here), or None."""
    found = _TRAILER.search(raw, max(len(raw) - _TAIL, 0))
    return None if found is None else found.group(2).decode("ascii")


def unique_keys(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """``json.loads``'s ``object_pairs_hook``: a dict, refusing a key given twice."""
    pairs = list(pairs)
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(f"it has the key {key!r} twice in one object")
            seen.add(key)
    return result


def verify_file(path: Path) -> bool:
    """:func:`verify` for a file, read a piece at a time (no copy of it in memory)."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        start = max(size - _TAIL, 0)
        handle.seek(start)
        found = _TRAILER.search(handle.read())
        if found is None:
            return False
        remaining = start + found.start()
        handle.seek(0)
        digest = hashlib.sha256()
        while remaining > 0:
            chunk = handle.read(min(1 << 20, remaining))
            if not chunk:
                break
            digest.update(chunk)
            remaining -= len(chunk)
        digest.update(b"}")
    if digest.hexdigest().encode() != found.group(2):
        raise ChecksumMismatch.default()
    return True
