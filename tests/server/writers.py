"""Work done by the separate processes of the many-writers tests (importable by
``multiprocessing``'s spawn, which starts each process afresh)."""

from __future__ import annotations

from uuid import UUID

from vig_tui.store import VersionConflict
from vig_tui.store.postgres.repository import PostgresRepository


def change_repeatedly(
    url: str, request_id: str, worker: int, changes: int, with_history: bool
) -> tuple[int, int]:
    """Make ``changes`` changes to one request, each made again to the current copy
    when a save is refused as stale; returns (changes saved, refusals seen)."""
    saved = refused = 0
    with PostgresRepository.open(url) as repository:
        current = repository.get(UUID(request_id))
        for change in range(changes):
            while True:
                request = current.model_copy(deep=True)
                request.notes += f"w{worker}c{change};"
                if with_history:
                    request.record("correction", f"Change {change} by worker {worker}")
                try:
                    current = repository.save(request, base_version=request.version)
                except VersionConflict as conflict:
                    # Shown to the worker as the two versions; made again on the current one.
                    refused += 1
                    current = conflict.current
                    continue
                saved += 1
                break
    return saved, refused
