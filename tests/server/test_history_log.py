"""A request's history on the server: only ever added to, except that a draft's newest
entry may be replaced (one entry per visit to a section); the rows replaced stay."""

from __future__ import annotations

import psycopg
import pytest

from tests.unit.test_store import full_request
from vig_tui.domain.models import VigRequest
from vig_tui.store import StoreError, open_repository


def _with_entries(request: VigRequest, *summaries: str) -> VigRequest:
    changed = request.model_copy(deep=True)
    template = changed.history[0]
    changed.history = [template.model_copy(update={"summary": s}) for s in summaries]
    return changed


def test_the_newest_entry_may_be_replaced_and_the_log_keeps_it(pg_url: str) -> None:
    with open_repository(pg_url) as repository:
        stored = repository.save(
            _with_entries(full_request(1), "Started", "Visit 1"), base_version=None
        )
        again = repository.save(
            _with_entries(stored, "Started", "Visit 1, later"), base_version=stored.version
        )
        more = repository.save(
            _with_entries(again, "Started", "Visit 1, later", "Visit 2"),
            base_version=again.version,
        )
        assert [e.summary for e in repository.get(more.id).history] == [
            "Started",
            "Visit 1, later",
            "Visit 2",
        ]
    with psycopg.connect(pg_url) as connection:
        logged = connection.execute(
            "SELECT position, entry ->> 'summary' FROM vig.history ORDER BY seq"
        ).fetchall()
    assert logged == [(0, "Started"), (1, "Visit 1"), (1, "Visit 1, later"), (2, "Visit 2")]


@pytest.mark.parametrize(
    "rewritten",
    [("Started", "Changed behind", "Visit 2"), ("Started",), ("Rewritten", "Visit 1", "X")],
)
def test_older_entries_cannot_be_rewritten_or_dropped(
    pg_url: str, rewritten: tuple[str, ...]
) -> None:
    with open_repository(pg_url) as repository:
        stored = repository.save(
            _with_entries(full_request(1), "Started", "Visit 1", "Visit 2"), base_version=None
        )
        with pytest.raises(StoreError, match="history"):
            repository.save(_with_entries(stored, *rewritten), base_version=stored.version)
        assert repository.get(stored.id) == stored
