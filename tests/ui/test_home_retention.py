"""Home says when records are due for deletion under the retention rules, and drafts soon."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import Static

from vig_tui.app import VigApp
from vig_tui.domain.models import RequestStatus
from vig_tui.store import Store
from vig_tui.tools.gallery import example_request

from .conftest import TODAY
from .keys import settle


async def _reminder(store: Store) -> tuple[bool, str]:
    """Whether Home shows the retention reminder at 80x24, and its words."""
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause()
        widget = app.screen.query_one("#retention", Static)
        return widget.display, str(widget.content)


async def test_nothing_due_nothing_said(store: Store) -> None:
    store.save(example_request(), base_version=None)
    shown, _ = await _reminder(store)
    assert not shown


async def test_records_due_and_drafts_near_deletion_are_said(store: Store) -> None:
    # TODAY is 24 November 2026: a draft untouched since 1 May is past its 6 months;
    # one since 1 June is past the 5-month reminder; a request withdrawn in 2020 is due.
    for changed in (datetime(2026, 5, 1, 12, tzinfo=UTC), datetime(2026, 6, 1, 12, tzinfo=UTC)):
        draft = example_request()
        draft.updated_at = draft.created_at = changed
        store.save(draft, base_version=None)
    gone = example_request()
    gone.status = RequestStatus.WITHDRAWN
    gone.reference = "VIG-2020-0001"
    gone.created_at = gone.updated_at = datetime(2020, 1, 6, tzinfo=UTC)
    store.save(gone, base_version=None)
    shown, said = await _reminder(store)
    assert shown
    assert said.startswith(
        "2 records are due for deletion under the retention rules "
        "(run vig-tui retention --dry-run to see them, --apply to delete them)."
    )
    assert "1 draft untouched for months will be deleted soon: finish or delete it." in said
