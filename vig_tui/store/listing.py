"""Listing without opening: the summary of every request, read as quickly and in as
little memory as the backend allows (what ``vig-tui list`` shows).

This module is the command line's quick path, so it imports no more than reading
needs: no TinyDB, no pydantic models (a cold start spends longer importing those
than listing 10,000 requests takes); the version check of a file and the naming
of a bad record's field import what they need only when they run.
"""

from __future__ import annotations

import gc
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from uuid import UUID

from ..domain.summary import RequestSummary
from . import checksum
from .errors import CorruptDatabaseError, NewerSchemaError, StoreError
from .stream import stream_tables

#: URL schemes of database servers (another backend's business, not a file's).
SERVER_SCHEMES = ("postgresql://", "postgres://")
#: The table of requests in a database file (``migrations.REQUESTS``).
REQUESTS = "requests"


def read_summaries(target: str | Path) -> list[RequestSummary]:
    """The summary of every request at ``target``, oldest first, without opening it
    for work: what ``vig-tui list`` shows, read as quickly and in as little memory
    as the backend can (a file: one request at a time, no lock taken)."""
    if isinstance(target, str) and target.lower().startswith(SERVER_SCHEMES):
        from .repository import open_repository

        # Whole requests: the summaries a server keeps from before they carried
        # created_at and submitted_on lack them.
        with open_repository(target, read_only=True) as repository:
            return [RequestSummary.of(request) for request in repository.requests()]
    return read_file_summaries(Path(target))


def database_file(path: Path) -> Path:
    """The file to open: where a symbolic link points (replacing the link would
    cut it); a folder or a link that leads nowhere is explained."""
    try:
        if path.is_symlink():
            path = path.resolve(strict=False)
        info = path.stat()
    except FileNotFoundError:
        return path
    except RuntimeError:  # Python 3.11's Path.resolve on a loop of links
        raise StoreError(
            f"{path} is a symbolic link that leads round in a loop, not to a database file."
        ) from None
    except OSError as error:
        raise StoreError(f"{path} cannot be opened: {error.strerror or error}.") from None
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(
            f"{path} is a folder, not a database file. "
            f"Give a file name, such as {path / 'vig-tui.json'}."
        )
    return path


def read_file_summaries(path: Path) -> list[RequestSummary]:
    """The summary of every request in the file at ``path``, oldest first, read one
    request at a time (:mod:`~vig_tui.store.stream`): what listing needs, in a
    fraction of the time and memory of opening. No lock is taken and nothing is
    written; a missing file holds no requests.

    Each record gets the structural check opening gives it (it can be
    summarised: ids, dates and choices parse; ids are unique), not a full
    validation: listing shows what is stored, and anything that changes the
    file opens it and validates every record first.
    """
    path = database_file(Path(path).expanduser())
    try:
        sealed = checksum.verify_file(path)
    except FileNotFoundError:
        return []
    except checksum.ChecksumMismatch as error:
        raise CorruptDatabaseError(path, str(error)) from None
    except OSError:
        sealed = False  # reading it below says what is wrong
    summariser = Summariser(path)
    was_enabled = gc.isenabled()
    gc.disable()  # tens of thousands of rows, and no cycles
    try:
        others = stream_tables(path, REQUESTS, summariser.add)
    except FileNotFoundError:
        return []
    finally:
        if was_enabled:
            gc.enable()
    if checksum.MEMBER in others:
        if not sealed:  # a checksum, but not where and as vig-tui writes it
            raise CorruptDatabaseError(path, str(checksum.ChecksumMismatch.default()))
        del others[checksum.MEMBER]
    from . import migrations

    try:
        version = migrations.schema_version(others)
    except migrations.SchemaError as error:
        raise CorruptDatabaseError(path, str(error)) from None
    if version > migrations.current_version():
        raise NewerSchemaError(path, version, migrations.current_version())
    return summariser.summaries


class Summariser:
    """Builds the summary of each request as it is read, and checks each can be read
    (a cheap structural check: ids, dates and choices parse) and its id is unique."""

    def __init__(self, path: Path, total: int | None = None) -> None:
        self.path = path
        self.total = total
        self.request_ids: list[str] = []
        self.summaries: list[RequestSummary] = []
        self._seen: dict[UUID, str] = {}

    def add(self, doc_id: str, doc: Mapping[str, Any]) -> None:
        position = len(self.summaries) + 1
        of_total = f" of {self.total}" if self.total is not None else ""
        try:
            summary = RequestSummary.of_document(doc)
        except (KeyError, ValueError, TypeError, AttributeError) as error:
            # Name the field as validation would (pydantic: only on this rare path).
            from .loading import validate_requests

            validate_requests(
                self.path,
                {doc_id: doc},
                first=position,
                total=self.total,
                total_known=self.total is not None,
            )
            raise CorruptDatabaseError(
                self.path,
                f"record {position}{of_total} in table 'requests' (doc id {doc_id}) "
                f"cannot be read: {type(error).__name__}: {error}",
            ) from None
        if summary.id in self._seen:
            raise CorruptDatabaseError(
                self.path,
                f"records {self._seen[summary.id]} and {doc_id} in table 'requests' "
                f"have the same request id {summary.id}",
            )
        self._seen[summary.id] = doc_id
        self.request_ids.append(doc_id)
        self.summaries.append(summary)
