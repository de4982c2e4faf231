"""The store's tests run on every backend through one fixture: ``repository``.

A backend is a way to open the same records again (``backend.open()``): a
TinyDB file here; the PostgreSQL backend adds a second ``params`` entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from vig_tui.store import Repository, open_repository


@dataclass(frozen=True)
class Backend:
    name: str
    #: A new handle on the same records (close the last one first: a file has one writer).
    open: Callable[[], Repository]


@pytest.fixture(params=["tinydb", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "postgres":
        # A fresh database of this test's own on a real server (or a skip saying why).
        url: str = request.getfixturevalue("pg_url")
        return Backend("postgres", lambda: open_repository(url))
    path = tmp_path / "repository" / "vig-tui.json"
    return Backend("tinydb", lambda: open_repository(path))


@pytest.fixture
def repository(backend: Backend) -> Iterator[Repository]:
    with backend.open() as repository:
        yield repository
