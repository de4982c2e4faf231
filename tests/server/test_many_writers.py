"""Many workers writing at once to one real server: every change is kept or
refused as stale (never silently lost), and references stay unique and consecutive."""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from datetime import date
from uuid import UUID

import pytest

from tests.server.writers import change_repeatedly
from tests.unit.test_store import full_request
from vig_tui.domain.models import VigRequest
from vig_tui.store.postgres.repository import PostgresRepository

PROCESSES = 8


def _run_in_processes(jobs: list[tuple[str, str, int, int, bool]]) -> list[tuple[int, int]]:
    with multiprocessing.get_context("spawn").Pool(len(jobs)) as pool:
        return pool.starmap(change_repeatedly, jobs)


def _stored(url: str) -> PostgresRepository:
    return PostgresRepository.open(url)


def test_eight_processes_changing_their_own_requests_lose_nothing(pg_url: str) -> None:
    with _stored(pg_url) as repository:
        stored = [repository.save(full_request(n), base_version=None) for n in range(8)]
    ids = [str(request.id) for request in stored]
    first_history = len(stored[0].history)
    results = _run_in_processes([(pg_url, ids[n], n, 100, True) for n in range(PROCESSES)])
    assert results == [(100, 0)] * PROCESSES  # nobody else touched them: no refusals
    with _stored(pg_url) as repository:
        for worker, request_id in enumerate(ids):
            request = repository.get(UUID(request_id))
            assert request.version == 101
            assert request.notes.count(f"w{worker}c") == 100
            assert len(request.history) == first_history + 100


def test_eight_processes_changing_one_request_lose_no_update(pg_url: str) -> None:
    with _stored(pg_url) as repository:
        first = repository.save(full_request(1), base_version=None)
    request_id = str(first.id)
    results = _run_in_processes([(pg_url, request_id, n, 50, False) for n in range(PROCESSES)])
    saved = sum(s for s, _ in results)
    refused = sum(r for _, r in results)
    assert saved == PROCESSES * 50
    with _stored(pg_url) as repository:
        request = repository.get(UUID(request_id))
    # Every saved change is there, once; every refusal was reported to its worker
    # (and made again), so the version counts exactly the saved changes. (No history
    # line per change here: 400 of them would make each retry slow, not the test better.)
    assert request.version == 1 + saved
    for worker in range(PROCESSES):
        for change in range(50):
            assert request.notes.count(f"w{worker}c{change};") == 1
    assert refused > 0  # they really did collide


def test_fifty_concurrent_sends_get_fifty_consecutive_references(pg_url: str) -> None:
    with _stored(pg_url) as repository:
        drafts = [repository.save(full_request(n), base_version=None) for n in range(50)]
    start = threading.Barrier(len(drafts))
    sent: list[VigRequest] = []
    failures: list[BaseException] = []

    def send(draft: VigRequest) -> None:
        try:
            with _stored(pg_url) as repository:
                start.wait()
                sent.append(repository.submit(draft, date(2026, 11, 24), base_version=1))
        except BaseException as error:  # reported below
            failures.append(error)

    threads = [threading.Thread(target=send, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    references = sorted(request.reference or "" for request in sent)
    assert references == [f"VIG-2026-{n:04d}" for n in range(1, 51)]
    with _stored(pg_url) as repository:
        stored = Counter(r.reference for r in repository.requests())
    assert len(stored) == 50 and set(stored.values()) == {1}


@pytest.mark.parametrize("year", [2026, 2027])
def test_references_continue_after_imported_ones(pg_url: str, year: int) -> None:
    with _stored(pg_url) as repository:
        imported = full_request(1, reference=f"VIG-{year}-0041")
        repository.import_requests([imported])
        draft = repository.save(full_request(2), base_version=None)
        sent = repository.submit(draft, date(year, 3, 2), base_version=1)
    assert sent.reference == f"VIG-{year}-0042"
