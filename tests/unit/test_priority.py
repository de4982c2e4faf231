"""The suggested priority: the service's factors, the thresholds and the reasons."""

from __future__ import annotations

from datetime import date

import pytest

from vig_tui.domain.checklist import CriterionId
from vig_tui.domain.models import (
    Carer,
    CarerRelationship,
    Child,
    CriterionEvidence,
    Priority,
    VigRequest,
)
from vig_tui.domain.priority import PrioritySuggestion, suggest_priority

ON = date(2026, 11, 24)


def request(
    born: date | None = None,
    identified: date | None = None,
    carers: tuple[CarerRelationship, ...] = (CarerRelationship.BIRTH_PARENT,),
    criteria: tuple[CriterionId, ...] = (),
    unevidenced: tuple[CriterionId, ...] = (),
) -> VigRequest:
    made = VigRequest(
        child=Child(name="Amelia", date_of_birth=born),
        carers=[Carer(name=f"Carer {i}", relationship=r) for i, r in enumerate(carers, 1)],
        difficulty_identified_on=identified,
    )
    for criterion in criteria:
        made.evidence[criterion] = CriterionEvidence(ticked=True, evidence="Seen at home visits.")
    for criterion in unevidenced:
        made.evidence[criterion] = CriterionEvidence(ticked=True)
    return made


def test_a_baby_with_a_new_difficulty_is_high() -> None:
    suggestion = suggest_priority(request(date(2026, 4, 10), date(2026, 9, 20)), ON)
    assert suggestion == PrioritySuggestion(
        priority=Priority.HIGH,
        reasons=(
            "Child is 7 months old: VIG is most effective when the child is very young",
            "Difficulty identified 2 months ago: VIG is most effective at the early stages "
            "of a difficulty",
        ),
        score=6,
    )


def test_a_baby_alone_is_medium() -> None:
    suggestion = suggest_priority(request(date(2026, 4, 10)), ON)
    assert (suggestion.priority, suggestion.score) == (Priority.MEDIUM, 3)


def test_a_school_age_child_with_an_old_difficulty_is_low_with_no_reasons() -> None:
    suggestion = suggest_priority(
        request(date(2018, 5, 1), date(2023, 1, 1), criteria=(CriterionId.LACK_OF_WARMTH,)),
        ON,
    )
    assert suggestion == PrioritySuggestion(Priority.LOW, (), 0)


def test_nothing_known_is_low() -> None:
    assert suggest_priority(VigRequest(), ON) == PrioritySuggestion(Priority.LOW, (), 0)


@pytest.mark.parametrize(
    ("born", "score", "reason"),
    [
        (date(2026, 11, 20), 3, "Child is less than a week old"),
        (date(2025, 11, 25), 3, "Child is 11 months old"),  # the day before the 1st birthday
        (date(2025, 11, 24), 2, "Child is 1 year old"),  # the 1st birthday
        (date(2024, 8, 24), 2, "Child is 2 years 3 months old"),
        (date(2022, 11, 25), 2, "Child is 3 years 11 months old"),  # the day before turning 4
        (date(2022, 11, 24), 0, None),  # 4 today
        (date(2026, 12, 1), 0, None),  # a date of birth in the future counts for nothing
    ],
)
def test_younger_children_score_higher(born: date, score: int, reason: str | None) -> None:
    suggestion = suggest_priority(request(born), ON)
    assert suggestion.score == score
    if reason is None:
        assert suggestion.reasons == ()
    else:
        (sentence,) = suggestion.reasons
        assert sentence.startswith(reason + ":")


@pytest.mark.parametrize(
    ("identified", "score"),
    [
        (date(2026, 11, 24), 3),  # today
        (date(2026, 5, 24), 3),  # exactly 6 months ago
        (date(2026, 5, 23), 2),
        (date(2025, 11, 24), 2),  # exactly a year ago
        (date(2025, 11, 23), 0),
        (date(2026, 12, 1), 0),  # in the future: the rules flag it; it scores nothing
    ],
)
def test_a_newly_identified_difficulty_scores_higher(identified: date, score: int) -> None:
    assert suggest_priority(request(identified=identified), ON).score == score


def test_a_difficulty_identified_this_week() -> None:
    (reason,) = suggest_priority(request(identified=date(2026, 11, 22)), ON).reasons
    assert reason.startswith("Difficulty identified less than a week ago:")


def test_six_months_back_from_the_end_of_a_long_month() -> None:
    # 31 August less 6 months is the last day of February.
    assert suggest_priority(request(identified=date(2026, 2, 28)), date(2026, 8, 31)).score == 3
    assert suggest_priority(request(identified=date(2026, 2, 27)), date(2026, 8, 31)).score == 2


@pytest.mark.parametrize(
    "relationship",
    [
        CarerRelationship.FOSTER_CARER,
        CarerRelationship.ADOPTIVE_PARENT,
        CarerRelationship.KINSHIP_CARER,
    ],
)
def test_a_foster_adoptive_or_kinship_carer_is_a_new_relationship(
    relationship: CarerRelationship,
) -> None:
    suggestion = suggest_priority(
        request(carers=(CarerRelationship.BIRTH_PARENT, relationship)), ON
    )
    assert suggestion.score == 2
    assert suggestion.priority is Priority.MEDIUM
    (reason,) = suggestion.reasons
    assert reason.startswith(f"Carer 2 is the child's {relationship.label.lower()}:")


def test_the_new_relationship_criterion_counts_once_with_a_foster_carer() -> None:
    suggestion = suggest_priority(
        request(
            carers=(CarerRelationship.FOSTER_CARER,),
            criteria=(CriterionId.NEW_RELATIONSHIP,),
        ),
        ON,
    )
    assert suggestion.score == 2
    assert suggestion.reasons == (
        "The parent or carer is at the early stages of a relationship with the child: "
        "VIG can support it from the start",
    )


def test_the_new_relationship_criterion_counts_when_ticked() -> None:
    suggestion = suggest_priority(request(unevidenced=(CriterionId.NEW_RELATIONSHIP,)), ON)
    assert suggestion.score == 2


def test_three_evidenced_criteria_add_a_point() -> None:
    three = (CriterionId.LACK_OF_WARMTH, CriterionId.NEGATIVE_RESPONSES, CriterionId.CHILDS_VIEW)
    suggestion = suggest_priority(request(criteria=three), ON)
    assert suggestion == PrioritySuggestion(Priority.LOW, ("3 of the 6 criteria are evidenced",), 1)
    two_and_one_empty = request(criteria=three[:2], unevidenced=three[2:])
    assert suggest_priority(two_and_one_empty, ON).score == 0


def test_the_thresholds_between_medium_and_high() -> None:
    three = (CriterionId.LACK_OF_WARMTH, CriterionId.NEGATIVE_RESPONSES, CriterionId.CHILDS_VIEW)
    toddler_recent = request(date(2024, 6, 1), date(2026, 2, 1))
    assert suggest_priority(toddler_recent, ON).score == 4
    assert suggest_priority(toddler_recent, ON).priority is Priority.MEDIUM
    with_criteria = request(date(2024, 6, 1), date(2026, 2, 1), criteria=three)
    suggestion = suggest_priority(with_criteria, ON)
    assert (suggestion.priority, suggestion.score) == (Priority.HIGH, 5)
    assert len(suggestion.reasons) == 3


def test_reasons_follow_the_factor_order_and_the_suggestion_is_deterministic() -> None:
    made = request(
        date(2026, 1, 10),
        date(2026, 10, 1),
        carers=(CarerRelationship.ADOPTIVE_PARENT,),
        criteria=(CriterionId.BONDING, CriterionId.CHILDS_VIEW, CriterionId.LACK_OF_WARMTH),
    )
    first = suggest_priority(made, ON)
    assert first == suggest_priority(made, ON)
    assert first.score == 3 + 3 + 2 + 1
    assert [r.split(" ")[0] for r in first.reasons] == ["Child", "Difficulty", "Carer", "3"]
