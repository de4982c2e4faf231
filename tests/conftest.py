"""Keep every test away from the user's real database and preferences."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

# A real PostgreSQL server, or a skip saying why there is none.
from tests.postgres_server import pg_server, pg_url  # noqa: F401
from vig_tui.domain.checklist import register


@pytest.fixture(autouse=True)
def _isolated_user_files(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("VIG_TUI_DB", str(home / "default-db" / "vig-tui.json"))
    monkeypatch.setenv("VIG_TUI_CONFIG", str(home / "config" / "settings.json"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config-home"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "vig-tui.json"


@pytest.fixture(autouse=True)
def _built_in_checklist_in_use() -> Iterator[None]:
    """A test that opens a register with its own checklist leaves the built-in one in use."""
    yield
    register([], None)
