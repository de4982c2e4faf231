"""Keys typed faster than the app draws land where they were typed.

A terminal hands the app keys as they are typed; when the app is busy (a page
being drawn, a focus change restyling a long page) they queue up and are read
back to back. These tests post whole bursts of keys without waiting, the
hardest case of a quick typist, and check every answer holds exactly what was
typed for it. Before the fix, text typed after a Tab went into the answer
being left, and keys typed as a page opened were lost.
"""

from __future__ import annotations

from textual.widgets import Input

from tests.ui.keys import burst
from vig_tui.app import VigApp
from vig_tui.domain.models import CarerRelationship, ReferrerRole, RouteKind
from vig_tui.domain.rules import Section
from vig_tui.screens.sections import ChildFamilySection, ReferrerSection, RouteSection
from vig_tui.screens.walkthrough import RequestWalkthrough


async def open_task_list(app: VigApp, pilot) -> RequestWalkthrough:  # type: ignore[no-untyped-def]
    await pilot.press("n")
    await pilot.pause()
    walkthrough = app.screen
    assert isinstance(walkthrough, RequestWalkthrough)
    return walkthrough


def values(screen: object) -> dict[str, str]:
    return {
        widget.id or " ".join(sorted(widget.classes - {"-valid", "-invalid"})): widget.value
        for widget in screen.query(Input)  # type: ignore[attr-defined]
    }


async def test_text_typed_straight_after_tab_goes_to_the_next_answer(app: VigApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        walkthrough = await open_task_list(app, pilot)
        walkthrough.open_section(Section.CHILD_FAMILY)
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, ChildFamilySection)
        burst(
            app,
            "Amelia Tregear", "tab", "3/12/2024", "tab", "Female", "tab", "1 Fore Street",
            "tab", "TR14 8AA", "tab", "Little Acorns", "tab", "Cornish", "tab",
            "Kerenza Tregear", "tab", "space", "tab", "07700 900123",
        )  # fmt: skip
        await pilot.pause(0.5)
        assert values(screen) == {
            "child-name": "Amelia Tregear",
            "child-date-of-birth": "3/12/2024",
            "child-gender": "Female",
            "child-address": "1 Fore Street",
            "child-postcode": "TR14 8AA",
            "child-setting": "Little Acorns",
            "child-first-language": "Cornish",
            "carer-name": "Kerenza Tregear",
            "carer-relationship-other": "",
            "carer-phone": "07700 900123",
        }
        screen.collect()
        assert screen.request.carers[0].relationship is CarerRelationship.BIRTH_PARENT


async def test_a_choice_then_tab_reaches_the_question_it_reveals(app: VigApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        walkthrough = await open_task_list(app, pilot)
        walkthrough.open_section(Section.ROUTE)
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, RouteSection)
        burst(app, "space", "tab", "EHH-42")
        await pilot.pause(0.5)
        screen.collect()
        assert screen.request.route.kind is RouteKind.EARLY_HELP_HUB
        assert screen.request.route.hub_reference == "EHH-42"


async def test_keys_typed_as_a_section_opens_reach_its_answers(app: VigApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        walkthrough = await open_task_list(app, pilot)
        await pilot.pause(0.3)
        burst(
            app,
            "enter", "ctrl+u", "Sam Penrose", "tab", "down", "space", "tab", "Camborne Early Help",
            "tab", "01632 960001",
        )  # fmt: skip
        await pilot.pause(0.5)
        screen = app.screen
        assert isinstance(screen, ReferrerSection)
        screen.collect()
        referrer = screen.request.referrer
        assert (referrer.name, referrer.team, referrer.phone) == (
            "Sam Penrose",
            "Camborne Early Help",
            "01632 960001",
        )
        assert referrer.role is ReferrerRole.EARLY_HELP_PRACTITIONER
        assert walkthrough is not app.screen


async def test_down_then_enter_on_the_task_list_opens_the_section_below(app: VigApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_task_list(app, pilot)
        await pilot.pause(0.3)
        burst(app, "down", "down", "enter", "Amelia")
        await pilot.pause(0.5)
        screen = app.screen
        assert isinstance(screen, ChildFamilySection)
        assert screen.query_one("#child-name", Input).value == "Amelia"
