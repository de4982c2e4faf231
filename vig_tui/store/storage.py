"""A TinyDB storage that reads the file once and makes every write atomic and durable.

TinyDB's own ``JSONStorage`` re-reads and re-parses the whole file for every
read and rewrites it in place for every write, so a kill during a write tears
the file (see docs/architecture.md and the measured findings). This storage:

* reads and parses the file once and serves every read from memory (the
  standard library's parser: as quick as orjson here, and it needs no
  second copy of the whole file while it works, which keeps peak memory down);
* writes the whole file with :func:`vig_tui.atomic.write_atomically` (a
  0600 temporary file in the same folder, flushed and fsynced, ``os.replace``d
  over the database, the folder fsynced): after a crash the file holds either
  the old or the new content, complete;
* keeps each record's serialized bytes after the first write, so a save
  re-serializes only the records that changed and assembles the file from
  cached bytes;
* groups several TinyDB writes into one disk write with :meth:`transaction`.

TinyDB updates documents *in place* (``table[doc_id].update(fields)``) before
it asks the storage to write. Documents held here are :class:`_TrackedDoc`
dicts that keep a serialized copy of themselves on their first change, so a
write that fails can put every changed document back: memory never claims
what the disk does not hold. (Only top-level changes are seen: callers must
replace a document's values, never change a nested dict or list in place,
which TinyDB's own ``update`` never does.)
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import re
import stat
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from ..atomic import TEMP_SUFFIX, temp_prefix, write_atomically
from . import checksum, generations, packed, slices, splice, written
from .errors import CorruptDatabaseError, ReadOnlyError, StoreError, StoreWriteError

log = logging.getLogger(__name__)

Document = dict[str, Any]
Tables = dict[str, dict[str, Document]]

_DOC_ID = re.compile(r"0|[1-9][0-9]*", re.ASCII)
#: Anything that is not plain JSON is a bug upstream: fail rather than guess.
_DUMP_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _temp_pattern(db_path: Path) -> re.Pattern[str]:
    # mkstemp's random part: 8 characters from [a-z0-9_].
    return re.compile(
        re.escape(temp_prefix(db_path)) + r"[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX), re.ASCII
    )


def remove_leftover_temp_files(db_path: Path) -> list[Path]:
    """Delete temporary files a killed writer of *this* database left in its folder.

    Only call this while holding the database's lock: a live writer's
    temporary file would otherwise be pulled from under it.
    """
    pattern = _temp_pattern(db_path)
    removed: list[Path] = []
    uid = os.geteuid()
    with os.scandir(db_path.parent) as entries:
        for entry in entries:
            if not pattern.fullmatch(entry.name):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and info.st_uid == uid:
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
            except FileNotFoundError:
                continue
    return removed


#: One record as it appears in its table: ``"17":{...}`` (the splice writes the same).
_entry = splice.entry


class _TrackedDoc(dict):  # type: ignore[type-arg]
    """A stored document that remembers its last written content when first changed."""

    __slots__ = ("_before", "_changed")

    def __init__(self, data: Mapping[str, Any], changed: list[_TrackedDoc]) -> None:
        super().__init__(data)
        self._before: bytes | None = None
        self._changed = changed

    def _touch(self) -> None:
        if self._before is None:
            self._before = orjson.dumps(self, default=packed.default, option=_DUMP_OPTIONS)
            self._changed.append(self)

    def _restore(self) -> None:
        if self._before is not None:
            dict.clear(self)
            dict.update(self, orjson.loads(self._before))
            self._before = None

    def _settle(self) -> None:
        self._before = None

    def __setitem__(self, key: str, value: Any) -> None:
        self._touch()
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self._touch()
        super().__delitem__(key)

    def __ior__(self, other: Any) -> _TrackedDoc:  # type: ignore[override,misc]
        self._touch()
        super().update(other)
        return self

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._touch()
        super().update(*args, **kwargs)

    def pop(self, *args: Any) -> Any:
        self._touch()
        return super().pop(*args)

    def popitem(self) -> tuple[str, Any]:
        self._touch()
        return super().popitem()

    def clear(self) -> None:
        self._touch()
        super().clear()

    def setdefault(self, key: str, default: Any = None) -> Any:
        self._touch()
        return super().setdefault(key, default)


def read_database_file(path: Path) -> Tables | None:
    """Parse the file into tables, or ``None`` when there is no file yet.

    Raises :class:`CorruptDatabaseError` for anything that is not a TinyDB
    JSON file; nothing is written.
    """
    return read_sealed_database_file(path)[0]


def read_sealed_database_file(path: Path) -> tuple[Tables | None, str | None]:
    """:func:`read_database_file`, and the checksum the file carried when it matched
    its content (None: it carried none)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except IsADirectoryError:
        raise StoreError(
            f"{path} is a folder, not a database file. "
            f"Give a file name, such as {path / 'vig-tui.json'}."
        ) from None
    except OSError as error:
        raise StoreError(f"{path} cannot be read: {error.strerror or error}.") from None
    if not raw:
        raise CorruptDatabaseError(path, "the file is empty (0 bytes)")
    try:
        checked = checksum.verify(raw)
    except checksum.ChecksumMismatch as error:
        raise CorruptDatabaseError(path, str(error)) from None
    digest = checksum.trailer_digest(raw) if checked else None
    was_enabled = gc.isenabled()
    gc.disable()  # a bulk load makes many objects and no cycles
    try:
        # Decoded as json.loads decodes bytes, but with the bytes let go before
        # parsing: otherwise the bytes, the text and the parsed records are all
        # alive at once (the bytes were a sixth of opening's peak memory).
        text = raw.decode(json.detect_encoding(raw), "surrogatepass")
        del raw
        # A file whose checksum matches is exactly what was written; one without
        # (from before checksums) is read refusing any key given twice.
        data = (
            json.loads(text)
            if checked
            else json.loads(text, object_pairs_hook=checksum.unique_keys)
        )
        del text
    except checksum.DuplicateKey as error:
        raise CorruptDatabaseError(path, str(error)) from None
    except UnicodeDecodeError as error:
        raise CorruptDatabaseError(path, f"it is not valid JSON text ({error})") from None
    except json.JSONDecodeError as error:
        raise CorruptDatabaseError(
            path,
            f"it is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})",
        ) from None
    except RecursionError:
        raise CorruptDatabaseError(path, "it is nested too deeply to be a database") from None
    except ValueError:  # Python refuses to read numbers of more than 4,300 digits
        raise CorruptDatabaseError(
            path, "it holds a number too long to read (more than 4,300 digits)"
        ) from None
    finally:
        if was_enabled:
            gc.enable()
    if not isinstance(data, dict):
        raise CorruptDatabaseError(path, "it does not hold a JSON object of tables")
    if checksum.MEMBER in data:
        if not checked:  # a checksum, but not where and as vig-tui writes it
            raise CorruptDatabaseError(path, str(checksum.ChecksumMismatch.default()))
        del data[checksum.MEMBER]
    for name, table in data.items():
        if not isinstance(table, dict):
            raise CorruptDatabaseError(path, f"table {name!r} is not a JSON object of records")
        for doc_id, doc in table.items():
            if not _DOC_ID.fullmatch(doc_id):
                raise CorruptDatabaseError(
                    path, f"table {name!r} has a record keyed {doc_id!r}, which is not a number"
                )
            if not isinstance(doc, dict):
                raise CorruptDatabaseError(
                    path, f"record {doc_id} in table {name!r} is not a JSON object"
                )
    return data, digest


class AtomicJSONStorage(Storage):
    """TinyDB storage: one read at start, then every write atomic and durable."""

    def __init__(
        self,
        path: str | Path,
        *,
        read_only: bool = False,
        tables: Tables | None = None,
        index_keys: Callable[[Tables, dict[str, splice.TableEnd]], dict[str, Any]] | None = None,
    ) -> None:
        """Read ``path`` now, unless ``tables`` (already read from it) are given.

        With ``index_keys``, each write also keeps the file's index
        (:mod:`~vig_tui.store.splice`), with the keys it returns for the tables written."""
        super().__init__()
        self.path = Path(path)
        self.read_only = read_only
        self._index_keys = index_keys
        self._changed: list[_TrackedDoc] = []
        if tables is None:
            tables = read_database_file(self.path)
        #: What TinyDB sees: the disk's content plus an open transaction's writes.
        self._tables: Tables | None = None if tables is None else self._track(tables)
        #: What the file holds, and each of its records serialized ("id":{...}).
        self._disk: Tables | None = self._tables
        #: Filled by the first write (serializing every record then costs about
        #: as much as one plain dump); later writes re-serialize only changes.
        self._encoded: dict[str, dict[str, bytes]] = {}
        self._depth = 0
        self._closed = False

    def _track(self, tables: Tables) -> Tables:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            changed = self._changed
            # Each record is replaced by its tracked copy in the table given too,
            # so the plain dicts read from the file are let go rather than kept
            # beside their copies for as long as whoever opened the file holds it.
            for table in tables.values():
                for doc_id, doc in table.items():
                    table[doc_id] = _TrackedDoc(doc, changed)
            return {name: dict(table) for name, table in tables.items()}
        finally:
            if was_enabled:
                gc.enable()

    # TinyDB's interface

    def read(self) -> Tables | None:
        # A copy of the table map: TinyDB assigns its rebuilt table into what it
        # read, and that must not reach the committed state before the write does.
        return None if self._tables is None else dict(self._tables)

    def write(self, data: Tables) -> None:
        with self.transaction():
            self._tables = data

    def close(self) -> None:
        self._closed = True

    # Our own interface

    def replace_all(self, tables: Tables) -> None:
        """Write a whole new content (a new database, a migration) in one atomic write."""
        with self.transaction():
            self._tables = {name: dict(table) for name, table in tables.items()}

    def adopt(self, tables: Tables) -> None:
        """Serve ``tables`` (a read-only store's migrated content) without writing them."""
        if self._depth:
            raise StoreError("cannot replace the content during a transaction")
        self._tables = self._disk = self._track(tables)
        self._encoded = {}

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything written inside reaches the disk in one atomic write at the end,
        or, if anything fails, nowhere: memory is put back as it was."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._depth = 1
        try:
            # Checked inside: TinyDB changes documents before it asks to write,
            # so even a refused write has something to put back.
            self._check_writable()
            yield
            if self._tables is not self._disk or self._changed:
                self._commit()
        except BaseException:
            self._rollback()
            raise
        finally:
            self._depth = 0

    def _check_writable(self) -> None:
        if self._closed:
            raise StoreError(f"{self.path} has been closed.")
        if self.read_only:
            raise ReadOnlyError(self.path)

    def _keep_index(
        self, tables: Tables, encoded: dict[str, dict[str, bytes]], digest: str, trailer: int
    ) -> None:
        """Write the file's index (:mod:`~vig_tui.store.splice`) for the records just written
        (laid out as :meth:`_commit` lays them out; ``trailer`` is the checksum's length)."""
        assert self._index_keys is not None
        ends: dict[str, splice.TableEnd] = {}
        cuts: dict[str, tuple[int, ...]] = {}
        offset = 1  # after the opening brace
        for position, (name, entries) in enumerate(encoded.items()):
            offset += (1 if position else 0) + len(orjson.dumps(name)) + 2  # ,"name":{
            lengths = list(map(len, entries.values()))
            cuts[name] = slices.slice_starts(offset, lengths)
            offset += sum(lengths) + max(len(entries) - 1, 0)
            ends[name] = splice.TableEnd(
                closing=offset, count=len(entries), last_id=max(map(int, entries), default=0)
            )
            offset += 1
        try:
            keys = self._index_keys(tables, ends)
        except (KeyError, TypeError, ValueError) as error:
            log.info("no index kept for %s: %s", self.path, error)
            splice.forget(self.path)
            return
        index = splice.FileIndex(digest, offset + trailer, offset, ends, keys, cuts)
        splice.write_index(self.path, index)

    def _rollback(self) -> None:
        for doc in reversed(self._changed):
            doc._restore()
        self._changed.clear()
        self._tables = self._disk

    def _commit(self) -> None:
        tables = self._tables or {}
        disk = self._disk or {}
        parts: list[bytes] = [b"{"]
        encoded: dict[str, dict[str, bytes]] = {}
        fresh: list[tuple[dict[str, Document], str, Document]] = []
        for position, (name, table) in enumerate(tables.items()):
            on_disk = disk.get(name, {})
            cached = self._encoded.get(name, {})
            entries: dict[str, bytes] = {}
            for doc_id, doc in table.items():
                entry = None
                if (
                    on_disk.get(doc_id) is doc
                    and isinstance(doc, _TrackedDoc)
                    and doc._before is None
                ):
                    entry = cached.get(doc_id)
                if entry is None:
                    entry = _entry(doc_id, doc)
                entries[doc_id] = entry
                if type(doc) is not _TrackedDoc:
                    fresh.append((table, doc_id, doc))
            encoded[name] = entries
            if position:
                parts.append(b",")
            parts.append(orjson.dumps(name) + b":{")
            first = True
            for entry in entries.values():
                if not first:
                    parts.append(b",")
                parts.append(entry)
                first = False
            parts.append(b"}")
        parts.append(b"}")
        sealed = checksum.sealed(parts)
        try:
            write_atomically(
                self.path,
                sealed,
                before_replace=lambda: generations.keep_previous(self.path),
            )
        except OSError as error:
            raise StoreWriteError(self.path, error) from error
        digest = checksum.trailer_digest(sealed[-1])
        if digest is not None:
            written.note(self.path, digest)
            if self._index_keys is not None:
                self._keep_index(tables, encoded, digest, len(sealed[-1]))
        for table, doc_id, doc in fresh:
            table[doc_id] = _TrackedDoc(doc, self._changed)
        for doc in self._changed:
            doc._settle()
        self._changed.clear()
        self._disk = self._tables = tables
        self._encoded = encoded
