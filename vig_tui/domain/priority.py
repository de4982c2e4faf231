"""A suggested priority for a request, with its reasons.

The allocation meeting prioritises work "according to need"; this only
suggests, so the meeting starts from the same reading of every request. The
factors are the ones the service names (VIG is "most effective when offered
to a family when the child is very young or at the early stages of a
difficulty being identified", and it supports children with new foster,
adoptive and kinship carers), plus how much of the checklist is evidenced.

Points, each with one reason sentence when it counts:

===========================================  ======
Child under 1 year old                         3
Child aged 1 to 3 (under 4)                    2
Difficulty identified within the last 6 months 3
Difficulty identified within the last year     2
A new relationship: the "new relationship"     2
criterion is ticked, or a carer is a foster,
adoptive or kinship carer
3 or more criteria ticked with evidence        1
===========================================  ======

Score :data:`HIGH_FROM` (5) or more is High, :data:`MEDIUM_FROM` (2) or more
is Medium, anything less is Low. A missing or future date scores nothing.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from .checklist import CriterionId
from .dates import age_in_years, describe_age
from .vocabulary import CarerRelationship, Priority

if TYPE_CHECKING:  # the register's rows use this module without the pydantic models
    from .models import VigRequest

HIGH_FROM = 5
MEDIUM_FROM = 2

VERY_YOUNG_POINTS = 3
YOUNG_POINTS = 2
NEW_DIFFICULTY_POINTS = 3
RECENT_DIFFICULTY_POINTS = 2
NEW_RELATIONSHIP_POINTS = 2
MANY_CRITERIA_POINTS = 1
MANY_CRITERIA = 3

_NEW_RELATIONSHIP_CARERS = (
    CarerRelationship.FOSTER_CARER,
    CarerRelationship.ADOPTIVE_PARENT,
    CarerRelationship.KINSHIP_CARER,
)


@dataclass(frozen=True)
class PrioritySuggestion:
    priority: Priority
    #: One sentence per factor that counted, in the order of the table above.
    reasons: tuple[str, ...]
    score: int


@dataclass(frozen=True)
class PriorityFactors:
    """The few answers a suggestion depends on.

    Small enough to keep for every request in memory, so the register can
    suggest a priority for thousands of requests without loading each one.
    """

    child_dob: date | None
    difficulty_identified_on: date | None
    new_relationship_ticked: bool
    #: The first foster, adoptive or kinship carer: (name, relationship).
    new_relationship_carer: tuple[str, CarerRelationship] | None
    evidenced_criteria: int


def priority_factors(request: VigRequest) -> PriorityFactors:
    carer = next((c for c in request.carers if c.relationship in _NEW_RELATIONSHIP_CARERS), None)
    return PriorityFactors(
        child_dob=request.child.date_of_birth,
        difficulty_identified_on=request.difficulty_identified_on,
        new_relationship_ticked=request.criterion(CriterionId.NEW_RELATIONSHIP).ticked,
        new_relationship_carer=(
            (carer.name, carer.relationship)
            if carer is not None and carer.relationship is not None
            else None
        ),
        evidenced_criteria=sum(
            1 for c in request.evidenced_criteria if request.criterion(c).evidence
        ),
    )


def suggest_priority(request: VigRequest, on: date) -> PrioritySuggestion:
    """Suggest High, Medium or Low for ``request`` as of ``on`` (see the module table)."""
    return suggest_from_factors(priority_factors(request), on)


def suggest_from_factors(factors: PriorityFactors, on: date) -> PrioritySuggestion:
    """The same suggestion as :func:`suggest_priority`, from the factors alone."""
    score = 0
    reasons: list[str] = []
    for points, reason in (
        _child_age(factors.child_dob, on),
        _difficulty(factors.difficulty_identified_on, on),
        _new_relationship(factors),
        _criteria(factors.evidenced_criteria),
    ):
        if points:
            score += points
            reasons.append(reason)
    if score >= HIGH_FROM:
        priority = Priority.HIGH
    elif score >= MEDIUM_FROM:
        priority = Priority.MEDIUM
    else:
        priority = Priority.LOW
    return PrioritySuggestion(priority, tuple(reasons), score)


def _how_long(since: date, on: date) -> str:
    """'7 months', '2 years 3 months', or 'less than a week'."""
    if (on - since).days < 7:
        return "less than a week"
    return describe_age(since, on)


def _child_age(born: date | None, on: date) -> tuple[int, str]:
    if born is None or born > on:
        return 0, ""
    age = age_in_years(born, on)
    if age < 1:
        return (
            VERY_YOUNG_POINTS,
            f"Child is {_how_long(born, on)} old: VIG is most effective when the child "
            "is very young",
        )
    if age < 4:
        return (
            YOUNG_POINTS,
            f"Child is {_how_long(born, on)} old: VIG works well when the child is young",
        )
    return 0, ""


def _difficulty(identified: date | None, on: date) -> tuple[int, str]:
    if identified is None or identified > on:
        return 0, ""
    ago = _how_long(identified, on)
    if identified >= _months_before(on, 6):
        return (
            NEW_DIFFICULTY_POINTS,
            f"Difficulty identified {ago} ago: VIG is most effective at the early stages "
            "of a difficulty",
        )
    if identified >= _months_before(on, 12):
        return (
            RECENT_DIFFICULTY_POINTS,
            f"Difficulty identified {ago} ago: it is still fairly new",
        )
    return 0, ""


def _new_relationship(factors: PriorityFactors) -> tuple[int, str]:
    if factors.new_relationship_ticked:
        return (
            NEW_RELATIONSHIP_POINTS,
            "The parent or carer is at the early stages of a relationship with the child: "
            "VIG can support it from the start",
        )
    if factors.new_relationship_carer is not None:
        name, relationship = factors.new_relationship_carer
        return (
            NEW_RELATIONSHIP_POINTS,
            f"{name or 'A carer'} is the child's {relationship.label.lower()}: "
            "VIG supports children building relationships in foster, adoptive and "
            "kinship families",
        )
    return 0, ""


def _criteria(evidenced: int) -> tuple[int, str]:
    if evidenced >= MANY_CRITERIA:
        return (
            MANY_CRITERIA_POINTS,
            f"{evidenced} of the {len(CriterionId)} criteria are evidenced",
        )
    return 0, ""


def _months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier, or the month's last day when it is shorter."""
    index = day.year * 12 + day.month - 1 - months
    year, month_index = divmod(index, 12)
    month = month_index + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))
