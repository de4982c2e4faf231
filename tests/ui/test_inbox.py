"""The Inbox by keys at 80x24: Home counts what waits, `i` lists it, Enter shows both
answers side by side with who and when, and k / t / e settle it; the history names both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.unit.test_receiving import (
    COORDINATOR,
    postcode_conflict,
    request_file,
    sent_copy,
)
from vig_tui.app import VigApp
from vig_tui.domain.history import Action
from vig_tui.domain.models import VigRequest
from vig_tui.screens.inbox import ConflictChoice, InboxScreen
from vig_tui.service.receiving import receive_requests
from vig_tui.store import Store

from .conftest import TODAY
from .keys import settle
from .pages import press_and_settle, text_of


@pytest.fixture
def waiting(tmp_path: Path) -> Iterator[tuple[Store, VigRequest]]:
    """A register where the child's postcode was changed here and by the sender."""
    with Store.open(tmp_path / "register.json") as store:
        original = postcode_conflict(store, TODAY)
        yield store, original


async def open_the_conflict(pilot: Pilot[None]) -> ConflictChoice:
    """From Home: the Inbox (``i``), then its first waiting answer (Enter)."""
    assert isinstance(await press_and_settle(pilot, "i"), InboxScreen)
    choice = await press_and_settle(pilot, "enter")
    assert isinstance(choice, ConflictChoice)
    return choice


async def test_home_counts_the_inbox_and_a_conflict_is_settled_by_keys(
    waiting: tuple[Store, VigRequest],
) -> None:
    store, original = waiting
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "1 answer waits in the Inbox" in text_of(app, "#inbox-count")
        assert isinstance(await press_and_settle(pilot, "i"), InboxScreen)
        assert "1 answer changed" in text_of(app, "#inbox-lede")
        assert isinstance(await press_and_settle(pilot, "enter"), ConflictChoice)
        sides = text_of(app, "#choice-sides")
        assert "TR1 1AA" in sides and "TR15 9ZZ" in sides
        assert "Cara Coordinator" in sides and "Ann Kitto" in sides
        assert isinstance(await press_and_settle(pilot, "t"), InboxScreen)
        assert "Nothing waits" in text_of(app, "#inbox-lede")
    settled = store.get(original.id)
    assert settled.child.postcode == "TR15 9ZZ" and settled.conflicts == []
    entry = settled.history[-1]
    assert entry.action == Action.CONFLICT_RESOLVED
    assert "TR1 1AA" in (entry.reason or "") and "TR15 9ZZ" in (entry.reason or "")


async def test_writing_another_answer_checks_it_and_keeps_what_was_typed(
    waiting: tuple[Store, VigRequest],
) -> None:
    store, original = waiting
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_the_conflict(pilot)
        await pilot.press("e")
        await pilot.press("ctrl+u", *"TR3", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConflictChoice)
        assert "Enter a real postcode" in text_of(app, "#choice-problem")
        assert isinstance(await press_and_settle(pilot, *" 3cc", "enter"), InboxScreen)
    settled = store.get(original.id)
    assert settled.child.postcode == "TR3 3CC"
    assert settled.history[-1].summary.endswith("wrote a new answer")


async def test_escape_leaves_it_waiting(waiting: tuple[Store, VigRequest]) -> None:
    store, original = waiting
    before = store.get(original.id)
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_the_conflict(pilot)
        assert isinstance(await press_and_settle(pilot, "escape"), InboxScreen)
        await press_and_settle(pilot, "escape")
    assert store.get(original.id) == before


async def test_the_meeting_sends_its_decisions_back_by_keys(tmp_path: Path) -> None:
    from vig_tui.domain.models import Decision, DecisionOutcome
    from vig_tui.screens.notices_dialog import NoticesDialog
    from vig_tui.service import decide

    out = tmp_path / "notices"
    with Store.open(tmp_path / "register.json") as store:
        original = sent_copy()
        receive_requests(store, COORDINATOR, request_file(original), on=TODAY)
        held = store.get(original.id)
        assert held.meeting is not None
        decision = Decision(meeting=held.meeting, outcome=DecisionOutcome.DEFERRED, reason="Busy")
        decide(store, COORDINATOR, held, decision, store.calendar())
        app = VigApp(store, today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await press_and_settle(pilot, "m")
            assert isinstance(await press_and_settle(pilot, "s"), NoticesDialog)
            await pilot.press("shift+tab", "ctrl+u", *str(out), "enter")
            await settle(pilot)
            result = text_of(app, "#notices-result")
            assert "Ann Kitto: 1 decision" in result
            # The folder's path is long enough to wrap: read it without the line breaks.
            assert str(out) in "".join(result.split())
    assert len(list(out.glob("*.age"))) == 1 and len(list(out.glob("*.md"))) == 1


async def test_the_request_page_says_who_sent_it_and_what_waits(
    waiting: tuple[Store, VigRequest],
) -> None:
    from vig_tui.screens.request_view import RequestViewScreen

    store, original = waiting
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(RequestViewScreen(original.id))
        await settle(pilot)
        status = text_of(app, "#request-status")
        assert "Received by file from Ann Kitto, Health visitor" in status
        assert "1 answer changed on both sides waits in the Inbox" in status
