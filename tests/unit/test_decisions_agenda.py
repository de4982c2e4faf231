"""The register's rows (filter, sort) and the meeting's agenda: pure, no terminal."""

from __future__ import annotations

from datetime import date

from vig_tui.domain.decisions import AWAITING_DECISION
from vig_tui.domain.meetings import MeetingCalendar
from vig_tui.domain.models import (
    Child,
    Decision,
    DecisionOutcome,
    Referrer,
    ReferrerRole,
    RequestStatus,
    VigRequest,
)
from vig_tui.domain.priority import suggest_priority
from vig_tui.domain.views import (
    agenda_items,
    filter_rows,
    narrows,
    register_row,
    short_age,
    sort_rows,
)
from vig_tui.tools.demo import generate_requests

TODAY = date(2026, 11, 24)
DECEMBER = date(2026, 12, 3)
NOVEMBER = date(2026, 11, 5)


def request(
    number: int,
    child: str,
    born: date,
    *,
    team: str = "Truro Early Help",
    status: RequestStatus = RequestStatus.SUBMITTED,
    meeting: date | None = DECEMBER,
) -> VigRequest:
    return VigRequest(
        reference=f"VIG-2026-{number:04d}",
        status=status,
        meeting=meeting,
        submitted_on=date(2026, 11, number),
        child=Child(name=child, date_of_birth=born),
        referrer=Referrer(name="Kerry Lanyon", role=ReferrerRole.HEALTH_VISITOR, team=team),
    )


def test_short_age() -> None:
    assert short_age(date(2024, 8, 24), TODAY) == ("2y 3m", 27)
    assert short_age(date(2023, 11, 24), TODAY) == ("3y", 36)
    assert short_age(date(2026, 5, 1), TODAY) == ("6m", 6)
    assert short_age(date(2026, 11, 10), TODAY) == ("2w", 0)
    assert short_age(None, TODAY) == ("", -1)


def test_rows_filter_by_every_word_in_reference_child_referrer_team_or_role() -> None:
    rows = [
        register_row(request(1, "Amelia Tregear", date(2025, 1, 1)), TODAY),
        register_row(request(2, "Piran Kitto", date(2024, 1, 1), team="Bodmin Family Hub"), TODAY),
        register_row(
            request(3, "Tamsin Rowse", date(2023, 1, 1), status=RequestStatus.ALLOCATED), TODAY
        ),
    ]
    assert rows[0].child == "A.T." and rows[0].role == "HV"
    assert [r.reference for r in filter_rows(rows, "0002")] == ["VIG-2026-0002"]
    assert [r.reference for r in filter_rows(rows, "amelia")] == ["VIG-2026-0001"]
    assert [r.reference for r in filter_rows(rows, "BODMIN hub")] == ["VIG-2026-0002"]
    assert len(filter_rows(rows, "lanyon")) == 3
    assert filter_rows(rows, "lanyon zzz") == []
    # the role and route as the register shows them
    assert len(filter_rows(rows, "lanyon hv")) == 3
    assert filter_rows(rows, "lanyon sw") == []
    allocated = filter_rows(rows, status=RequestStatus.ALLOCATED)
    assert [r.reference for r in allocated] == ["VIG-2026-0003"]
    assert filter_rows(rows, meeting=NOVEMBER) == []


def test_rows_sort_by_any_column() -> None:
    rows = [
        register_row(request(1, "Zennor Vosper", date(2025, 1, 1)), TODAY),
        register_row(request(2, "Amelia Tregear", date(2020, 1, 1)), TODAY),
    ]
    assert [r.child for r in sort_rows(rows, "child")] == ["A.T.", "Z.V."]
    assert [r.child for r in sort_rows(rows, "age")] == ["Z.V.", "A.T."]
    assert [r.child for r in sort_rows(rows, "age", reverse=True)] == ["A.T.", "Z.V."]
    by_priority = sort_rows(rows, "priority")
    assert by_priority[0].priority is not None
    assert by_priority[0].priority.rank <= by_priority[1].priority.rank  # type: ignore[union-attr]


def test_agenda_orders_by_priority_and_marks_carried_forward() -> None:
    calendar = MeetingCalendar()
    december = calendar.next_meeting(TODAY)
    new = request(2, "Older Child", date(2015, 1, 1))
    baby = request(3, "Baby Child", date(2026, 6, 1))
    deferred = request(1, "Kensa Jory", date(2015, 1, 1), status=RequestStatus.DEFERRED)
    deferred.decisions.append(
        Decision(meeting=NOVEMBER, outcome=DecisionOutcome.DEFERRED, reason="Waiting")
    )
    elsewhere = request(4, "Noah Hocking", date(2025, 1, 1), meeting=date(2027, 1, 7))
    withdrawn = request(5, "Eli Rowse", date(2025, 1, 1), status=RequestStatus.WITHDRAWN)
    items = agenda_items([new, baby, deferred, elsewhere, withdrawn], december, TODAY)
    assert items[0].request.reference == "VIG-2026-0003"  # the baby: higher priority
    assert {i.request.reference for i in items} == {
        "VIG-2026-0001",
        "VIG-2026-0002",
        "VIG-2026-0003",
    }
    carried = next(i for i in items if i.request.reference == "VIG-2026-0001")
    assert carried.carried_forward and carried.carried_from == NOVEMBER
    assert carried.previous is not None and carried.previous.reason == "Waiting"
    # same priority: carried forward comes first
    same = [i for i in items if i.suggestion.priority == carried.suggestion.priority]
    assert same[0] is carried


def test_agenda_keeps_requests_decided_there_after_the_undecided() -> None:
    calendar = MeetingCalendar()
    december = calendar.next_meeting(TODAY)
    decided = request(1, "Baby Child", date(2026, 6, 1), meeting=date(2027, 1, 7))
    decided.status = RequestStatus.DEFERRED
    decided.decisions.append(Decision(meeting=DECEMBER, outcome=DecisionOutcome.DEFERRED))
    waiting = request(2, "Older Child", date(2015, 1, 1))
    items = agenda_items([decided, waiting], december, TODAY)
    assert [i.request.reference for i in items] == ["VIG-2026-0002", "VIG-2026-0001"]
    assert items[1].decision is not None and not items[1].awaiting
    assert not items[1].carried_forward


def test_summary_rows_give_the_same_priority_as_whole_requests() -> None:
    """The row's priority, from the summary's factors, is what the whole request gives:
    the suggestion while it waits, the meeting's priority once allocated."""
    for whole in generate_requests(200, today=TODAY, seed=7):
        row = register_row(whole, TODAY)
        if whole.status in AWAITING_DECISION:
            suggestion = suggest_priority(whole, TODAY)
            expected = (suggestion.priority, suggestion.score)
        elif whole.status in (
            RequestStatus.ALLOCATED,
            RequestStatus.IN_PROGRESS,
            RequestStatus.CLOSED,
        ):
            allocated = [d for d in whole.decisions if d.outcome is DecisionOutcome.ALLOCATED]
            expected = (allocated[-1].priority if allocated else None, 0)
        else:
            expected = (None, 0)
        assert (row.priority, row.score) == expected, whole.reference


def test_typing_on_narrows_and_filtering_keeps_the_order() -> None:
    rows = [
        register_row(r, TODAY)
        for r in [
            request(3, "Cara Penrose", date(2025, 1, 1), team="Camborne Early Help"),
            request(1, "Ann Trevail", date(2025, 2, 1)),
            request(2, "Ben Tregear", date(2025, 3, 1)),
        ]
    ]
    ordered = sort_rows(rows, "reference")
    assert narrows("tre", "trev") and narrows("Tre", "tre ann")
    assert not narrows("trev", "tre") and not narrows("tre", "pen")
    found = filter_rows(ordered, "tre")
    assert [r.child for r in found] == ["A.T.", "B.T."]
    # searching what "tre" found gives what searching everything gives
    assert filter_rows(found, "trev") == filter_rows(ordered, "trev") == [ordered[0]]
    assert filter_rows(ordered, "truro camb") == []
    assert filter_rows(ordered, "CAMB pen") == [ordered[2]]
