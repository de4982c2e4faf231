"""The request as others read it: the request page and a correction's Check answers say
"The referrer" / "Referrer's name"; the referrer's own draft keeps "About you" / "Your
name"; the request page's history reads a month-only date as the month."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from rich.console import Console
from textual.widgets import DataTable, Static

from tests.unit.test_receiving import postcode_conflict
from vig_tui.app import VigApp
from vig_tui.domain.history import Actor
from vig_tui.screens.check_answers import CheckAnswersScreen
from vig_tui.screens.inbox import ConflictChoice, InboxScreen
from vig_tui.screens.request_view import RequestViewScreen
from vig_tui.service import correct
from vig_tui.store import Store
from vig_tui.tools.gallery import example_request

from .conftest import TODAY
from .keys import settle, until
from .pages import open_check_answers, press_and_settle, shown_text

BOB = Actor(name="Bob Hosken", role="VIG coordinator", user="bob", machine="machine-b")


def _page_text(app: VigApp) -> str:
    """The request page's parts as an 80-column terminal draws them."""
    console = Console(width=80, record=True, file=io.StringIO())
    for part in app.screen.query(".request-section").results(Static):
        console.print(part.content)
    return console.export_text()


async def test_the_request_page_names_the_referrer_in_the_third_person(
    app: VigApp, store: Store
) -> None:
    request = example_request()
    request.difficulty_identified_on = date(2025, 9, 1)
    request.difficulty_identified_month_only = True
    sent = store.submit(request, TODAY, base_version=None)
    changed = sent.model_copy(deep=True)
    changed.difficulty_identified_on = date(2025, 10, 1)
    correct(store, BOB, sent, changed, "It was October")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(RequestViewScreen(sent.id))
        await until(pilot, lambda: "Sam Penrose" in _page_text(app))
        text = _page_text(app)
    assert "The referrer" in text and "Referrer's name" in text and "Referrer's role" in text
    assert "About you" not in text and "Your name" not in text and "Your role" not in text
    assert "Before the request was sent" in text and "Before you send" not in text
    # The answer and the history both read the month as the question page gave it.
    assert "October 2025" in text
    assert "September 2025 → October 2025" in text
    assert "1 Sep 2025" not in text and "1 Oct 2025" not in text
    assert "Corrected in “The evidence”" in text


async def test_a_corrections_check_answers_names_the_referrer(app: VigApp, store: Store) -> None:
    sent = store.submit(example_request(), TODAY, base_version=None)
    async with app.run_test(size=(80, 24)) as pilot:
        check = await open_check_answers(app, pilot, sent.id)
        assert isinstance(check, CheckAnswersScreen)
        text = shown_text(check, width=80)
    assert "The referrer" in text and "Referrer's name" in text
    assert "About you" not in text and "Your name" not in text
    # Its findings name the sections in the same words.
    assert "Before the request was sent: The parent's or carer's consent" in text
    assert "Before you send" not in text


async def test_the_referrers_own_draft_keeps_about_you(app: VigApp, store: Store) -> None:
    draft = example_request()
    store.save(draft, base_version=draft.version)
    async with app.run_test(size=(80, 24)) as pilot:
        check = await open_check_answers(app, pilot, draft.id)
        assert isinstance(check, CheckAnswersScreen)
        text = shown_text(check, width=80)
    assert "About you" in text and "Your name" in text
    assert "Referrer's name" not in text


async def test_a_conflict_on_the_referrers_answer_reads_in_the_third_person(
    tmp_path: Path,
) -> None:
    """A conflict received before the third-person wording keeps "Your name" as its
    stored label; the Inbox and its dialog read it as the question's third person."""
    with Store.open(tmp_path / "register.json") as store:
        original = postcode_conflict(store, TODAY)
        held = store.get(original.id)
        [conflict] = held.conflicts
        held.conflicts = [
            conflict.model_copy(
                update={
                    "path": "referrer.name",
                    "label": "Your name",
                    "base": '"Ann Kitto"',
                    "ours": '"Ann Kitto-Hall"',
                    "theirs": '"Anne Kitto"',
                }
            )
        ]
        store.save(held, base_version=held.version)
        app = VigApp(store, today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert isinstance(await press_and_settle(pilot, "i"), InboxScreen)
            listed = str(app.screen.query_one(DataTable).get_row_at(0)[1])
            choice = await press_and_settle(pilot, "enter")
            assert isinstance(choice, ConflictChoice)
            dialog = shown_text(choice, width=80)
    assert "Referrer's name" in listed and "Your name" not in listed
    assert "Referrer's name" in dialog and "Your name" not in dialog
