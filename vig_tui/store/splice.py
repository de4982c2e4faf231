"""Adding records to a large database file without parsing it: its index, and the splice.

Parsing a 50,000-request file takes seconds; adding one request needs only to
know where each table ends and what keys are taken. After each write, beside
the note of what it wrote (:mod:`~vig_tui.store.written`), the writer keeps
``NAME.index`` (owner-only): the checksum it sealed the file with, the byte
offset of each table's closing brace, each table's record count and highest
record id, the file's length and where its checksum trailer starts, and the
keys the store needs to refuse a conflict (request ids, references, the
ledger's newest hash; :mod:`~vig_tui.store.appending`).

:func:`splice` trusts the index only as :mod:`~vig_tui.store.written` trusts
the note: the file's length and trailer match the index, the index's checksum
is the note's, and the SHA-256 of the file, recomputed while splicing, is the
one it carries. The new file is the old bytes with the new records' bytes
inserted before each table's closing brace, exactly what a full rewrite would
write (the storage writes ``"id":{...}`` with no spaces, in table order), and
goes to disk as every write does (:func:`~vig_tui.atomic.write_atomically`:
temporary file, fsync, the old file kept as copy 1, rename). Both checksums
are computed in one pass: the shared prefix is hashed once and the hash
forked (``hashlib``'s ``copy``).

Anything that does not match raises :class:`Stale`: the caller takes the full
path, which parses and (for a file vig-tui did not write) validates everything.
Like the note, the index is a cache, never a record: losing it costs speed only.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import mmap
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import orjson

from ..atomic import write_atomically
from . import checksum, generations, packed, written

SUFFIX = ".index"
#: Anything that is not plain JSON is a bug upstream: fail rather than guess.
_DUMP_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
#: The trailer as the writer starts it, after the last table's closing brace.
TRAILER_START = b',"checksum":"sha256:'


class Stale(Exception):
    """The index does not describe the file as it is: take the full path."""


@dataclass(frozen=True)
class TableEnd:
    """Where one table's closing brace is, how many records it holds, its highest id."""

    closing: int
    count: int
    last_id: int


@dataclass(frozen=True)
class FileIndex:
    """What the writer knew of the file it sealed with ``digest``."""

    digest: str
    size: int
    #: Where the checksum trailer starts (the content's closing brace in the canonical bytes).
    body: int
    tables: dict[str, TableEnd]
    #: The store's own keys (request ids, references, ledger tip, schema version).
    keys: dict[str, Any] = field(default_factory=dict)
    #: Where each table's slices start (:mod:`~vig_tui.store.slices`): its first record's
    #: first byte, then the first byte of each record that begins a new slice.
    cuts: dict[str, tuple[int, ...]] = field(default_factory=dict)


def index_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + SUFFIX)


def write_index(db_path: Path, index: FileIndex) -> None:
    """Keep ``index`` beside the database (never fails: it is a cache)."""
    content = orjson.dumps(
        {
            "checksum": index.digest,
            "rules": written.rules(),
            "size": index.size,
            "body": index.body,
            "tables": {
                name: [end.closing, end.count, end.last_id] for name, end in index.tables.items()
            },
            "keys": index.keys,
            "cuts": {name: list(starts) for name, starts in index.cuts.items()},
        }
    )
    try:
        written.replace_cache_file(index_path(db_path), content)
    except OSError:
        forget(db_path)


def forget(db_path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(index_path(db_path))


def read_index(db_path: Path) -> FileIndex | None:
    """The index, when it is there, readable, and names the note's checksum under
    this release's rules (None otherwise)."""
    try:
        raw = orjson.loads(index_path(db_path).read_bytes())
        digest = raw["checksum"]
        if raw["rules"] != written.rules() or not written.wrote(db_path, digest):
            return None
        tables = {
            str(name): TableEnd(int(closing), int(count), int(last_id))
            for name, (closing, count, last_id) in raw["tables"].items()
        }
        keys = raw["keys"]
        if not isinstance(keys, dict):
            return None
        cuts = {
            str(name): tuple(int(start) for start in starts)
            for name, starts in raw.get("cuts", {}).items()
        }
        return FileIndex(str(digest), int(raw["size"]), int(raw["body"]), tables, keys, cuts)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):  # ("cuts": null)
        return None


def entry(doc_id: str, doc: Mapping[str, Any]) -> bytes:
    """One record as the storage writes it in its table: ``"17":{...}``."""
    return b'"%s":%s' % (
        doc_id.encode(),
        orjson.dumps(doc, default=packed.default, option=_DUMP_OPTIONS),
    )


def splice(
    db_path: Path,
    index: FileIndex,
    additions: Mapping[str, Sequence[tuple[int, Mapping[str, Any]]]],
) -> FileIndex:
    """Write ``db_path`` again with each table's ``(doc id, record)`` additions at its end.

    Returns the new file's index (its ``keys`` as given: the caller updates them).
    Raises :class:`Stale` when the file is not what ``index`` describes (nothing
    written), ``OSError`` when the write fails (the old file is left as it was).
    """
    inserts: list[tuple[str, bytes]] = []
    for name, records in additions.items():
        if not records:
            continue
        end = index.tables.get(name)
        if end is None:
            raise Stale(f"the file has no table {name!r}")
        joined = b",".join(entry(str(doc_id), doc) for doc_id, doc in records)
        inserts.append((name, (b"," if end.count else b"") + joined))
    inserts.sort(key=lambda item: index.tables[item[0]].closing)
    with open(db_path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size != index.size or index.size == 0:
            raise Stale("the file's length is not the one indexed")
        with (
            mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped,
            _view(mapped) as whole,
        ):
            _check_shape(mapped, index, inserts)
            points = [index.tables[name].closing for name, _ in inserts]
            bounds = [0, *points, index.body]
            segments = [whole[start:stop] for start, stop in itertools.pairwise(bounds)]
            try:
                old = hashlib.sha256(segments[0])
                new = old.copy()
                for (_, added), segment in zip(inserts, segments[1:], strict=True):
                    old.update(segment)
                    new.update(added)
                    new.update(segment)
                old.update(b"}")
                new.update(b"}")
                if old.hexdigest() != index.digest:
                    raise Stale("the file's content is not what its index was made from")
                digest = new.hexdigest()
                trailer = TRAILER_START + digest.encode("ascii") + b'"}'
                chunks: list[bytes | memoryview] = [segments[0]]
                for (_, added), segment in zip(inserts, segments[1:], strict=True):
                    chunks += [added, segment]
                chunks.append(trailer)
                write_atomically(
                    db_path,
                    chunks,  # type: ignore[arg-type]  # bytes-like pieces; writelines takes them
                    before_replace=lambda: generations.keep_previous(db_path),
                )
            finally:
                for segment in segments:
                    segment.release()
    return _moved(index, inserts, additions, digest, len(trailer))


@contextlib.contextmanager
def _view(mapped: mmap.mmap) -> Iterator[memoryview]:
    view = memoryview(mapped)
    try:
        yield view
    finally:
        view.release()


def _check_shape(mapped: mmap.mmap, index: FileIndex, inserts: list[tuple[str, bytes]]) -> None:
    """The bytes the index points at are a table's end and the trailer's start."""
    tail = mapped[index.body :]
    if not tail.startswith(TRAILER_START) or checksum.trailer_digest(tail) != index.digest:
        raise Stale("the file's checksum trailer is not where or what the index says")
    for name, _ in inserts:
        closing = index.tables[name].closing
        if not 0 < closing < index.body or mapped[closing] != ord("}"):
            raise Stale(f"table {name!r} does not end where the index says")


def _moved(
    index: FileIndex,
    inserts: list[tuple[str, bytes]],
    additions: Mapping[str, Sequence[tuple[int, Mapping[str, Any]]]],
    digest: str,
    trailer_length: int,
) -> FileIndex:
    """The index of the spliced file: every offset after an insertion moved along."""
    tables = dict(index.tables)
    for name, end in index.tables.items():
        shift = sum(len(added) for added_name, added in inserts if _before(index, added_name, name))
        records = additions.get(name) or []
        tables[name] = TableEnd(
            closing=end.closing + shift,
            count=end.count + len(records),
            last_id=max([end.last_id, *(doc_id for doc_id, _ in records)]),
        )
    grown = sum(len(added) for _, added in inserts)
    points = [(index.tables[name].closing, len(added)) for name, added in inserts]
    cuts = {
        name: tuple(start + sum(n for point, n in points if point < start) for start in starts)
        for name, starts in index.cuts.items()
    }
    return replace(
        index,
        digest=digest,
        body=index.body + grown,
        size=index.body + grown + trailer_length,
        tables=tables,
        cuts=cuts,
    )


def _before(index: FileIndex, added_to: str, table: str) -> bool:
    """True when what is added to ``added_to`` lies before ``table``'s closing brace."""
    return index.tables[added_to].closing <= index.tables[table].closing
