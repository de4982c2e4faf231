"""Work done by the separate processes of the many-writers tests (importable by
``multiprocessing``'s spawn, which starts each process afresh)."""

from __future__ import annotations

from uuid import UUID

from vig_tui.store import VersionConflict
from vig_tui.store.postgres.repository import PostgresRepository


def change_repeatedly(url: str, request_id: str, worker: int, changes: int) -> tuple[int, int]:
    """Make ``changes`` changes to one request, each re-read and made again when a
    save is refused as stale; returns (changes saved, refusals seen)."""
    saved = refused = 0
    with PostgresRepository.open(url) as repository:
        for change in range(changes):
            while True:
                request = repository.get(UUID(request_id))
                request.notes += f"w{worker}c{change};"
                request.record("correction", f"Change {change} by worker {worker}")
                try:
                    repository.save(request, base_version=request.version)
                except VersionConflict:
                    refused += 1
                    continue
                saved += 1
                break
    return saved, refused
