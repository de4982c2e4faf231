"""The register holds one page of rows in its table: more come as you move down, End
brings them all, and every place shows the right request after each keystroke."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from vig_tui.app import VigApp
from vig_tui.demo import fill_database
from vig_tui.screens.register import PAGE, RegisterScreen
from vig_tui.store import Store

TODAY = date(2026, 11, 24)
SIZE = PAGE * 2 + 50


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("paging") / "vig.json"
    with Store.open(path) as store:
        fill_database(store, SIZE, today=TODAY)
    return path


@pytest.fixture
def store(database: Path) -> Iterator[Store]:
    with Store.open(database, read_only=True) as store:
        yield store


async def settle(app: VigApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await asyncio.wait_for(app.workers.wait_for_complete(), 20)
    await pilot.pause(0.3)


async def open_register(app: VigApp, pilot) -> RegisterScreen:  # type: ignore[no-untyped-def]
    screen = RegisterScreen()
    await app.push_screen(screen)
    await settle(app, pilot)
    return screen


def table_references(screen: RegisterScreen) -> list[str]:
    table = screen.query_one(DataTable)
    return [str(table.get_row_at(index)[0]) for index in range(table.row_count)]


def count_line(screen: RegisterScreen) -> str:
    return str(screen.query_one("#register-count", Static).render())


async def test_one_page_first_then_end_brings_every_row(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_register(app, pilot)
        table = screen.query_one(DataTable)
        assert len(screen.shown) == SIZE
        assert table.row_count == PAGE
        assert f"the first {PAGE} shown" in count_line(screen)
        assert table_references(screen) == [r.reference for r in screen.shown[:PAGE]]

        await pilot.press("end")
        await settle(app, pilot)
        assert table.row_count == SIZE
        assert table.cursor_row == SIZE - 1
        assert "shown" not in count_line(screen)
        assert table_references(screen) == [r.reference for r in screen.shown]


async def test_moving_down_adds_the_next_page(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_register(app, pilot)
        table = screen.query_one(DataTable)
        while table.cursor_row < PAGE - 1:
            await pilot.press("pagedown")
        await pilot.pause()
        assert table.row_count == 2 * PAGE
        assert table_references(screen) == [r.reference for r in screen.shown[: 2 * PAGE]]


async def test_every_place_shows_its_request_after_each_keystroke(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_register(app, pilot)
        table = screen.query_one(DataTable)
        await pilot.press("slash")
        for keys in ("e", "backspace", "a", "n", "backspace", "backspace"):
            await pilot.press(keys)
            await pilot.pause(0.3)
            shown = screen.shown
            assert table.row_count == min(PAGE, len(shown)), keys
            assert table_references(screen) == [r.reference for r in shown[:PAGE]], keys
        assert len(screen.shown) == SIZE

        # the highlighted request keeps the cursor while the filter narrows
        await pilot.press("escape")  # back to the table
        await pilot.press("down", "down")
        highlighted = screen.shown[2]
        await pilot.press("slash", *highlighted.reference)
        await pilot.pause(0.3)
        assert screen.shown == [highlighted]
        assert table.cursor_row == 0 and table_references(screen) == [highlighted.reference]
