"""The meeting pack as data: what goes to one allocation meeting, in order.

The pack is built once and then rendered in any format, so every format shows
the same requests, findings and suggestions in the same order. It holds its
own copies of the requests: a request changed in the store after the pack is
built does not change a pack already built.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from ..domain.agenda import FromMeetingHistory, MeetingHistory, meeting_history
from ..domain.dates import describe_age
from ..domain.meetings import Meeting
from ..domain.models import Decision, VigRequest
from ..domain.priority import PrioritySuggestion, suggest_priority
from ..domain.rules import Finding, Severity, evaluate
from .redact import Redactor, redact_request

#: Said for the age of a child whose date of birth was not given.
NOT_KNOWN = "Not known"


@dataclass(frozen=True)
class PackEntry(FromMeetingHistory):
    """One request in the pack, with everything the meeting is shown about it."""

    request: VigRequest
    findings: tuple[Finding, ...]
    suggestion: PrioritySuggestion
    #: What earlier meetings decided about the request, and what this one did.
    history: MeetingHistory
    #: The child's age on the day of the meeting ("2 years 3 months"), worked out before
    #: any redaction: a redacted request has no date of birth.
    child_age: str

    @property
    def previous_decision(self) -> Decision | None:
        return self.previous

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.BLOCKING)

    @property
    def advisory(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ADVISORY)


@dataclass(frozen=True)
class MeetingPack:
    """Everything for one allocation meeting, in suggested-priority order."""

    #: The day the meeting is held.
    meeting_date: date
    #: The month's usual day (the first Thursday); differs from ``meeting_date`` when moved.
    scheduled: date
    moved: bool
    #: Name of the bank holiday the (unmoved) scheduled day falls on, if any.
    bank_holiday: str | None
    #: The next working day, proposed when the scheduled day is a bank holiday.
    proposed: date | None
    #: The day the pack was made; findings and priorities are worked out as on this day.
    generated_on: date
    redacted: bool
    entries: tuple[PackEntry, ...]

    @property
    def decided(self) -> int:
        """How many requests have a decision recorded for this meeting."""
        return sum(entry.decision is not None for entry in self.entries)


def build_pack(
    requests: list[VigRequest],
    meeting: Meeting | date,
    on: date,
    *,
    redact: bool = False,
) -> MeetingPack:
    """The pack for ``meeting`` holding ``requests``.

    The caller chooses the requests, normally the meeting's agenda
    (:func:`vig_tui.domain.agenda.agenda`, or ``Store.agenda`` which applies
    it); they are not filtered again here. What earlier meetings and this one
    decided comes from :func:`~vig_tui.domain.agenda.meeting_history`, as on
    the meeting screen.

    Entries come High priority first, then the longest-waiting (earliest
    submitted) first. Findings and suggestions are worked out on the full
    request; with ``redact`` the requests are then redacted
    (:func:`~vig_tui.export.redact.redact_request`) and so are the words of
    the findings and reasons, so no renderer can leak what was removed.
    """
    if isinstance(meeting, date):
        held, scheduled, moved, holiday, proposed = meeting, meeting, False, None, None
    else:
        held, scheduled = meeting.date, meeting.scheduled
        moved, holiday, proposed = meeting.moved, meeting.bank_holiday, meeting.proposed

    entries = [_entry(request, meeting, on, redact=redact) for request in requests]
    entries.sort(key=_order)
    return MeetingPack(
        meeting_date=held,
        scheduled=scheduled,
        moved=moved,
        bank_holiday=holiday,
        proposed=proposed,
        generated_on=on,
        redacted=redact,
        entries=tuple(entries),
    )


def _entry(request: VigRequest, meeting: Meeting | date, on: date, *, redact: bool) -> PackEntry:
    held = meeting if isinstance(meeting, date) else meeting.date
    born = request.child.date_of_birth
    child_age = describe_age(born, held) if born else NOT_KNOWN
    findings = tuple(evaluate(request, on))
    suggestion = suggest_priority(request, on)
    if redact:
        redactor = Redactor(request)
        findings = tuple(_redact_finding(f, redactor) for f in findings)
        suggestion = replace(
            suggestion, reasons=tuple(redactor.text(reason) for reason in suggestion.reasons)
        )
        copy = redact_request(request)
    else:
        copy = request.model_copy(deep=True)

    return PackEntry(
        request=copy,
        findings=findings,
        suggestion=suggestion,
        history=meeting_history(copy, meeting),
        child_age=child_age,
    )


def _redact_finding(finding: Finding, redactor: Redactor) -> Finding:
    return replace(
        finding,
        message=redactor.text(finding.message),
        next_steps=redactor.text(finding.next_steps),
    )


def _order(entry: PackEntry) -> tuple[int, date, str]:
    request = entry.request
    return (
        entry.suggestion.priority.rank,
        request.submitted_on or date.max,
        request.reference or "",
    )
