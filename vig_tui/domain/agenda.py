"""Which requests an allocation meeting considers.

The meeting screen, the meeting pack and the command line all use this one
definition, so they never disagree about what is on a meeting's agenda.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .models import RequestStatus, VigRequest

#: Statuses that never come to a meeting.
_OFF_AGENDA = frozenset({RequestStatus.DRAFT, RequestStatus.WITHDRAWN})


def on_agenda(request: VigRequest, meeting: date) -> bool:
    """True when ``meeting`` considers (or considered) ``request``.

    That is a sent request whose next meeting is this one (new, deferred or
    waiting for more information), or one the meeting already decided.
    """
    if request.status in _OFF_AGENDA:
        return False
    if request.meeting == meeting:
        return True
    return any(decision.meeting == meeting for decision in request.decisions)


def carried_forward(request: VigRequest, meeting: date) -> bool:
    """True when the request was already before an earlier meeting."""
    return any(decision.meeting < meeting for decision in request.decisions)


def agenda(requests: Iterable[VigRequest], meeting: date) -> list[VigRequest]:
    return [request for request in requests if on_agenda(request, meeting)]
