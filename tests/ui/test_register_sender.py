"""The register's "Sent as" column: the number a request had on its sender's machine,
for requests received by file; nothing for requests made on this machine. Adding it
cuts neither the reference nor the child at 80 columns."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import TEST_MACHINE
from tests.ui.keys import settle
from tests.unit.test_receiving import COORDINATOR, request_file, sent_copy
from vig_tui.app import VigApp
from vig_tui.domain.local_numbers import local_prefix
from vig_tui.domain.models import VigRequest
from vig_tui.screens.register import RegisterScreen
from vig_tui.service.receiving import receive_requests
from vig_tui.store import Store
from vig_tui.tools.demo import fill_database

TODAY = date(2026, 11, 24)
THEIRS = "DRAFT-7F3A-0001"


def numbered(name: str, local_number: str) -> VigRequest:
    request = sent_copy(name=name)
    request.local_number = local_number
    return request


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[Store, VigRequest, VigRequest]]:
    with Store.open(tmp_path / "vig.json") as store:
        fill_database(store, 12, today=TODAY)
        theirs = numbered("Bethany Penhaligon-Rowse", THEIRS)
        # This machine's own number (a copy of its own request that came back).
        own = numbered("Jory Pascoe", f"{local_prefix(TEST_MACHINE)}0004")
        receive_requests(store, COORDINATOR, request_file(theirs, own), on=TODAY)
        yield store, theirs, own


async def open_register(app: VigApp, pilot) -> RegisterScreen:  # type: ignore[no-untyped-def]
    screen = RegisterScreen()
    await app.push_screen(screen)
    await settle(pilot)
    return screen


def row_of(screen: RegisterScreen, request: VigRequest) -> tuple[str, ...]:
    table = screen.table
    [index] = [i for i, row in enumerate(screen.shown) if row.id == request.id]
    return table.row_texts(index)


async def test_the_sender_s_number_is_a_column_and_this_machine_s_own_show_nothing(
    store: tuple[Store, VigRequest, VigRequest],
) -> None:
    db, theirs, own = store
    app = VigApp(db, today=TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_register(app, pilot)
        keys = [column.key for column in screen.table.columns]
        sent_as = keys.index("sender")
        assert screen.table.columns[sent_as].label.startswith("Sent as")
        assert row_of(screen, theirs)[sent_as] == THEIRS
        assert row_of(screen, own)[sent_as] == ""
        assert row_of(screen, theirs)[0].startswith("VIG-")
        made_here = [row for row in screen.shown if row.id not in (theirs.id, own.id)]
        assert made_here and all(row.sender_number == "" for row in made_here)
        heading = screen.table.render_line(0).text
        assert "Sent as" in heading
        line = next(
            screen.table.render_line(1 + i).text
            for i, row in enumerate(screen.shown)
            if row.id == theirs.id
        )
        assert THEIRS in line
        # Sorting by it brings the requests received by file first.
        while screen.table.columns[sent_as].label == "Sent as":
            await pilot.press("s")
            await pilot.pause()
        await settle(pilot)
        assert screen.shown[0].id == theirs.id


async def test_at_80_columns_the_reference_and_child_stay_whole(
    store: tuple[Store, VigRequest, VigRequest],
) -> None:
    db, theirs, _ = store
    app = VigApp(db, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_register(app, pilot)
        widths = {c.key: c.width for c in screen.table.columns}
        assert widths["reference"] >= len("VIG-2026-0001")
        assert widths["child"] >= max(len(row.child) for row in screen.shown)
        heading = screen.table.render_line(0).text
        for label in ("Reference", "Child", "Referrer", "Route"):
            assert label in heading
        line = next(
            screen.table.render_line(1 + i).text
            for i, row in enumerate(screen.shown)
            if row.id == theirs.id
        )
        assert row_of(screen, theirs)[0] in line and row_of(screen, theirs)[1] in line
