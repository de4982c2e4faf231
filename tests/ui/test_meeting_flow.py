"""The meeting keeps its shape and pace: a full practitioner is allocated only when
meant, a second deferral is flagged, the table holds still and moves on by itself."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable

from vig_tui.app import VigApp
from vig_tui.domain.decisions import record_decision
from vig_tui.domain.history import Actor
from vig_tui.domain.meetings import MeetingCalendar
from vig_tui.domain.models import (
    Decision,
    DecisionOutcome,
    Practitioner,
    Priority,
    RequestStatus,
)
from vig_tui.screens.confirm import ConfirmDialog
from vig_tui.screens.decision import AllocateDialog, DeferDialog
from vig_tui.screens.meeting import MeetingScreen
from vig_tui.store import Store

from .keys import settle
from .test_meeting_decisions import DECEMBER, TODAY, open_meeting, sent

NOVEMBER = date(2026, 11, 5)

COORDINATOR = Actor(name="Cass Coordinator", role="VIG coordinator", user="cass", machine="t")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "vig.json") as store:
        full = Practitioner(name="Jo Pascoe", capacity=1)
        store.save_practitioner(full)
        store.save_practitioner(Practitioner(name="Kit Rowe", capacity=3))
        earlier = sent(9, "Noah Jory", date(2025, 1, 2), meeting=NOVEMBER)
        allocated = record_decision(
            earlier,
            Decision(
                meeting=NOVEMBER,
                outcome=DecisionOutcome.ALLOCATED,
                practitioner_id=full.id,
                practitioner_name=full.name,
                priority=Priority.HIGH,
            ),
            MeetingCalendar(),
            who=COORDINATOR,
        )
        store.save(allocated, base_version=None)
        for number, name in ((1, "Amelia Tregear"), (2, "Ben Pascoe"), (3, "Cerys Lanyon")):
            store.save(sent(number, name, date(2025, 9, number)), base_version=None)
        yield store


def _widths(screen: MeetingScreen) -> list[int]:
    return [
        column.get_render_width(screen.query_one(DataTable))
        for column in screen.query_one(DataTable).ordered_columns
    ]


async def test_allocating_to_a_full_practitioner_asks_first(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_meeting(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AllocateDialog)
        labels = [label for label, _ in dialog.options]
        assert labels == ["Jo Pascoe: 1 of 1 (full)", "Kit Rowe: 0 of 3"]
        await pilot.press("enter", "down", "enter")  # Jo Pascoe, who is full
        await pilot.press("ctrl+s")
        await pilot.pause()
        warning = app.screen
        assert isinstance(warning, ConfirmDialog)
        text = " ".join(str(w.render()) for w in warning.query("Label, Static"))
        assert "Jo Pascoe is full" in text and "1 family" in text
        await pilot.press("enter")  # "Choose someone else" has focus
        await pilot.pause()
        assert app.screen is dialog
        assert store.get(store.find_reference("VIG-2026-0001").id).status is (  # type: ignore[union-attr]
            RequestStatus.SUBMITTED
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("tab", "enter")  # Allocate anyway
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen)
        decided = store.find_reference("VIG-2026-0001")
        assert decided is not None and decided.status is RequestStatus.ALLOCATED
        assert decided.latest_decision and decided.latest_decision.practitioner_name == "Jo Pascoe"
        # The cell says who in the room there is (it showed "Allocated: J…" at 80 columns).
        table = app.screen.query_one(DataTable)
        row = table.get_row_index(str(decided.id))
        lines = [strip.text for strip in table.render_lines(table.region.reset_offset)]
        assert "Allocated: Jo " in lines[row + 1]


async def test_after_a_decision_the_table_holds_still_and_moves_to_the_next(
    store: Store,
) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(app, pilot)
        table = screen.query_one(DataTable)
        before = _widths(screen)
        first = screen.items[table.cursor_row]
        await pilot.press("n", "enter", "down", "enter", "tab", *"Not for VIG", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen)
        assert _widths(screen) == before
        now = screen.items[table.cursor_row]
        assert now.request.id != first.request.id and now.awaiting
        await pilot.press("d", *"Family away", "enter")
        await settle(pilot)
        assert _widths(screen) == before
        last = screen.items[table.cursor_row]
        assert last.awaiting and last.request.id not in (first.request.id, now.request.id)


async def test_deferring_a_request_deferred_before_warns(store: Store) -> None:
    request = store.find_reference("VIG-2026-0002")
    assert request is not None
    request.meeting = NOVEMBER
    deferred = record_decision(
        request,
        Decision(meeting=NOVEMBER, outcome=DecisionOutcome.DEFERRED, reason="Waiting"),
        MeetingCalendar(),
        who=COORDINATOR,
    )
    store.save(deferred, base_version=request.version)
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_meeting(app, pilot)
        table = screen.query_one(DataTable)
        table.move_cursor(
            row=next(i for i, it in enumerate(screen.items) if it.request.id == deferred.id)
        )
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DeferDialog)
        warning = str(dialog.query_one("#defer-warning").render())
        assert "Already deferred once" in warning and "5 November 2026" in warning
        await pilot.press("escape")
        await pilot.pause()
        table.move_cursor(
            row=next(
                i
                for i, it in enumerate(screen.items)
                if it.request.id != deferred.id and it.awaiting
            )
        )
        await pilot.press("d")
        await pilot.pause()
        assert not app.screen.query("#defer-warning")
    assert DECEMBER


async def test_an_allocation_longer_than_its_column_does_not_widen_it(store: Store) -> None:
    """An allocation ("Allocated to Kit Rowe, High") longer than the Decision column: it ends in "…"
    (the detail below has it whole) and the columns stay where they were."""
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(app, pilot)
        before = _widths(screen)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AllocateDialog)
        await pilot.press("enter", "down", "down", "enter", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen)
        assert any(i.decision is not None for i in screen.items)
        assert _widths(screen) == before


@pytest.mark.parametrize("width", [80, 120])
async def test_every_column_fits_the_screen_with_the_referrer_last(
    store: Store, width: int
) -> None:
    """At 80x24 the Referrer column was cut off the right edge (the table scrolled
    sideways); now the referrer takes the room left, and a long name ends in "…"."""
    long_name = store.find_reference("VIG-2026-0002")
    assert long_name is not None
    long_name.referrer.name = "Alexandra Penhaligon-Trevithick"
    store.save(long_name, base_version=long_name.version)
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(width, 24)) as pilot:
        screen = await open_meeting(app, pilot)
        await settle(pilot)
        table = screen.query_one(DataTable)
        headings = [str(column.label) for column in table.ordered_columns]
        assert headings[-1] == "Referrer"
        assert sum(_widths(screen)) <= table.scrollable_content_region.width
        assert not table.show_horizontal_scrollbar
        row = screen.items.index(next(i for i in screen.items if i.request.id == long_name.id))
        assert str(table.get_row_at(row)[-1]).startswith("Alexandra Pe")
        lines = [strip.text for strip in table.render_lines(table.region.reset_offset)]
        assert "Referrer" in lines[0]
        # A long name is shortened, the role kept: "Alexandra Pe… (SW)".
        assert any("Alexandra Pe" in line and " (SW)" in line for line in lines)
        if width == 120:
            assert any("Alexandra Penhaligon-Trevithick (SW)" in line for line in lines)
