"""Two app instances on one server, as a referrer and as the coordinator: each sees
the other's change without a key press (LISTEN/NOTIFY). How soon is for the benchmark
and the tmux run, not a test (a loaded machine): the waits here are generous."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import date

from textual.widgets import Static

from tests.postgres_server import with_url
from tests.unit.test_store import full_request
from vig_tui.app import VigApp
from vig_tui.domain.decisions import record_decision
from vig_tui.domain.models import Decision, DecisionOutcome, Practitioner, Priority
from vig_tui.screens.register import RegisterScreen
from vig_tui.store import open_repository
from vig_tui.store.postgres import add_user

TODAY = date(2026, 11, 24)
#: Seconds to wait for a change to show (no key is pressed meanwhile).
WAIT = 15.0


def _text(app: VigApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _within(seconds: float, condition: Callable[[], bool]) -> float | None:
    """How long ``condition`` took to hold (None if not within ``seconds``)."""
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        if condition():
            return time.perf_counter() - started
        await asyncio.sleep(0.02)
    return None


async def test_a_sent_request_and_its_decision_show_on_the_other_screen(pg_url: str) -> None:
    add_user(pg_url, "live_referrer", "referrer", "Rae Referrer")
    add_user(pg_url, "live_coordinator", "coordinator", "Cam Coordinator")
    referrer = open_repository(with_url(pg_url, user="live_referrer"))
    coordinator = open_repository(with_url(pg_url, user="live_coordinator"))
    practitioner = Practitioner(name="Pat Practitioner")
    coordinator.save_practitioner(practitioner)
    draft = referrer.save(full_request(1, decisions=[], history=[]), base_version=None)

    coordinating = VigApp(coordinator, today=TODAY)
    referring = VigApp(referrer, today=TODAY)
    async with (
        coordinating.run_test(size=(120, 36)) as coordinator_pilot,
        referring.run_test(size=(120, 36)) as referrer_pilot,
    ):
        await coordinator_pilot.press("r")
        assert await _within(WAIT, lambda: isinstance(coordinating.screen, RegisterScreen))
        register = coordinating.screen
        assert isinstance(register, RegisterScreen)
        # The coordinator sees every request, the referrer's draft among them.
        assert await _within(
            WAIT, lambda: "1 of 1 requests" in _text(coordinating, "#register-count")
        )
        assert [row.reference for row in register.shown] != ["VIG-2026-0001"]

        # The referrer sends: the coordinator's register shows it, no key pressed.
        sent = await asyncio.to_thread(referring.submit_request, draft)
        assert sent.reference == "VIG-2026-0001"
        shown = await _within(
            1.0, lambda: [row.reference for row in register.shown] == ["VIG-2026-0001"]
        )
        assert shown is not None, [row.reference for row in register.shown]

        # The coordinator allocates: the referrer's Home counts it, no key pressed.
        assert await _within(WAIT, lambda: "Allocated:\u00a00" in _text(referring, "#counts"))
        decision = Decision(
            meeting=sent.meeting or TODAY,
            outcome=DecisionOutcome.ALLOCATED,
            practitioner_id=practitioner.id,
            practitioner_name=practitioner.name,
            priority=Priority.HIGH,
        )
        current = coordinator.get(sent.id)
        decided = record_decision(current, decision, coordinator.calendar())
        await asyncio.to_thread(coordinator.save, decided, base_version=current.version)
        counted = await _within(WAIT, lambda: "Allocated:\u00a01" in _text(referring, "#counts"))
        assert counted is not None, _text(referring, "#counts")
        await referrer_pilot.pause()
    referrer.close()
    coordinator.close()
