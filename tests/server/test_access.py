"""Who may see and change what, enforced by PostgreSQL itself: each role connects
with psycopg directly (no vig-tui code in between) and is refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from uuid import uuid4

import psycopg
import pytest
from psycopg import errors

from tests.postgres_server import with_url
from vig_tui.store.postgres import add_user, migrate
from vig_tui.store.postgres.schema import applied_versions, latest_version


def _login(prefix: str) -> str:
    return f"{prefix}_{uuid4().hex[:8]}"


@pytest.fixture
def people(pg_url: str) -> dict[str, str]:
    """Three logins and their URLs: two referrers and the coordinator."""
    urls = {}
    for who, role in (("alice", "referrer"), ("bob", "referrer"), ("carol", "coordinator")):
        login = _login(who)
        add_user(pg_url, login, role, f"{who.title()} Example")
        urls[who] = with_url(pg_url, user=login)
    return urls


@pytest.fixture
def connections(people: dict[str, str]) -> Iterator[dict[str, psycopg.Connection]]:
    opened = {who: psycopg.connect(url, autocommit=True) for who, url in people.items()}
    yield opened
    for connection in opened.values():
        connection.close()


def _add_request(connection: psycopg.Connection, status: str = "draft") -> str:
    request_id = str(uuid4())
    doc = {"id": request_id, "status": status, "child": {"name": "Amelia Tregear"}}
    connection.execute(
        "INSERT INTO vig.requests (id, created_at, version, status, updated_at, doc, summary)"
        " VALUES (%s, now(), 1, %s, now(), %s, '{}')",
        (request_id, status, json.dumps(doc)),
    )
    return request_id


def _visible(connection: psycopg.Connection) -> set[str]:
    return {str(row[0]) for row in connection.execute("SELECT id FROM vig.requests")}


def test_init_is_safe_to_run_again(pg_url: str) -> None:
    assert migrate(pg_url) == []  # the template was migrated already
    with psycopg.connect(pg_url) as connection:
        assert applied_versions(connection) == set(range(1, latest_version() + 1))


def test_add_user_makes_a_login_in_the_role(pg_url: str, people: dict[str, str]) -> None:
    with psycopg.connect(pg_url) as connection:
        rows = connection.execute(
            "SELECT u.name, u.role, pg_has_role(u.login, 'vig_coordinator', 'MEMBER'),"
            " pg_has_role(u.login, 'vig_referrer', 'MEMBER'), r.rolcanlogin"
            " FROM vig.users u JOIN pg_roles r ON r.rolname = u.login ORDER BY u.name"
        ).fetchall()
    assert rows == [
        ("Alice Example", "referrer", False, True, True),
        ("Bob Example", "referrer", False, True, True),
        ("Carol Example", "coordinator", True, False, True),
    ]


def test_a_referrer_sees_and_changes_only_their_own_requests(
    connections: dict[str, psycopg.Connection],
) -> None:
    alice, bob, carol = connections["alice"], connections["bob"], connections["carol"]
    alices = _add_request(alice)
    bobs = _add_request(bob)
    assert _visible(alice) == {alices}
    assert _visible(bob) == {bobs}
    assert _visible(carol) == {alices, bobs}
    # Bob's change to Alice's request touches nothing: he cannot even see it.
    changed = bob.execute("UPDATE vig.requests SET doc = '{}' WHERE id = %s", (alices,)).rowcount
    assert changed == 0
    assert bob.execute("DELETE FROM vig.requests WHERE id = %s", (alices,)).rowcount == 0
    assert bob.execute("SELECT count(*) FROM vig.history").fetchone() == (0,)
    # ... nor make a request in her name, nor hand his own to her.
    with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
        bob.execute(
            "INSERT INTO vig.requests"
            " (id, owner, created_at, version, status, updated_at, doc, summary)"
            " VALUES (%s, %s, now(), 1, 'draft', now(), '{}', '{}')",
            (str(uuid4()), alice.info.user),
        )
    with pytest.raises(errors.InsufficientPrivilege, match="stays with the worker"):
        bob.execute("UPDATE vig.requests SET owner = %s WHERE id = %s", (alice.info.user, bobs))


def test_only_the_coordinator_records_decisions(
    connections: dict[str, psycopg.Connection],
) -> None:
    alice, carol = connections["alice"], connections["carol"]
    request_id = _add_request(alice, "submitted")
    decision = json.dumps([{"meeting": "2026-12-03", "outcome": "allocated"}])
    with pytest.raises(errors.InsufficientPrivilege, match="Only the coordinator"):
        alice.execute(
            "UPDATE vig.requests SET doc = jsonb_set(doc, '{decisions}', %s) WHERE id = %s",
            (decision, request_id),
        )
    with pytest.raises(errors.InsufficientPrivilege, match="Only the coordinator"):
        alice.execute("UPDATE vig.requests SET status = 'allocated' WHERE id = %s", (request_id,))
    carol.execute(
        "UPDATE vig.requests SET status = 'allocated',"
        " doc = jsonb_set(doc, '{decisions}', %s) WHERE id = %s",
        (decision, request_id),
    )
    # Alice sees the decision on her own request, and may still withdraw it.
    row = alice.execute(
        "SELECT status, doc -> 'decisions' -> 0 ->> 'outcome' FROM vig.requests WHERE id = %s",
        (request_id,),
    ).fetchone()
    assert row == ("allocated", "allocated")
    alice.execute("UPDATE vig.requests SET status = 'withdrawn' WHERE id = %s", (request_id,))


def test_a_referrer_deletes_only_their_drafts(connections: dict[str, psycopg.Connection]) -> None:
    alice = connections["alice"]
    draft = _add_request(alice, "draft")
    sent = _add_request(alice, "submitted")
    assert alice.execute("DELETE FROM vig.requests WHERE id = %s", (sent,)).rowcount == 0
    assert alice.execute("DELETE FROM vig.requests WHERE id = %s", (draft,)).rowcount == 1
    assert _visible(alice) == {sent}


@pytest.mark.parametrize("who", ["alice", "carol", "owner"])
def test_nobody_changes_or_deletes_history(
    who: str, pg_url: str, connections: dict[str, psycopg.Connection]
) -> None:
    alice = connections["alice"]
    request_id = _add_request(alice)
    alice.execute(
        "INSERT INTO vig.history (request_id, position, entry) VALUES (%s, 0, %s)",
        (request_id, json.dumps({"kind": "created", "summary": "Request started"})),
    )
    connection = connections[who] if who != "owner" else psycopg.connect(pg_url, autocommit=True)
    with pytest.raises(errors.InsufficientPrivilege):
        connection.execute("UPDATE vig.history SET entry = '{}'")
    with pytest.raises(errors.InsufficientPrivilege):
        connection.execute("DELETE FROM vig.history")
    with pytest.raises(errors.InsufficientPrivilege):
        connection.execute("TRUNCATE vig.history")
    summary = connection.execute("SELECT entry ->> 'summary' FROM vig.history").fetchall()
    assert summary == [("Request started",)]


def test_a_referrer_cannot_see_another_referrers_history(
    connections: dict[str, psycopg.Connection],
) -> None:
    alice, bob = connections["alice"], connections["bob"]
    request_id = _add_request(alice)
    alice.execute(
        "INSERT INTO vig.history (request_id, position, entry) VALUES (%s, 0, '{}')",
        (request_id,),
    )
    assert bob.execute("SELECT count(*) FROM vig.history").fetchone() == (0,)
    with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
        bob.execute(
            "INSERT INTO vig.history (request_id, owner, position, entry) VALUES (%s, %s, 1, '{}')",
            (request_id, alice.info.user),
        )


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO vig.practitioners (id, doc) VALUES (gen_random_uuid(), '{}')",
        "UPDATE vig.settings SET value = '7'",
        "INSERT INTO vig.meeting_moves (doc) VALUES ('{}')",
        "INSERT INTO vig.users (login, name, role) VALUES ('x', 'X', 'coordinator')",
        "INSERT INTO vig.meeting_records (meeting, doc) VALUES ('2026-12-03', '{}')",
        # A meeting's actions may name any family: a referrer cannot even read them.
        "SELECT doc FROM vig.meeting_records",
    ],
)
def test_only_the_coordinator_manages_roster_meetings_and_settings(
    statement: str, connections: dict[str, psycopg.Connection]
) -> None:
    with pytest.raises(errors.InsufficientPrivilege, match="permission denied"):
        connections["alice"].execute(statement)
    if "users" not in statement:
        connections["carol"].execute(statement)
