"""A register for the meeting's screens: two practitioners (one no longer active),
one request allocated to Jo Pascoe and one waiting for the December meeting."""

from __future__ import annotations

from datetime import date

from textual.pilot import Pilot
from textual.screen import Screen

from vig_tui.app import VigApp
from vig_tui.domain.models import (
    Child,
    Decision,
    DecisionOutcome,
    Practitioner,
    Priority,
    RequestStatus,
    VigRequest,
)
from vig_tui.screens.meeting import MeetingScreen
from vig_tui.store import Store

from .keys import settle

DECEMBER = date(2026, 12, 3)
NOVEMBER = date(2026, 11, 5)


def sent(number: int, name: str) -> VigRequest:
    """A request sent for the December meeting, for a child born in September 2025."""
    return VigRequest(
        reference=f"VIG-2026-{number:04d}",
        status=RequestStatus.SUBMITTED,
        submitted_on=date(2026, 11, 10),
        meeting=DECEMBER,
        child=Child(name=name, date_of_birth=date(2025, 9, 1)),
    )


def allocated(
    number: int, name: str, practitioner: Practitioner, priority: Priority = Priority.HIGH
) -> VigRequest:
    """A request the November meeting allocated to ``practitioner``."""
    request = sent(number, name)
    request.status = RequestStatus.ALLOCATED
    request.decisions.append(
        Decision(
            meeting=NOVEMBER,
            outcome=DecisionOutcome.ALLOCATED,
            practitioner_id=practitioner.id,
            practitioner_name=practitioner.name,
            priority=priority,
        )
    )
    return request


def fill_meeting_register(store: Store) -> None:
    """Jo Pascoe (capacity 2, one allocated), Old Hand (inactive), Piran Kitto waiting."""
    jo = Practitioner(name="Jo Pascoe", capacity=2)
    store.save_practitioner(jo)
    store.save_practitioner(Practitioner(name="Old Hand", active=False))
    busy = allocated(1, "Amelia Tregear", jo)
    store.save(busy, base_version=busy.version)
    store.save(sent(2, "Piran Kitto"), base_version=None)


async def from_the_meeting(app: VigApp, pilot: Pilot[None], key: str) -> Screen[object]:
    """The meeting screen, then ``key`` on it: the screen that key opens."""
    await app.push_screen(MeetingScreen())
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)
    return app.screen
