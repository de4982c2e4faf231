"""Which requests an allocation meeting considers, and what it decided about each.

The meeting screen, the meeting pack and the command line all use these
definitions, so they never disagree about a meeting's agenda. Both come from
the request's decision history (each decision names the meeting that took
it), never from where the request is due next: a request deferred twice is
due two meetings on, yet its first meeting still considered and deferred it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar

from .meetings import Meeting
from .models import Decision, RequestStatus, VigRequest

#: Statuses that never come to a meeting.
_OFF_AGENDA = frozenset({RequestStatus.DRAFT, RequestStatus.WITHDRAWN})


class AgendaFacts(Protocol):
    """What deciding whether a request is on an agenda needs: a whole request,
    or the store's light summary of one."""

    @property
    def status(self) -> RequestStatus: ...

    @property
    def meeting(self) -> date | None: ...

    @property
    def decision_meetings(self) -> Collection[date]: ...


_Facts = TypeVar("_Facts", bound=AgendaFacts)


def meeting_days(meeting: Meeting | date) -> frozenset[date]:
    """Every date a request or decision may carry for this meeting.

    A moved meeting is still the month's meeting on its scheduled day, and a
    bank-holiday meeting on the working day proposed instead.
    """
    if isinstance(meeting, date):
        return frozenset({meeting})
    days = (meeting.date, meeting.scheduled, meeting.proposed)
    return frozenset(day for day in days if day is not None)


def on_agenda(request: AgendaFacts, meeting: Meeting | date) -> bool:
    """True when ``meeting`` considers (or considered) ``request``.

    That is a sent request due at this meeting (new, deferred or waiting for
    more information), or one this meeting decided on, whatever later
    meetings decided.
    """
    return _considered(request, meeting_days(meeting))


def agenda(requests: Iterable[_Facts], meeting: Meeting | date) -> list[_Facts]:
    """The requests :func:`on_agenda` for ``meeting``, in the order given."""
    days = meeting_days(meeting)
    return [request for request in requests if _considered(request, days)]


def _considered(request: AgendaFacts, days: frozenset[date]) -> bool:
    if request.status in _OFF_AGENDA:
        return False
    return request.meeting in days or any(day in days for day in request.decision_meetings)


@dataclass(frozen=True)
class MeetingHistory:
    """A request's decisions as one meeting sees them."""

    #: The first earlier meeting that considered it, when it was carried forward.
    carried_from: date | None
    #: The last decision made at an earlier meeting, if any.
    previous: Decision | None
    #: What this meeting decided about it, once recorded.
    decision: Decision | None

    @property
    def carried_forward(self) -> bool:
        return self.carried_from is not None


class FromMeetingHistory:
    """What a meeting's list shows of a request's history, for a class holding its
    :class:`MeetingHistory` as ``history`` (the screen's items, the pack's entries)."""

    history: MeetingHistory

    @property
    def carried_from(self) -> date | None:
        """The first earlier meeting that considered the request, when it comes
        to this one from there (deferred, or more information needed)."""
        return self.history.carried_from

    @property
    def previous(self) -> Decision | None:
        """The last decision made at an earlier meeting, if any."""
        return self.history.previous

    @property
    def decision(self) -> Decision | None:
        """What this meeting decided, once recorded."""
        return self.history.decision

    @property
    def carried_forward(self) -> bool:
        return self.history.carried_forward


def meeting_history(request: VigRequest, meeting: Meeting | date) -> MeetingHistory:
    """What earlier meetings decided about ``request`` and what ``meeting`` did."""
    days = meeting_days(meeting)
    first = min(days)
    in_order = sorted(request.decisions, key=lambda d: (d.meeting, d.recorded_at))
    earlier = [d for d in in_order if d.meeting < first]
    here = [d for d in in_order if d.meeting in days]
    return MeetingHistory(
        carried_from=earlier[0].meeting if earlier else None,
        previous=earlier[-1] if earlier else None,
        decision=here[-1] if here else None,
    )


def carried_forward(request: VigRequest, meeting: Meeting | date) -> bool:
    """True when the request was already before an earlier meeting."""
    return meeting_history(request, meeting).carried_forward
