"""Copying a whole register between backends (a file and a server, either way).

Everything goes: every request with its history, the service ledger (its entries
exactly, so they still chain; the copy's own changes are recorded after them), the
roster, the moved meetings, the records of meetings held and the settings. The
target must be empty; the requests go in with one all-or-nothing import, so a copy
that fails leaves no half-copied requests.
Versions start again at 1 in the target (a version counts saves in one place);
everything else in a request is copied as it is, so its history still verifies.
The copy's own ledger entries (each request, practitioner, moved meeting and meeting
record it brings in) are attributed to ``who`` runs it, "Copied from SOURCE".
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.history import UNKNOWN_ACTOR, Actor
from ..domain.wording import plural
from .errors import StoreError
from .repository import KeepsLedger, Repository

__all__ = ["CopyReport", "copy_register"]


@dataclass(frozen=True)
class CopyReport:
    requests: int
    practitioners: int
    meeting_moves: int
    meeting_records: int


def copy_register(
    source: Repository, target: Repository, *, who: Actor = UNKNOWN_ACTOR
) -> CopyReport:
    """Copy everything in ``source`` into the empty ``target``, as ``who``."""
    held = target.count()
    if held:
        raise StoreError(
            f"{target.location} already holds {plural(held, 'request')}; a register is copied only "
            "into an empty one, so that nothing there is mixed up or overwritten."
        )
    # The ledger first, exactly as it is: what the copy then does is recorded after it.
    if isinstance(source, KeepsLedger) and isinstance(target, KeepsLedger):
        target.carry_ledger(source.ledger())
    requests = source.requests()
    roster = source.practitioners()
    moves = sorted(source.meeting_moves(), key=lambda move: move.at)
    copied = f"Copied from {source.location}"
    target.set_cutoff_days(source.cutoff_days, who=who)
    for practitioner in roster:
        target.save_practitioner(practitioner, who=who, reason=copied)
    # Moves first, while the target holds no request for them to move, in the
    # order they were made (the calendar applies them in that order).
    for move in moves:
        why = f"{copied} (moved because: {move.reason})" if move.reason else copied
        target.move_meeting(move.scheduled, move.moved_to, move.reason, who=who, ledger_reason=why)
    report = target.import_requests(requests, who=who, summary=copied)
    if report.conflicts:
        listing = "\n  ".join(report.conflicts)
        raise StoreError(f"The copy was stopped, no request was copied:\n  {listing}")
    # The record of each meeting held: every meeting a request was due at or decided at.
    meetings_held = {day for r in requests for day in (r.meeting, *r.decision_meetings) if day}
    records = 0
    for meeting in sorted(meetings_held):
        record = source.meeting_record(meeting)
        if record.attendees or record.apologies or record.actions:
            target.save_meeting_record(record, who=who, reason=copied)
            records += 1
    return CopyReport(len(requests), len(roster), len(moves), records)
