"""The app on the service's register on a server, by keys at 80x24: the Inbox (`i` on
Home) settles a conflict, saved under the coordinator's login; `s` on the meeting
screen writes the decisions back to the referrer, sealed to their key."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest
from pyrage import x25519

from tests.postgres_server import with_url
from tests.ui.keys import settle
from tests.ui.pages import text_of
from tests.unit.test_receiving import ANN, COORDINATOR, corrected, request_file, sent_copy
from vig_tui.app import VigApp
from vig_tui.domain.history import Action
from vig_tui.domain.models import Decision, DecisionOutcome
from vig_tui.exchange.payloads import DecisionNotice
from vig_tui.screens.inbox import ConflictChoice, InboxScreen
from vig_tui.service import decide
from vig_tui.service.receiving import open_sealed, receive_requests
from vig_tui.store import open_repository
from vig_tui.store.postgres import add_user

TODAY = date(2026, 11, 24)


@pytest.fixture
def coordinator(pg_url: str) -> str:
    """The URL of a coordinator's login on the register."""
    login = f"cara_{uuid4().hex[:8]}"
    add_user(pg_url, login, "coordinator", "Cara Example")
    return with_url(pg_url, user=login)


async def test_the_inbox_settles_a_conflict_on_the_server(coordinator: str, pg_url: str) -> None:
    original = sent_copy()
    with open_repository(coordinator) as store:
        receive_requests(store, COORDINATOR, request_file(original), on=TODAY)
        ours = store.get(original.id)
        store.save(corrected(ours, COORDINATOR, postcode="TR1 1AA"), base_version=ours.version)
        theirs = corrected(original, ANN, postcode="TR15 9ZZ")
        receive_requests(store, COORDINATOR, request_file(theirs), on=TODAY)
    store = open_repository(coordinator)
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "1 answer waits in the Inbox" in text_of(app, "#inbox-count")
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConflictChoice)
        sides = text_of(app, "#choice-sides")
        assert "TR1 1AA" in sides and "TR15 9ZZ" in sides
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        assert "Nothing waits" in text_of(app, "#inbox-lede")
    settled = store.get(original.id)
    store.close()
    assert settled.child.postcode == "TR15 9ZZ" and settled.conflicts == []
    entry = settled.history[-1]
    assert entry.action == Action.CONFLICT_RESOLVED and entry.who == app.actor
    assert "TR1 1AA" in (entry.reason or "") and "TR15 9ZZ" in (entry.reason or "")
    with psycopg.connect(pg_url) as admin:
        row = admin.execute(
            "SELECT written_by FROM vig.history WHERE entry->>'hash' = %s", (entry.hash,)
        ).fetchone()
    assert row == (psycopg.conninfo.conninfo_to_dict(coordinator)["user"],)


async def test_the_meeting_sends_its_decisions_back_from_the_server(
    coordinator: str, tmp_path: Path
) -> None:
    from vig_tui.screens.notices_dialog import NoticesDialog

    referrer_key = x25519.Identity.generate()
    out = tmp_path / "notices"
    original = sent_copy()
    document = request_file(original).model_copy(
        update={"sender_key": str(referrer_key.to_public())}
    )
    store = open_repository(coordinator)
    receive_requests(store, COORDINATOR, document, on=TODAY)
    held = store.get(original.id)
    assert held.meeting is not None
    decision = Decision(meeting=held.meeting, outcome=DecisionOutcome.DEFERRED, reason="Busy")
    decide(store, COORDINATOR, held, decision, store.calendar())
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, NoticesDialog)
        await pilot.press("shift+tab", "ctrl+u", *str(out), "enter")
        await settle(pilot)
        assert "Ann Kitto: 1 decision" in text_of(app, "#notices-result")
    store.close()
    [sealed] = out.glob("*.age")
    notice = open_sealed(sealed.read_bytes(), [referrer_key], name=sealed.name)
    assert isinstance(notice, DecisionNotice)
    [item] = notice.decisions
    assert (item.request_id, item.outcome, item.reference) == (
        original.id,
        DecisionOutcome.DEFERRED,
        held.reference,
    )
