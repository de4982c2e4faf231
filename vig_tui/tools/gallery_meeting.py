"""Gallery shots of the register and the allocation meeting (see :mod:`vig_tui.tools.gallery`).

Each shot starts on Home with the demo database as of 24 November 2026 and
gets to its screen by the keys a coordinator would press. Nothing is saved:
dialogs are shown filled in but not confirmed, so the shots share one database.
"""

from __future__ import annotations

from datetime import date

from textual.pilot import Pilot

from ..domain.models import RequestStatus
from .gallery import Shot, _app


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _register(pilot: Pilot[None]) -> None:
    await pilot.press("r")
    await _settle(pilot)


async def _register_filtered(pilot: Pilot[None]) -> None:
    await _register(pilot)
    await pilot.press("slash", *"health visiting")
    await _settle(pilot)


async def _request_page(pilot: Pilot[None]) -> None:
    """A request carried forward from an earlier meeting: answers, decisions and history."""
    store = _app(pilot).store
    deferred = next(
        s for s in store.summaries() if s.status is RequestStatus.DEFERRED and s.reference
    )
    assert deferred.reference is not None
    await _register(pilot)
    await pilot.press("slash", *deferred.reference, "enter", "enter")
    await _settle(pilot)


async def _meeting(pilot: Pilot[None]) -> None:
    await pilot.press("m")
    await _settle(pilot)


async def _allocating(pilot: Pilot[None]) -> None:
    await _meeting(pilot)
    await pilot.press("a")
    await pilot.pause()
    await pilot.press("enter", "down", "enter", "tab", "tab", *"Can start in January")
    await pilot.pause()


async def _not_accepted_problem(pilot: Pilot[None]) -> None:
    await _meeting(pilot)
    await pilot.press("n")
    await pilot.pause()
    await pilot.press("tab", "enter")
    await pilot.pause()


async def _deferring(pilot: Pilot[None]) -> None:
    await _meeting(pilot)
    await pilot.press("d", *"Waiting for the child protection review on 9 December")
    await pilot.pause()


async def _bank_holiday(pilot: Pilot[None]) -> None:
    from ..screens.meeting import MeetingScreen

    await pilot.app.push_screen(MeetingScreen(date(2026, 1, 1)))
    await _settle(pilot)


async def _roster(pilot: Pilot[None]) -> None:
    await _meeting(pilot)
    await pilot.press("p")
    await _settle(pilot)


async def _export(pilot: Pilot[None]) -> None:
    await _meeting(pilot)
    await pilot.press("e")
    await pilot.pause()


async def _meeting_record(pilot: Pilot[None]) -> None:
    await _meeting(pilot)
    await pilot.press("r")
    await pilot.pause()
    await pilot.press(*"Ann Trevithick, coordinator", "enter", *"Ben Angove, VIG practitioner")
    await pilot.pause()


async def _reports(pilot: Pilot[None]) -> None:
    await pilot.press("s")
    await _settle(pilot)


async def _report_write(pilot: Pilot[None]) -> None:
    await _reports(pilot)
    await pilot.press("w")
    await pilot.pause()


async def _reports_high_contrast(pilot: Pilot[None]) -> None:
    _app(pilot).theme = "vig-high-contrast"
    await _reports(pilot)
    await pilot.press("right_square_bracket", "right_square_bracket")
    await pilot.pause()


SHOTS: list[Shot] = [
    Shot("register", _register),
    Shot("register-filtered", _register_filtered),
    Shot("request-page", _request_page),
    Shot("meeting", _meeting),
    Shot("meeting-allocate", _allocating),
    Shot("meeting-not-accepted-problem", _not_accepted_problem),
    Shot("meeting-defer", _deferring),
    Shot("meeting-bank-holiday", _bank_holiday),
    Shot("roster", _roster),
    Shot("export-dialog", _export),
    Shot("meeting-record", _meeting_record),
    Shot("reports", _reports),
    Shot("reports-high-contrast", _reports_high_contrast),
    Shot("report-write", _report_write),
]
