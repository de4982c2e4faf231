"""The register by keys: filter as you type, by status and meeting, sort, open a request."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, Select

from tests.ui.keys import settle
from vig_tui.app import VigApp
from vig_tui.domain.models import RequestStatus
from vig_tui.screens.register import RegisterScreen
from vig_tui.screens.request_view import RequestViewScreen
from vig_tui.store import Store
from vig_tui.tools.demo import fill_database

TODAY = date(2026, 11, 24)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "vig.json") as store:
        fill_database(store, 120, today=TODAY)
        yield store


async def open_register(app: VigApp, pilot) -> RegisterScreen:  # type: ignore[no-untyped-def]
    screen = RegisterScreen()
    await app.push_screen(screen)
    await settle(pilot)
    return screen


async def test_every_request_is_listed_with_priorities(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_register(app, pilot)
        assert len(screen.shown) == store.count() == 120
        assert screen.table.row_count == 120
        waiting = [r for r in screen.shown if r.status is RequestStatus.SUBMITTED]
        assert waiting and all(r.priority is not None for r in waiting)
        drafts = [r for r in screen.shown if r.status is RequestStatus.DRAFT]
        assert all(r.priority is None for r in drafts)


async def test_typing_narrows_the_table_key_by_key(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_register(app, pilot)
        table = screen.table
        reference = next(r.reference for r in screen.shown if r.reference.startswith("VIG-"))
        await pilot.press("slash")
        counts = []
        for key in reference:
            await pilot.press(key)
            await pilot.pause()
            counts.append(table.row_count)
        assert counts == sorted(counts, reverse=True)
        assert counts[-1] < counts[0] <= 120
        assert [r.reference for r in screen.shown] == [reference]
        assert table.row_count == 1

        # by referrer or team, in any case
        screen.query_one("#register-filter", Input).value = ""
        await pilot.press(*"health visiting")
        await pilot.pause()
        rows = {r.id for r in screen.shown}
        teams = {r.id for r in store.requests() if "Health Visiting" in r.referrer.team}
        assert rows == teams and rows


async def test_filter_by_status_and_meeting(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_register(app, pilot)
        screen.query_one("#register-status", Select).value = RequestStatus.ALLOCATED
        await pilot.pause()
        expected = store.counts_by_status()[RequestStatus.ALLOCATED]
        assert len(screen.shown) == expected
        assert all(r.status is RequestStatus.ALLOCATED for r in screen.shown)

        screen.query_one("#register-status", Select).clear()
        screen.query_one("#register-meeting", Select).value = date(2026, 12, 3)
        await pilot.pause()
        assert screen.shown
        assert all(r.meeting == date(2026, 12, 3) for r in screen.shown)


async def test_sort_by_keys_and_header(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_register(app, pilot)
        references = [r.reference for r in screen.shown]
        assert references == sorted(references, key=lambda r: (r == "(draft)", r))

        await pilot.press("s")  # by child
        await pilot.pause()
        children = [r.child for r in screen.shown]
        assert children == sorted(children)

        await pilot.press("S")  # reversed
        await pilot.pause()
        assert [r.child for r in screen.shown] == sorted(children, reverse=True)

        # a click on a heading sorts by it; a second click reverses
        table = screen.table
        age_x = sum(c.width + 2 for c in table.columns[:2]) + 1
        await pilot.click("#register-table", offset=(age_x, 0))
        await pilot.pause()
        ages = [r.age_months for r in screen.shown]
        assert ages == sorted(ages)
        assert table.columns[2].label == "Age ▲"
        await pilot.click("#register-table", offset=(age_x, 0))
        await pilot.pause()
        assert [r.age_months for r in screen.shown] == sorted(ages, reverse=True)
        assert table.columns[2].label == "Age ▼"


async def test_enter_opens_request_and_withdraw_updates_its_row(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_register(app, pilot)
        screen.query_one("#register-status", Select).value = RequestStatus.SUBMITTED
        await pilot.pause()
        target = screen.shown[0]
        screen.table.focus()
        await pilot.press("enter")
        await settle(pilot)
        page = app.screen
        assert isinstance(page, RequestViewScreen)
        assert page.request is not None and page.request.id == target.id
        heading = str(page.query_one("#request-heading").render())
        assert target.reference in heading

        await pilot.press("w")
        await pilot.pause()
        await pilot.press("enter")  # no reason: refused, with a message
        await pilot.pause()
        assert "Enter why the request is withdrawn" in str(
            app.screen.query_one("#error-reason").render()
        )
        # the error summary has the focus; Enter on its line goes to the answer
        await pilot.press("enter", *"Family moved out of area", "enter")
        await settle(pilot)
        saved = store.get(target.id)
        assert saved.status is RequestStatus.WITHDRAWN
        assert saved.history[-1].reason == "Family moved out of area"

        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        row = next(r for r in screen._rows if r.id == target.id)
        assert row.status is RequestStatus.WITHDRAWN
        assert target.id not in {r.id for r in screen.shown}  # filtered on Submitted


async def test_correct_opens_the_task_list_before_the_meeting(store: Store) -> None:
    from vig_tui.screens.walkthrough import RequestWalkthrough

    waiting = next(
        r for r in store.requests(status=RequestStatus.SUBMITTED) if r.meeting and r.meeting > TODAY
    )
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(RequestViewScreen(waiting.id))
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, RequestWalkthrough)


async def test_read_only_register_and_meeting_refuse_changes(tmp_path: Path) -> None:
    from vig_tui.screens.meeting import MeetingScreen

    path = tmp_path / "vig.json"
    with Store.open(path) as writable:
        fill_database(writable, 30, today=TODAY)
    with Store.open(path, read_only=True) as store:
        app = VigApp(store, today=TODAY)
        async with app.run_test(size=(100, 30)) as pilot:
            meeting = MeetingScreen()
            await app.push_screen(meeting)
            await settle(pilot)
            assert meeting.items
            await pilot.press("d")
            await pilot.pause()
            assert app.screen is meeting  # no dialog: the key is disabled
