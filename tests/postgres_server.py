"""A real PostgreSQL server for the tests that need one.

``VIG_TUI_TEST_PG`` (set by ``.ci/run``) names a running server's superuser URL;
without it, a throwaway server is started here for the session when PostgreSQL's
binaries are installed (``vig_tui.tools.pgserver``), and the server tests are
skipped, saying why, when they are not. With ``VIG_TUI_REQUIRE_PG=1`` (CI) a
missing server fails the run instead of skipping.

Each test gets a database of its own, copied from a template the migrations
were applied to once.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import quote, urlsplit, urlunsplit
from uuid import uuid4

import pytest

ENV_URL = "VIG_TUI_TEST_PG"
ENV_REQUIRED = "VIG_TUI_REQUIRE_PG"
TEMPLATE = "vig_test_template"


def with_url(url: str, *, user: str | None = None, database: str | None = None) -> str:
    """``url`` logging in as ``user`` to ``database`` (each kept when None)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if user is not None:
        host = netloc.rsplit("@", 1)[-1]
        netloc = f"{quote(user, safe='')}@{host}"
    path = parts.path if database is None else f"/{database}"
    return urlunsplit((parts.scheme, netloc, path, parts.query, parts.fragment))


def _unavailable(reason: str) -> None:
    if os.environ.get(ENV_REQUIRED):
        pytest.fail(f"the server tests must run here ({ENV_REQUIRED} is set), but {reason}")
    pytest.skip(f"server tests skipped: {reason}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A superuser URL on a server with the migrated template database."""
    try:
        import psycopg
    except ImportError:
        _unavailable("psycopg is not installed (pip install -e '.[test]')")
    from vig_tui.store.postgres import migrate
    from vig_tui.tools.pgserver import ServerUnavailable, start_temporary

    server = None
    url = os.environ.get(ENV_URL)
    if not url:
        try:
            server = start_temporary()
        except ServerUnavailable as error:
            _unavailable(str(error))
        assert server is not None
        url = server.url()
    try:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {TEMPLATE}")
            admin.execute(f"CREATE DATABASE {TEMPLATE}")
        migrate(with_url(url, database=TEMPLATE))
        yield url
    finally:
        if server is not None:
            server.stop()


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A superuser URL to a fresh, migrated database of this test's own."""
    import psycopg

    name = f"vig_test_{uuid4().hex[:12]}"
    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    yield with_url(pg_server, database=name)
    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
