"""Checking answers on Continue, the explanation page, drafts that survive, corrections."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input

from vig_tui.app import VigApp
from vig_tui.domain.models import ReferrerRole, RequestStatus, Route, RouteKind
from vig_tui.domain.rules import Section
from vig_tui.profile import Profile
from vig_tui.screens.cannot_accept import CannotAcceptScreen
from vig_tui.screens.check_answers import CheckAnswersScreen
from vig_tui.screens.sections import ChildFamilySection, ReferrerSection
from vig_tui.screens.walkthrough import RequestWalkthrough
from vig_tui.store import Store
from vig_tui.tools.gallery import example_request
from vig_tui.widgets.date_input import DateInput, MonthOrDateInput
from vig_tui.widgets.error_summary import ErrorSummary

from .conftest import TODAY
from .keys import fill_about_you, type_text
from .pages import footer_text, open_check_answers, open_section, open_walkthrough, plain_text


async def test_an_unanswered_question_blocks_continue_and_is_named(app: VigApp) -> None:
    app.preferences.profile = Profile(name="Tess Tester")  # no role to fill in
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "enter")
        await pilot.pause()
        await pilot.press("ctrl+u")  # the name filled in from the profile
        await type_text(pilot, "Sam")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReferrerSection)
        messages = [e.message for e in screen.query_one(ErrorSummary).errors]
        assert messages[0] == "Select your role"
        assert "Enter your team" in messages
        role = screen.question_for("referrer.role")
        assert role is not None and role.has_class("-error")
        assert "Select your role" in plain_text(role)
        # What was typed stays; choosing the summary line goes to the answer.
        assert screen.query_one("#referrer-name").value == "Sam"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is screen.query_one("#referrer-role")


async def test_dates_are_forgiving_and_errors_say_what_is_wrong(app: VigApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        walkthrough = app.screen
        assert isinstance(walkthrough, RequestWalkthrough)
        walkthrough.open_section(Section.CHILD_FAMILY)
        await pilot.pause()
        await type_text(pilot, "Amy")
        await pilot.press("tab")
        await type_text(pilot, "31/2/2025")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChildFamilySection)
        errors = {e.field: e.message for e in screen.query_one(ErrorSummary).errors}
        assert errors["child.date_of_birth"] == "Date of birth must be a real date"
        await pilot.press("enter")  # the summary line takes us to the date
        dob = screen.query_one("#child-date-of-birth")
        assert app.focused is dob
        await pilot.press("ctrl+u", *"3 Dec 2027", "enter")
        await pilot.pause()
        errors = {e.field: e.message for e in screen.query_one(ErrorSummary).errors}
        assert errors["child.date_of_birth"] == "Date of birth must be in the past"
        dob.focus()
        await pilot.press("ctrl+u", *"03-12-2024", "enter")
        await pilot.pause()
        assert screen.request.child.date_of_birth == date(2024, 12, 3)
        assert "child.date_of_birth" not in {e.field for e in screen.query_one(ErrorSummary).errors}


async def test_a_health_visitor_for_a_five_year_old_gets_the_explanation(
    app: VigApp, store: Store
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "enter")
        await pilot.pause()
        await fill_about_you(pilot, role_downs=0)
        await pilot.pause()
        walkthrough = app.screen
        assert isinstance(walkthrough, RequestWalkthrough)
        assert walkthrough.request.referrer.role is ReferrerRole.HEALTH_VISITOR
        walkthrough.open_section(Section.CHILD_FAMILY)
        await pilot.pause()
        await type_text(pilot, "Amy")
        await pilot.press("tab")
        await type_text(pilot, "1/6/2021")
        await pilot.press(*["tab"] * 6)
        await type_text(pilot, "Kez")
        await pilot.press("tab", "enter", "tab", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CannotAcceptScreen)
        text = plain_text(screen)
        assert "cannot accept this request" in text
        assert "Health visitors can request VIG for children aged 3 and under" in text
        assert "What to do next" in text
        assert "Children and Family Services practitioner" in text
        # Change my answers returns to the section, answers intact.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChildFamilySection)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RequestWalkthrough)
        assert "cannot accept" in plain_text(app.screen)


async def test_a_blocking_finding_stops_sending(app: VigApp, store: Store) -> None:
    request = example_request()
    request.carer_agrees = False
    store.save(request, base_version=request.version)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_check_answers(app, pilot, request.id)
        assert isinstance(app.screen, CheckAnswersScreen)
        assert "You cannot send this request yet" in plain_text(app.screen)
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CheckAnswersScreen)
        assert store.get(request.id).status is RequestStatus.DRAFT
        assert store.get(request.id).reference is None


async def test_no_case_holder_cannot_be_sent_and_explains(app: VigApp, store: Store) -> None:
    request = example_request()
    request.case_holder.exists = False
    store.save(request, base_version=request.version)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_check_answers(app, pilot, request.id)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, CannotAcceptScreen)
        assert "without a case holder" in plain_text(app.screen)
        assert store.get(request.id).status is RequestStatus.DRAFT


async def test_change_from_check_answers_comes_back_there(app: VigApp, store: Store) -> None:
    request = example_request()
    store.save(request, base_version=request.version)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_check_answers(app, pilot, request.id)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, ReferrerSection)
        await pilot.press("end", *"ne")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckAnswersScreen)
        assert "Sam Penrosene" in plain_text(app.screen)


async def test_a_draft_survives_closing_and_reopening(db_path: Path) -> None:
    first = Store.open(db_path)
    try:
        app = VigApp(first, today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("n", "enter")
            await pilot.pause()
            await pilot.press("ctrl+u")  # the name filled in from the profile
            await type_text(pilot, "Sam")
            await pilot.press("tab", "down", "enter", "tab")
            await type_text(pilot, "EH")
            # Quit mid-section: nothing pressed but Ctrl+Q.
            await pilot.press("ctrl+q")
        [draft] = first.requests()
        assert draft.referrer.name == "Sam"
        assert draft.referrer.team == "EH"
    finally:
        first.close()

    second = Store.open(db_path)
    try:
        app = VigApp(second, today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("d")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReferrerSection)
            assert screen.query_one("#referrer-name").value == "Sam"  # type: ignore[attr-defined]
            assert screen.query_one("#referrer-team").value == "EH"  # type: ignore[attr-defined]
            assert screen.request.referrer.role is ReferrerRole.EARLY_HELP_PRACTITIONER
    finally:
        second.close()


async def test_typing_is_autosaved_a_moment_later(app: VigApp, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "enter")
        await pilot.pause()
        await pilot.press("ctrl+u")  # the name filled in from the profile
        await type_text(pilot, "Sam")
        await pilot.pause(1.3)
        await app.workers.wait_for_complete()
        [draft] = store.requests()
        assert draft.referrer.name == "Sam"
        assert isinstance(app.screen, ReferrerSection)


async def test_a_sent_request_is_corrected_with_its_changes_kept(app: VigApp, store: Store) -> None:
    sent = store.submit(example_request(), TODAY, base_version=None)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_walkthrough(app, pilot, sent.id)
        assert "Correct request VIG-2026-0001" in plain_text(screen)
        screen.open_section(Section.CHILD_FAMILY)
        await pilot.pause()
        await pilot.press("end", *"-Rowe")
        await pilot.press("enter")
        await pilot.pause()
        # After sending, a correction is kept with its reason: asked before saving.
        assert "Why is it being corrected?" in plain_text(app.screen)
        # The question's label is quoted, not dropped mid-sentence with its capital letter.
        assert "you changed “The child's full name”." in plain_text(app.screen)
        await pilot.press("enter")
        await pilot.pause()
        assert "Enter why the request is being corrected" in plain_text(app.screen)
        # Enter on the error summary goes to the reason.
        await pilot.press("enter", *"Surname was incomplete", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    corrected = store.get(sent.id)
    assert corrected.status is RequestStatus.SUBMITTED
    assert corrected.child.name == "Amelia Tregear-Rowe"
    entry = corrected.history[-1]
    assert entry.action == "corrected"
    assert entry.reason == "Surname was incomplete"
    assert entry.who.name == "Tess Tester"
    assert [(c.field, c.old, c.new) for c in entry.changes] == [
        ("child.name", "Amelia Tregear", "Amelia Tregear-Rowe")
    ]
    assert corrected.history_problem() is None


async def test_a_request_past_its_meeting_cannot_be_corrected(store: Store) -> None:
    sent = store.submit(example_request(), TODAY, base_version=None)
    assert sent.meeting is not None
    app = VigApp(store, today=sent.meeting)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(RequestWalkthrough(sent.id))
        await pilot.pause()
        assert not isinstance(app.screen, RequestWalkthrough)


async def test_read_only_says_so_and_refuses_new_requests(db_path: Path) -> None:
    Store.open(db_path).close()
    store = Store.open(db_path, read_only=True)
    try:
        app = VigApp(store, today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert "Read-only" in app.sub_title
            await pilot.press("n")
            await pilot.pause()
            assert not isinstance(app.screen, RequestWalkthrough)
    finally:
        store.close()
    assert os.path.exists(db_path)


@pytest.mark.parametrize(
    ("section", "date_id"),
    [
        (Section.ROUTE, "route-agreed-on"),
        (Section.CHILD_FAMILY, "child-date-of-birth"),
        (Section.EVIDENCE, "difficulty-identified-on"),
    ],
)
async def test_date_answers_are_narrow_and_other_answers_are_not(
    app: VigApp, store: Store, section: Section, date_id: str
) -> None:
    """A date box is 30 wide on every page; the page's own rule for text boxes
    (up to 70) must not widen it, nor its rule narrow the others."""
    request = example_request()
    request.route = Route(
        kind=RouteKind.CASE_MANAGEMENT, team_manager="Kit Nance", agreed_on=date(2026, 11, 2)
    )
    store.save(request, base_version=request.version)
    async with app.run_test(size=(120, 36)) as pilot:
        page = await open_section(app, pilot, request.id, section)
        answer = page.query_one(f"#{date_id}", Input)
        assert answer.display and 0 < answer.region.width <= 30
        dates = (DateInput, MonthOrDateInput)
        widths = [i.region.width for i in page.query(Input) if not isinstance(i, dates)]
        assert widths and max(widths) > 30


async def test_escape_on_a_changed_correction_asks_before_the_change_is_lost(
    app: VigApp, store: Store
) -> None:
    # Escape used to drop a typed correction with only "Nothing was changed.".
    from vig_tui.screens.confirm import ConfirmDialog
    from vig_tui.screens.request_view import RequestViewScreen

    sent = store.submit(example_request(), TODAY, base_version=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(RequestViewScreen(sent.id))
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        tasks = app.screen
        assert isinstance(tasks, RequestWalkthrough)
        # The correction's task list goes back to the request's page, and says so.
        assert "Back" in footer_text(tasks) and "Home" not in footer_text(tasks)
        tasks.open_section(Section.CHILD_FAMILY)
        await pilot.pause()
        await pilot.press("end", *"-Rowe", "escape")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmDialog)
        assert "The child's full name" in plain_text(question)
        await pilot.press("enter")  # the safe answer has focus: keep correcting
        await pilot.pause()
        section = app.screen
        assert isinstance(section, ChildFamilySection)
        assert section.query_one("#child-name", Input).value == "Amelia Tregear-Rowe"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("tab", "enter")  # Discard the change
        await pilot.pause()
        assert app.screen is tasks
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RequestViewScreen)
    assert store.get(sent.id).child.name == "Amelia Tregear"
    assert store.get(sent.id).history[-1].action != "corrected"


async def test_escape_on_an_unchanged_correction_goes_straight_back(
    app: VigApp, store: Store
) -> None:
    sent = store.submit(example_request(), TODAY, base_version=None)
    async with app.run_test(size=(80, 24)) as pilot:
        tasks = await open_walkthrough(app, pilot, sent.id)
        tasks.open_section(Section.CHILD_FAMILY)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is tasks


async def test_a_correction_is_saved_from_its_check_answers_page_with_its_reason(
    app: VigApp, store: Store
) -> None:
    """The correction's Check answers page ended with nothing to press: it now ends in
    Save correction, which asks why and saves what changed, as a section's Continue does."""
    sent = store.submit(example_request(), TODAY, base_version=None)
    async with app.run_test(size=(80, 24)) as pilot:
        walkthrough = await open_walkthrough(app, pilot, sent.id)
        assert walkthrough.session is not None
        # Ctrl+S on the correction's task list says where a correction is saved.
        await pilot.press("ctrl+s")
        await pilot.pause()
        said = " ".join(n.message for n in app._notifications)
        assert "Save correction (s) on Check answers (c)" in said
        await pilot.press("c")
        await pilot.pause()
        check = app.screen
        assert isinstance(check, CheckAnswersScreen)
        assert "Save your correction" in plain_text(check)
        assert check.query_one("#save-correction").display
        assert not check.query("#send")
        # Nothing changed yet: said so, and nothing is recorded.
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, CheckAnswersScreen)
        assert any(n.title == "Nothing to save" for n in app._notifications)
        assert len(store.get(sent.id).history) == len(sent.history)
        # A change held by the correction, not yet saved: s asks why, then saves it.
        walkthrough.session.request.child.name = "Amelia Tregear-Rowe"
        await pilot.press("s")
        await pilot.pause()
        assert "Why is it being corrected?" in plain_text(app.screen)
        assert "you changed “The child's full name”." in plain_text(app.screen)
        await pilot.press(*"Surname was incomplete", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckAnswersScreen)
    corrected = store.get(sent.id)
    assert corrected.child.name == "Amelia Tregear-Rowe"
    entry = corrected.history[-1]
    assert (entry.action, entry.reason, entry.who.name) == (
        "corrected",
        "Surname was incomplete",
        "Tess Tester",
    )
    assert [(c.field, c.old, c.new) for c in entry.changes] == [
        ("child.name", "Amelia Tregear", "Amelia Tregear-Rowe")
    ]
    assert corrected.history_problem() is None
