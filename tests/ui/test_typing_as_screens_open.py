"""Keys typed straight after the key that opens a page or dialog reach its first answer.

Textual hands a key to whatever has focus when the app reads it. A page opened
by a key is built a moment later, so keys typed in between met a page with
nothing focused and were lost: after `n` and Enter, "Your name" held
"Penrose". Typed after a key whose dialog opened from a worker, they were
read by the screen being left: at the meeting, the letters of a deferral's
reason allocated, refused and deferred. Each test posts the opening key and
everything after it in one burst, without waiting, as a quick typist's
terminal does, and checks the answer holds exactly what was typed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Input

from tests.ui.conftest import TODAY
from tests.ui.keys import burst, settle
from tests.ui.test_meeting_decisions import open_meeting, sent
from vig_tui.app import VigApp
from vig_tui.domain.models import Practitioner, RequestStatus
from vig_tui.screens.request_view import RequestViewScreen
from vig_tui.screens.roster import RosterScreen
from vig_tui.screens.sections import ReferrerSection
from vig_tui.store import Store
from vig_tui.tools.demo import fill_database


async def test_a_name_typed_straight_after_n_is_the_name_given(app: VigApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, "n", "enter", "ctrl+u", "Sam Penrose", "tab", "down", "space", "tab", "Camborne")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReferrerSection)
        screen.collect()
        assert (screen.request.referrer.name, screen.request.referrer.team) == (
            "Sam Penrose",
            "Camborne",
        )


async def test_keys_typed_while_the_database_opens_wait_for_the_page_they_were_for(
    db_path: Path,
) -> None:
    with Store.open(db_path) as store:
        fill_database(store, 40, today=TODAY)
    app = VigApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        # Read on Home, the m and r of "Sam Penrose" opened the meeting, then the register.
        burst(app, "n", "enter", "ctrl+u", "Sam Penrose")
        for _ in range(100):
            await settle(pilot)
            if app.store_ready and isinstance(app.screen, ReferrerSection):
                break
        screen = app.screen
        assert isinstance(screen, ReferrerSection)
        screen.collect()
        assert screen.request.referrer.name == "Sam Penrose"
    assert app.opened_store is not None
    app.opened_store.close()


async def test_a_reason_typed_straight_after_d_at_the_meeting_is_the_reason_saved(
    store: Store,
) -> None:
    store.save_practitioner(Practitioner(name="Jo Pascoe", capacity=4))
    store.save(sent(1, "Amelia Tregear", date(2025, 9, 1)), base_version=None)
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_meeting(app, pilot)
        burst(app, "d", "Waiting for the CIN review", "enter")
        await settle(pilot)
        (request,) = store.requests()
        assert request.status is RequestStatus.DEFERRED
        assert request.history[-1].reason == "Waiting for the CIN review"
        assert len(request.decisions) == 1


async def test_a_reason_typed_straight_after_w_on_a_request_from_the_register_is_saved(
    store: Store,
) -> None:
    request = sent(1, "Amelia Tregear", date(2025, 9, 1))
    store.save(request, base_version=request.version)
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RequestViewScreen)
        burst(app, "w", "Family moved out of area", "enter")
        await settle(pilot)
        saved = store.get(request.id)
        assert saved.status is RequestStatus.WITHDRAWN
        assert saved.history[-1].reason == "Family moved out of area"


async def test_a_name_typed_straight_after_a_on_the_roster_is_the_name_saved(
    store: Store,
) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(RosterScreen())
        await settle(pilot)
        burst(app, "a", "Jo Pascoe")
        await settle(pilot)
        assert app.screen.query_one("#field-name", Input).value == "Jo Pascoe"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [p.name for p in store.practitioners()] == ["Jo Pascoe"]
