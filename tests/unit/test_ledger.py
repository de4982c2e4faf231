"""The service ledger on every backend (the file's ``ledger`` table, the server's
``vig.ledger``): which requests exist and the changes that belong to no one request,
hash-chained, written with the change, and checked by ``audit verify``."""

from __future__ import annotations

from datetime import date

import pytest

from tests.unit.conftest import Backend
from tests.unit.test_store import full_request
from vig_tui.domain.history import SERVICE_CHAIN, Action, Actor, first_broken
from vig_tui.domain.models import Practitioner
from vig_tui.service import verify
from vig_tui.store import KeepsLedger, Repository, StoreError

REFERRER = Actor(name="Ann Kitto", role="Health visitor", user="ann")
COORDINATOR = Actor(name="Cora Ordinator", role="VIG coordinator", user="cora")


def _ledger(repository: Repository) -> KeepsLedger:
    assert isinstance(repository, KeepsLedger)
    return repository


def test_each_kind_of_change_is_recorded_chained_and_verifies(backend: Backend) -> None:
    with backend.open() as repository:
        draft = full_request(1, decisions=[])
        stored = repository.save(draft, base_version=None)
        sent = repository.submit(
            stored, date(2026, 1, 6), base_version=stored.version, who=REFERRER
        )
        gone = repository.save(full_request(2), base_version=None)
        repository.delete(gone.id, base_version=gone.version, who=REFERRER, reason="Started twice")
        repository.import_requests([full_request(3)], who=COORDINATOR)
        repository.set_cutoff_days(3, who=COORDINATOR)
        repository.set_cutoff_days(3, who=COORDINATOR)  # no change: nothing recorded
        nurse = Practitioner(name="Pat Practitioner", capacity=4)
        repository.save_practitioner(nurse, who=COORDINATOR)
        repository.save_practitioner(nurse.model_copy(update={"capacity": 6}), who=COORDINATOR)
        repository.move_meeting(date(2027, 1, 7), date(2027, 1, 8), "New Year", who=COORDINATOR)
        ledger = _ledger(repository).ledger()
        report = verify(repository)
    assert report.whole, report.summary()
    assert report.ledger_kept and report.ledger_entries == len(ledger)
    assert first_broken(ledger, SERVICE_CHAIN) is None
    assert [(e.action, e.reference) for e in ledger] == [
        (Action.CREATED, None),
        (Action.SENT, sent.reference),
        (Action.CREATED, None),
        (Action.DELETED, None),
        (Action.IMPORTED, None),
        (Action.SETTINGS_CHANGED, None),
        (Action.ROSTER_CHANGED, None),
        (Action.ROSTER_CHANGED, None),
        (Action.MEETING_MOVED, None),
    ]
    assert ledger[1].who == REFERRER and ledger[1].request_id == draft.id
    assert ledger[3].reason == "Started twice" and ledger[3].request_id == gone.id
    assert ledger[4].who == COORDINATOR
    assert [(c.old, c.new) for c in ledger[5].changes] == [(1, 3)]
    assert ledger[6].summary == "Added Pat Practitioner on the roster"
    assert [(c.label, c.old, c.new) for c in ledger[7].changes] == [
        ("Pat Practitioner: capacity", 4, 6)
    ]
    assert ledger[8].reason == "New Year"


def test_a_request_removed_behind_the_ledgers_back_is_caught(backend: Backend) -> None:
    """As a superuser (or someone editing the file) would remove it: the ledger still
    records it, so verify names it."""
    with backend.open() as repository:
        kept = repository.save(full_request(1), base_version=None)
        removed = repository.submit(
            repository.save(full_request(2, decisions=[]), base_version=None),
            date(2026, 1, 6),
            base_version=1,
            who=REFERRER,
        )
        assert verify(repository).whole
        url = getattr(repository, "url", None)
    if backend.name == "postgres":
        import psycopg

        assert url is not None
        with psycopg.connect(url) as connection:
            connection.execute("DELETE FROM vig.requests WHERE id = %s", (removed.id,))
    else:
        from tests.db_files import read_tables, write_tables

        path = repository.path  # type: ignore[attr-defined]
        tables = read_tables(path)
        tables["requests"] = {
            key: doc for key, doc in tables["requests"].items() if doc["id"] != str(removed.id)
        }
        write_tables(path, tables)
    with backend.open() as repository:
        report = verify(repository)
        assert repository.count() == 1 and repository.get(kept.id) == kept
    assert not report.whole
    assert f"{removed.reference}: is missing from the database" in report.summary()


def test_carrying_a_ledger_needs_an_empty_one_and_a_whole_chain(backend: Backend) -> None:
    with backend.open() as repository:
        repository.save(full_request(1), base_version=None)
        entries = _ledger(repository).ledger()
        with pytest.raises(StoreError, match="already keeps a ledger"):
            _ledger(repository).carry_ledger(entries)
    broken = [entries[0].model_copy(update={"summary": "edited"})]
    with backend.open() as repository, pytest.raises(StoreError, match="does not verify"):
        _ledger(repository).carry_ledger(broken)
