"""A correction made over someone else's: refused, shown side by side, re-applied on request."""

from __future__ import annotations

from vig_tui.app import VigApp
from vig_tui.domain.history import Actor
from vig_tui.domain.rules import Section
from vig_tui.screens.conflict import ConflictScreen
from vig_tui.service import correct
from vig_tui.store import Store
from vig_tui.tools.gallery import example_request

from .conftest import TODAY
from .pages import open_section, shown_text

COORDINATOR = Actor(name="Cal Coordinator", role="VIG coordinator", user="cal", machine="m-7")


async def test_a_stale_correction_is_shown_beside_the_current_version_and_reapplied(
    app: VigApp, store: Store
) -> None:
    sent = store.submit(example_request(), TODAY, base_version=None)
    async with app.run_test(size=(110, 40)) as pilot:
        await open_section(app, pilot, sent.id, Section.CHILD_FAMILY)
        await pilot.press("end", *"-Rowe")
        # Meanwhile the coordinator corrects the same request elsewhere.
        theirs = store.get(sent.id)
        changed = theirs.model_copy(deep=True)
        changed.notes = "Family prefers afternoon visits"
        correct(store, COORDINATOR, theirs, changed, "Told by phone")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"Surname was incomplete", "enter")
        await pilot.pause()
        conflict = app.screen
        assert isinstance(conflict, ConflictScreen)
        text = shown_text(conflict)
        assert "changed by Cal Coordinator, VIG coordinator" in text
        assert "Family prefers afternoon visits" in text
        assert "Your change: The child's full name: Amelia Tregear-Rowe" in text
        assert store.get(sent.id).child.name == "Amelia Tregear"  # nothing saved yet
        app.screen.query_one("#reapply").focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    stored = store.get(sent.id)
    assert (stored.child.name, stored.notes) == (
        "Amelia Tregear-Rowe",
        "Family prefers afternoon visits",
    )
    mine = stored.history[-1]
    assert (mine.who.name, mine.reason) == ("Tess Tester", "Surname was incomplete")
    assert [(c.field, c.old, c.new) for c in mine.changes] == [
        ("child.name", "Amelia Tregear", "Amelia Tregear-Rowe")
    ]
    assert stored.history[-2].who == COORDINATOR
    assert stored.history_problem() is None
