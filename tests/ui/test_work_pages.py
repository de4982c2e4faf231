"""The consent and work pages by keys at 80x24: consent recorded, work refused without
consent to filming, started, a cycle, closed; errors beside fields; a stale change shown."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Static

from tests.small_disk import Disk
from vig_tui.app import VigApp
from vig_tui.domain.history import Action, Actor
from vig_tui.domain.models import (
    ConsentMethod,
    ConsentRecord,
    ConsentTopic,
    Decision,
    DecisionOutcome,
    Practitioner,
    Priority,
    RequestStatus,
    VigRequest,
)
from vig_tui.screens.conflict import ConflictScreen
from vig_tui.screens.consent_record import ConsentScreen
from vig_tui.screens.request_view import RequestViewScreen
from vig_tui.screens.work_dialogs import ConsentDialog, StartWorkDialog
from vig_tui.screens.work_record import NO_FILMING_CONSENT, WorkScreen
from vig_tui.service import decide, record_consent, send
from vig_tui.store import Store
from vig_tui.tools.gallery import example_request

from .conftest import TODAY
from .keys import settle

SMALL = (80, 24)
COORDINATOR = Actor(name="Bob Hosken", role="VIG coordinator", user="bob", machine="m-b")


def allocated(store: Store) -> VigRequest:
    sent = send(store, COORDINATOR, example_request(), date(2026, 10, 1))
    practitioner = Practitioner(name="Ian Sample")
    decision = Decision(
        meeting=sent.meeting or date(2026, 11, 5),
        outcome=DecisionOutcome.ALLOCATED,
        practitioner_id=practitioner.id,
        practitioner_name=practitioner.name,
        priority=Priority.HIGH,
    )
    return decide(store, COORDINATOR, sent, decision, store.calendar())


def with_filming_consent(store: Store, request: VigRequest) -> VigRequest:
    record = ConsentRecord(
        topic=ConsentTopic.FILMING, given=True, on=date(2026, 11, 10), obtained_by="Ian Sample",
        how=ConsentMethod.VERBAL,
    )  # fmt: skip
    return record_consent(store, COORDINATOR, request, record, today=TODAY)


def text_of(app: VigApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


async def open_request(app: VigApp, pilot: object, request: VigRequest) -> None:
    await app.push_screen(RequestViewScreen(request.id))
    await settle(pilot)  # type: ignore[arg-type]


async def test_consent_to_filming_recorded_by_keys(app: VigApp, store: Store, actor: Actor) -> None:
    request = allocated(store)
    async with app.run_test(size=SMALL) as pilot:
        await open_request(app, pilot, request)
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, ConsentScreen)
        assert "cannot start until the parent or carer agrees" in text_of(app, "#record-advice")
        await pilot.press("down", "enter")  # the second topic: being filmed
        await pilot.pause()
        assert isinstance(app.screen, ConsentDialog)
        assert app.screen.topic is ConsentTopic.FILMING
        await pilot.press("enter", "down", "enter")  # Yes, consent given
        await pilot.press("tab", "tab", "tab")  # past the date (today) and who (me)
        await pilot.press("enter", "down", "down", "enter")  # Written
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConsentScreen)
        stored = store.get(request.id)
        record = stored.consents[-1]
        assert (record.topic, record.given, record.on, record.how, record.obtained_by) == (
            ConsentTopic.FILMING,
            True,
            TODAY,
            ConsentMethod.WRITTEN,
            actor.name,
        )
        entry = stored.history[-1]
        assert (entry.action, entry.who) == (Action.CONSENT_RECORDED, actor)
        assert not app.screen.query_one("#record-advice").display
        assert "Given on 24 November 2026, written" in text_of(app, "#consent-detail")
        # Withdrawn by keys: the record stays, the withdrawal is added.
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        stored = store.get(request.id)
        assert [r.withdrawn_on for r in stored.consents] == [None, TODAY]
        assert stored.history[-1].action == Action.CONSENT_WITHDRAWN
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RequestViewScreen)
        assert app.screen.request == stored


async def test_a_consent_without_its_answers_shows_each_problem_beside_its_field(
    app: VigApp, store: Store
) -> None:
    request = allocated(store)
    async with app.run_test(size=SMALL) as pilot:
        await open_request(app, pilot, request)
        await pilot.press("k", "down", "down", "r")  # keeping the clips
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConsentDialog)
        assert dialog.topic is ConsentTopic.KEEPING_CLIPS
        await pilot.press("enter", "down", "enter")  # given, but no months and no method
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "Choose how consent was given" in str(dialog.query_one("#error-how", Static).content)
        dialog.query_one("#field-how").value = ConsentMethod.VERBAL  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "how many months" in str(
            dialog.query_one("#error-keep_clips_months", Static).content
        )
        assert store.get(request.id).consents == []


async def test_work_cannot_start_without_filming_consent_then_runs_to_closed(
    app: VigApp, store: Store, actor: Actor
) -> None:
    request = allocated(store)
    async with app.run_test(size=SMALL) as pilot:
        await open_request(app, pilot, request)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, WorkScreen)
        assert text_of(app, "#record-advice") == NO_FILMING_CONSENT
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, WorkScreen)  # no dialog: told what to do instead
        assert store.get(request.id).status is RequestStatus.ALLOCATED
        # k from the work page: the consent, then back to start.
        await pilot.press("k", "down", "r")
        await pilot.pause()
        await pilot.press("enter", "down", "enter", "tab", "tab", "tab")
        await pilot.press("enter", "down", "enter", "ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WorkScreen)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StartWorkDialog)
        await pilot.press("tab", *"Play together without phones", "ctrl+s")
        await settle(pilot)
        stored = store.get(request.id)
        assert stored.status is RequestStatus.IN_PROGRESS
        assert stored.work.started_on == TODAY
        assert stored.work.helping_questions == ["Play together without phones"]
        assert "Play together without phones" in text_of(app, "#work-questions")
        await pilot.press("f", "tab", "tab", *"Tea time", "ctrl+s")  # a cycle filmed today
        await settle(pilot)
        stored = store.get(request.id)
        assert [(c.filmed_on, c.note) for c in stored.work.cycles] == [(TODAY, "Tea time")]
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("tab", "enter", "down", "enter")  # the first reason: work completed
        await pilot.press("tab", "tab", *"Mum and Amy play every day now", "ctrl+s")
        await settle(pilot)
        stored = store.get(request.id)
        assert stored.status is RequestStatus.CLOSED
        assert stored.work.outcome_note == "Mum and Amy play every day now"
        assert stored.history[-1].who == actor
        assert "Work completed" in text_of(app, "#work-closure")
        assert app.screen.check_action("add_cycle", ()) is None  # closed: nothing to add


async def test_a_start_date_in_the_future_is_shown_beside_it_and_nothing_saved(
    app: VigApp, store: Store
) -> None:
    request = with_filming_consent(store, allocated(store))
    async with app.run_test(size=SMALL) as pilot:
        await open_request(app, pilot, request)
        await pilot.press("v", "s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, StartWorkDialog)
        await pilot.press("ctrl+u", *"1/1/2027", "tab", *"Bedtimes", "ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "today or in the past" in str(dialog.query_one("#error-on", Static).content)
        assert store.get(request.id).status is RequestStatus.ALLOCATED


async def test_a_change_made_elsewhere_meanwhile_is_shown_not_written_over(
    app: VigApp, store: Store
) -> None:
    request = with_filming_consent(store, allocated(store))
    async with app.run_test(size=SMALL) as pilot:
        await open_request(app, pilot, request)
        await pilot.press("v")
        await pilot.pause()
        # Someone else records another consent while the page is open.
        training = ConsentRecord(
            topic=ConsentTopic.TRAINING, given=False, on=TODAY, obtained_by="Bob Hosken",
            how=ConsentMethod.VERBAL,
        )  # fmt: skip
        theirs = record_consent(store, COORDINATOR, request, training, today=TODAY)
        await pilot.press("s", "tab", *"Bedtimes", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        assert store.get(request.id) == theirs
        await pilot.press("enter")  # the focused "Save mine on it"
        await settle(pilot)
        stored = store.get(request.id)
        assert stored.status is RequestStatus.IN_PROGRESS
        assert stored.consents[-1].topic is ConsentTopic.TRAINING  # theirs kept


async def test_the_register_filters_by_where_the_work_is(app: VigApp, store: Store) -> None:
    from textual.widgets import Select

    from vig_tui.screens.register import RegisterScreen
    from vig_tui.service import start_work

    waiting = allocated(store)
    working = with_filming_consent(store, allocated(store))
    working = start_work(store, COORDINATOR, working, TODAY, ["Bedtimes"], today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await app.push_screen(RegisterScreen())
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RegisterScreen)
        screen.query_one("#register-status", Select).value = RequestStatus.IN_PROGRESS
        await pilot.pause()
        assert [row.reference for row in screen.shown] == [working.reference]
        screen.query_one("#register-status", Select).value = RequestStatus.ALLOCATED
        await pilot.pause()
        assert [row.reference for row in screen.shown] == [waiting.reference]


async def test_a_failed_save_says_so_and_reopens_the_dialog_holding_the_answers(
    small_store: Store,
    disk: Disk,
) -> None:
    from vig_tui.screens.work_dialogs import CloseWorkDialog
    from vig_tui.widgets.answer import LongAnswer

    request = with_filming_consent(small_store, allocated(small_store))
    app = VigApp(small_store, today=TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await open_request(app, pilot, request)
        await pilot.press("v", "x")
        await pilot.pause()
        await pilot.press("tab", "enter", "down", "enter", "tab", "tab", *"Calmer bedtimes")
        disk.fill()
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.pause()
        assert isinstance(app.screen, CloseWorkDialog)
        note = app.screen.query_one("#field-outcome_note", LongAnswer)
        assert note.text == "Calmer bedtimes"
        assert any("Not saved" in str(n.message) for n in app._notifications)
        disk.free()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert small_store.get(request.id).status is RequestStatus.CLOSED


async def test_closing_started_work_from_the_request_page_goes_to_its_work_record(
    app: VigApp, store: Store
) -> None:
    from vig_tui.domain.decisions import DecisionError, close_request
    from vig_tui.domain.models import RequestStatus
    from vig_tui.service import start_work

    request = with_filming_consent(store, allocated(store))
    started = start_work(
        store, COORDINATOR, request, date(2026, 11, 12), ["Calmer bedtimes"], today=TODAY
    )
    assert started.status is RequestStatus.IN_PROGRESS
    # The domain refuses a bare close of started work: it needs its reason and outcome.
    with pytest.raises(DecisionError, match="work record"):
        close_request(started, "done", who=COORDINATOR)
    async with app.run_test(size=SMALL) as pilot:
        await open_request(app, pilot, started)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, WorkScreen)
    assert store.get(started.id).status is RequestStatus.IN_PROGRESS
