"""The request page's history: newest first, with who, each answer's old -> new, and why;
never the task list's bookkeeping."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import Static

from vig_tui.app import VigApp
from vig_tui.domain.changes import answer_changes
from vig_tui.domain.history import Action, Actor
from vig_tui.domain.models import VigRequest
from vig_tui.domain.progress import note_checked, note_opened
from vig_tui.domain.rules import Section
from vig_tui.screens.request_view import RequestViewScreen
from vig_tui.store import Store

STARTER = Actor(name="Sam Starter", role="Health visitor", user="sam", machine="m-1")
FIXER = Actor(name="Fran Fixer", role="VIG coordinator", user="fran", machine="m-2")


def _request_with_progress() -> VigRequest:
    request = VigRequest()
    request.record(STARTER, Action.CREATED, "Request started")
    note_opened(request, Section.REFERRER)
    note_checked(request, Section.REFERRER)
    before = request.model_copy(deep=True)
    request.referrer.name = "Sam Penrose"
    request.record(
        FIXER,
        Action.CORRECTED,
        "Corrected in “About you”",
        changes=answer_changes(before, request),
        reason="Name was misspelt",
    )
    return request


def test_progress_notes_stay_out_of_the_history() -> None:
    request = _request_with_progress()
    assert [e.action for e in request.history] == [Action.CREATED, Action.CORRECTED]
    assert request.progress.last_opened == Section.REFERRER.value
    assert request.history_problem() is None


async def test_the_request_page_shows_who_old_new_and_why_newest_first(
    app: VigApp, store: Store
) -> None:
    request = _request_with_progress()
    store.save(request, base_version=request.version)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(RequestViewScreen(request.id))
        await pilot.pause(0.3)
        history = app.screen.query_one("#request-history", Static)
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(history.content)
        text = console.export_text()
        assert text.index("Corrected in “About you”") < text.index("Request started")
        assert "By Fran Fixer, VIG coordinator (fran on m-2)" in text
        assert "By Sam Starter" in text
        assert "(blank) → Sam Penrose" in text
        assert "Reason: Name was misspelt" in text
        assert "Opened “" not in text
        assert "Checked “" not in text


async def test_a_long_change_or_reason_wraps_indented_under_itself(
    app: VigApp, store: Store
) -> None:
    # Wrapped lines went back to the left edge, where they read as the next entry.
    request = VigRequest()
    request.record(STARTER, Action.CREATED, "Request started")
    before = request.model_copy(deep=True)
    request.referrer.name = "Sam Penrose"
    request.record(
        FIXER,
        Action.CORRECTED,
        "Corrected in “About you”",
        changes=answer_changes(before, request),
        reason="The family's name was misspelt on the form and the health visitor confirmed it",
    )
    store.save(request, base_version=request.version)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(RequestViewScreen(request.id))
        await pilot.pause(0.3)
        history = app.screen.query_one("#request-history", Static)
        console = Console(width=40, record=True, file=io.StringIO())
        console.print(history.content)
        lines = console.export_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  · Reason: "))
    following = []
    for line in lines[start + 1 :]:
        if line[:1].isdigit() or line.startswith("  ·"):  # the next entry (its date), a change
            break
        following.append(line)
    assert following and all(line.startswith("    ") for line in following), lines
    assert " ".join(line.strip() for line in [lines[start], *following]).startswith(
        "· Reason: The family's name was misspelt"
    )
