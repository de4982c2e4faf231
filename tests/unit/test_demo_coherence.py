"""The demo's families read as real ones would: nothing a coordinator would stop at."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from vig_tui.domain import work
from vig_tui.domain.dates import age_in_years, same_or_later_month
from vig_tui.domain.decisions import allocated_practitioner, caseloads
from vig_tui.domain.history import Action
from vig_tui.domain.models import ClosureReason, ReferrerRole, RequestStatus, VigRequest, Work
from vig_tui.domain.rules import evaluate
from vig_tui.tools.demo import (
    BOYS_NAMES,
    EITHER_NAMES,
    GIRLS_NAMES,
    TEAMS,
    demo_practitioners,
    generate_requests,
    setting_for,
)

TODAY = date(2026, 11, 24)


@pytest.fixture(scope="module")
def requests() -> list[VigRequest]:
    return generate_requests(2000, today=TODAY, seed=5)


def test_names_match_the_childs_gender(requests: list[VigRequest]) -> None:
    names = {"Girl": GIRLS_NAMES, "Boy": BOYS_NAMES, "": EITHER_NAMES}
    for request in requests:
        first = request.child.name.split()[0]
        assert first in names[request.child.gender], request.child


def test_a_child_is_only_where_children_of_that_age_are(requests: list[VigRequest]) -> None:
    for request in requests:
        child = request.child
        assert child.date_of_birth is not None
        age = age_in_years(child.date_of_birth, request.created_at.date())
        assert child.setting in setting_for(age), (age, child.setting)
        if age < 2:
            assert "Nursery" not in child.setting and "School" not in child.setting
    assert setting_for(0) == ("",)


def test_referrers_work_in_teams_of_their_kind(requests: list[VigRequest]) -> None:
    for request in requests:
        role, team = request.referrer.role, request.referrer.team
        assert role is not None and team in TEAMS[role]
        if role is not ReferrerRole.HEALTH_VISITOR:
            assert "Health Visiting" not in team


def test_no_difficulty_is_identified_before_birth_unless_in_pregnancy(
    requests: list[VigRequest],
) -> None:
    in_pregnancy = 0
    for request in requests:
        identified, born = request.difficulty_identified_on, request.child.date_of_birth
        assert identified is not None and born is not None
        if request.difficulty_identified_in_pregnancy:
            in_pregnancy += 1
            assert identified < born
        elif request.difficulty_identified_month_only:
            assert same_or_later_month(identified, born)
        else:
            assert identified >= born
        assert identified <= request.created_at.date()
        codes = {f.code for f in evaluate(request, request.created_at.date())}
        assert "difficulty_before_birth" not in codes
    assert in_pregnancy > 0


def test_no_practitioner_has_more_open_work_than_they_can_take(
    requests: list[VigRequest],
) -> None:
    roster = demo_practitioners()
    generated = generate_requests(2000, today=TODAY, seed=5, practitioners=roster)
    loads = caseloads((allocated_practitioner(r) for r in generated), roster)
    for practitioner in roster:
        assert loads[practitioner.id] <= practitioner.capacity, practitioner.name
    # The service is busy: most of the roster is near full, not idle.
    assert sum(loads.values()) >= sum(p.capacity for p in roster if p.active) // 2


def test_the_history_uses_one_date_style(requests: list[VigRequest]) -> None:
    decided = [r for r in requests if r.decisions]
    assert decided
    for request in decided:
        for entry in request.history:
            assert "Allocation meeting 20" not in entry.summary
    summaries = Counter(
        e.summary.split(":")[0] for r in decided for e in r.history if e.action == Action.DECIDED
    )
    assert all(key.startswith("Meeting on ") for key in summaries)


def test_statuses_still_cover_every_stage(requests: list[VigRequest]) -> None:
    statuses = {r.status for r in requests}
    assert statuses >= {
        RequestStatus.DRAFT,
        RequestStatus.SUBMITTED,
        RequestStatus.DEFERRED,
        RequestStatus.ALLOCATED,
        RequestStatus.CLOSED,
        RequestStatus.NOT_ACCEPTED,
        RequestStatus.WITHDRAWN,
    }


def test_allocated_work_has_consents_work_and_closings_a_worker_would_record(
    requests: list[VigRequest],
) -> None:
    """The demo had no consents and no work at all, so the consent and work pages and the
    reports had nothing to show: now allocated requests carry them, and every record obeys
    the rules the work pages apply (replayed through the domain's own steps)."""
    allocated = [
        r for r in requests if r.decisions and r.decisions[-1].outcome.value == "allocated"
    ]
    with_work = [r for r in allocated if r.work.started_on is not None]
    assert sum(bool(r.consents) for r in allocated) > len(allocated) // 2
    assert len(with_work) > len(allocated) // 2
    assert any(r.status is RequestStatus.IN_PROGRESS for r in requests)
    assert any(r.work.closure_reason is ClosureReason.COMPLETED for r in requests)
    assert any(r.work.closure_reason is ClosureReason.FAMILY_WITHDREW for r in requests)
    assert any(not c.given for r in requests for c in r.consents)
    for request in allocated:
        replay = request.model_copy(deep=True, update={"consents": [], "work": Work()})
        replay.status = RequestStatus.ALLOCATED
        for record in request.consents:
            replay = work.record_consent(replay, record, today=TODAY)
        if request.work.started_on is not None:
            replay = work.start_work(
                replay, request.work.started_on, request.work.helping_questions, today=TODAY
            )
            for cycle in request.work.cycles:
                replay = work.record_cycle(replay, cycle, today=TODAY)
        if request.work.closed_on is not None:
            assert request.work.closure_reason is not None
            replay = work.close_work(
                replay,
                request.work.closed_on,
                request.work.closure_reason,
                request.work.outcome_note,
                today=TODAY,
            )
        assert (replay.consents, replay.work, replay.status) == (
            request.consents,
            request.work,
            request.status,
        ), request.reference
        assert max(entry.at.date() for entry in request.history) <= TODAY


def test_every_request_history_is_a_few_entries_and_chains(requests: list[VigRequest]) -> None:
    """Kept short for the benchmark's 50,000 requests: at most 15 entries, and each
    change by the practitioner says who, what changed and (for a closing) why."""
    from vig_tui.domain.history import first_broken

    counts = [len(r.history) for r in requests]
    assert max(counts) <= 15
    worked = [r for r in requests if r.work.started_on is not None]
    assert min(len(r.history) for r in worked) >= 5
    for request in worked[:200]:
        assert first_broken(request.history, request.chain_start) is None
        entries = [e for e in request.history if e.action == Action.WORK_STARTED]
        assert entries and entries[0].who.role == "VIG practitioner"
        assert entries[0].who.name == request.decisions[-1].practitioner_name
        assert any(c.field == "work.started_on" for c in entries[0].changes)
    closed = [r for r in worked if r.work.closed_on is not None]
    assert closed and all(r.history[-1].reason for r in closed)
