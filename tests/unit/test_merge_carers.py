"""Carers are matched by their stable ids when two copies are merged: a carer added on
each side is no conflict (both are kept), and one added there is one answer taken, not
its answers again one by one; the same carer changed on both sides is a conflict, answer
by answer."""

from __future__ import annotations

from vig_tui.domain.changes import answer_changes
from vig_tui.domain.history import Action, Actor
from vig_tui.domain.merge import three_way
from vig_tui.domain.models import Carer, CarerRelationship, VigRequest

from .test_receiving import ANN, COORDINATOR, sent_copy

NAN = Carer(name="Nan Tregear", relationship=CarerRelationship.KINSHIP_CARER)


def changed(request: VigRequest, who: Actor, change: object) -> VigRequest:
    """``request`` after ``change(copy)``, with one "corrected" entry by ``who``."""
    after = request.model_copy(deep=True)
    change(after)  # type: ignore[operator]
    after.record(who, Action.CORRECTED, "Corrected", changes=answer_changes(request, after))
    return after


def test_a_carer_added_on_each_side_is_no_conflict_and_both_are_kept() -> None:
    base = sent_copy()
    ours = changed(base, COORDINATOR, lambda r: r.carers.append(NAN.model_copy()))
    theirs = changed(
        base,
        ANN,
        lambda r: r.carers.append(
            Carer(name="Tom Tregear", relationship=CarerRelationship.BIRTH_PARENT)
        ),
    )
    result = three_way(base, ours, theirs)
    assert result.clean
    assert [c.name for c in result.merged.carers][-2:] == ["Nan Tregear", "Tom Tregear"]


def test_the_same_carer_changed_on_both_sides_is_a_conflict() -> None:
    base = sent_copy()
    first = base.carers[0].id

    def phone(number: str) -> object:
        return lambda r: setattr(r.carers[0], "phone", number)

    ours, theirs = (
        changed(base, COORDINATOR, phone("01632 960 111")),
        changed(base, ANN, phone("01632 960 222")),
    )
    [conflict] = three_way(base, ours, theirs).conflicts
    assert conflict.path == f"carers.{first}.phone"


def test_a_carer_added_there_is_one_answer_taken_not_each_of_theirs_again() -> None:
    """Receiving a copy with a carer added listed the carer, then each of their answers
    again, blank ones too ("relationship: (blank) -> (blank)"), and counted them all."""
    base = sent_copy()
    theirs = changed(base, ANN, lambda r: r.carers.append(NAN.model_copy()))
    result = three_way(base, base.model_copy(deep=True), theirs)
    added = theirs.carers[-1]
    assert result.taken == [f"carers.{added.id}"]
    assert result.merged.carers[-1] == added
