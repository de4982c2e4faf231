"""Creating and upgrading the register's schema, and adding the people who use it.

The migrations are the numbered ``migrations/NNNN_name.sql`` files in this
package, applied in order, each in its own transaction with its row in
``vig.schema_migrations``; one already recorded is skipped, so ``vig-tui server
init`` is safe to run again (and two at once wait for each other on an advisory
lock). Logins are PostgreSQL roles in one of the two groups the first
migration creates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

import psycopg
from psycopg import sql

from .connection import connect, server_error

__all__ = [
    "ROLES",
    "Migration",
    "add_user",
    "applied_versions",
    "available_migrations",
    "latest_version",
    "migrate",
]

#: The app's roles, and the PostgreSQL group role each is.
ROLES = {"coordinator": "vig_coordinator", "referrer": "vig_referrer"}
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_LOGIN = re.compile(r"^[a-z_][a-z0-9_.\-]{0,62}$")
#: pg_advisory_xact_lock key: "vig-tui init" (any fixed number will do).
_INIT_LOCK = 0x56494754


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    text: str


def available_migrations() -> list[Migration]:
    """Every migration shipped with this copy of vig-tui, oldest first."""
    folder = resources.files(__package__).joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(
                Migration(int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8"))
            )
    return sorted(found, key=lambda migration: migration.version)


def latest_version() -> int:
    return available_migrations()[-1].version


def applied_versions(connection: psycopg.Connection) -> set[int]:
    """Migrations recorded in this database (empty before the first init)."""
    present = connection.execute("SELECT to_regclass('vig.schema_migrations')").fetchone()
    if present is None or present[0] is None:
        return set()
    rows = connection.execute("SELECT version FROM vig.schema_migrations").fetchall()
    return {row[0] for row in rows}


def migrate(url: str) -> list[Migration]:
    """Bring the database at ``url`` up to date; returns the migrations applied now."""
    applied_now: list[Migration] = []
    with connect(url) as connection:
        for migration in available_migrations():
            with server_error(url), connection.transaction():
                connection.execute("SELECT pg_advisory_xact_lock(%s)", (_INIT_LOCK,))
                connection.execute("CREATE SCHEMA IF NOT EXISTS vig")
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS vig.schema_migrations ("
                    " version integer PRIMARY KEY,"
                    " name text NOT NULL,"
                    " applied_at timestamptz NOT NULL DEFAULT now())"
                )
                if migration.version in applied_versions(connection):
                    continue
                connection.execute(sql.SQL(migration.text))  # type: ignore[arg-type]
                after = _AFTER.get(migration.version)
                if after is not None:
                    after(connection)
                connection.execute(
                    "INSERT INTO vig.schema_migrations (version, name) VALUES (%s, %s)",
                    (migration.version, migration.name),
                )
                applied_now.append(migration)
    return applied_now


def _record_existing_requests(connection: psycopg.Connection) -> None:
    """Version 5 brings the ledger: every request already in the register is recorded
    in it (in the order they were made), as the file's upgrade to its ledger does."""
    from ...domain.history import UNKNOWN_ACTOR, Action, HistoryEntry
    from .repository import append_ledger

    rows = connection.execute(
        "SELECT id, reference, created_at FROM vig.requests ORDER BY created_at, id"
    ).fetchall()
    append_ledger(
        connection,
        [
            HistoryEntry(
                at=created_at,
                who=UNKNOWN_ACTOR,
                action=Action.CREATED,
                summary="Recorded when the register was upgraded",
                request_id=request_id,
                reference=reference,
            )
            for request_id, reference, created_at in rows
        ],
    )


#: Steps in Python that follow a migration's SQL, in its transaction.
_AFTER: dict[int, Callable[[psycopg.Connection], None]] = {5: _record_existing_requests}


def check_login(login: str) -> str:
    """The login if it is a plain lower-case name; ValueError saying what is allowed."""
    if not _LOGIN.match(login):
        raise ValueError(
            f"{login!r} cannot be a login: use lower-case letters, digits, '_', '.' or '-', "
            "starting with a letter, at most 63 characters"
        )
    if login.startswith("pg_") or login in ROLES.values():
        raise ValueError(f"{login!r} is reserved; choose another login")
    return login


def add_user(url: str, login: str, role: str, name: str, *, password: str | None = None) -> bool:
    """Make ``login`` a member of the role's group, named ``name``.

    Creates the login if it does not exist (True), or moves an existing one
    into this role (False). Run it as the database's owner or a superuser.
    With ``password`` the login's password is set too, hashed here with
    SCRAM-SHA-256 by libpq (as psql's ``\\password`` does), so the password
    itself never reaches the server or its logs.
    """
    if password is not None and not password:
        raise ValueError("the password is empty")
    check_login(login)
    if role not in ROLES:
        raise ValueError(f"the role must be one of: {', '.join(ROLES)}")
    if not name.strip():
        raise ValueError("give the person's full name with --name")
    group = ROLES[role]
    other = next(g for r, g in ROLES.items() if r != role)
    with connect(url) as connection, server_error(url), connection.transaction():
        exists = connection.execute(
            "SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)
        ).fetchone()
        if exists is None:
            connection.execute(
                sql.SQL("CREATE ROLE {} LOGIN IN ROLE {}").format(
                    sql.Identifier(login), sql.Identifier(group)
                )
            )
        else:
            connection.execute(
                sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(other), sql.Identifier(login))
            )
            connection.execute(
                sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(login))
            )
        if password is not None:
            hashed = connection.pgconn.encrypt_password(
                password.encode("utf-8"), login.encode("utf-8"), b"scram-sha-256"
            )
            connection.execute(
                sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                    sql.Identifier(login), sql.Literal(hashed.decode("ascii"))
                )
            )
        connection.execute(
            "INSERT INTO vig.users (login, name, role) VALUES (%s, %s, %s)"
            " ON CONFLICT (login) DO UPDATE SET name = excluded.name, role = excluded.role",
            (login, name.strip(), role),
        )
    return exists is None
