"""The allocation meeting by keys: each kind of decision, saved at once, and what follows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from tests.ui.keys import settle
from vig_tui.app import VigApp
from vig_tui.domain.history import Action, Actor
from vig_tui.domain.models import (
    Child,
    DecisionOutcome,
    NotAcceptedReason,
    Practitioner,
    Priority,
    Referrer,
    ReferrerRole,
    RequestStatus,
    VigRequest,
)
from vig_tui.screens.conflict import ConflictScreen
from vig_tui.screens.decision import AllocateDialog
from vig_tui.screens.meeting import MeetingScreen
from vig_tui.service import correct
from vig_tui.store import Store

TODAY = date(2026, 11, 24)
DECEMBER = date(2026, 12, 3)
JANUARY = date(2027, 1, 7)
FEBRUARY = date(2027, 2, 4)


SENDER = Actor(name="Alex Worker", role="Social worker", user="alex", machine="m-1")


def sent(number: int, name: str, born: date, meeting: date = DECEMBER) -> VigRequest:
    request = VigRequest(
        reference=f"VIG-2026-{number:04d}",
        status=RequestStatus.SUBMITTED,
        submitted_on=date(2026, 11, 10),
        meeting=meeting,
        child=Child(name=name, date_of_birth=born),
        referrer=Referrer(name="Alex Worker", role=ReferrerRole.SOCIAL_WORKER, team="Truro"),
    )
    request.record(SENDER, Action.SENT, "Sent to the VIG service")
    return request


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "vig.json") as store:
        store.save_practitioner(Practitioner(name="Jo Pascoe", capacity=4))
        store.save(sent(1, "Amelia Tregear", date(2025, 9, 1)), base_version=None)
        yield store


def only(store: Store) -> VigRequest:
    (request,) = store.requests()
    return request


async def open_meeting(app: VigApp, pilot) -> MeetingScreen:  # type: ignore[no-untyped-def]
    screen = MeetingScreen()
    await app.push_screen(screen)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return screen


async def test_opens_on_next_meeting_with_its_requests(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_meeting(app, pilot)
        assert screen.meeting is not None and screen.meeting.date == DECEMBER
        assert [i.request.reference for i in screen.items] == ["VIG-2026-0001"]
        assert screen.query_one(DataTable).row_count == 1


async def test_allocate_by_keys(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_meeting(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AllocateDialog)
        # the practitioner list shows each one's caseload and capacity
        assert [label for label, _ in dialog.options] == ["Jo Pascoe: 0 of 4"]
        await pilot.press("enter", "down", "enter")  # choose Jo Pascoe
        await pilot.press("tab", "tab")  # past the priority (suggested) to the note
        await pilot.press(*"Start in January", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MeetingScreen)
        request = only(store)
        assert request.status is RequestStatus.ALLOCATED
        decision = request.latest_decision
        assert decision is not None
        assert decision.outcome is DecisionOutcome.ALLOCATED
        assert decision.practitioner_name == "Jo Pascoe"
        assert decision.priority in set(Priority)
        assert decision.note == "Start in January"
        assert request.meeting == DECEMBER
        assert request.history[-1].action == "decided"
        assert request.history[-1].who.name == "Tess Tester"
        assert "Jo Pascoe" in request.history[-1].summary


async def test_allocate_without_practitioner_says_so_and_saves_nothing(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_meeting(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#field-note", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        error = dialog.query_one("#error-practitioner_id")
        assert "Choose the VIG practitioner" in str(error.render())
        await pilot.press("escape")
        await settle(pilot)
        assert only(store).status is RequestStatus.SUBMITTED
        assert only(store).decisions == []


async def test_not_accepted_by_keys(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_meeting(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("enter", "down", "enter")  # the first reason
        await pilot.press("tab", *"Criteria not evidenced yet", "enter")
        await settle(pilot)
        request = only(store)
        assert request.status is RequestStatus.NOT_ACCEPTED
        decision = request.latest_decision
        assert decision is not None
        assert decision.not_accepted_reason is NotAcceptedReason.CRITERIA_NOT_MET
        assert decision.note == "Criteria not evidenced yet"
        assert request.history[-1].reason == "Criteria not evidenced yet"


async def test_defer_moves_to_following_meeting_as_carried_forward(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_meeting(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press(*"Waiting for the CIN review", "enter")
        await settle(pilot)
        request = only(store)
        assert request.status is RequestStatus.DEFERRED
        assert request.meeting == JANUARY
        assert request.history[-1].reason == "Waiting for the CIN review"
        # still listed at December, as decided
        assert screen.items[0].decision is not None
        assert not screen.items[0].awaiting

        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.meeting is not None and screen.meeting.date == JANUARY
        (item,) = screen.items
        assert item.carried_forward and item.carried_from == DECEMBER
        table = screen.query_one(DataTable)
        # The table says the day and month (to fit 80 columns); the detail, the full date.
        assert "3 Dec" in str(table.get_row_at(0))
        assert "Carried forward from 3 December 2026" in str(
            screen.query_one("#agenda-detail").render()
        )


async def test_more_information_stays_submitted_and_moves(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_meeting(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*"The assessment summary", "enter")
        await pilot.press(*"Alex Worker", "enter")
        await settle(pilot)
        request = only(store)
        assert request.status is RequestStatus.SUBMITTED
        assert request.meeting == JANUARY
        decision = request.latest_decision
        assert decision is not None
        assert decision.outcome is DecisionOutcome.MORE_INFORMATION
        assert decision.information_needed == "The assessment summary"
        assert decision.information_from == "Alex Worker"
        assert "Alex Worker" in request.history[-1].summary


async def test_decided_request_is_not_decided_twice(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_meeting(app, pilot)
        await pilot.press("d", *"Later", "ctrl+s")  # ctrl+s saves from any field
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert len(only(store).decisions) == 1


async def test_a_decision_on_a_request_changed_since_loading_is_refused(store: Store) -> None:
    """The screen loaded the request; it was corrected meanwhile: deciding must not
    overwrite the correction. The two versions are shown side by side, with who changed
    it; leaving it saves nothing, re-applying records the decision on the current version."""
    corrector = Actor(name="Cora Corrector", role="Social worker", user="cora", machine="m-9")
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await open_meeting(app, pilot)
        loaded = only(store)
        changed = loaded.model_copy(deep=True)
        changed.child.name = "Amelia Tregear-Pascoe"
        correct(store, corrector, loaded, changed, "Double-barrelled surname")
        await pilot.press("d")
        await pilot.pause()
        await pilot.press(*"Waiting for the CIN review", "enter")
        await settle(pilot)
        conflict = app.screen
        assert isinstance(conflict, ConflictScreen)
        text = _text(conflict)
        assert "VIG-2026-0001 has changed since you opened it" in text
        assert "Cora Corrector, Social worker" in text
        assert "Amelia Tregear" in text and "Amelia Tregear-Pascoe" in text
        assert "Reason: Double-barrelled surname" in text
        assert "Your change: Deferred" in text
        # Leave it: nothing of the decision is saved; the correction stays.
        await pilot.press("escape")
        await settle(pilot)
        request = only(store)
        assert request.child.name == "Amelia Tregear-Pascoe"
        assert request.status is RequestStatus.SUBMITTED and request.decisions == []
        assert screen.items[0].decision is None
        # Deciding again, the coordinator re-applies the decision to the current version.
        loaded_again = screen.items[0].request
        assert loaded_again.child.name == "Amelia Tregear-Pascoe"
        changed = loaded_again.model_copy(deep=True)
        changed.child.setting = "Trevenna Nursery"
        correct(store, corrector, loaded_again, changed, "Nursery place confirmed")
        await pilot.press("d")
        await pilot.pause()
        await pilot.press(*"Waiting for the CIN review", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        app.screen.query_one("#reapply").focus()
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        request = only(store)
        assert request.status is RequestStatus.DEFERRED
        assert request.child.setting == "Trevenna Nursery"
        assert [e.action for e in request.history][-3:] == ["corrected", "corrected", "decided"]
        assert request.history[-1].who.name == "Tess Tester"
        assert request.history_problem() is None


def _text(screen: object) -> str:
    import io

    from rich.console import Console

    console = Console(width=110, record=True, file=io.StringIO())
    for widget in screen.query(Static):  # type: ignore[attr-defined]
        console.print(widget.render())
    return console.export_text()


async def test_high_priority_listed_first(tmp_path: Path) -> None:
    with Store.open(tmp_path / "vig.json") as store:
        store.save(sent(1, "Older Child", date(2015, 1, 1)), base_version=None)
        store.save(sent(2, "Baby Child", date(2026, 6, 1)), base_version=None)
        app = VigApp(store, today=TODAY)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await open_meeting(app, pilot)
            ranks = [item.suggestion.priority.rank for item in screen.items]
            assert ranks == sorted(ranks)
            assert screen.items[0].request.reference == "VIG-2026-0002"


async def test_step_to_earlier_and_later_meetings(store: Store) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_meeting(app, pilot)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.meeting is not None and screen.meeting.date == date(2026, 11, 5)
        assert screen.items == []
        await pilot.press("t")
        await settle(pilot)
        assert screen.meeting.date == DECEMBER


async def test_bank_holiday_meeting_is_flagged_and_can_be_moved(tmp_path: Path) -> None:
    # 1 January 2026, New Year's Day, is the first Thursday of January 2026.
    with Store.open(tmp_path / "vig.json") as store:
        store.save(
            sent(1, "Amelia Tregear", date(2025, 9, 1), meeting=date(2026, 1, 1)), base_version=None
        )
        app = VigApp(store, today=date(2025, 12, 20))
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await open_meeting(app, pilot)
            assert screen.meeting is not None and screen.meeting.bank_holiday
            note = str(screen.query_one("#meeting-note").render())
            assert "bank holiday" in note and "2 January 2026" in note
            await pilot.press("m")
            await pilot.pause()
            # the proposed day is filled in; give the reason
            await pilot.press("tab", *"New Year's Day", "enter")
            await settle(pilot)
            assert screen.meeting.moved and screen.meeting.date == date(2026, 1, 2)
            assert "Moved" in str(screen.query_one("#meeting-note").render())
            assert only(store).meeting == date(2026, 1, 2)
            assert [i.request.reference for i in screen.items] == ["VIG-2026-0001"]


async def test_a_request_deferred_twice_stays_on_its_first_meetings_screen(store: Store) -> None:
    """Each meeting lists the request with the decision taken there, however many came after."""
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_meeting(app, pilot)
        await pilot.press("d", *"Waiting for the CIN review", "enter")
        await settle(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        await pilot.press("d", *"Still waiting for the review", "enter")
        await settle(pilot)
        assert only(store).meeting == FEBRUARY

        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.meeting is not None and screen.meeting.date == DECEMBER
        (december,) = screen.items
        assert december.decision is not None and december.decision.meeting == DECEMBER
        assert december.decision.reason == "Waiting for the CIN review"
        assert not december.carried_forward
        row = [str(cell) for cell in screen.query_one(DataTable).get_row_at(0)]
        assert row[0] == "VIG-2026-0001" and row[3] == "Deferred"

        await pilot.press("right_square_bracket")
        await settle(pilot)
        (january,) = screen.items
        assert january.carried_from == DECEMBER
        assert january.decision is not None
        assert january.decision.reason == "Still waiting for the review"

        await pilot.press("right_square_bracket")
        await settle(pilot)
        (february,) = screen.items
        assert february.awaiting and february.carried_from == DECEMBER
