"""The one definition of every question: it matches the model, and its paths and labels hold."""

from __future__ import annotations

import types
from datetime import date
from enum import Enum
from typing import Any, Union, get_args, get_origin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from vig_tui.domain import fields
from vig_tui.domain.checklist import BUILT_IN_CHECKLIST, CriterionId
from vig_tui.domain.fields import (
    FIELDS,
    NOT_QUESTIONS,
    Kind,
    answer_at,
    asked,
    field,
    label_for,
    set_answer,
)
from vig_tui.domain.models import (
    Carer,
    CarerRelationship,
    ConsiderationAnswer,
    CriterionEvidence,
    Programme,
    ReferrerRole,
    VigRequest,
)
from vig_tui.domain.rules import Section, evaluate
from vig_tui.tools.gallery import example_request


def _bare(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        (annotation,) = [a for a in get_args(annotation) if a is not type(None)]
    return annotation


def _leaf_paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every answer the model can hold, as FIELDS writes paths (``*`` for a carer)."""
    paths = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        annotation = _bare(info.annotation)
        item = get_args(annotation)[0] if get_origin(annotation) is list else None
        if isinstance(item, type) and issubclass(item, BaseModel):
            paths += _leaf_paths(get_args(annotation)[0], f"{path}.*.")
        elif get_origin(annotation) is dict:
            key, value = get_args(annotation)
            for member in key:
                paths += _leaf_paths(value, f"{path}.{member.value}.")
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            paths += _leaf_paths(annotation, f"{path}.")
        else:
            paths.append(path)
    return paths


QUESTION_PATHS = [p for p in _leaf_paths(VigRequest) if p not in NOT_QUESTIONS]
ANSWER_KINDS = [f for f in FIELDS if not f.container]


def test_every_answer_in_the_model_is_a_question_or_said_not_to_be() -> None:
    defined = {f.path for f in FIELDS}
    missing = [
        p for p in QUESTION_PATHS if p not in defined and p.split(".")[0] not in NOT_QUESTIONS
    ]
    assert missing == []


def test_every_question_names_a_model_field_and_paths_are_unique() -> None:
    paths = [f.path for f in FIELDS]
    assert len(paths) == len(set(paths))
    for definition in FIELDS:
        assert definition.model_field is not None  # raises KeyError for a path the model lacks
    assert set(QUESTION_PATHS) >= {f.path for f in ANSWER_KINDS}


@pytest.mark.parametrize("definition", ANSWER_KINDS, ids=lambda f: f.path)
def test_each_kind_fits_the_models_type(definition: fields.Field) -> None:
    annotation = _bare(definition.model_field.annotation)
    expected = {
        Kind.SHORT_TEXT: str,
        Kind.LONG_TEXT: str,
        Kind.DATE: date,
        Kind.MONTH: date,
        Kind.YES_NO: bool,
        Kind.TICK: bool,
    }
    if definition.kind in expected:
        assert annotation is expected[definition.kind]
    elif definition.kind is Kind.CHOICE:
        assert issubclass(annotation, Enum) and definition.choices
    elif definition.kind is Kind.TICKS:
        assert get_origin(annotation) is list and definition.choices
    if annotation is str:
        assert definition.max_length is not None


def test_limits_and_options_come_from_the_model() -> None:
    assert field("child.name").max_length == 200
    assert field("notes").max_length == 20_000
    assert field("carers.*.name").max_length == 200
    assert field("evidence.bonding.evidence").max_length == 20_000
    assert field("referrer.role").choices == tuple((r.label, r) for r in ReferrerRole)
    assert field("evidence.other_interventions.programmes").choices == tuple(
        (p.label, p) for p in Programme
    )
    assert field("case_holder.exists").choices == (("Yes", True), ("No", False))
    assert field("child.date_of_birth").max_length is None


def test_the_checklists_words_are_the_labels_and_hints() -> None:
    for criterion in BUILT_IN_CHECKLIST.criteria:
        path = f"evidence.{criterion.id.value}"
        assert field(f"{path}.ticked").label == criterion.title
        assert field(f"{path}.evidence").hint == criterion.help
    for consideration in BUILT_IN_CHECKLIST.considerations:
        answer = field(f"considerations.{consideration.id.value}.answer")
        assert answer.label == consideration.question


def test_every_rule_finding_names_a_question() -> None:
    """The rules and the form agree on paths: each finding lands on a question."""
    request = VigRequest(carers=[Carer(relationship=CarerRelationship.OTHER, phone="0")])
    request.interpreter_needed = True
    request.case_holder.exists = True
    request.criterion(CriterionId.OTHER_INTERVENTIONS)
    request.evidence[CriterionId.OTHER_INTERVENTIONS].ticked = True
    request.evidence[CriterionId.OTHER_INTERVENTIONS].programmes = [Programme.OTHER]
    for finding in evaluate(request, date(2026, 11, 24)):
        if finding.field is not None and finding.field not in {"evidence"}:
            assert fields.find(finding.field) is not None, finding.field


def test_labels_for_history() -> None:
    assert label_for("child.name") == "The child's full name"
    assert label_for("evidence.bonding.evidence") == (
        "Evidence: " + BUILT_IN_CHECKLIST.criterion(CriterionId.BONDING).title
    )
    assert label_for("evidence.bonding") == BUILT_IN_CHECKLIST.criterion(CriterionId.BONDING).title
    assert label_for("route.kind") == "How the request was agreed"
    assert label_for("status") == "status"
    first, second = Carer(name="Kez"), Carer(name="Jo")
    request = VigRequest(carers=[first, second])
    assert label_for(f"carers.{second.id}.name", request) == "Parent or carer 2: name"
    assert label_for(f"carers.{second.id}", request) == "Parent or carer 2"
    assert label_for(f"carers.{second.id}.name") == "Parent or carer: name"
    # "Carer 2" stays the same person's path when carer 1 is removed.
    request.carers.remove(first)
    assert label_for(f"carers.{second.id}.lives_with_child", request) == (
        "Parent or carer 1: lives with the child"
    )
    assert label_for(f"carers.{first.id}.name", request) == "Parent or carer: name"


def test_answers_are_read_and_written_by_path() -> None:
    request = example_request()
    carer = request.carers[0]
    assert answer_at(request, f"carers.{carer.id}.name") == carer.name
    set_answer(request, f"carers.{carer.id}.phone", "01632 960001")
    assert request.carers[0].phone == "01632 960001"
    set_answer(request, "evidence.bonding.evidence", "Seen at home")
    assert request.criterion(CriterionId.BONDING).evidence == "Seen at home"
    set_answer(request, "child.date_of_birth", date(2025, 1, 2))
    assert answer_at(request, "child.date_of_birth") == date(2025, 1, 2)
    assert answer_at(request, "carers.00000000-0000-0000-0000-000000000000.name") is None
    with pytest.raises(KeyError):
        set_answer(request, "carers.00000000-0000-0000-0000-000000000000.name", "X")
    with pytest.raises(ValidationError):  # the model's limit holds on every write
        set_answer(request, "child.name", "x" * 201)
    # An old request missing an entry gets one made.
    request.evidence = {}
    request.considerations = {}
    set_answer(request, "evidence.bonding.ticked", True)
    set_answer(request, "considerations.assessment.explanation", "Because")
    assert request.evidence[CriterionId.BONDING] == CriterionEvidence(ticked=True)
    assert request.considerations["assessment"] == ConsiderationAnswer(explanation="Because")


def test_a_question_is_asked_only_when_what_it_depends_on_says_so() -> None:
    request = VigRequest()
    other = field("evidence.other_interventions.other_programme")
    assert not asked(request, other)
    set_answer(request, "evidence.other_interventions.programmes", [Programme.OTHER])
    assert not asked(request, other)  # the criterion itself is not ticked
    set_answer(request, "evidence.other_interventions.ticked", True)
    assert asked(request, other)
    carer = Carer(relationship=CarerRelationship.OTHER)
    request.carers = [Carer(), carer]
    describe = field("carers.*.relationship_other")
    assert asked(request, describe, describe.at(carer.id))
    assert not asked(request, describe, describe.at(request.carers[0].id))
    assert not asked(request, field("interpreter_language"))
    request.interpreter_needed = True
    assert asked(request, field("interpreter_language"))


def test_each_section_has_its_questions_in_page_order() -> None:
    assert [f.path for f in fields.section_fields(Section.REFERRER)] == [
        "referrer.name",
        "referrer.role",
        "referrer.team",
        "referrer.phone",
        "referrer.email",
    ]
    carers = field("carers")
    assert [f.path for f in fields.children(carers)] == [
        "carers.*.name",
        "carers.*.relationship",
        "carers.*.relationship_other",
        "carers.*.phone",
        "carers.*.lives_with_child",
    ]
    for section in Section:
        assert fields.section_fields(section)


TEXT_FIELDS = [f for f in FIELDS if f.kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT)]


@pytest.mark.parametrize("definition", TEXT_FIELDS, ids=lambda f: f.path)
@settings(max_examples=25, deadline=None)
@given(text=st.text(max_size=300))
def test_any_text_the_limit_allows_is_kept_by_path(definition: fields.Field, text: str) -> None:
    """What a page lets through (the definition's limit) the model keeps; beyond it is refused."""
    request = VigRequest(carers=[Carer()])
    path = definition.at(request.carers[0].id) if definition.in_list else definition.path
    limit = definition.max_length
    assert limit is not None
    if len(text) <= limit:
        set_answer(request, path, text)
        kept = answer_at(request, path)
        assert isinstance(kept, str) and len(kept) <= limit
        if text.isprintable():  # control characters are the model's to clean
            assert kept == text.strip()
    else:
        with pytest.raises(ValidationError):
            set_answer(request, path, text)


@pytest.mark.parametrize("definition", [f for f in TEXT_FIELDS if f.max_length == 200])
def test_one_character_over_a_short_limit_is_refused(definition: fields.Field) -> None:
    request = VigRequest(carers=[Carer()])
    path = definition.at(request.carers[0].id) if definition.in_list else definition.path
    set_answer(request, path, "x" * 200)
    with pytest.raises(ValidationError):
        set_answer(request, path, "x" * 201)
