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


async def test_at_80_columns_every_column_says_something(store: Store) -> None:
    """The Referrer column was cut to "Referr" and Route was off screen at 80 columns:
    the widest columns give way (with an ellipsis), every heading is whole on screen."""
    from vig_tui.screens.register import MINIMUM_WIDTHS
    from vig_tui.widgets.row_grid import GAP

    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_register(app, pilot)
        table = screen.table
        room = table.scrollable_content_region.width
        columns = table.columns
        assert GAP + sum(c.width + GAP for c in columns) <= room
        for column in columns:
            assert column.width >= len(column.label), column.label
        widths = {c.key: c.width for c in columns}
        assert widths["referrer"] >= MINIMUM_WIDTHS["referrer"]
        # What is drawn: every heading whole, and a cut referrer says it was cut.
        heading = table.render_line(0).text
        for label in ("Reference", "Child", "Age", "Status", "Meeting", "Priority", "Referrer"):
            assert label in heading
        assert "Route" in heading
        index = max(range(table.row_count), key=lambda i: len(table.row_texts(i)[6]))
        table.cursor_row = index
        await pilot.pause()
        line = table.render_line(1 + index - round(table.scroll_y)).text
        referrer = table.row_texts(index)[6]
        assert referrer[: widths["referrer"] - 1].rstrip() + "…" in line

        # Wider, the columns are whole again.
        await pilot.resize_terminal(160, 30)
        await pilot.pause()
        await pilot.pause()
        assert table.columns[6].width >= len(referrer)


def test_register_columns_give_way_widest_first_and_never_below_their_minimum() -> None:
    from vig_tui.screens.register import MINIMUM_WIDTHS, fit_widths

    natural = (13, 5, 7, 12, 10, 8, 23, 5)
    assert fit_widths(natural, 200) == natural
    fitted = fit_widths(natural, 80)
    assert 1 + sum(w + 1 for w in fitted) == 80
    assert fitted[:6] == natural[:6]  # reference, age, status, meeting, priority stay whole
    assert fitted[6] == 80 - (1 + sum(w + 1 for w in natural) - 23)
    tight = fit_widths(natural, 40)
    assert tight[1] == MINIMUM_WIDTHS["child"] or tight[1] == natural[1]
    assert tight[6] == MINIMUM_WIDTHS["referrer"] and tight[7] == MINIMUM_WIDTHS["route"]
