"""The request walkthrough, driven by keys alone at 80x24."""

from __future__ import annotations

from datetime import date

from vig_tui.app import VigApp
from vig_tui.domain.models import ReferrerRole, RequestStatus, RouteKind
from vig_tui.screens.check_answers import CheckAnswersScreen
from vig_tui.screens.confirmation import ConfirmationScreen
from vig_tui.screens.walkthrough import RequestWalkthrough
from vig_tui.store import Store

from .keys import fill_whole_request


async def test_a_whole_request_by_keys_reaches_the_store(app: VigApp, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await fill_whole_request(pilot)
        assert isinstance(app.screen, RequestWalkthrough)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckAnswersScreen)
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmationScreen)
        # It opens at its top (the reference first), though Enter's button is below.
        await pilot.pause()
        page = app.screen.query_one("#page")
        assert page.max_scroll_y > 0, "at 80x24 the page is taller than the screen"
        assert page.scroll_y == 0
        assert app.screen.query_one("#reference").region.y < 24
        assert app.focused is app.screen.query_one("#home")
        [sent] = store.requests()
        assert sent.status is RequestStatus.SUBMITTED
        assert sent.reference == "VIG-2026-0001"
        assert sent.meeting == date(2026, 12, 3)
        assert sent.referrer.name == "Sam Pen"
        assert sent.referrer.role is ReferrerRole.EARLY_HELP_PRACTITIONER
        assert sent.route.kind is RouteKind.EARLY_HELP_HUB
        assert sent.child.date_of_birth == date(2024, 12, 3)
        assert sent.carers[0].name == "Kez Tre"
        assert sent.case_holder.exists is True
        assert sent.evidenced_criteria
        assert sent.difficulty_identified_on == date(2026, 9, 1)
        assert sent.carer_agrees is True
        assert sent.interpreter_needed is False
        text = "\n".join(str(w.render()) for w in app.screen.query("Static"))
        assert "VIG-2026-0001" in text
        assert "3 December 2026" in text
