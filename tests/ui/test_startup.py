"""Starting as the `vig-tui` command does: Home first, the database opened
behind it, and a file that is in use or damaged explained on screen."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tests.db_files import read_tables, write_tables
from tests.ui.conftest import TODAY
from vig_tui.app import VigApp
from vig_tui.screens.home import HomeScreen
from vig_tui.screens.startup_problem import StartupProblemScreen
from vig_tui.store import Store
from vig_tui.tools.demo import fill_database


async def _settle(app: VigApp, pilot) -> None:
    for _ in range(50):
        await pilot.pause(0.05)
        if app.store_ready or isinstance(app.screen, StartupProblemScreen):
            break
    await app.workers.wait_for_complete()
    await pilot.pause()


def _text(app: VigApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_home_is_drawn_then_filled_once_the_database_opens(db_path: Path) -> None:
    with Store.open(db_path) as store:
        fill_database(store, 40, today=TODAY)
    app = VigApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await _settle(app, pilot)
        assert app.store_ready and not app.read_only
        assert "December 2026" in _text(app, "#meeting-date")
        assert "queued for it" in _text(app, "#meeting-queue")
    assert app.opened_store is not None
    app.opened_store.close()


async def test_a_database_in_use_offers_read_only(db_path: Path) -> None:
    holder = Store.open(db_path)
    try:
        app = VigApp(db_path=db_path, today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            await _settle(app, pilot)
            assert isinstance(app.screen, StartupProblemScreen)
            message = _text(app, "#startup-message")
            assert str(db_path) in message and "another copy of vig-tui" in message
            await pilot.press("r")
            await _settle(app, pilot)
            assert isinstance(app.screen, HomeScreen)
            assert app.store_ready and app.read_only
            assert "Read-only" in app.sub_title
        app.opened_store.close()
    finally:
        holder.close()


async def test_a_database_in_use_can_be_left_with_an_exit_code(db_path: Path) -> None:
    holder = Store.open(db_path)
    try:
        app = VigApp(db_path=db_path, today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            await _settle(app, pilot)
            await pilot.press("q")
            await pilot.pause()
        assert app.return_code == 3
        assert not app.store_ready
    finally:
        holder.close()


async def test_a_damaged_file_is_explained_and_left_alone(db_path: Path) -> None:
    db_path.write_text('{"requests": {"1": {"id": ', encoding="utf-8")
    before = db_path.read_bytes()
    app = VigApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        assert isinstance(app.screen, StartupProblemScreen)
        assert "not valid JSON" in _text(app, "#startup-message")
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code == 3
    assert db_path.read_bytes() == before


async def test_a_bad_record_found_after_opening_stops_the_app(db_path: Path) -> None:
    with Store.open(db_path) as store:
        fill_database(store, 10, today=TODAY)
    tables = read_tables(db_path)
    first = next(iter(tables["requests"]))
    tables["requests"][first]["considerations"]["assessment"]["answer"] = "perhaps"
    write_tables(db_path, tables)
    before = db_path.read_bytes()
    app = VigApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        for _ in range(40):
            if isinstance(app.screen, StartupProblemScreen):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, StartupProblemScreen)
        assert "considerations.assessment.answer" in _text(app, "#startup-message")
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 3
    assert db_path.read_bytes() == before
    app.opened_store.close()


async def test_a_key_pressed_before_the_database_opens_is_acted_on_once_it_does(
    db_path: Path,
) -> None:
    with Store.open(db_path) as store:
        fill_database(store, 40, today=TODAY)
    app = VigApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        # Straight away, as a worker who knows the keys would.
        await pilot.press("r")
        await _settle(app, pilot)
        for _ in range(40):
            if type(app.screen).__name__ == "RegisterScreen":
                break
            await pilot.pause(0.05)
        assert type(app.screen).__name__ == "RegisterScreen"
    app.opened_store.close()
