"""The service ledger on a real server (migration 5): append-only for every role,
readable by the coordinator only, chained one entry after another, filled in for a
register upgraded from version 4, checked by `vig-tui audit verify --db URL`, and
carried both ways by `vig-tui copy`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest
from psycopg import errors

from tests.postgres_server import with_url
from tests.unit.test_store import full_request
from vig_tui.cli import main
from vig_tui.domain.history import SERVICE_CHAIN, Action, Actor, first_broken
from vig_tui.service import verify
from vig_tui.store import KeepsLedger, StoreError, open_repository
from vig_tui.store.postgres import add_user, migrate
from vig_tui.store.postgres.schema import available_migrations
from vig_tui.tools.demo import fill_database

REFERRER = Actor(name="Alice Example", role="Health visitor", user="alice")


@pytest.fixture
def people(pg_url: str) -> dict[str, str]:
    urls = {}
    for who, role in (("alice", "referrer"), ("carol", "coordinator")):
        login = f"{who}_{uuid4().hex[:8]}"
        add_user(pg_url, login, role, f"{who.title()} Example")
        urls[who] = with_url(pg_url, user=login)
    return urls


def test_ledger_rows_cannot_be_changed_or_removed_by_anyone(
    pg_url: str, people: dict[str, str]
) -> None:
    with open_repository(people["alice"]) as referrer:
        sent = referrer.save(full_request(1, decisions=[]), base_version=None)
    for url in (pg_url, people["carol"], people["alice"]):
        with psycopg.connect(url, autocommit=True) as connection:
            for statement in (
                "UPDATE vig.ledger SET entry = '{}'::jsonb",
                "DELETE FROM vig.ledger",
                "TRUNCATE vig.ledger",
            ):
                with pytest.raises(errors.InsufficientPrivilege):
                    connection.execute(statement)
    with open_repository(people["carol"]) as coordinator:
        assert isinstance(coordinator, KeepsLedger)
        [created] = coordinator.ledger()
    assert (created.action, created.request_id) == (Action.CREATED, sent.id)


def test_a_referrer_adds_to_the_ledger_but_cannot_read_it_or_break_its_chain(
    people: dict[str, str],
) -> None:
    with open_repository(people["alice"]) as referrer:
        draft = referrer.save(full_request(1, decisions=[]), base_version=None)
        referrer.submit(draft, date(2026, 1, 6), base_version=draft.version, who=REFERRER)
        with pytest.raises(StoreError, match="only the coordinator's login may read"):
            referrer.ledger()  # type: ignore[attr-defined]
    with psycopg.connect(people["alice"], autocommit=True) as connection:
        with pytest.raises(errors.InsufficientPrivilege):
            connection.execute("SELECT * FROM vig.ledger")
        # An entry not chained after the newest is refused.
        with pytest.raises(errors.SerializationFailure):
            connection.execute(
                "SELECT vig.ledger_append(%s::jsonb, 'x', NULL)", (json.dumps({"hash": "x"}),)
            )
    with open_repository(people["carol"]) as coordinator:
        ledger = coordinator.ledger()  # type: ignore[attr-defined]
        assert [(e.action, e.who) for e in ledger][-1] == (Action.SENT, REFERRER)
        assert first_broken(ledger, SERVICE_CHAIN) is None
        assert verify(coordinator).whole


def test_a_register_upgraded_to_the_ledger_records_its_requests(pg_url: str) -> None:
    """A database at version 4 with requests in it: migration 5 records each one."""
    import psycopg as pg

    name = f"vig_test_v4_{uuid4().hex[:8]}"
    with pg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    url = with_url(pg_url, database=name)
    try:
        with pg.connect(url) as connection:
            connection.execute("CREATE SCHEMA vig")
            connection.execute(
                "CREATE TABLE vig.schema_migrations (version integer PRIMARY KEY,"
                " name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            for migration in available_migrations()[:4]:
                connection.execute(migration.text.encode())
                connection.execute(
                    "INSERT INTO vig.schema_migrations (version, name) VALUES (%s, %s)",
                    (migration.version, migration.name),
                )
            connection.commit()
        requests = [full_request(n) for n in (1, 2)]
        for request in requests:  # as version 4 of vig-tui stored them (no ledger then)
            with pg.connect(url) as connection:
                doc = request.model_dump(mode="json", exclude={"history", "version"})
                connection.execute(
                    "INSERT INTO vig.requests (id, created_at, version, status, updated_at,"
                    " history_count, doc, summary) VALUES (%s, %s, 1, %s, %s, %s, %s, '{}')",
                    (
                        request.id,
                        request.created_at,
                        request.status.value,
                        request.updated_at,
                        len(request.history),
                        json.dumps(doc),
                    ),
                )
                for position, entry in enumerate(request.history):
                    connection.execute(
                        "INSERT INTO vig.history (request_id, position, entry) VALUES (%s, %s, %s)",
                        (request.id, position, entry.model_dump_json()),
                    )
        # Version 5 (the ledger) and every one after it.
        assert [m.version for m in migrate(url)] == [
            m.version for m in available_migrations() if m.version >= 5
        ]
        with open_repository(url) as repository:
            ledger = repository.ledger()  # type: ignore[attr-defined]
            report = verify(repository)
        assert report.whole, report.summary()
        assert [e.request_id for e in ledger] == [r.id for r in requests]
        assert {e.summary for e in ledger} == {"Recorded when the register was upgraded"}
    finally:
        with pg.connect(pg_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_audit_verify_on_a_server_catches_a_removed_request(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_repository(pg_url) as repository:
        fill_database(repository, 12, today=date(2026, 11, 24), seed=3)
        victim = next(r for r in repository.requests() if r.reference)
    assert main(["audit", "verify", "--db", pg_url]) == 0
    assert "The record is whole" in capsys.readouterr().out
    with psycopg.connect(pg_url) as connection:  # a superuser, as tampering would be
        connection.execute("DELETE FROM vig.requests WHERE id = %s", (victim.id,))
    assert main(["audit", "verify", "--db", pg_url]) == 1
    out = capsys.readouterr().out
    assert f"{victim.reference}: is missing from the database" in out


def test_copy_carries_the_ledger_both_ways_and_it_still_verifies(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source.json"
    with open_repository(source) as repository:
        fill_database(repository, 20, today=date(2026, 11, 24), seed=5)
        gone = repository.requests()[0]
        repository.expunge(
            gone.id, base_version=gone.version, who=REFERRER, rule="Kept 7 years after closing"
        )
        original = repository.ledger()  # type: ignore[attr-defined]
    assert main(["copy", "--from", str(source), "--to", pg_url]) == 0
    back = tmp_path / "back.json"
    assert main(["copy", "--from", pg_url, "--to", str(back)]) == 0
    capsys.readouterr()
    for target in (pg_url, str(back)):
        with open_repository(target, read_only=True) as copied:
            ledger = copied.ledger()  # type: ignore[attr-defined]
            report = verify(copied)
        assert report.whole, f"{target}: {report.summary()}"
        assert ledger[: len(original)] == original  # the same entries, the same hashes
        assert ledger[len(original) - 1].action == Action.EXPUNGED
    assert main(["audit", "verify", "--db", str(back)]) == 0
