"""Three-way merge by answer: one-sided changes taken, two-sided ones a conflict, carers by id."""

from __future__ import annotations

from datetime import UTC, date, datetime

from vig_tui.domain.merge import three_way
from vig_tui.domain.models import Carer, Decision, DecisionOutcome, VigRequest
from vig_tui.tools.gallery import example_request


def copies() -> tuple[VigRequest, VigRequest, VigRequest]:
    base = example_request()
    return base, base.model_copy(deep=True), base.model_copy(deep=True)


def test_a_change_on_one_side_only_is_taken_and_ours_is_kept() -> None:
    base, ours, theirs = copies()
    theirs.child.first_language = "Polish"
    ours.notes = "Coordinator: seen at triage"
    result = three_way(base, ours, theirs)
    assert result.clean and result.taken == ["child.first_language"]
    assert result.merged.child.first_language == "Polish"
    assert result.merged.notes == "Coordinator: seen at triage"


def test_the_same_answer_changed_differently_is_a_conflict_with_all_three_values() -> None:
    base, ours, theirs = copies()
    ours.child.setting = "Little Acorns"
    theirs.child.setting = "Sunflower Nursery"
    result = three_way(base, ours, theirs)
    [conflict] = result.conflicts
    assert conflict.path == "child.setting"
    assert (conflict.base, conflict.ours, conflict.theirs) == (
        base.child.setting,
        "Little Acorns",
        "Sunflower Nursery",
    )
    assert conflict.label  # a label a person reads, from the question definitions
    assert result.merged.child.setting == "Little Acorns"  # nothing overwritten unasked


def test_both_making_the_same_change_is_no_conflict() -> None:
    base, ours, theirs = copies()
    ours.child.gender = theirs.child.gender = "Girl"
    assert three_way(base, ours, theirs).clean


def test_carers_are_matched_by_id_not_by_place() -> None:
    base, ours, theirs = copies()
    second = Carer(name="Jory Tregear")
    base.carers.append(second)
    ours.carers.append(second.model_copy())
    theirs.carers.append(second.model_copy())
    theirs.carers.pop(0)  # the first carer removed there ...
    theirs.carers[0].phone = "01632 960 777"  # ... and the second's phone changed
    result = three_way(base, ours, theirs)
    assert result.clean
    assert [c.name for c in result.merged.carers] == ["Jory Tregear"]
    assert result.merged.carers[0].phone == "01632 960 777"


def test_a_carer_removed_on_one_side_but_changed_on_the_other_is_a_conflict() -> None:
    base, ours, theirs = copies()
    first = str(base.carers[0].id)
    theirs.carers.clear()
    ours.carers[0].phone = "01632 960 888"
    [conflict] = three_way(base, ours, theirs).conflicts
    assert conflict.path == f"carers.{first}"


def test_a_carer_added_there_joins_ours() -> None:
    base, ours, theirs = copies()
    theirs.carers.append(Carer(name="Nan Tregear"))
    result = three_way(base, ours, theirs)
    assert [c.name for c in result.merged.carers][-1] == "Nan Tregear"


def test_decisions_recorded_on_both_sides_are_all_kept_in_order() -> None:
    base, ours, theirs = copies()
    early = Decision(
        meeting=date(2026, 12, 3),
        outcome=DecisionOutcome.DEFERRED,
        recorded_at=datetime(2026, 12, 3, 10, tzinfo=UTC),
    )
    late = Decision(
        meeting=date(2026, 12, 3),
        outcome=DecisionOutcome.MORE_INFORMATION,
        recorded_at=datetime(2026, 12, 3, 11, tzinfo=UTC),
    )
    ours.decisions.append(late)
    theirs.decisions.append(early)
    merged = three_way(base, ours, theirs).merged
    assert [d.outcome for d in merged.decisions] == [
        DecisionOutcome.DEFERRED,
        DecisionOutcome.MORE_INFORMATION,
    ]
