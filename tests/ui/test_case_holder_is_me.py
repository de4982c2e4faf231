""" "The case holder is me": offered to a named health visitor, filled from their profile
(issue #10); not offered to a worker whose role cannot hold the case."""

from __future__ import annotations

from textual.widgets import Button, Input

from vig_tui.app import VigApp
from vig_tui.domain.rules import Section
from vig_tui.domain.vocabulary import CaseHolderRole
from vig_tui.profile import Profile
from vig_tui.screens.sections import CaseHolderSection
from vig_tui.screens.walkthrough import RequestWalkthrough
from vig_tui.store import Store


async def _open_case_holder(app: VigApp, pilot: object) -> CaseHolderSection:
    await pilot.press("n")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    walkthrough = app.screen
    assert isinstance(walkthrough, RequestWalkthrough)
    walkthrough.open_section(Section.CASE_HOLDER)
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, CaseHolderSection)
    return screen


async def test_a_health_visitor_can_say_the_case_holder_is_them(app: VigApp, store: Store) -> None:
    app.preferences.profile = Profile(
        name="Hana Visitor",
        role="health_visitor",
        team="HV Camborne",
        phone="01209 614128",
        email="hana.visitor@example.org",
    )
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_case_holder(app, pilot)
        button = screen.query_one("#case-holder-is-me", Button)
        assert "The case holder is me" in str(button.label)
        button.focus()
        await pilot.press("enter")
        await pilot.pause()
        holder = screen.request.case_holder
        assert holder.exists is True
        assert holder.name == "Hana Visitor"
        assert holder.role is CaseHolderRole.NAMED_HEALTH_VISITOR
        assert (holder.team, holder.phone, holder.email) == (
            "HV Camborne",
            "01209 614128",
            "hana.visitor@example.org",
        )
        # The page shows what the request holds, and the worker can still change it.
        name_box = screen.query_one("#case-holder-name", Input)
        assert name_box.value == "Hana Visitor"
        assert name_box.display
        assert app.focused is name_box
        await pilot.press("enter")  # Continue: nothing is missing
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, RequestWalkthrough)
        [saved] = store.requests()
        assert saved.case_holder.name == "Hana Visitor"


async def test_a_worker_who_cannot_hold_cases_is_not_offered_it(app: VigApp) -> None:
    app.preferences.profile = Profile(name="Eve Early", role="early_help_practitioner")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_case_holder(app, pilot)
        assert not screen.query("#case-holder-is-me")
        assert "case holder is me" not in " ".join(
            str(w.render()) for w in screen.query("Static, Button")
        )
