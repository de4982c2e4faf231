"""Section statuses and the remembered section: pure functions of the request."""

from __future__ import annotations

from vig_tui.domain.answers import NOT_ANSWERED, NOT_PROVIDED, section_rows
from vig_tui.domain.checklist import CriterionId
from vig_tui.domain.models import Carer, VigRequest
from vig_tui.domain.progress import (
    SectionStatus,
    changed_fields,
    ineligible_so_far,
    last_section,
    note_checked,
    note_opened,
    section_status,
)
from vig_tui.domain.rules import Section, evaluate
from vig_tui.tools.gallery import example_request

from .conftest import TODAY


def _status(request: VigRequest, section: Section) -> SectionStatus:
    return section_status(request, section, evaluate(request, TODAY))


def test_statuses_follow_answers_and_checks() -> None:
    request = VigRequest()
    assert _status(request, Section.REFERRER) is SectionStatus.NOT_STARTED
    request.referrer.name = "Sam"
    assert _status(request, Section.REFERRER) is SectionStatus.IN_PROGRESS
    note_checked(request, Section.REFERRER)
    assert _status(request, Section.REFERRER) is SectionStatus.PROBLEM
    complete = example_request()
    assert all(_status(complete, s) is SectionStatus.COMPLETED for s in Section)


def test_the_last_section_opened_is_remembered_once() -> None:
    request = VigRequest()
    assert last_section(request) is None
    note_opened(request, Section.EVIDENCE)
    note_opened(request, Section.EVIDENCE)
    note_opened(request, Section.ROUTE)
    assert last_section(request) is Section.ROUTE
    assert request.history == []  # progress is bookkeeping, not history


def test_a_new_request_is_not_called_ineligible_before_its_evidence() -> None:
    request = VigRequest()
    assert ineligible_so_far(request, evaluate(request, TODAY)) == []
    # Continue on the empty evidence page asks for the evidence; it is not a refusal.
    note_checked(request, Section.EVIDENCE)
    assert ineligible_so_far(request, evaluate(request, TODAY)) == []
    request.evidence[CriterionId.BONDING].evidence = "Seen at two visits"
    codes = [f.code for f in ineligible_so_far(request, evaluate(request, TODAY))]
    assert codes == ["no_criterion"]


def test_changed_fields_name_each_answer() -> None:
    before = example_request()
    after = before.model_copy(deep=True)
    after.child.name = "Amy"
    after.carers[0].phone = ""
    carer = after.carers[0].id
    assert changed_fields(before, after, Section.CHILD_FAMILY) == [
        "child.name",
        f"carers.{carer}.phone",
    ]
    # A carer added, then the first removed: each is named by id, not place.
    added = Carer(name="Jo")
    after.carers.append(added)
    del after.carers[0]
    assert changed_fields(before, after, Section.CHILD_FAMILY) == [
        "child.name",
        f"carers.{carer}",
        f"carers.{added.id}",
    ]
    assert changed_fields(before, after, Section.REFERRER) == []


def test_skipped_answers_read_not_provided_or_not_answered() -> None:
    rows = {r.question: r.answer for r in section_rows(VigRequest(), Section.CHILD_FAMILY, TODAY)}
    assert rows["Gender"] == NOT_PROVIDED
    assert rows["The child's full name"] == NOT_ANSWERED
    rows = {
        r.question: r.answer for r in section_rows(example_request(), Section.CHILD_FAMILY, TODAY)
    }
    assert rows["Date of birth"] == "3 December 2024 (aged 1 year 11 months)"
