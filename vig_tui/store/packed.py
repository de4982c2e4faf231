"""A stored request's history, held as its JSON text until it is read.

History is most of what a request holds (five to fifteen entries, each with
who, when, every change's old and new value and a hash), and as parsed
objects it took three times its text: 87 MB of the 200 MB that 10,000
requests took in memory. Yet it is read only when a request is read whole
(:meth:`~vig_tui.store.file_repository.FileRepository.get` and friends):
the register's summaries never look at it. So a file read in slices
(:mod:`~vig_tui.store.slices`) keeps each request's history as the text it
was written as (:class:`PackedHistory`), and :func:`unpacked` reads it back
whenever a whole request is validated.

The text is exactly the bytes the storage wrote (``orjson`` writes them again
the same), and the storage writes it back unchanged (:func:`default`, as an
``orjson.Fragment``), so the file's bytes, its checksum and every history
hash are what they were. A request that changes is stored with its history
as plain entries again, as every new request is: both forms are read alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson


class PackedHistory:
    """A request's history as its JSON text (a list of entries)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def entries(self) -> list[Any]:
        return list(orjson.loads(self.text))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedHistory):
            return self.text == other.text
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # like the list it stands for

    def __repr__(self) -> str:
        return f"PackedHistory({len(self.text)} characters)"


def pack(records: Mapping[str, Any]) -> None:
    """Hold each record's ``history`` list as its text (records just read from a file)."""
    dumps = orjson.dumps
    for doc in records.values():
        history = doc.get("history") if doc.__class__ is dict else None
        if history.__class__ is list:
            try:
                doc["history"] = PackedHistory(dumps(history).decode())
            except orjson.JSONEncodeError:  # text no writer writes (a lone surrogate)
                continue


def unpacked(doc: Any) -> Any:
    """``doc`` with its history as entries: itself, or a copy when it was packed."""
    if isinstance(doc, Mapping):
        history = doc.get("history")
        if history.__class__ is PackedHistory:
            return {**doc, "history": history.entries()}
    return doc


def default(value: Any) -> Any:
    """``orjson``'s ``default``: a packed history is written as the text it holds."""
    if value.__class__ is PackedHistory:
        return orjson.Fragment(value.text)
    raise TypeError(f"Type is not JSON serializable: {type(value).__name__}")
