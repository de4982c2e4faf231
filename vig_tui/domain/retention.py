"""Keeping records no longer than needed (UK GDPR): which requests are due to go, and why.

A request is kept for the period its checklist's :class:`~vig_tui.domain.checklist.RetentionRules`
give for how it ended, counted from the day it ended that way:

* not accepted: ``not_accepted_years`` after the meeting that decided so;
* withdrawn: ``withdrawn_years`` after the withdrawal;
* closed: ``closed_years`` after the closure (the work's closing date, or the day it was closed);
* a draft never sent: untouched ``draft_reminder_months`` -> a reminder on Home,
  ``draft_delete_months`` -> due.

It is due on the anniversary itself (a request not accepted on 3 December 2026 with a
two-year period is due on 3 December 2028, not the day before). Periods are added with
``dateutil.relativedelta`` (29 February plus a year is 28 February). Requests
still open (sent, allocated, in progress, deferred) are never due. Pure: the caller
passes today and the rules of the checklist each request was made under.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from .checklist import CHECKLISTS, RetentionRules, checklist_for
from .dates import format_date
from .models import DecisionOutcome, RequestStatus, VigRequest
from .summary import RequestSummary


class RetentionRule(StrEnum):
    NOT_ACCEPTED = "not accepted"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"
    DRAFT = "draft untouched"


@dataclass(frozen=True)
class RetentionDue:
    """One request the retention rules reach: due to be deleted, or (drafts) soon."""

    request: VigRequest
    rule: RetentionRule
    #: The day the period started: the decision, withdrawal, closure or last change.
    since: date
    #: The day it is (or was) due to be deleted.
    due_on: date
    #: True: due now; False: a draft that will be due on ``due_on`` (a reminder).
    due: bool
    #: The period in words ("2 years after the decision").
    period: str

    @property
    def reference(self) -> str:
        return self.request.reference or "Draft (not sent)"

    @property
    def why(self) -> str:
        """ "Not accepted on 3 December 2026; kept 2 years after the decision"."""
        return f"{_ENDED[self.rule]} {format_date(self.since)}; kept {self.period}"


_ENDED = {
    RetentionRule.NOT_ACCEPTED: "Not accepted on",
    RetentionRule.WITHDRAWN: "Withdrawn on",
    RetentionRule.CLOSED: "Closed on",
    RetentionRule.DRAFT: "Draft last changed on",
}


def _years(count: int) -> str:
    return f"{count} year{'s' if count != 1 else ''}"


def _months(count: int) -> str:
    return f"{count} month{'s' if count != 1 else ''}"


def _ended_on(request: VigRequest, status: RequestStatus) -> date:
    """The day the request reached ``status``: its newest history entry that made it so."""
    for entry in reversed(request.history):
        if entry.status is status and any(c.field == "status" for c in entry.changes):
            return entry.at.astimezone().date()
    return request.updated_at.astimezone().date()


def _decided_on(request: VigRequest) -> date:
    for decision in reversed(request.decisions):
        if decision.outcome is DecisionOutcome.NOT_ACCEPTED:
            return decision.meeting
    return _ended_on(request, RequestStatus.NOT_ACCEPTED)


def retention_of(request: VigRequest, today: date, rules: RetentionRules) -> RetentionDue | None:
    """Whether ``request`` is due to go on ``today`` (or, a draft, soon), and under which rule."""
    status = request.status
    if status is RequestStatus.NOT_ACCEPTED:
        since, rule = _decided_on(request), RetentionRule.NOT_ACCEPTED
        period = relativedelta(years=rules.not_accepted_years)
        words = f"{_years(rules.not_accepted_years)} after the decision"
    elif status is RequestStatus.WITHDRAWN:
        since, rule = _ended_on(request, status), RetentionRule.WITHDRAWN
        period = relativedelta(years=rules.withdrawn_years)
        words = f"{_years(rules.withdrawn_years)} after the withdrawal"
    elif status is RequestStatus.CLOSED:
        since = request.work.closed_on or _ended_on(request, status)
        rule, period = RetentionRule.CLOSED, relativedelta(years=rules.closed_years)
        words = f"{_years(rules.closed_years)} after the closure"
    elif status is RequestStatus.DRAFT:
        since = request.updated_at.astimezone().date()
        due_on = since + relativedelta(months=rules.draft_delete_months)
        words = f"{_months(rules.draft_delete_months)} after its last change"
        if today >= due_on:
            return RetentionDue(request, RetentionRule.DRAFT, since, due_on, True, words)
        if today >= since + relativedelta(months=rules.draft_reminder_months):
            return RetentionDue(request, RetentionRule.DRAFT, since, due_on, False, words)
        return None
    else:
        return None
    due_on = since + period
    if today < due_on:
        return None
    return RetentionDue(request, rule, since, due_on, True, words)


def retention_due(
    requests: Iterable[VigRequest],
    today: date,
    rules_for: Callable[[VigRequest], RetentionRules] | None = None,
) -> list[RetentionDue]:
    """Every request due to go (and drafts near it), each judged by its own checklist's rules;
    oldest due first."""
    rules_of = rules_for or (lambda request: checklist_for(request.checklist_version).retention)
    found = [
        due for request in requests if (due := retention_of(request, today, rules_of(request)))
    ]
    return sorted(found, key=lambda due: (due.due_on, due.reference))


def might_be_due(summary: RequestSummary, today: date) -> bool:
    """Whether a register row could be due (or near it) under any known checklist: a cheap
    test on the light rows, so only those are read whole. A request ends after it is
    made, so its creation plus the shortest period bounds the day it can first be due."""
    periods = [checklist.retention for checklist in CHECKLISTS.values()]
    if summary.status is RequestStatus.DRAFT:
        months = min(p.draft_reminder_months for p in periods)
        return summary.updated_at.astimezone().date() + relativedelta(months=months) <= today
    shortest = {
        RequestStatus.NOT_ACCEPTED: min(p.not_accepted_years for p in periods),
        RequestStatus.WITHDRAWN: min(p.withdrawn_years for p in periods),
        RequestStatus.CLOSED: min(p.closed_years for p in periods),
    }.get(summary.status)
    if shortest is None:
        return False
    return summary.created_at.astimezone().date() + relativedelta(years=shortest) <= today
