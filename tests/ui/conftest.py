"""Pilot tests: a real Store on tmp_path, a fixed "today", settings kept in tmp (root conftest)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.small_disk import Disk
from vig_tui.app import VigApp
from vig_tui.store import Store

from .meeting_register import fill_meeting_register

TODAY = date(2026, 11, 24)


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = Store.open(db_path)
    yield opened
    opened.close()


@pytest.fixture
def app(store: Store) -> VigApp:
    return VigApp(store, today=TODAY)


@pytest.fixture
def small_store(disk: Disk) -> Iterator[Store]:
    """A store on the small disk (tests/small_disk.py), for saves that fail."""
    with Store.open(disk.folder / "vig.json") as opened:
        yield opened


@pytest.fixture
def meeting_store(store: Store) -> Store:
    """The store holding the meeting's register (tests/ui/meeting_register.py)."""
    fill_meeting_register(store)
    return store
