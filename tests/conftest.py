"""Keep every test away from the user's real database and preferences.

Every test runs as a worker with a profile (so the app never stops at its
first-start question unless a test asks for that with ``no_profile``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# A real PostgreSQL server, or a skip saying why there is none.
from tests.postgres_server import pg_server, pg_url  # noqa: F401

# A small disk to fill for real (a failed write), or a skip saying why there is none.
from tests.small_disk import disk  # noqa: F401
from vig_tui.domain.checklist import register
from vig_tui.domain.history import Actor

#: The worker every test is, unless it says otherwise. Only a name and role, so a new
#: request's "About you" is still in progress (tests type the rest; Ctrl+U clears the name).
TEST_PROFILE = {"name": "Tess Tester", "role": "health_visitor"}
TEST_MACHINE = "00000000-0000-4000-8000-000000000001"


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist, every test that needs the PostgreSQL server runs on one worker.

    The server's logins and roles belong to the whole cluster, not one database, so
    two workers adding the same login at once would race; one worker runs them in
    turn (``--dist loadgroup``) while the others take the rest of the suite.
    """
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("backend") if callspec is not None else None
        if "pg_server" in fixtures or "pg_url" in fixtures or backend == "postgres":
            item.add_marker(pytest.mark.xdist_group("postgres"))


@pytest.fixture(autouse=True)
def _isolated_user_files(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("VIG_TUI_DB", str(home / "default-db" / "vig-tui.json"))
    settings = home / "config" / "settings.json"
    settings.parent.mkdir(mode=0o700)
    settings.write_text(json.dumps({"profile": TEST_PROFILE, "machine_id": TEST_MACHINE}))
    os.chmod(settings, 0o600)
    monkeypatch.setenv("VIG_TUI_CONFIG", str(settings))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config-home"))


@pytest.fixture
def no_profile() -> Path:
    """A worker who has not yet said who they are (the first start): no settings file."""
    settings = Path(os.environ["VIG_TUI_CONFIG"])
    settings.unlink()
    return settings


@pytest.fixture
def actor() -> Actor:
    """Who the test worker's changes are attributed to (as the app stamps them)."""
    from vig_tui.preferences import load_preferences
    from vig_tui.profile import actor as actor_of

    return actor_of(load_preferences())


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "vig-tui.json"


@pytest.fixture(autouse=True)
def _built_in_checklist_in_use() -> Iterator[None]:
    """A test that opens a register with its own checklist leaves the built-in one in use."""
    yield
    register([], None)
