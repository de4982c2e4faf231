"""The request page's history: what happened to the request, not the task list's bookkeeping."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import Static

from vig_tui.app import VigApp
from vig_tui.domain.models import VigRequest
from vig_tui.domain.progress import note_checked, note_opened, shown_history
from vig_tui.domain.rules import Section
from vig_tui.screens.request_view import RequestViewScreen
from vig_tui.store import Store


def _request_with_progress() -> VigRequest:
    request = VigRequest()
    request.record("created", "Request started")
    note_opened(request, Section.REFERRER)
    note_checked(request, Section.REFERRER)
    request.referrer.name = "Sam Penrose"
    request.record("correction", "Corrected in “About you”: referrer.name")
    return request


def test_shown_history_leaves_out_progress_notes() -> None:
    request = _request_with_progress()
    assert [e.kind for e in request.history].count("progress") == 2
    assert [e.summary for e in shown_history(request)] == [
        "Request started",
        "Corrected in “About you”: referrer.name",
    ]


async def test_the_request_page_history_has_no_progress_notes(app: VigApp, store: Store) -> None:
    request = _request_with_progress()
    store.save(request, base_version=request.version)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(RequestViewScreen(request.id))
        await pilot.pause(0.3)
        history = app.screen.query_one("#request-history", Static)
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(history.content)
        text = console.export_text()
        assert "Request started" in text
        assert "Corrected in “About you”" in text
        assert "Opened “" not in text
        assert "Checked “" not in text
