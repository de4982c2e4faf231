"""Three-way merge of two copies of one request, answer by answer.

Two copies of a request changed apart (the referrer's laptop and the service's
register) are merged against the copy both started from: an answer changed on
one side only is taken from that side; an answer changed on both sides to
different values is a :class:`FieldConflict` for a person to settle, never a
silent choice. Carers are matched by their stable id, so "carer 2" stays the
same person on both sides. Decisions recorded on either side are all kept.

Bookkeeping (status, reference, meeting, history, version) is not merged
here: the command that receives a request decides those.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .fields import Kind, answer_at, form_for, label_for, set_answer
from .models import Carer, Decision, VigRequest


@dataclass(frozen=True)
class FieldConflict:
    """An answer both sides changed, differently, since the copy they started from."""

    path: str
    label: str
    base: Any
    ours: Any
    theirs: Any


@dataclass
class MergeResult:
    """Our copy with their one-sided changes applied, and what needs a person."""

    merged: VigRequest
    #: Answers taken from their copy (changed there only), by path.
    taken: list[str] = field(default_factory=list)
    conflicts: list[FieldConflict] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


def _carers(request: VigRequest) -> dict[str, Carer]:
    return {str(carer.id): carer for carer in request.carers}


def _answer_paths(request: VigRequest, carer_ids: list[str]) -> list[str]:
    """Every concrete answer path of the request's form, for each of ``carer_ids``."""
    paths: list[str] = []
    for definition in form_for(request.checklist_version):
        if definition.kind in (Kind.LIST, Kind.GROUP):
            continue
        if definition.in_list:
            paths += [definition.at(carer_id) for carer_id in carer_ids]
        else:
            paths.append(definition.path)
    return paths


def _decision_key(decision: Decision) -> tuple[str, str, str]:
    return (decision.meeting.isoformat(), decision.outcome.value, decision.recorded_at.isoformat())


def three_way(base: VigRequest, ours: VigRequest, theirs: VigRequest) -> MergeResult:
    """Merge ``theirs`` into ``ours`` against ``base`` (all three copies of one request)."""
    merged = ours.model_copy(deep=True)
    result = MergeResult(merged)
    base_carers, our_carers, their_carers = _carers(base), _carers(ours), _carers(theirs)

    for carer_id, carer in their_carers.items():
        if carer_id not in base_carers and carer_id not in our_carers:
            merged.carers.append(carer.model_copy(deep=True))
            result.taken.append(f"carers.{carer_id}")
    for carer_id, carer in base_carers.items():
        ours_has, theirs_has = carer_id in our_carers, carer_id in their_carers
        if ours_has and not theirs_has:
            if our_carers[carer_id] == carer:
                merged.carers = [c for c in merged.carers if str(c.id) != carer_id]
                result.taken.append(f"carers.{carer_id}")
            else:
                result.conflicts.append(
                    _conflict(merged, f"carers.{carer_id}", carer, our_carers[carer_id], None)
                )
        elif theirs_has and not ours_has and their_carers[carer_id] != carer:
            result.conflicts.append(
                _conflict(ours, f"carers.{carer_id}", carer, None, their_carers[carer_id])
            )

    # Answer by answer only for carers both copies hold: one added there was taken whole
    # above (its answers are not taken, nor counted, a second time).
    shared = [c for c in our_carers if c in their_carers]
    for path in _answer_paths(merged, shared):
        was, mine, yours = answer_at(base, path), answer_at(ours, path), answer_at(theirs, path)
        if mine == yours or yours == was:
            continue
        if mine == was:
            set_answer(merged, path, yours)
            result.taken.append(path)
        else:
            result.conflicts.append(_conflict(merged, path, was, mine, yours))

    known = {_decision_key(d) for d in merged.decisions}
    extra = [d for d in theirs.decisions if _decision_key(d) not in known]
    if extra:
        merged.decisions = sorted(
            [*merged.decisions, *(d.model_copy(deep=True) for d in extra)],
            key=lambda d: d.recorded_at,
        )
        result.taken.append("decisions")
    return result


def _conflict(request: VigRequest, path: str, base: Any, ours: Any, theirs: Any) -> FieldConflict:
    return FieldConflict(path, label_for(path, request, own=False), base, ours, theirs)
