"""A conflict over a whole parent or carer is settled in the Inbox by keys at 80x24: `e`
opens the walkthrough's carer card filled from one side, checked as the walkthrough
checks it (errors beside the answer and in a summary, nothing typed lost), and the
choice is saved as one "conflict resolved" entry naming both sides' answers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tests.ui.keys import settle as settled
from tests.unit.test_receiving import ANN, COORDINATOR, request_file, sent_copy
from vig_tui.app import VigApp
from vig_tui.domain.changes import answer_changes
from vig_tui.domain.history import Action, Actor
from vig_tui.domain.models import Carer, CarerRelationship, VigRequest
from vig_tui.screens.carer_answer import CarerAnswer
from vig_tui.screens.inbox import ConflictChoice, InboxScreen
from vig_tui.service.receiving import receive_requests
from vig_tui.store import Store
from vig_tui.widgets.error_summary import ErrorSummary

TODAY = date(2026, 11, 24)


async def settle(app: VigApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await settled(pilot)


def text_of(app: VigApp, selector: str) -> str:
    """What a widget shows on screen, line by line."""
    widget = app.screen.query_one(selector, Static)
    return "\n".join(strip.text for strip in widget.render_lines(widget.region.reset_offset))


NAN = Carer(name="Nan Tregear", relationship=CarerRelationship.KINSHIP_CARER)


def changed(request: VigRequest, who: Actor, change: object) -> VigRequest:
    """``request`` after ``change(copy)``, with one "corrected" entry by ``who``."""
    after = request.model_copy(deep=True)
    change(after)  # type: ignore[operator]
    after.record(who, Action.CORRECTED, "Corrected", changes=answer_changes(request, after))
    return after


@pytest.fixture
def carer_waiting(tmp_path: Path) -> Iterator[tuple[Store, VigRequest]]:
    """The service changed the first carer's phone; the sender removed that carer and
    added another: the first carer waits as a whole, the added one is simply taken."""
    with Store.open(tmp_path / "register.json") as store:
        original = sent_copy()
        receive_requests(store, COORDINATOR, request_file(original), on=TODAY)
        ours = store.get(original.id)
        store.save(
            changed(ours, COORDINATOR, lambda r: setattr(r.carers[0], "phone", "01632 960 111")),
            base_version=ours.version,
        )

        def swap(request: VigRequest) -> None:
            request.carers = [NAN.model_copy()]

        receive_requests(store, COORDINATOR, request_file(changed(original, ANN, swap)), on=TODAY)
        yield store, original


async def test_a_whole_carer_is_written_in_the_carer_card_checked_and_saved_by_keys(
    carer_waiting: tuple[Store, VigRequest],
) -> None:
    store, original = carer_waiting
    first = original.carers[0]
    waiting = store.get(original.id)
    assert [c.path for c in waiting.conflicts] == [f"carers.{first.id}"]
    assert "Nan Tregear" in [c.name for c in waiting.carers]  # added there: taken
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        assert isinstance(app.screen, InboxScreen)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictChoice)
        sides = text_of(app, "#choice-sides")
        assert "(removed)" in sides and "01632 960 111" in sides
        assert "Ann Kitto removed this parent or carer" in text_of(app, ".dialog-lead")
        await pilot.press("e")
        await settle(app, pilot)
        card = app.screen
        assert isinstance(card, CarerAnswer)
        # Filled from the side that still has them (the service's), the name box focused.
        name = card.focused
        assert isinstance(name, Input) and name.value == first.name
        await pilot.press("ctrl+u", "enter")
        await settle(app, pilot)
        assert app.screen is card  # not saved: the walkthrough's words, beside and on top
        summary = card.query_one(ErrorSummary)
        assert [e.message for e in summary.errors] == ["Enter parent or carer 1's name"]
        assert "Enter parent or carer 1's name" in text_of(app, "Asked.-error > .question--error")
        await pilot.press(*"Kerenza Pascoe")  # the first letter goes back to the name
        assert name.value == "Kerenza Pascoe"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, InboxScreen)
        assert "Nothing waits" in text_of(app, "#inbox-lede")
        assert "vig-tui receive FILE" in text_of(app, "#inbox-lede")  # how files come in
    settled = store.get(original.id)
    assert settled.conflicts == []
    kept = next(c for c in settled.carers if c.id == first.id)
    assert (kept.name, kept.phone) == ("Kerenza Pascoe", "01632 960 111")
    assert "Nan Tregear" in [c.name for c in settled.carers]
    entry = settled.history[-1]
    assert entry.action == Action.CONFLICT_RESOLVED and entry.summary.endswith("wrote a new answer")
    assert f"The service's answer: {first.name}" in (entry.reason or "")
    assert "'s answer: (removed)" in (entry.reason or "")
    [change] = entry.changes
    assert change.old["name"] == first.name and change.new["name"] == "Kerenza Pascoe"  # type: ignore[index]


async def test_escape_from_the_card_changes_nothing(
    carer_waiting: tuple[Store, VigRequest],
) -> None:
    store, original = carer_waiting
    before = store.get(original.id)
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        await pilot.press("enter", "e")
        await settle(app, pilot)
        assert isinstance(app.screen, CarerAnswer)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictChoice)
    assert store.get(original.id) == before
