"""Gallery shots of the consent and work pages (see :mod:`vig_tui.tools.gallery`).

The demo's allocated requests have no consents or work yet, so these shots
open the pages on a copy of one, made further along by the domain's own steps
in memory: nothing is saved, and the other shots' database stays as it was.
"""

from __future__ import annotations

from datetime import date, timedelta

from textual.pilot import Pilot

from ..domain import work
from ..domain.models import (
    ConsentMethod,
    ConsentRecord,
    ConsentTopic,
    RequestStatus,
    VigCycle,
    VigRequest,
)
from .gallery import GALLERY_TODAY, Shot, _app


def _allocated(pilot: Pilot[None]) -> VigRequest:
    store = _app(pilot).store
    summary = next(s for s in store.summaries() if s.status is RequestStatus.ALLOCATED)
    return store.get(summary.id)


def _given(topic: ConsentTopic, on: date, given: bool = True, **more: object) -> ConsentRecord:
    return ConsentRecord(
        topic=topic, given=given, on=on, obtained_by="Ben Angove (fictional)",
        how=ConsentMethod.WRITTEN, **more,  # type: ignore[arg-type]
    )  # fmt: skip


def _with_consents(request: VigRequest) -> VigRequest:
    start = max(request.decisions[-1].meeting, GALLERY_TODAY - timedelta(days=14))
    for record in (
        _given(ConsentTopic.REQUEST, start),
        _given(ConsentTopic.FILMING, start),
        _given(ConsentTopic.KEEPING_CLIPS, start, keep_clips_months=12),
        _given(ConsentTopic.SHARING, start),
        _given(ConsentTopic.TRAINING, start, given=False),
    ):
        request = work.record_consent(request, record, today=GALLERY_TODAY)
    return request


def _in_progress(request: VigRequest) -> VigRequest:
    request = _with_consents(request)
    start = request.consents[-1].on
    request = work.start_work(
        request,
        start,
        ["How can I help Mia settle at bedtime?", "How do I know when she wants to play?"],
        today=GALLERY_TODAY,
    )
    request = work.record_cycle(
        request,
        VigCycle(
            filmed_on=start + timedelta(days=2),
            shared_review_on=start + timedelta(days=6),
            note="Lovely moments of shared attention at tea time",
        ),
        today=GALLERY_TODAY,
    )
    return work.record_cycle(
        request, VigCycle(filmed_on=start + timedelta(days=10)), today=GALLERY_TODAY
    )


async def _consent_page(pilot: Pilot[None]) -> None:
    from ..screens.consent_record import ConsentScreen

    await pilot.app.push_screen(ConsentScreen(_with_consents(_allocated(pilot))))
    await pilot.press("down", "down")
    await pilot.pause()


async def _consent_dialog(pilot: Pilot[None]) -> None:
    from ..screens.consent_record import ConsentScreen

    await pilot.app.push_screen(ConsentScreen(_allocated(pilot)))
    await pilot.press("down", "r")
    await pilot.pause()
    await pilot.press("enter", "down", "enter")
    await pilot.pause()


async def _work_not_started(pilot: Pilot[None]) -> None:
    from ..screens.work_record import WorkScreen

    await pilot.app.push_screen(WorkScreen(_allocated(pilot)))
    await pilot.pause()


async def _work_page(pilot: Pilot[None]) -> None:
    from ..screens.work_record import WorkScreen

    await pilot.app.push_screen(WorkScreen(_in_progress(_allocated(pilot))))
    await pilot.pause()


async def _close_work(pilot: Pilot[None]) -> None:
    await _work_page(pilot)
    await pilot.press("x")
    await pilot.pause()
    await pilot.press("tab", "enter", "down", "enter", "tab", "tab")
    await pilot.press(*"Mum says bedtimes are calmer and Mia asks her to play.")
    await pilot.pause()


SHOTS: list[Shot] = [
    Shot("consent-page", _consent_page),
    Shot("consent-dialog", _consent_dialog),
    Shot("work-not-started", _work_not_started),
    Shot("work-page", _work_page),
    Shot("work-close", _close_work),
]
