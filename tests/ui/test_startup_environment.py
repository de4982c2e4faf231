"""A bad environment at start-up is explained on a screen, never a silent wait."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tests.ui.conftest import TODAY
from vig_tui.app import VigApp
from vig_tui.screens.startup_problem import StartupProblemScreen
from vig_tui.store import Store


async def _problem_shown(app: VigApp, pilot) -> str:
    for _ in range(60):
        await pilot.pause(0.05)
        if isinstance(app.screen, StartupProblemScreen):
            await pilot.pause()
            shown = app.screen.query("#startup-message")
            if shown:
                return str(shown.first(Static).render())
    raise AssertionError(f"no startup problem screen; sub-title {app.sub_title!r}")


async def test_a_lock_path_that_is_a_folder_is_explained(db_path: Path) -> None:
    lock = db_path.with_name(db_path.name + ".lock")
    lock.mkdir()
    app = VigApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        message = await _problem_shown(app, pilot)
        assert str(lock) in message and "folder" in message
        assert app.sub_title != "Opening the database…"
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 3
    assert not db_path.exists()


async def test_a_loop_of_links_is_explained(tmp_path: Path) -> None:
    (tmp_path / "a.json").symlink_to(tmp_path / "b.json")
    (tmp_path / "b.json").symlink_to(tmp_path / "a.json")
    app = VigApp(db_path=tmp_path / "a.json", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        message = await _problem_shown(app, pilot)
        assert "loop" in message
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 3


async def test_a_damaged_database_offers_the_restore_command(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.cutoff_days = 2
        store.cutoff_days = 3
    raw = bytearray(db_path.read_bytes())
    raw[raw.index(b"cutoff_days") + 2] ^= 0x01
    db_path.write_bytes(bytes(raw))
    app = VigApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        message = await _problem_shown(app, pilot)
        assert "checksum" in message
        assert f"vig-tui restore --db {db_path}" in message
        app.save_screenshot(str(db_path.with_name("damaged.svg")))
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 3
    assert db_path.read_bytes() == bytes(raw)
