"""Form habits a new user relies on: typing after "There is a problem" is kept, Tab
reaches Continue before Back, choices are marked, a carer is not removed by accident."""

from __future__ import annotations

from textual.widgets import Button, Input

from vig_tui.app import VigApp
from vig_tui.domain.rules import Section
from vig_tui.screens.confirm import ConfirmDialog
from vig_tui.screens.sections import ChildFamilySection, ReferrerSection
from vig_tui.screens.walkthrough import RequestWalkthrough
from vig_tui.widgets.choice import Choice, ChoiceOption
from vig_tui.widgets.error_summary import ErrorSummary

from .keys import type_text


async def _open(app: VigApp, pilot, section: Section):  # type: ignore[no-untyped-def]
    await pilot.press("n")
    await pilot.pause()
    walkthrough = app.screen
    assert isinstance(walkthrough, RequestWalkthrough)
    walkthrough.open_section(section)
    await pilot.pause()
    return app.screen


async def test_typing_on_the_error_summary_goes_to_the_first_answer_in_error(
    app: VigApp,
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        page = await _open(app, pilot, Section.REFERRER)
        assert isinstance(page, ReferrerSection)
        await pilot.press("enter")  # Continue with nothing answered
        await pilot.pause()
        summary = page.query_one(ErrorSummary)
        # The name comes from the worker's profile; the team is the first answer missing.
        assert summary.errors and summary.errors[0].field == "referrer.team"
        assert page.focused is not None and summary in page.focused.ancestors
        await type_text(pilot, "Camborne EH")
        await pilot.pause()
        team = page.query_one("#referrer-team", Input)
        assert team.value == "Camborne EH"
        assert page.focused is team


async def test_typing_on_a_dialogs_error_summary_goes_to_its_field(app: VigApp) -> None:
    from datetime import date

    from vig_tui.domain.models import VigRequest
    from vig_tui.screens.decision import DeferDialog

    async with app.run_test(size=(80, 24)) as pilot:
        request = VigRequest(reference="VIG-2026-0001")
        dialog = DeferDialog(request, date(2026, 12, 3), date(2027, 1, 7))
        app.push_screen(dialog)
        await pilot.pause()
        await pilot.press("ctrl+s")  # save with no reason
        await pilot.pause()
        assert dialog.query_one(ErrorSummary).errors
        await type_text(pilot, "Waiting")
        await pilot.pause()
        assert dialog.query_one("#field-reason", Input).value == "Waiting"


async def test_tab_reaches_continue_before_back(app: VigApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        page = await _open(app, pilot, Section.REFERRER)
        page.query_one("#referrer-email", Input).focus()
        await pilot.pause()
        await pilot.press("tab")
        assert isinstance(page.focused, Button) and page.focused.id == "continue"
        await pilot.press("tab")
        assert isinstance(page.focused, Button) and page.focused.id == "back"


async def test_choices_show_a_mark_not_only_a_colour(app: VigApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        page = await _open(app, pilot, Section.REFERRER)
        role = page.query_one("#referrer-role", Choice)
        role.focus()
        await pilot.press("down", "space")
        await pilot.pause()
        rendered = [str(option.render()) for option in role.query(ChoiceOption)]
        assert sum(text.startswith("(•)") for text in rendered) == 1
        assert sum(text.startswith("( )") for text in rendered) == len(rendered) - 1


async def test_a_carers_remove_is_a_key_not_a_tab_stop_and_asks_first(app: VigApp) -> None:
    async with app.run_test(size=(80, 40)) as pilot:
        page = await _open(app, pilot, Section.CHILD_FAMILY)
        assert isinstance(page, ChildFamilySection)
        await page.add_carer()
        await pilot.pause()
        forms = list(page.query("CarerForm"))
        assert len(forms) == 2
        # Tab goes from the question before a card straight to the carer's name: a
        # space typed in a name can never press Remove.
        order = page._focus_order()
        remove = forms[0].query_one(".remove-carer", Button)
        name = forms[0].query_one(".carer-name", Input)
        assert remove not in order
        before = order[order.index(name) - 1]
        assert forms[0] not in before.ancestors
        name.focus()
        await pilot.press("K", "e", "z", "space", "T", "r", "e")
        await pilot.pause()
        assert name.value == "Kez Tre"
        assert not isinstance(app.screen, ConfirmDialog)
        await pilot.press("ctrl+o")  # Remove, from inside the card
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Kez Tre" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press("enter")  # the safe answer has focus: keep them
        await pilot.pause()
        assert len(page.query("CarerForm")) == 2
        remove.press()  # the button still works by mouse
        await pilot.pause()
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert len(page.query("CarerForm")) == 1


async def test_an_unstarted_evidence_section_is_unfinished_not_refused(app: VigApp) -> None:
    from vig_tui.screens.cannot_accept import CannotAcceptScreen
    from vig_tui.screens.check_answers import CheckAnswersScreen
    from vig_tui.screens.sections import EvidenceSection

    async with app.run_test(size=(80, 24)) as pilot:
        page = await _open(app, pilot, Section.EVIDENCE)
        assert isinstance(page, EvidenceSection)
        await pilot.press("escape")  # move off the first tick, then Continue empty
        await pilot.pause()
        walkthrough = app.screen
        assert isinstance(walkthrough, RequestWalkthrough)
        walkthrough.open_section(Section.EVIDENCE)
        await pilot.pause()
        app.screen.query_one("#continue", Button).press()
        await pilot.pause()
        page = app.screen
        # Asked for, beside the question: not the refusal page.
        assert isinstance(page, EvidenceSection)
        errors = page.query_one(ErrorSummary).errors
        assert [e.field for e in errors] == ["evidence"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RequestWalkthrough)
        assert "cannot accept" not in str(app.screen.query_one("#ineligible").render())
        assert not app.screen.query_one("#ineligible").display
        await pilot.press("c")
        await pilot.pause()
        check = app.screen
        assert isinstance(check, CheckAnswersScreen)
        text = " ".join(str(w.render()) for w in check.query(".finding"))
        assert "The evidence: not started yet" in text
        assert "cannot accept" not in text
        await pilot.press("s")
        await pilot.pause()
        assert not isinstance(app.screen, CannotAcceptScreen)


async def test_the_refusal_page_gives_the_contact_once(app: VigApp) -> None:
    from vig_tui.domain.checklist import BUILT_IN_CHECKLIST
    from vig_tui.domain.models import VigRequest
    from vig_tui.domain.rules import evaluate, ineligible
    from vig_tui.screens.cannot_accept import CannotAcceptScreen

    from .conftest import TODAY

    async with app.run_test(size=(80, 24)) as pilot:
        request = VigRequest()
        request.case_holder.exists = False
        screen = CannotAcceptScreen(ineligible(evaluate(request, TODAY)))
        app.push_screen(screen)
        await pilot.pause()
        text = " ".join(str(w.render()) for w in screen.query("Static"))
        assert text.count("To talk it through") == 1
        assert text.count(BUILT_IN_CHECKLIST.service_phone) == 1


async def test_the_difficulty_may_be_a_month_and_is_shown_back_as_one(app: VigApp) -> None:
    from datetime import date

    from vig_tui.domain.checklist import CriterionId
    from vig_tui.domain.models import Child, CriterionEvidence
    from vig_tui.screens.sections import EvidenceSection
    from vig_tui.widgets.date_input import MonthOrDateInput

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        walkthrough = app.screen
        assert isinstance(walkthrough, RequestWalkthrough)
        request = walkthrough.request
        request.child = Child(name="Amy Tre", date_of_birth=date(2025, 6, 20))
        request.evidence[CriterionId.BONDING] = CriterionEvidence(ticked=True, evidence="Cold")
        walkthrough.open_section(Section.EVIDENCE)
        await pilot.pause()
        page = app.screen
        assert isinstance(page, EvidenceSection)
        page.query_one("#difficulty-identified-on", MonthOrDateInput).focus()
        await type_text(pilot, "Jun 2025")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is walkthrough  # the month of the birth is not before it
        assert request.difficulty_identified_on == date(2025, 6, 1)
        assert request.difficulty_identified_month_only
        walkthrough.open_section(Section.EVIDENCE)
        await pilot.pause()
        again = app.screen.query_one("#difficulty-identified-on", MonthOrDateInput)
        assert again.value == "June 2025"
        again.value = "May 2025"
        app.screen.query_one("#continue", Button).press()
        await pilot.pause()
        page = app.screen
        assert isinstance(page, EvidenceSection)
        assert [e.field for e in page.query_one(ErrorSummary).errors] == [
            "difficulty_identified_on"
        ]
        page.query_one("#difficulty-identified-in-pregnancy").focus()
        await pilot.press("space")
        await pilot.pause()
        page.query_one("#continue", Button).press()
        await pilot.pause()
        assert app.screen is walkthrough
        assert request.difficulty_identified_in_pregnancy
        assert request.difficulty_identified_on == date(2025, 5, 1)
