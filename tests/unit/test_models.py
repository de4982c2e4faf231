"""The request model: defaults for a fresh draft, history, and initials."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from vig_tui.domain.checklist import BUILT_IN_CHECKLIST, ConsiderationId, CriterionId
from vig_tui.domain.models import RequestStatus, VigRequest, initials


def test_a_new_draft_has_every_criterion_and_consideration_unanswered() -> None:
    request = VigRequest()
    assert request.status is RequestStatus.DRAFT
    assert request.checklist_version == BUILT_IN_CHECKLIST.version
    assert set(request.evidence) == set(CriterionId)
    assert set(request.considerations) == set(ConsiderationId)
    assert request.evidenced_criteria == []


def test_status_changes_are_kept_with_time_and_reason() -> None:
    request = VigRequest()
    when = datetime(2026, 12, 3, 11, tzinfo=UTC)
    request.change_status(RequestStatus.WITHDRAWN, reason="Family moved away", at=when)
    entry = request.history[-1]
    assert (entry.kind, entry.status, entry.reason, entry.at) == (
        "status",
        RequestStatus.WITHDRAWN,
        "Family moved away",
        when,
    )
    assert "Draft" in entry.summary and "Withdrawn" in entry.summary
    assert request.updated_at == when


def test_reference_must_look_like_a_vig_reference() -> None:
    assert VigRequest(reference="VIG-2026-0042").reference == "VIG-2026-0042"
    with pytest.raises(ValidationError):
        VigRequest(reference="42")


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError):
        VigRequest.model_validate({"childname": "x"})


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Amelia Rose Tregear", "A.R.T."),
        ("jago penhaligon-kitto", "J.P.K."),
        ("", ""),
        ("A.R.T.", "A.R.T."),
    ],
)
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected
