"""The app on a shared register: a lost connection keeps what was typed on this
computer, says so on screen, and saves it when the server answers again."""

from __future__ import annotations

import asyncio
import stat
from collections.abc import Callable, Iterator
from datetime import date
from urllib.parse import urlsplit

import psycopg
import pytest

from tests.postgres_server import with_url
from tests.unit.test_store import full_request
from vig_tui.app import VigApp
from vig_tui.store import open_repository
from vig_tui.store.recovery import kept, recovery_folder

TODAY = date(2026, 11, 24)


class Outage:
    """Stops new connections to one database and ends the open ones, then lets them back."""

    def __init__(self, superuser_url: str) -> None:
        self.database = urlsplit(superuser_url).path.lstrip("/")
        self.admin = with_url(superuser_url, database="postgres")

    def _run(self, statement: str) -> None:
        with psycopg.connect(self.admin, autocommit=True) as connection:
            connection.execute(statement)

    def begin(self) -> None:
        self._run(f"ALTER DATABASE {self.database} ALLOW_CONNECTIONS false")
        self._run(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            f" WHERE datname = '{self.database}' AND pid <> pg_backend_pid()"
        )

    def end(self) -> None:
        self._run(f"ALTER DATABASE {self.database} ALLOW_CONNECTIONS true")


@pytest.fixture
def outage(pg_url: str) -> Iterator[Outage]:
    cut = Outage(pg_url)
    yield cut
    cut.end()


async def _until(condition: Callable[[], bool], seconds: float = 30.0) -> bool:
    for _ in range(int(seconds * 20)):
        if condition():
            return True
        await asyncio.sleep(0.05)
    return False


async def test_a_lost_connection_keeps_the_change_and_saves_it_later(
    pg_url: str, outage: Outage
) -> None:
    repository = open_repository(pg_url)
    draft = repository.save(full_request(1), base_version=None)
    app = VigApp(repository, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        outage.begin()
        changed = draft.model_copy(deep=True)
        changed.notes = "Typed while the server was away"
        assert app.save_request(changed)
        assert await _until(lambda: bool(kept(repository.location)))
        await pilot.pause()
        assert app.sub_title.startswith("The register cannot be reached")
        (change,) = kept(repository.location)
        assert change.request.notes == "Typed while the server was away"
        assert change.base_version == draft.version
        assert stat.S_IMODE(change.path.stat().st_mode) == 0o600
        assert stat.S_IMODE(recovery_folder().stat().st_mode) == 0o700

        outage.end()
        assert await _until(lambda: not kept(repository.location))
        await pilot.pause()
        assert app.sub_title == ""
    stored = repository.get(draft.id)
    assert stored.notes == "Typed while the server was away"
    assert stored.version == draft.version + 1
    repository.close()


async def test_a_kept_change_is_saved_when_the_app_next_opens(pg_url: str, outage: Outage) -> None:
    repository = open_repository(pg_url)
    draft = repository.save(full_request(1), base_version=None)
    app = VigApp(repository, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        outage.begin()
        changed = draft.model_copy(deep=True)
        changed.notes = "Typed just before quitting"
        assert app.save_request_now(changed)  # the quitting path: kept, not lost
        await pilot.pause()
        app.workers.cancel_group(app, "recover")
    repository.close()
    outage.end()
    with open_repository(pg_url) as again:
        assert kept(again.location)
        app = VigApp(again, today=TODAY)
        async with app.run_test(size=(100, 30)):
            assert await _until(lambda: not kept(again.location))
        assert again.get(draft.id).notes == "Typed just before quitting"


async def test_screens_opened_while_the_server_is_away_say_so_and_carry_on(
    pg_url: str, outage: Outage
) -> None:
    from vig_tui.screens.meeting import MeetingScreen
    from vig_tui.screens.register import RegisterScreen

    repository = open_repository(pg_url)
    app = VigApp(repository, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        outage.begin()
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, RegisterScreen) and app.is_running
        await pilot.press("escape")
        await pilot.press("m")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen) and app.is_running
        outage.end()
    repository.close()


async def test_home_says_its_figures_are_out_of_date_and_reads_them_again_when_it_answers(
    pg_url: str, outage: Outage
) -> None:
    from textual.widgets import Static

    from vig_tui.screens.home import HomeScreen

    repository = open_repository(pg_url)
    repository.save(full_request(1), base_version=None)
    app = VigApp(repository, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)

        def shown(selector: str) -> str:
            widget = home.query_one(selector, Static)
            return str(widget.render()) if widget.display else ""

        assert await _until(lambda: "Draft:\u00a01" in shown("#counts"))
        assert shown("#stale") == ""
        outage.begin()
        home.refresh_home()
        assert await _until(lambda: "out of date" in shown("#stale"))
        await pilot.pause()
        text = shown("#stale")
        assert "cannot be reached" in text and "%2F" not in text
        assert "Draft:\u00a01" in shown("#counts")  # the last figures stay, marked stale
        outage.end()
        with open_repository(pg_url) as other:  # someone else adds a request meanwhile
            other.save(full_request(2), base_version=None)
        # Read again when it answers, without a key press; the warning goes.
        assert await _until(lambda: "Draft:\u00a02" in shown("#counts"))
        assert await _until(lambda: shown("#stale") == "")
    repository.close()
