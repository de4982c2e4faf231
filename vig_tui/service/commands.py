"""The commands themselves (re-exported by :mod:`vig_tui.service`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from ..domain.changes import answer_changes, section_changes
from ..domain.decisions import close_request, record_decision, withdraw_request
from ..domain.history import Action, Actor
from ..domain.meetings import MeetingCalendar
from ..domain.models import (
    Decision,
    MeetingRecord,
    Practitioner,
    Referrer,
    ReferrerRole,
    RequestStatus,
    VigRequest,
)
from ..domain.rules import Section

if TYPE_CHECKING:
    from ..profile import Profile
    from ..store import ImportReport, Repository


class CommandError(ValueError):
    """A change that cannot be made as asked; the message says why, fit to show."""


# Making a request -------------------------------------------------------------


def start_request(who: Actor, profile: Profile | None = None) -> VigRequest:
    """A new draft, "About you" filled from the worker's profile, with its "created" entry.

    Not saved yet: the walkthrough saves it once something is answered.
    """
    request = VigRequest()
    blank = request.model_copy(deep=True)
    if profile is not None:
        role = profile.role if profile.role in {r.value for r in ReferrerRole} else None
        request.referrer = Referrer(
            name=profile.name,
            role=ReferrerRole(role) if role else None,
            team=profile.team,
            phone=profile.phone,
            email=profile.email,
        )
    request.record(
        who,
        Action.CREATED,
        "Request started" + (" (About you filled in from your profile)" if profile else ""),
        changes=answer_changes(blank, request, ("referrer",)),
        at=request.created_at,
    )
    return request


@dataclass
class Visit:
    """One visit of a section page while drafting: its autosaves make one history entry."""

    section: Section
    #: The request as the visit found it (the entry's old values).
    start: VigRequest
    #: The hash of the entry this visit has recorded so far, if any.
    entry: str | None = field(default=None)


def record_visit(request: VigRequest, who: Actor, visit: Visit) -> None:
    """Bring the visit's one entry up to date before a draft save ("edited", old -> new).

    The visit's entry is replaced while it is still the newest (nothing else
    has followed it); a visit that changes nothing leaves none, and one whose
    changes were all undone says so.
    """
    changes = section_changes(visit.start, request, visit.section)
    newest = request.history[-1].hash if request.history else None
    if not changes and (visit.entry is None or visit.entry != newest):
        return
    summary = f"Answers changed in “{visit.section.title}”"
    if not changes:
        # Kept, not removed: a history only grows (a server refuses to shrink one).
        summary += ", then changed back"
    entry = request.record(
        who,
        Action.EDITED,
        summary,
        changes=changes,
        replacing=visit.entry if visit.entry == newest else None,
    )
    visit.entry = entry.hash


def end_visit(visit: Visit) -> None:
    """The page is closed: its entry is final (a later visit appends its own)."""
    visit.entry = None


def send(
    store: Repository,
    who: Actor,
    request: VigRequest,
    on: date,
    *,
    base_version: int | None = None,
) -> VigRequest:
    """Send a draft: reference, meeting, status Submitted, one "sent" entry; returns it stored.

    ``base_version`` (default: the request's own) is the stored version its answers were
    made to; the app passes the one its background saves reached.
    """
    base = request.version if base_version is None else base_version
    return store.submit(request, on, base_version=base, who=who)


def correct(
    store: Repository, who: Actor, before: VigRequest, after: VigRequest, reason: str
) -> VigRequest:
    """Record a correction of a sent request: each answer's old and new value, and why.

    ``before`` is the request as the worker opened it; ``after`` their corrected copy.
    Refused (VersionConflict) if the stored request has changed since ``before``.
    A reason is required once a request has been sent. Returns the stored copy.
    """
    reason = reason.strip()
    if after.status is not RequestStatus.DRAFT and not reason:
        raise CommandError("Enter why the request is being corrected")
    changes = answer_changes(before, after)
    if not changes:
        return after
    corrected = after.model_copy(deep=True)
    # A sent request's sections are named as anyone reads them ("The referrer").
    sections = sorted({_section_of(c.field) for c in changes}, key=lambda s: s.order)
    corrected.record(
        who,
        Action.CORRECTED,
        f"Corrected in {', '.join(f'“{s.title_for_others}”' for s in sections)}",
        changes=changes,
        reason=reason,
    )
    return store.save(corrected, base_version=before.version)


def _section_of(path: str) -> Section:
    from ..domain.progress import SECTION_ANSWERS

    top = path.split(".")[0]
    return next(s for s in Section if top in SECTION_ANSWERS[s])


def decide(
    store: Repository,
    who: Actor,
    request: VigRequest,
    decision: Decision,
    calendar: MeetingCalendar,
) -> VigRequest:
    """Record an allocation meeting's decision (one "decided" entry) and save it."""
    updated = record_decision(request, decision, calendar, who=who)
    return store.save(updated, base_version=request.version)


def withdraw(store: Repository, who: Actor, request: VigRequest, reason: str) -> VigRequest:
    updated = withdraw_request(request, reason, who=who)
    return store.save(updated, base_version=request.version)


def close(store: Repository, who: Actor, request: VigRequest, reason: str = "") -> VigRequest:
    updated = close_request(request, reason, who=who)
    return store.save(updated, base_version=request.version)


def delete_draft(store: Repository, who: Actor, request_id: UUID, reason: str = "") -> VigRequest:
    """Delete a draft (never a sent request: ``NotADraftError``); the ledger records who
    deleted it and why. Returns the draft as it was."""
    from ..store.drafts import delete_draft as delete_from_store

    return delete_from_store(store, request_id, who=who, reason=reason)


# The service as a whole -------------------------------------------------------


def move_meeting(
    store: Repository, who: Actor, scheduled: date, moved_to: date, reason: str = ""
) -> None:
    """Move one month's meeting: the ledger and each request due at it record who and why."""
    store.move_meeting(scheduled, moved_to, reason, who=who)


def import_requests(store: Repository, who: Actor, requests: list[VigRequest]) -> ImportReport:
    """Add requests from a file (all or nothing); the ledger records each one imported."""
    return store.import_requests(requests, who=who)


def change_settings(store: Repository, who: Actor, *, cutoff_days: int) -> None:
    """Change the service's settings; the ledger keeps the old and new value."""
    store.set_cutoff_days(cutoff_days, who=who)


def save_meeting_record(store: Repository, who: Actor, record: MeetingRecord) -> MeetingRecord:
    """Keep the record of a meeting (who came, apologies, actions); the ledger keeps who
    changed it, with the old and new of each part."""
    return store.save_meeting_record(record, who=who)


def install_checklist(store: Repository, who: Actor, version: str, text: str) -> None:
    """Install the service's checklist ``version`` (checked by the caller) and put it in
    use; the ledger records which version and who installed it."""
    store.install_checklist(version, text, who=who)


def save_practitioner(store: Repository, who: Actor, practitioner: Practitioner) -> None:
    """Add or change a practitioner on the roster; the ledger keeps each detail's change."""
    store.save_practitioner(practitioner, who=who)
