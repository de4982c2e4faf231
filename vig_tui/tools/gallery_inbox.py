"""Gallery shots of the Inbox (see :mod:`vig_tui.tools.gallery`): a request received by
file whose child's postcode was changed both by its sender and at the service, and one
whose first parent was changed at the service but removed by its sender (settled by
writing them in the walkthrough's carer card).

The first shot puts that request into the gallery's database (once; the shots run
last, so the others do not show it), then each gets there by the coordinator's keys.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pyrage import x25519
from textual.pilot import Pilot

from ..domain.changes import answer_changes
from ..domain.history import Action, Actor
from ..domain.models import Carer, CarerRelationship, RequestStatus, VigRequest
from ..exchange.payloads import RequestFile, Sender
from ..service.receiving import receive_requests
from .gallery import GALLERY_TODAY, Shot, _app, example_request

if TYPE_CHECKING:
    from ..store import Repository

_SENDER = Actor(
    name="Ann Kitto",
    role="Health visitor",
    user="ann",
    machine="4a7c1e90-6b1d-4c55-9f0e-2d8b3a61c7f4",
)
_SERVICE = Actor(
    name="Cara Coordinator",
    role="VIG coordinator",
    user="cara",
    machine="9e3f5b12-0c4a-4d7e-8b21-6f0a9c3d5e88",
)


def _at(day: int, hour: int) -> datetime:
    """A fixed time in November 2026, so the pictures do not change from run to run."""
    return datetime(2026, 11, day, hour, 30, tzinfo=UTC)


def _with_waiting_conflict(pilot: Pilot[None]) -> None:
    store = _app(pilot).store
    if any(summary.waiting_conflicts for summary in store.summaries()):
        return
    _postcode_conflict(store)
    _carer_conflict(store)


def _sent(child: str) -> VigRequest:
    sent = example_request()
    sent.child.name = child
    sent.history, sent.history_head = [], None
    sent.record(_SENDER, Action.CREATED, "Request started", at=_at(17, 10))
    sent.change_status(
        RequestStatus.SUBMITTED, _SENDER, Action.SENT, "Sent by file", at=_at(17, 11)
    )
    return sent


def _document(request: VigRequest) -> RequestFile:
    return RequestFile(
        sent_at=datetime(2026, 11, 20, 9, tzinfo=UTC),
        sender=Sender(name="Ann Kitto", role="Health visitor", team="Truro Health Visiting"),
        sender_key=str(x25519.Identity.generate().to_public()),
        requests=[request],
    )


def _corrected(request: VigRequest, who: Actor, after: VigRequest, day: int) -> VigRequest:
    after.record(
        who, Action.CORRECTED, "Corrected", changes=answer_changes(request, after), at=_at(day, 14)
    )
    return after


def _carer_conflict(store: Repository) -> None:
    """The service noted the first parent's new phone; the sender, meanwhile, replaced
    them with the grandmother who now cares for the child."""
    sent = _sent("Tamsin Rowe")
    receive_requests(store, _SERVICE, _document(sent), on=GALLERY_TODAY)
    ours = store.get(sent.id)
    noted = ours.model_copy(deep=True)
    noted.carers[0].phone = "01632 960 111"
    store.save(_corrected(ours, _SERVICE, noted, 19), base_version=ours.version)
    theirs = sent.model_copy(deep=True)
    theirs.carers = [
        Carer(
            name="Morwenna Rowe",
            relationship=CarerRelationship.KINSHIP_CARER,
            phone="01632 960 222",
        )
    ]
    receive_requests(
        store, _SERVICE, _document(_corrected(sent, _SENDER, theirs, 20)), on=GALLERY_TODAY
    )


def _postcode_conflict(store: Repository) -> None:
    sent = example_request()
    sent.history, sent.history_head = [], None
    sent.record(_SENDER, Action.CREATED, "Request started", at=_at(17, 10))
    sent.change_status(
        RequestStatus.SUBMITTED, _SENDER, Action.SENT, "Sent by file", at=_at(17, 11)
    )

    def document(request: VigRequest) -> RequestFile:
        return RequestFile(
            sent_at=datetime(2026, 11, 20, 9, tzinfo=UTC),
            sender=Sender(name="Ann Kitto", role="Health visitor", team="Truro Health Visiting"),
            sender_key=str(x25519.Identity.generate().to_public()),
            requests=[request],
        )

    receive_requests(store, _SERVICE, document(sent), on=GALLERY_TODAY)
    ours = store.get(sent.id)
    noted = ours.model_copy(deep=True)
    noted.child.postcode = "TR1 1AA"
    noted.record(
        _SERVICE, Action.CORRECTED, "Corrected", changes=answer_changes(ours, noted), at=_at(19, 14)
    )
    store.save(noted, base_version=ours.version)
    theirs = sent.model_copy(deep=True)
    theirs.child.postcode = "TR15 9ZZ"
    theirs.record(
        _SENDER, Action.CORRECTED, "Corrected", changes=answer_changes(sent, theirs), at=_at(20, 9)
    )
    receive_requests(store, _SERVICE, document(theirs), on=GALLERY_TODAY)


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _inbox(pilot: Pilot[None]) -> None:
    _with_waiting_conflict(pilot)
    await pilot.press("i")
    await _settle(pilot)


async def _conflict(pilot: Pilot[None]) -> None:
    await _inbox(pilot)
    await pilot.press("enter")
    await _settle(pilot)


async def _carer_card(pilot: Pilot[None]) -> None:
    from ..domain.receiving import whole_carer
    from ..screens.inbox import InboxScreen

    await _inbox(pilot)
    inbox = pilot.app.screen
    assert isinstance(inbox, InboxScreen)
    row = next(i for i, item in enumerate(inbox.waiting) if whole_carer(item.conflict.path))
    for _ in range(row):
        await pilot.press("down")
        await _settle(pilot)
    await pilot.press("enter")
    await _settle(pilot)
    await pilot.press("e")
    await _settle(pilot)


SHOTS: list[Shot] = [
    Shot("inbox", _inbox),
    Shot("inbox-conflict", _conflict),
    Shot("inbox-carer-card", _carer_card),
]
