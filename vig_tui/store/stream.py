"""Reading a database file one request at a time, for commands that only list.

``vig-tui list`` needs a light row per request, not the whole file as Python
objects (several times the file's size in memory). :func:`stream_tables`
reads the file in chunks and hands each record of one table to a callback as
soon as it is parsed, so only one record is alive at a time; the other
(small) tables are returned whole. Every value is parsed by the standard
library's JSON decoder (``raw_decode``); this module only walks the two outer
levels every TinyDB file has: ``{"table": {"doc id": {record}, ...}, ...}``.
(ijson does the same walk, measured twice as slow here, and cannot hand over
one table's records while keeping the others.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from .errors import CorruptDatabaseError, StoreError

Document = dict[str, Any]
_CHUNK = 1 << 20
_SPACE = re.compile(r"[ \t\n\r]*")
_DOC_ID = re.compile(r"0|[1-9][0-9]*", re.ASCII)
_DECODER = json.JSONDecoder()


class _Malformed(ValueError):
    """The text is not the JSON object of tables a database file holds."""


class _Chunks:
    """The file's text, a chunk at a time, with a position in the current chunk."""

    def __init__(self, handle: TextIO) -> None:
        self._handle = handle
        self.text = ""
        self.pos = 0
        self._ended = False

    def more(self, at_least: int = _CHUNK) -> bool:
        """Read more text onto what is left of the buffer; False at the end of the file."""
        if self._ended:
            return False
        chunk = self._handle.read(at_least)
        if not chunk:
            self._ended = True
            return False
        self.text = self.text[self.pos :] + chunk
        self.pos = 0
        return True

    def next_char(self) -> str:
        """The next character that is not white space ('' at the end), not consumed."""
        while True:
            self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text) or not self.more():
                return self.text[self.pos : self.pos + 1]

    def expect(self, char: str) -> None:
        found = self.next_char()
        if found != char:
            raise _Malformed(f"expected {char!r} but found {found or 'the end of the file'!r}")
        self.pos += 1

    def value(self) -> Any:
        """The next JSON value, read further into the file when it runs past this chunk."""
        self.next_char()
        wanted = _CHUNK
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError:
                if self.more(wanted):
                    wanted *= 2  # a long value: read in larger steps, not over and over
                    continue
                raise
            if end == len(self.text) and self.more(wanted):
                continue  # a number may go on in the next chunk
            self.pos = end
            return value


def stream_tables(
    path: Path, streamed: str, each: Callable[[str, Document], None]
) -> dict[str, Any]:
    """Read the database file at ``path``: every record of table ``streamed`` is passed
    to ``each(doc_id, record)`` in file order; the other tables are returned.

    Raises :class:`CorruptDatabaseError` for a file that is not a TinyDB JSON
    file (naming what is wrong and where), :class:`StoreError` for one that
    cannot be read; ``FileNotFoundError`` for a missing file.
    """
    try:
        with path.open(encoding="utf-8", errors="strict") as handle:
            return _walk(_Chunks(handle), streamed, each)
    except FileNotFoundError:
        raise
    except IsADirectoryError:
        raise StoreError(f"{path} is a folder, not a database file.") from None
    except UnicodeDecodeError as error:
        raise CorruptDatabaseError(path, f"it is not valid JSON text ({error})") from None
    except OSError as error:
        raise StoreError(f"{path} cannot be read: {error.strerror or error}.") from None
    except json.JSONDecodeError as error:
        raise CorruptDatabaseError(path, f"it is not valid JSON ({error.msg})") from None
    except _Malformed as error:
        raise CorruptDatabaseError(path, f"it is not a database file: {error}") from None
    except RecursionError:
        raise CorruptDatabaseError(path, "it is nested too deeply to be a database") from None
    except ValueError:  # Python refuses to read numbers of more than 4,300 digits
        raise CorruptDatabaseError(
            path, "it holds a number too long to read (more than 4,300 digits)"
        ) from None


def _walk(chunks: _Chunks, streamed: str, each: Callable[[str, Document], None]) -> dict[str, Any]:
    if chunks.next_char() == "":
        raise _Malformed("the file is empty")
    others: dict[str, Any] = {}
    if chunks.next_char() != "{":
        chunks.value()  # what it is instead: deep nesting and long numbers are named
        raise _Malformed("it does not hold a JSON object of tables")
    chunks.expect("{")
    for name in _keys(chunks):
        if name != streamed:
            others[name] = chunks.value()
            if not isinstance(others[name], dict):
                raise _Malformed(f"table {name!r} is not a JSON object of records")
            continue
        if chunks.next_char() != "{":
            chunks.value()
            raise _Malformed(f"table {name!r} is not a JSON object of records")
        chunks.expect("{")
        for doc_id in _keys(chunks):
            if not _DOC_ID.fullmatch(doc_id):
                raise _Malformed(f"table {name!r} has a record keyed {doc_id!r}")
            doc = chunks.value()
            if not isinstance(doc, dict):
                raise _Malformed(f"record {doc_id} in table {name!r} is not a JSON object")
            each(doc_id, doc)
    if chunks.next_char() != "":
        raise _Malformed("there is more after the tables")
    return others


def _keys(chunks: _Chunks) -> Iterator[str]:
    """The keys of the object whose ``{`` was just read, each followed by its ':';
    the caller reads each value. Consumes the closing ``}``."""
    if chunks.next_char() == "}":
        chunks.pos += 1
        return
    while True:
        key = chunks.value()
        if not isinstance(key, str):
            raise _Malformed("an object key is not a string")
        chunks.expect(":")
        yield key
        separator = chunks.next_char()
        chunks.pos += 1
        if separator == "}":
            return
        if separator != ",":
            raise _Malformed(f"expected ',' or '}}' but found {separator or 'the end'!r}")
