"""The register draws exactly the rows that match, wherever the cursor goes, and the
filter's new rows are there as soon as the key is handled."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Select

from vig_tui.app import VigApp
from vig_tui.screens.register import RegisterScreen
from vig_tui.store import Store
from vig_tui.tools.demo import fill_database

TODAY = date(2026, 11, 24)
SIZE = 450


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("register") / "vig.json"
    with Store.open(path) as store:
        fill_database(store, SIZE, today=TODAY)
    return path


@pytest.fixture
def store(database: Path) -> Iterator[Store]:
    with Store.open(database, read_only=True) as store:
        yield store


async def open_register(app: VigApp, pilot) -> RegisterScreen:  # type: ignore[no-untyped-def]
    screen = RegisterScreen()
    await app.push_screen(screen)
    await pilot.pause()
    await asyncio.wait_for(app.workers.wait_for_complete(), 20)
    await pilot.pause(0.1)
    return screen


def drawn_references(screen: RegisterScreen) -> list[str]:
    """The reference at the start of each row line drawn on screen, top to bottom."""
    table = screen.table
    lines = [table.render_line(y).text for y in range(1, table.scrollable_content_region.height)]
    return [line.split()[0] for line in lines if line.strip()]


def on_screen(screen: RegisterScreen) -> list[str]:
    """The references the rows in view should show."""
    table = screen.table
    top, lines = round(table.scroll_y), table.scrollable_content_region.height - 1
    return [r.reference for r in screen.shown[top : top + lines]]


def count_line(screen: RegisterScreen) -> str:
    return str(screen.query_one("#register-count").render())


async def test_every_request_is_a_row_and_end_goes_to_the_last(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_register(app, pilot)
        table = screen.table
        assert table.row_count == len(screen.shown) == SIZE
        assert count_line(screen).startswith(f"{SIZE} of {SIZE} requests")
        assert drawn_references(screen) == on_screen(screen)
        assert drawn_references(screen)[0] == screen.shown[0].reference

        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == SIZE - 1
        assert table.highlighted == screen.shown[-1]
        assert drawn_references(screen)[-1] == screen.shown[-1].reference
        assert drawn_references(screen) == on_screen(screen)

        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0 and round(table.scroll_y) == 0


async def test_page_down_keeps_the_cursor_in_view(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_register(app, pilot)
        table = screen.table
        for _ in range(3):
            await pilot.press("pagedown")
        await pilot.press("down", "up", "up")
        await pilot.pause()
        page = table.scrollable_content_region.height - 1
        assert table.cursor_row == 3 * page - 1
        drawn = drawn_references(screen)
        assert drawn == on_screen(screen)
        assert screen.shown[table.cursor_row].reference in drawn


async def test_every_line_shows_its_request_after_each_keystroke(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_register(app, pilot)
        table = screen.table
        await pilot.press("slash")
        for keys in ("e", "backspace", "a", "n", "backspace", "backspace"):
            await pilot.press(keys)
            await pilot.pause()
            assert table.row_count == len(screen.shown), keys
            assert drawn_references(screen) == on_screen(screen), keys
        assert len(screen.shown) == SIZE

        # the highlighted request keeps the cursor while the filter narrows
        await pilot.press("escape")  # back to the table
        await pilot.press("down", "down")
        highlighted = screen.shown[2]
        await pilot.press("slash", *highlighted.reference)
        await pilot.pause()
        assert screen.shown == [highlighted]
        assert table.cursor_row == 0 and drawn_references(screen) == [highlighted.reference]
        assert count_line(screen).startswith(f"1 of {SIZE} requests")


async def test_the_filter_updates_the_rows_as_the_key_is_handled(store: Store) -> None:
    """No message round trip: the rows change before anything else runs, so the
    frame that shows the letter shows the rows it leaves."""
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_register(app, pilot)
        reference = screen.shown[7].reference
        screen.query_one("#register-filter").value = reference  # type: ignore[attr-defined]
        # no pause: nothing has had a chance to run in between
        assert [r.reference for r in screen.shown] == [reference]
        assert screen.table.row_count == 1
        assert count_line(screen).startswith(f"1 of {SIZE}")


async def test_a_click_moves_the_cursor_and_a_second_opens(store: Store) -> None:
    from vig_tui.screens.request_view import RequestViewScreen

    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_register(app, pilot)
        await pilot.click("#register-table", offset=(3, 4))  # the fourth row
        await pilot.pause()
        assert screen.table.cursor_row == 3
        assert app.screen is screen
        await pilot.click("#register-table", offset=(3, 4))
        await pilot.pause()
        await asyncio.wait_for(app.workers.wait_for_complete(), 20)
        await pilot.pause()
        assert isinstance(app.screen, RequestViewScreen)
        assert app.screen.request is not None and app.screen.request.id == screen.shown[3].id


async def test_letters_typed_straight_after_slash_go_to_the_filter(store: Store) -> None:
    """'/' moves to the filter as it is read, so a fast typist's next letters
    are the filter's, not the table's ('s' there would sort)."""
    from tests.ui.keys import burst

    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_register(app, pilot)
        reference = screen.shown[5].reference
        burst(app, "slash", *reference.lower())
        await pilot.pause()
        assert screen.query_one("#register-filter").value == reference.lower()  # type: ignore[attr-defined]
        assert [r.reference for r in screen.shown] == [reference]
        assert count_line(screen).endswith("by reference (ascending)")

        # Enter in the filter is the filter's: back to the table, nothing opened
        await pilot.press("enter")
        assert app.screen is screen and screen.focused is screen.table
        # and Enter on a drop-down opens it
        status = screen.query_one("#register-status", Select)
        screen.set_focus(status)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and status.expanded


async def test_enter_opens_the_highlighted_request_as_it_is_read(store: Store) -> None:
    """Keys typed straight after Enter belong to the request page, not the table."""
    from tests.ui.keys import burst
    from vig_tui.screens.request_view import RequestViewScreen

    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_register(app, pilot)
        target = screen.shown[0]
        burst(app, "enter", "down", "down", "down")
        await pilot.pause()
        await asyncio.wait_for(app.workers.wait_for_complete(), 20)
        await pilot.pause()
        assert isinstance(app.screen, RequestViewScreen)
        assert app.screen.request is not None and app.screen.request.id == target.id
        assert screen.table.cursor_row == 0  # the downs were not the table's


async def test_down_from_the_filter_lands_on_the_first_match(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_register(app, pilot)
        await pilot.press("slash", *"health", "down")
        assert screen.focused is screen.table
        assert screen.table.cursor_row == 0
        first = screen.shown[0]
        await pilot.press("enter")
        await asyncio.wait_for(app.workers.wait_for_complete(), 20)
        await pilot.pause()
        assert app.screen.request.id == first.id  # type: ignore[attr-defined]


async def test_no_match_is_said_in_words(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_register(app, pilot)
        await pilot.press("slash", *"zzzz")
        assert screen.table.row_count == 0
        assert count_line(screen).startswith(f"No request matches: 0 of {SIZE} requests")
        await pilot.press("ctrl+r")
        await asyncio.wait_for(app.workers.wait_for_complete(), 20)
        await pilot.pause()
        assert count_line(screen).startswith("No request matches")  # the filter still applies


def test_column_widths_count_wide_characters_as_two() -> None:
    from dataclasses import replace

    from vig_tui.domain.models import RequestStatus
    from vig_tui.domain.views import RegisterRow
    from vig_tui.screens.register import column_widths

    row = RegisterRow(
        id=__import__("uuid").uuid4(),
        reference="VIG-2026-0001",
        child="A.B.",
        age="2y",
        age_months=24,
        referrer="山田太郎山田太郎山田太郎山田",
        role="HV",
        route="Hub",
        status=RequestStatus.SUBMITTED,
        meeting=None,
        priority=None,
        score=0,
        haystack="",
    )
    longer_in_letters = replace(row, referrer="Bethany Penhaligon-Rowse")  # 24 letters
    widths = column_widths([longer_in_letters, row])
    assert widths[6] == 14 * 2 + len(" (HV)")  # each of the 14 characters takes two cells
    assert column_widths([longer_in_letters])[6] == 24 + len(" (HV)")
