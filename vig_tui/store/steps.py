"""What both backends do the same way before they write (the TinyDB file and PostgreSQL).

Sending a request, moving a meeting, changing the roster and installing a
checklist each build the same copy, history line and checks whichever backend
stores them; they are built here once, so the two backends cannot drift apart.
Only how each stores the result stays in its own module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from ..domain.changes import answer_changes
from ..domain.history import Action, Actor, Change
from ..domain.meetings import Meeting
from ..domain.models import Practitioner, RequestStatus, VigRequest
from .errors import StoreError


def aware(moment: datetime) -> datetime:
    """``moment`` with a time zone: a stored time without one was written in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def long_date(day: date) -> str:
    """'3 December 2026'."""
    return f"{day.day} {day:%B %Y}"


def sent_copy(
    request: VigRequest,
    on: date,
    *,
    next_reference: Callable[[], str],
    meeting: date,
    who: Actor,
) -> VigRequest:
    """``request`` as sent on ``on``: its reference (kept if it has one, else the next),
    its meeting, status SUBMITTED and the history line saying so. ``request`` itself is
    not changed."""
    sent = request.model_copy(deep=True)
    if not sent.reference:
        sent.reference = next_reference()
    sent.meeting = meeting
    sent.submitted_on = on
    sent.change_status(
        RequestStatus.SUBMITTED,
        who,
        Action.SENT,
        f"Sent to the VIG service as {sent.reference}, for the meeting on {long_date(meeting)}",
        changes=answer_changes(request, sent, ("reference", "meeting", "submitted_on")),
    )
    return sent


def check_meeting_day(held: Meeting, scheduled: date) -> None:
    """Refuse (``ValueError``) to move a meeting from a day that is not its month's."""
    if held.scheduled != scheduled:
        raise ValueError(
            f"{long_date(scheduled)} is not an allocation meeting day; "
            f"that month's meeting is scheduled for {long_date(held.scheduled)}."
        )


def meeting_move(held: Meeting, moved_to: date) -> tuple[str, list[Change]]:
    """The service ledger's line for moving ``held`` to ``moved_to``, and its change."""
    summary = f"The {held.scheduled:%B %Y} meeting moved to {long_date(moved_to)}"
    change = Change(
        field=f"meetings.{held.scheduled.isoformat()}",
        label=f"{held.scheduled:%B %Y} meeting",
        old=held.date.isoformat(),
        new=moved_to.isoformat(),
    )
    return summary, [change]


def move_request(
    request: VigRequest, held: Meeting, moved_to: date, who: Actor, reason: str
) -> None:
    """Move ``request`` from ``held`` to ``moved_to``, with its history line."""
    request.meeting = moved_to
    request.record(
        who,
        Action.MEETING_MOVED,
        f"Meeting moved from {long_date(held.date)} to {long_date(moved_to)}",
        changes=[
            Change(
                field="meeting",
                label="Meeting",
                old=held.date.isoformat(),
                new=moved_to.isoformat(),
            )
        ],
        reason=reason,
    )


def roster_changes(
    checked: Practitioner, doc: Mapping[str, Any], before: Mapping[str, Any]
) -> list[Change]:
    """Each detail of a practitioner that saving ``doc`` over ``before`` changes."""
    return [
        Change(
            field=f"roster.{checked.id}.{key}",
            label=f"{checked.name}: {key}",
            old=before.get(key),
            new=value,
        )
        for key, value in doc.items()
        if key != "id" and before.get(key) != value
    ]


def check_new_checklist(installed: Mapping[str, str], version: str, text: str) -> None:
    """Refuse a checklist whose version is already installed with other text."""
    if version in installed and installed[version] != text:
        raise StoreError(
            f"A different checklist is already installed as version {version}: "
            "requests made under it are judged by it. Give yours a new version."
        )
