"""Retention: each rule fires on its boundary day and not the day before; the CLI lists and
deletes with real files, and afterwards the audit is whole and the child's name is gone."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vig_tui.cli import main
from vig_tui.domain.checklist import BUILT_IN_CHECKLIST, RetentionRules, register
from vig_tui.domain.decisions import close_request, record_decision, withdraw_request
from vig_tui.domain.history import Action, Actor
from vig_tui.domain.models import (
    ClosureReason,
    Decision,
    DecisionOutcome,
    NotAcceptedReason,
    RequestStatus,
    VigRequest,
)
from vig_tui.domain.retention import RetentionRule, retention_due, retention_of
from vig_tui.service import send
from vig_tui.store import Store
from vig_tui.tools.gallery import example_request

RULES = RetentionRules()  # 2 years, 2 years, 6 years; drafts 5 and 6 months
WHO = Actor(name="Bob Hosken", role="VIG coordinator", user="bob", machine="m-b")


class _Calendar:
    def following(self, meeting_date: date) -> object:  # never asked for a not-accepted
        raise AssertionError


def not_accepted(meeting: date = date(2026, 12, 3)) -> VigRequest:
    request = example_request()
    request.status = RequestStatus.SUBMITTED
    request.reference = "VIG-2026-0101"
    decision = Decision(
        meeting=meeting,
        outcome=DecisionOutcome.NOT_ACCEPTED,
        not_accepted_reason=NotAcceptedReason.CRITERIA_NOT_MET,
        note="Not enough evidence yet",
    )
    return record_decision(request, decision, _Calendar(), who=WHO)  # type: ignore[arg-type]


def withdrawn(on: datetime = datetime(2026, 6, 10, 12, tzinfo=UTC)) -> VigRequest:
    request = example_request()
    request.status = RequestStatus.SUBMITTED
    request.reference = "VIG-2026-0102"
    return withdraw_request(request, "Family moved away", who=WHO, at=on)


def closed_work(on: date = date(2026, 12, 19)) -> VigRequest:
    request = example_request()
    request.status = RequestStatus.IN_PROGRESS
    request.reference = "VIG-2026-0103"
    request.work.started_on = date(2026, 12, 1)
    request.work.closed_on = on
    request.work.closure_reason = ClosureReason.COMPLETED
    request.work.outcome_note = "Done"
    request.change_status(
        RequestStatus.CLOSED, WHO, Action.CLOSED, at=datetime(2027, 1, 5, tzinfo=UTC)
    )
    return request


def draft(changed: datetime = datetime(2026, 1, 31, 12, tzinfo=UTC)) -> VigRequest:
    request = example_request()
    request.updated_at = changed
    return request


@pytest.mark.parametrize(
    ("request_", "rule", "due_on"),
    [
        (not_accepted(), RetentionRule.NOT_ACCEPTED, date(2028, 12, 3)),
        # 29 February plus two years is 28 February.
        (not_accepted(date(2028, 2, 29)), RetentionRule.NOT_ACCEPTED, date(2030, 2, 28)),
        (withdrawn(), RetentionRule.WITHDRAWN, date(2028, 6, 10)),
        # The work's closing date counts, not the day it was typed in.
        (closed_work(), RetentionRule.CLOSED, date(2032, 12, 19)),
    ],
)
def test_each_rule_is_due_on_its_day_and_not_the_day_before(
    request_: VigRequest, rule: RetentionRule, due_on: date
) -> None:
    day_before = date.fromordinal(due_on.toordinal() - 1)
    assert retention_of(request_, day_before, RULES) is None
    due = retention_of(request_, due_on, RULES)
    assert due is not None
    assert (due.rule, due.due_on, due.due) == (rule, due_on, True)


def test_a_request_closed_without_a_work_record_counts_from_its_closing() -> None:
    request = example_request()
    request.status = RequestStatus.SUBMITTED
    request.reference = "VIG-2026-0104"
    closed = close_request(request, "Duplicate", who=WHO, at=datetime(2026, 3, 2, 9, tzinfo=UTC))
    assert retention_of(closed, date(2032, 3, 1), RULES) is None
    due = retention_of(closed, date(2032, 3, 2), RULES)
    assert due is not None and due.why.startswith("Closed on 2 March 2026")


def test_a_draft_is_a_reminder_then_due() -> None:
    request = draft()  # last changed 31 January 2026
    assert retention_of(request, date(2026, 6, 29), RULES) is None
    reminder = retention_of(request, date(2026, 6, 30), RULES)  # 5 months on
    assert reminder is not None and not reminder.due and reminder.due_on == date(2026, 7, 31)
    still = retention_of(request, date(2026, 7, 30), RULES)
    assert still is not None and not still.due
    due = retention_of(request, date(2026, 7, 31), RULES)
    assert due is not None and due.due and due.rule is RetentionRule.DRAFT


@pytest.mark.parametrize(
    "status",
    [RequestStatus.SUBMITTED, RequestStatus.ALLOCATED, RequestStatus.IN_PROGRESS,
     RequestStatus.DEFERRED],
)  # fmt: skip
def test_open_requests_are_never_due(status: RequestStatus) -> None:
    request = example_request()
    request.status = status
    request.created_at = request.updated_at = datetime(2000, 1, 1, tzinfo=UTC)
    assert retention_of(request, date(2040, 1, 1), RULES) is None


def test_each_request_is_judged_by_the_checklist_it_was_made_under() -> None:
    strict = dataclasses.replace(
        BUILT_IN_CHECKLIST,
        version="2027.1",
        retention=dataclasses.replace(RULES, not_accepted_years=1),
    )
    register([strict], None)
    older = not_accepted()
    newer = not_accepted().model_copy(update={"checklist_version": "2027.1"})
    found = retention_due([older, newer], date(2027, 12, 3))
    assert [d.request.checklist_version for d in found] == ["2027.1"]
    assert found[0].period == "1 year after the decision"


# The command line, on a real file ---------------------------------------------------------


def _filled(path: Path) -> dict[str, VigRequest]:
    """A register with one request for each rule, and one still open."""
    made = {}
    with Store.open(path) as store:
        for name, request in (
            ("not accepted", not_accepted()),
            ("withdrawn", withdrawn()),
            ("closed", closed_work()),
            ("draft", draft()),
        ):
            request.child.name = f"Child {name.title().replace(' ', '')}"
            request.reference = None if name == "draft" else request.reference
            made[name] = store.save(request, base_version=None)
        made["open"] = send(store, WHO, example_request(), date(2026, 11, 2))
    return made


def test_dry_run_lists_what_is_due_and_why_and_changes_nothing(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _filled(db_path)
    before = db_path.read_bytes()
    assert main(["retention", "--dry-run", "--db", str(db_path), "--on", "2028-12-03"]) == 0
    out = capsys.readouterr().out
    assert "Due to be deleted: 3 requests" in out
    assert "VIG-2026-0101  Not accepted on 3 December 2026; kept 2 years after the decision" in out
    assert "VIG-2026-0102  Withdrawn on 10 June 2026" in out
    assert "Draft (not sent)  Draft last changed on 31 January 2026" in out
    assert "VIG-2026-0103" not in out  # closed: 6 years
    assert db_path.read_bytes() == before
    # Options before the subcommand mean the same; --json is one object a line.
    assert (
        main(["--db", str(db_path), "retention", "--dry-run", "--json", "--on", "2028-12-02"]) == 0
    )
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(r["rule"] for r in rows) == ["draft untouched", "withdrawn"]


def test_apply_deletes_what_is_due_leaving_the_audit_whole_and_no_name(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = _filled(db_path)
    assert main(["retention", "--apply", "--db", str(db_path), "--on", "2028-12-03"]) == 0
    out = capsys.readouterr().out
    assert "3 requests deleted" in out
    content = db_path.read_bytes()
    for gone in ("Child NotAccepted", "Child Withdrawn", "Child Draft"):
        assert gone.encode() not in content
    for kept in ("Child Closed", made["open"].child.name):
        assert kept.encode() in content
    assert main(["audit", "verify", "--db", str(db_path)]) == 0
    with Store.open(db_path) as store:
        assert {r.status for r in store.requests()} == {
            RequestStatus.CLOSED,
            RequestStatus.SUBMITTED,
        }
        tombstones = [e for e in store.ledger() if "kept" in (e.reason or e.summary or "")]
        assert len(tombstones) == 3
    # Nothing left to do: a second run deletes nothing.
    assert main(["retention", "--apply", "--db", str(db_path), "--on", "2028-12-03"]) == 0
    assert "0 requests deleted" in capsys.readouterr().out


def test_apply_is_refused_read_only_and_a_missing_database_is_said(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["retention", "--dry-run", "--db", str(db_path)]) == 3
    assert "there is no database here" in capsys.readouterr().err
    _filled(db_path)
    assert main(["retention", "--apply", "--read-only", "--db", str(db_path)]) == 2
    assert "--read-only was given" in capsys.readouterr().err


@settings(max_examples=300, deadline=None)
@given(
    ended=st.dates(date(1990, 1, 1), date(2090, 12, 31)),
    today=st.dates(date(1990, 1, 1), date(2100, 12, 31)),
    years=st.integers(0, 100),
)
def test_a_closed_request_is_due_exactly_from_its_anniversary(
    ended: date, today: date, years: int
) -> None:
    request = closed_work(ended)
    rules = dataclasses.replace(RULES, closed_years=years)
    due = retention_of(request, today, rules)
    anniversary = retention_of(request, date(2200, 1, 1), rules)
    assert anniversary is not None
    due_on_day = anniversary.due_on
    assert (due is not None) == (today >= due_on_day)
    assert due_on_day.year == ended.year + years


def test_homes_reminder_holds_one_request_at_a_time(db_path: Path) -> None:
    """Home's reminder counts what is due reading one request whole at a time: holding
    every candidate at once (almost half of a large register) doubled the app's memory."""
    import gc
    import tracemalloc
    from uuid import uuid4

    from vig_tui.service.retention import find_due, retention_reminder

    today = date(2029, 1, 1)
    with Store.open(db_path) as store:
        for number in range(12):
            request = withdrawn()
            request.id = uuid4()
            request.reference = f"VIG-2026-{number + 1:04d}"
            store.save(request, base_version=None)
        store.summaries()  # built before measuring: Home has them already

        def peak(action) -> tuple[object, int]:  # type: ignore[no-untyped-def]
            gc.collect()
            tracemalloc.start()
            try:
                result = action()
                return result, tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()

        words, reminder_peak = peak(lambda: retention_reminder(store, today))
        found, all_at_once = peak(lambda: find_due(store, today))
    assert words.startswith("12 records are due for deletion")  # type: ignore[attr-defined]
    assert len(found) == 12  # type: ignore[arg-type]
    assert reminder_peak * 3 < all_at_once, (reminder_peak, all_at_once)
