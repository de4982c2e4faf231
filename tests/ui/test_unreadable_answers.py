"""An answer typed in a form the request cannot hold is never lost silently (issue #9).

A date that is not a real date (``31/02/2024``) cannot be stored. Leaving the
page keeps the worker on it with the error beside the answer; Ctrl+S saves the
rest and says what was left out and why; quitting asks first; the last good
value in the store is never emptied by the typo.
"""

from __future__ import annotations

from datetime import date

from textual.widgets import Input

from vig_tui.app import VigApp
from vig_tui.domain.rules import Section
from vig_tui.screens.sections import ChildFamilySection, EvidenceSection
from vig_tui.screens.unsaved_work import UnsavedWorkScreen
from vig_tui.screens.walkthrough import RequestWalkthrough
from vig_tui.store import Store
from vig_tui.widgets.error_summary import ErrorSummary

from .keys import type_text


def _notes(app: VigApp) -> str:
    return "\n".join(f"{n.title}: {n.message}" for n in app._notifications)


async def _open(app: VigApp, pilot: object, section: Section) -> None:
    await pilot.press("n")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    walkthrough = app.screen
    assert isinstance(walkthrough, RequestWalkthrough)
    walkthrough.open_section(section)
    await pilot.pause()  # type: ignore[attr-defined]


async def _type_date(pilot: object, screen: ChildFamilySection, text: str) -> Input:
    box = screen.query_one("#child-date-of-birth", Input)
    box.focus()
    await pilot.press("ctrl+u", *text)  # type: ignore[attr-defined]
    return box


async def test_escape_with_a_date_that_is_not_real_stays_and_says_why(
    app: VigApp, store: Store
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot, Section.CHILD_FAMILY)
        await type_text(pilot, "Amy")
        await pilot.press("tab")
        await type_text(pilot, "3/12/2024")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        [saved] = store.requests()
        assert saved.child.date_of_birth == date(2024, 12, 3)
        screen = app.screen
        assert isinstance(screen, ChildFamilySection)

        box = await _type_date(pilot, screen, "31/02/2024")
        await pilot.press("escape")
        await pilot.pause()
        await app.workers.wait_for_complete()

        assert app.screen is screen, "Escape left the page and lost the date typed"
        assert box.value == "31/02/2024"
        question = screen.question_for("child.date_of_birth")
        assert question is not None and question.has_class("-error")
        summary = {e.field: e.message for e in screen.query_one(ErrorSummary).errors}
        assert summary == {"child.date_of_birth": "Date of birth must be a real date"}
        assert "cannot be saved as typed" in _notes(app)
        # The last good date is not emptied by the typo.
        [saved] = store.requests()
        assert saved.child.date_of_birth == date(2024, 12, 3)
        assert "Date of birth must be a real date" in app.sub_title

        # Corrected, Escape leaves and the new date is kept.
        await _type_date(pilot, screen, "4/12/2024")
        await pilot.press("escape")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, RequestWalkthrough)
        [saved] = store.requests()
        assert saved.child.date_of_birth == date(2024, 12, 4)
        assert "NOT SAVED" not in app.sub_title


async def test_ctrl_s_says_what_was_not_saved_and_why(app: VigApp, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot, Section.CHILD_FAMILY)
        await type_text(pilot, "Amy")
        await pilot.press("tab")
        await type_text(pilot, "31/02/2024")
        app.clear_notifications()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

        notes = _notes(app)
        assert "Draft saved, except one answer: Date of birth must be a real date" in notes
        assert "Draft saved\n" not in notes + "\n"
        [saved] = store.requests()
        assert saved.child.name == "Amy"  # the rest is saved
        assert saved.child.date_of_birth is None  # nothing unreal is stored
        screen = app.screen
        assert isinstance(screen, ChildFamilySection)
        assert screen.query_one("#child-date-of-birth", Input).value == "31/02/2024"
        summary = [e.message for e in screen.query_one(ErrorSummary).errors]
        assert summary == ["Date of birth must be a real date"]


async def test_ctrl_s_with_only_an_unreal_date_says_nothing_was_saved(
    app: VigApp, store: Store
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot, Section.CHILD_FAMILY)
        await pilot.press("tab")
        await type_text(pilot, "31/02/2024")
        app.clear_notifications()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Nothing was saved: Date of birth must be a real date" in _notes(app)
        assert store.requests() == []


async def test_quitting_with_an_unreal_date_asks_first(app: VigApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot, Section.CHILD_FAMILY)
        await type_text(pilot, "Amy")
        await pilot.press("tab")
        await type_text(pilot, "31/02/2024")
        await pilot.press("ctrl+q")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, UnsavedWorkScreen), "the app closed and lost the date"
        assert any("Date of birth must be a real date" in reason for reason in dialog.reasons)
        await pilot.press("escape")  # go back to correct it
        await pilot.pause()
        assert isinstance(app.screen, ChildFamilySection)
        assert app.screen.query_one("#child-date-of-birth", Input).value == "31/02/2024"


async def test_going_elsewhere_from_the_palette_keeps_the_page(app: VigApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot, Section.CHILD_FAMILY)
        await pilot.press("tab")
        await type_text(pilot, "31/02/2024")
        app.action_open_register()
        await pilot.pause()
        assert isinstance(app.screen, ChildFamilySection)
        assert app.screen.query_one("#child-date-of-birth", Input).value == "31/02/2024"


async def test_a_month_that_is_not_real_is_kept_on_escape(app: VigApp, store: Store) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot, Section.EVIDENCE)
        screen = app.screen
        assert isinstance(screen, EvidenceSection)
        box = screen.query_one("#difficulty-identified-on", Input)
        box.focus()
        await type_text(pilot, "Smarch 2024")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        summary = {e.field: e.message for e in screen.query_one(ErrorSummary).errors}
        assert "must be a real date or a month and year" in summary["difficulty_identified_on"]
        assert box.value == "Smarch 2024"
