"""Reading a database file a slice at a time, at the places its index marks.

Parsing the whole file with one ``json.loads`` holds the file's text (56 MB
at 10,000 requests) and every record made from it (three times that) at
once, and that text was a fifth of the app's peak memory. When the file has
an index that its note trusts (:mod:`~vig_tui.store.splice`,
:mod:`~vig_tui.store.written`), the index also says where each table's
records start and, every :data:`SLICE_BYTES` or so, where a record begins a
new slice. The file is then read in order, a slice at a time: each slice's
bytes are added to the SHA-256 and parsed on their own (``"1":{...},"2":{...}``
inside braces, so the parser still shares the keys of one slice's records),
and let go before the next is read.

Nothing read this way is used unless the whole file hashes to the checksum
the index was written for, its trailer carries that checksum, and every
table holds the number of records the index counted. Any other outcome (an
index out of date, a file changed or damaged since it was written, a slice
that does not parse) returns ``None`` and the caller reads the file whole,
which says what is wrong with it. Like the index, the slices are a way to
read quickly, never a second record.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import os
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import orjson

from . import checksum
from .splice import TRAILER_START, FileIndex

#: A new slice begins at the first record after this many bytes: about 1 MB of
#: text alive at once, and a few hundred slices at 50,000 requests.
SLICE_BYTES = 1 << 20

#: Slices read but not yet hashed, at most.
_PENDING = 2

_Tables = dict[str, dict[str, dict[str, Any]]]


def slice_starts(first: int, lengths: list[int]) -> tuple[int, ...]:
    """Where a table's slices start, for records of these ``lengths`` written from offset
    ``first`` with a comma between them: a record starts a new slice once those since the
    last start (and their commas) reach :data:`SLICE_BYTES`."""
    ends = list(itertools.accumulate(map((1).__add__, lengths)))  # after each comma
    starts = [first]
    done = 0  # bytes before the current slice
    while True:
        record = bisect.bisect_left(ends, done + SLICE_BYTES) + 1
        if record >= len(lengths):
            return tuple(starts)
        done = ends[record - 1]
        starts.append(first + done)


class _NotAsIndexed(Exception):
    """The file is not laid out as the index says."""


class _Reader:
    """The file read in order, every byte hashed as it is read: in a thread of its own,
    since ``hashlib`` lets go of the interpreter while it hashes, so the hashing of one
    slice overlaps the parsing of the next (about 0.2 s of 2.5 at 50,000 requests)."""

    def __init__(self, handle: Any, size: int) -> None:
        self._handle = handle
        #: The file's length: nothing past it is asked for (a read of 2**60 bytes is
        #: refused for want of memory before the file is found to be short).
        self._size = size
        self.position = 0
        self._digest = hashlib.sha256()
        self._hashing = ThreadPoolExecutor(1, thread_name_prefix="vig-tui-hash")
        #: What is still to hash: a few slices at most, so the bytes are not all kept.
        self._pending: deque[Future[None]] = deque()

    def take(self, stop: int) -> bytes:
        """The bytes up to offset ``stop``."""
        wanted = stop - self.position
        if wanted < 0:
            raise _NotAsIndexed(f"offset {stop} lies before {self.position}")
        if stop > self._size:
            raise _NotAsIndexed(f"offset {stop} lies past the end of the file")
        data = self._handle.read(wanted)
        if len(data) != wanted:
            raise _NotAsIndexed("the file ends early")
        self._pending.append(self._hashing.submit(self._digest.update, data))  # in order
        while len(self._pending) > _PENDING:
            self._pending.popleft().result()
        self.position = stop
        return data

    def hexdigest(self, last: bytes) -> str:
        """The SHA-256 of everything taken, and then ``last``."""
        self._hashing.submit(self._digest.update, last)
        self._hashing.shutdown(wait=True)
        return self._digest.hexdigest()

    def close(self) -> None:
        self._hashing.shutdown(wait=True, cancel_futures=True)


def _table(
    reader: _Reader,
    name: str,
    starts: tuple[int, ...],
    closing: int,
    settle: Callable[[dict[str, Any]], None] | None,
) -> dict[str, Any]:
    if not starts:
        raise _NotAsIndexed(f"no slices for table {name!r}")
    # Just the brace or comma before the name: nothing lies between tables unread.
    before = b"{" if reader.position == 0 else b"},"
    if reader.take(starts[0]) != before + orjson.dumps(name) + b":{":
        raise _NotAsIndexed(f"table {name!r} does not start where the index says")
    table: dict[str, Any] = {}
    stops = [start - 1 for start in starts[1:]] + [closing]
    for start, stop in zip(starts, stops, strict=True):
        if reader.position != start and reader.take(start) != b",":
            raise _NotAsIndexed(f"a slice of table {name!r} does not start after a comma")
        piece = reader.take(stop)
        if piece:
            records = json.loads(b"{" + piece + b"}")
            if settle is not None and records.__class__ is dict:
                settle(records)
            table.update(records)
            del records, piece
    return table


def read_in_slices(
    path: Path,
    index: FileIndex,
    settle: Mapping[str, Callable[[dict[str, Any]], None]] | None = None,
) -> _Tables | None:
    """The tables of ``path`` read a slice at a time, or ``None`` when the file is not
    exactly what ``index`` was written for (the caller then reads it whole).

    ``settle`` has, by table name, what to do with each slice's records as soon
    as they are read (such as holding repeated values once)."""
    settle = settle or {}
    if not index.cuts or set(index.cuts) != set(index.tables):
        return None
    order = sorted(index.tables, key=lambda name: index.tables[name].closing)
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size != index.size:
                return None
            reader = _Reader(handle, index.size)
            try:
                tables: _Tables = {}
                for name in order:
                    end = index.tables[name]
                    table = _table(reader, name, index.cuts[name], end.closing, settle.get(name))
                    if len(table) != end.count:
                        return None
                    tables[name] = table
                if reader.take(index.body) != b"}":
                    raise _NotAsIndexed("the last table does not end where the index says")
                digest = reader.hexdigest(b"}")
            finally:
                reader.close()
            tail = handle.read()
    except (OSError, _NotAsIndexed, ValueError, RuntimeError, TypeError, AttributeError):
        # ValueError covers JSONDecodeError and UnicodeDecodeError; RuntimeError a
        # RecursionError, and a hashing thread that cannot be started (the process's
        # limits): the whole read needs none.
        return None
    if not all(isinstance(doc, dict) for table in tables.values() for doc in table.values()):
        return None
    if (
        not tail.startswith(TRAILER_START)
        or checksum.trailer_digest(tail) != index.digest
        or digest != index.digest
    ):
        return None
    return tables
