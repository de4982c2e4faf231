"""The demo's families read as real ones would: nothing a coordinator would stop at."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from vig_tui.domain.dates import age_in_years, same_or_later_month
from vig_tui.domain.decisions import allocated_practitioner, caseloads
from vig_tui.domain.history import Action
from vig_tui.domain.models import ReferrerRole, RequestStatus, VigRequest
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
