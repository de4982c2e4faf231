"""A draft that will not be sent can be deleted, after a question naming it; a sent
request cannot be."""

from __future__ import annotations

from datetime import date

import pytest

from vig_tui.app import VigApp
from vig_tui.domain.history import Action
from vig_tui.domain.models import Child, RequestStatus, VigRequest
from vig_tui.screens.confirm import ConfirmDialog
from vig_tui.screens.home import HomeScreen
from vig_tui.screens.walkthrough import RequestWalkthrough
from vig_tui.store import RequestNotFound, Store
from vig_tui.store.drafts import NotADraftError, delete_draft


def _draft(store: Store, name: str) -> VigRequest:
    draft = VigRequest(child=Child(name=name))
    return store.save(draft, base_version=None)


def test_only_a_draft_can_be_deleted(store: Store) -> None:
    draft = _draft(store, "Amy Tre")
    sent = store.submit(_draft(store, "Ben Tre"), date(2026, 11, 24), base_version=1)
    assert delete_draft(store, draft.id).child.name == "Amy Tre"
    with pytest.raises(RequestNotFound):
        store.get(draft.id)
    with pytest.raises(NotADraftError) as refused:
        delete_draft(store, sent.id)
    assert "withdrawn or closed" in str(refused.value)
    assert store.get(sent.id).status is RequestStatus.SUBMITTED


def _dialog_text(dialog: ConfirmDialog) -> str:
    return " ".join(str(w.render()) for w in dialog.query("Label, Static"))


async def test_home_deletes_the_highlighted_draft_after_asking(app: VigApp, store: Store) -> None:
    _draft(store, "Amy Tre")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "Amy Tre" in _dialog_text(dialog)
        await pilot.press("enter")  # the safe answer has focus: keep it
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert store.count() == 1
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("tab", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert store.count() == 0
        assert isinstance(app.screen, HomeScreen)
        # Through the service command: the ledger says who deleted it.
        gone = store.ledger()[-1]
        assert (gone.action, gone.who, gone.reason) == (
            Action.DELETED,
            app.actor,
            "Draft deleted",
        )
        assert gone.who.name == app.actor.name and gone.who.user


async def test_the_task_list_deletes_its_draft_and_nothing_brings_it_back(
    app: VigApp, store: Store
) -> None:
    draft = _draft(store, "Cal Tre")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(RequestWalkthrough(draft.id))
        await pilot.pause()
        walkthrough = app.screen
        assert isinstance(walkthrough, RequestWalkthrough)
        session = walkthrough.session
        assert session is not None
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Cal Tre" in _dialog_text(app.screen)
        await pilot.press("tab", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert store.count() == 0
        # A save of the same request still on its way (an autosave) is dropped.
        session.request.child.name = "Cal Tregear"
        assert app.save_request(session.request) is False
        await app.workers.wait_for_complete()
        assert store.count() == 0
