"""`vig-tui server init` and `vig-tui server add-user` against a real server."""

from __future__ import annotations

import getpass
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit
from uuid import uuid4

import psycopg
import pytest

from tests.postgres_server import with_url
from vig_tui.cli import main
from vig_tui.store import RegisterUnreachable, StoreError, open_repository


def test_init_creates_then_reports_the_register_up_to_date(
    pg_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS vig_cli_init")
        admin.execute("CREATE DATABASE vig_cli_init")
    url = with_url(pg_server, database="vig_cli_init")
    assert main(["server", "init", url]) == 0
    assert "applied 1 (register)" in capsys.readouterr().out
    assert main(["server", "init", url]) == 0
    assert "already at version" in capsys.readouterr().out
    with psycopg.connect(url) as connection:
        tables = {
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'vig'"
            )
        }
    assert {"requests", "history", "schema_migrations", "reference_counters"} <= tables


def test_add_user_creates_a_login_that_can_connect(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["server", "add-user", "sam.patel", "--role", "referrer", "--name", "Sam Patel", pg_url]
    )
    assert code == 0
    assert "Created the login sam.patel (Sam Patel) to the referrer role" in (
        capsys.readouterr().out
    )
    with psycopg.connect(with_url(pg_url, user="sam.patel")) as connection:
        assert connection.execute("SELECT count(*) FROM vig.requests").fetchone() == (0,)
    # Again, as coordinator: the same login moves role.
    assert (
        main(
            [
                "server",
                "add-user",
                "sam.patel",
                "--role",
                "coordinator",
                "--name",
                "Sam Patel",
                pg_url,
            ]
        )
        == 0
    )
    assert "Moved the existing login" in capsys.readouterr().out


@pytest.mark.parametrize("login", ["Robert'); DROP TABLE x;--", "pg_admin", "vig_referrer", ""])
def test_add_user_refuses_a_login_that_is_not_a_plain_name(
    login: str, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["server", "add-user", login, "--role", "referrer", "--name", "X", pg_url])
    assert code == 2
    err = capsys.readouterr().err
    assert "cannot be a login" in err or "is reserved" in err


def test_an_unreachable_server_is_a_message_not_a_traceback(
    tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"postgresql://nobody@{str(tmp_path).replace('/', '%2F')}/vig"
    assert main(["server", "init", url]) == 3
    err = capsys.readouterr().err
    assert err.startswith("vig-tui: The register cannot be reached")
    assert "Traceback" not in err
    # The socket folder is named as a folder, not as %2F-encoded text.
    assert f"(socket folder {tmp_path})" in err and "%2F" not in err


def test_add_user_sets_a_password_read_from_stdin_hashed_before_it_leaves(
    pg_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery\n"))
    argv = ["server", "add-user", "ann.kitto", "--role", "referrer", "--name", "Ann Kitto"]
    assert main([*argv, "--password-stdin", pg_url]) == 0
    assert "with the password given" in capsys.readouterr().out
    with psycopg.connect(pg_url) as connection:
        (stored,) = connection.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = 'ann.kitto'"
        ).fetchone()
    assert stored.startswith("SCRAM-SHA-256$") and "horse" not in stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [(["one", "two"], "not the same"), (["", ""], "the password is empty")],
)
def test_add_user_asks_for_the_password_twice_and_changes_nothing_on_a_mistake(
    pg_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    typed: list[str],
    message: str,
) -> None:
    answers = iter(typed)
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    argv = ["server", "add-user", "bo.lee", "--role", "referrer", "--name", "Bo Lee"]
    assert main([*argv, "--password", pg_url]) == 2
    assert message in capsys.readouterr().err
    with psycopg.connect(pg_url) as connection:
        found = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = 'bo.lee'").fetchone()
    assert found is None


@pytest.fixture
def password_only(pg_url: str) -> Iterator[tuple[str, str]]:
    """A login that must give its password (scram-sha-256) to this test's database, by a
    line put first in the running server's pg_hba.conf for the test and taken out after."""
    login = f"pw_{uuid4().hex[:8]}"
    database = urlsplit(pg_url).path.lstrip("/")
    with psycopg.connect(pg_url) as connection:
        (hba,) = connection.execute("SHOW hba_file").fetchone()
    hba_file = Path(hba)
    try:
        before = hba_file.read_text()
        hba_file.write_text(f"local {database} {login} scram-sha-256\n{before}")
    except OSError as error:
        pytest.skip(f"the server's pg_hba.conf cannot be changed here ({error})")
    try:
        with psycopg.connect(pg_url, autocommit=True) as connection:
            connection.execute("SELECT pg_reload_conf()")
        yield login, with_url(pg_url, user=login)
    finally:
        hba_file.write_text(before)
        with psycopg.connect(pg_url, autocommit=True) as connection:
            connection.execute("SELECT pg_reload_conf()")


def test_a_worker_logs_in_with_the_password_add_user_set(
    pg_url: str,
    password_only: tuple[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    login, url = password_only
    monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery\n"))
    argv = ["server", "add-user", login, "--role", "referrer", "--name", "Pat Word"]
    assert main([*argv, "--password-stdin", pg_url]) == 0
    pgpass = tmp_path / "pgpass"
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    # No password given: said so, not "cannot be reached".
    with pytest.raises(StoreError, match="asks for the password of") as none:
        open_repository(url)
    assert not isinstance(none.value, RegisterUnreachable)
    pgpass.write_text(f"*:*:*:{login}:wrong horse\n")
    pgpass.chmod(0o600)
    with pytest.raises(StoreError, match="did not accept the password"):
        open_repository(url)
    pgpass.write_text(f"*:*:*:{login}:correct horse battery\n")
    with open_repository(url) as repository:
        assert repository.count() == 0
    assert main(["list", "--db", url]) == 0
    assert "No requests." in capsys.readouterr().out
