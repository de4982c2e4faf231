"""The request rules: required answers, formats and the VIG service's own rules."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from vig_tui.domain.checklist import BUILT_IN_CHECKLIST, ConsiderationId, CriterionId
from vig_tui.domain.models import (
    Answer,
    Carer,
    CarerRelationship,
    CaseHolder,
    CaseHolderRole,
    Child,
    ConsiderationAnswer,
    CriterionEvidence,
    Programme,
    Referrer,
    ReferrerRole,
    Route,
    RouteKind,
    VigRequest,
)
from vig_tui.domain.rules import (
    INELIGIBLE,
    Finding,
    Section,
    Severity,
    blocking,
    evaluate,
    findings_for,
    findings_for_field,
    ineligible,
)

ON = date(2026, 11, 24)


def complete_request(**changes: object) -> VigRequest:
    """A request with every required answer given and nothing to flag on ON."""
    request = VigRequest(
        referrer=Referrer(
            name="Jenna Pascoe",
            role=ReferrerRole.EARLY_HELP_PRACTITIONER,
            team="Early Help West",
            phone="01209 614128",
            email="jenna.pascoe@example.org",
        ),
        route=Route(kind=RouteKind.EARLY_HELP_HUB, hub_reference="EHH-12345"),
        child=Child(name="Amelia Tregear", date_of_birth=date(2025, 3, 14), postcode="TR15 3AB"),
        carers=[Carer(name="Kerensa Tregear", relationship=CarerRelationship.BIRTH_PARENT)],
        case_holder=CaseHolder(
            exists=True,
            name="Tom Nance",
            role=CaseHolderRole.LEAD_PROFESSIONAL,
            email="tom.nance@example.org",
        ),
        difficulty_identified_on=date(2026, 9, 1),
        interpreter_needed=False,
        carer_agrees=True,
    )
    request.evidence[CriterionId.BONDING] = CriterionEvidence(
        ticked=True, evidence="Mum says she has not felt close to Amelia since birth."
    )
    for consideration in ConsiderationId:
        request.considerations[consideration] = ConsiderationAnswer(
            answer=Answer.YES, explanation="Discussed and agreed at the team meeting."
        )
    for name, value in changes.items():
        setattr(request, name, value)
    return request


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def only(findings: list[Finding], code: str) -> Finding:
    matching = [f for f in findings if f.code == code]
    assert len(matching) == 1, codes(findings)
    return matching[0]


def test_a_complete_request_has_no_findings() -> None:
    assert evaluate(complete_request(), ON) == []


def test_section_titles_follow_the_task_list() -> None:
    assert [s.title for s in Section] == [
        "About you",
        "How the request was agreed",
        "The child and family",
        "The case holder",
        "The evidence",
        "Before you send",
    ]


# Required answers: every message with the field a screen shows it beside.

EMPTY_REQUEST_FINDINGS = [
    ("referrer_name_missing", "referrer.name", "Enter your name"),
    ("referrer_role_missing", "referrer.role", "Select your role"),
    ("referrer_team_missing", "referrer.team", "Enter your team"),
    (
        "referrer_contact_missing",
        "referrer.phone",
        "Enter a phone number or email address so the VIG service can contact you",
    ),
    ("route_kind_missing", "route.kind", "Select how the request was agreed"),
    ("child_name_missing", "child.name", "Enter the child's name"),
    ("dob_missing", "child.date_of_birth", "Enter the child's date of birth"),
    ("no_carer", "carers", "Add at least one parent or carer"),
    (
        "case_holder_unanswered",
        "case_holder.exists",
        "Select whether the family has a case holder, lead professional or named health visitor",
    ),
    (
        "no_criterion",
        "evidence",
        "Select at least one of the criteria, with the evidence for it: the VIG service "
        "accepts requests only when there is evidence of one of them",
    ),
    (
        "consideration_unanswered",
        "considerations.assessment.answer",
        "Select whether your assessment shows VIG is the right intervention",
    ),
    (
        "consideration_unanswered",
        "considerations.assessment.explanation",
        "Enter more detail about the assessment",
    ),
    (
        "consideration_unanswered",
        "considerations.others_agree.answer",
        "Select whether you have discussed VIG with the other people working with the family",
    ),
    (
        "consideration_unanswered",
        "considerations.others_agree.explanation",
        "Enter more detail about who you discussed VIG with",
    ),
    (
        "consideration_unanswered",
        "considerations.change_agreed.answer",
        "Select whether the change hoped for has been agreed with the parent or carer",
    ),
    (
        "consideration_unanswered",
        "considerations.change_agreed.explanation",
        "Enter more detail about the change hoped for",
    ),
    (
        "consideration_unanswered",
        "considerations.child_impact.answer",
        "Select whether the parent or carer is clear about the impact on the child",
    ),
    (
        "consideration_unanswered",
        "considerations.child_impact.explanation",
        "Enter more detail about the impact on the child",
    ),
    (
        "carer_agreement_unanswered",
        "carer_agrees",
        "Select whether the parent or carer agrees to the request being made",
    ),
]


def test_an_empty_draft_lists_every_required_answer_in_task_list_order() -> None:
    findings = evaluate(VigRequest(), ON)
    assert [(f.code, f.field, f.message) for f in findings] == EMPTY_REQUEST_FINDINGS
    assert all(f.blocking for f in findings)


def test_findings_are_ordered_by_section() -> None:
    findings = evaluate(VigRequest(), ON)
    orders = [f.section.order for f in findings]
    assert orders == sorted(orders)
    assert findings[0].section is Section.REFERRER
    assert findings[-1].section is Section.BEFORE_YOU_SEND


@pytest.mark.parametrize(
    ("change", "code", "field", "message", "section"),
    [
        (
            lambda r: setattr(r.referrer, "name", ""),
            "referrer_name_missing",
            "referrer.name",
            "Enter your name",
            Section.REFERRER,
        ),
        (
            lambda r: setattr(r.referrer, "role", None),
            "referrer_role_missing",
            "referrer.role",
            "Select your role",
            Section.REFERRER,
        ),
        (
            lambda r: setattr(r.referrer, "team", "  "),
            "referrer_team_missing",
            "referrer.team",
            "Enter your team",
            Section.REFERRER,
        ),
        (
            lambda r: setattr(r, "referrer", Referrer(name="A", role="social_worker", team="T")),
            "referrer_contact_missing",
            "referrer.phone",
            "Enter a phone number or email address so the VIG service can contact you",
            Section.REFERRER,
        ),
        (
            lambda r: setattr(r.referrer, "email", "jenna.example.org"),
            "referrer_email_format",
            "referrer.email",
            "Enter your email address in the correct format, like name@example.com",
            Section.REFERRER,
        ),
        (
            lambda r: setattr(r.referrer, "phone", "12345"),
            "referrer_phone_format",
            "referrer.phone",
            "Enter your phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192",
            Section.REFERRER,
        ),
        (
            lambda r: setattr(r.route, "kind", None),
            "route_kind_missing",
            "route.kind",
            "Select how the request was agreed",
            Section.ROUTE,
        ),
        (
            lambda r: setattr(r.route, "hub_reference", ""),
            "route_no_hub_reference",
            "route.hub_reference",
            "Enter the reference of the Early Help Hub general request form",
            Section.ROUTE,
        ),
        (
            lambda r: setattr(r.child, "name", ""),
            "child_name_missing",
            "child.name",
            "Enter the child's name",
            Section.CHILD_FAMILY,
        ),
        (
            lambda r: setattr(r.child, "date_of_birth", None),
            "dob_missing",
            "child.date_of_birth",
            "Enter the child's date of birth",
            Section.CHILD_FAMILY,
        ),
        (
            lambda r: setattr(r.child, "postcode", "TR15"),
            "postcode_format",
            "child.postcode",
            "Enter a real postcode, like TR15 3AB",
            Section.CHILD_FAMILY,
        ),
        (
            lambda r: setattr(r, "carers", []),
            "no_carer",
            "carers",
            "Add at least one parent or carer",
            Section.CHILD_FAMILY,
        ),
        (
            lambda r: setattr(r.carers[0], "name", ""),
            "carer_name_missing",
            "carers.0.name",
            "Enter the parent or carer's name",
            Section.CHILD_FAMILY,
        ),
        (
            lambda r: setattr(r.carers[0], "relationship", None),
            "carer_relationship_missing",
            "carers.0.relationship",
            "Select the parent or carer's relationship to the child",
            Section.CHILD_FAMILY,
        ),
        (
            lambda r: setattr(r.carers[0], "relationship", CarerRelationship.OTHER),
            "carer_relationship_other_missing",
            "carers.0.relationship_other",
            "Enter the parent or carer's relationship to the child",
            Section.CHILD_FAMILY,
        ),
        (
            lambda r: setattr(r.carers[0], "phone", "07700 900"),
            "carer_phone_format",
            "carers.0.phone",
            "Enter the parent or carer's phone number, like 01632 960 001, 07700 900 982 "
            "or +44 808 157 0192",
            Section.CHILD_FAMILY,
        ),
        (
            lambda r: setattr(r.carers[0], "email", "kerensa@"),
            "carer_email_format",
            "carers.0.email",
            "Enter the parent or carer's email address in the correct format, "
            "like name@example.com",
            Section.CHILD_FAMILY,
        ),
        (
            lambda r: setattr(r.case_holder, "exists", None),
            "case_holder_unanswered",
            "case_holder.exists",
            "Select whether the family has a case holder, lead professional or named "
            "health visitor",
            Section.CASE_HOLDER,
        ),
        (
            lambda r: setattr(r.case_holder, "name", ""),
            "case_holder_name_missing",
            "case_holder.name",
            "Enter the case holder's name",
            Section.CASE_HOLDER,
        ),
        (
            lambda r: setattr(r.case_holder, "role", None),
            "case_holder_role_missing",
            "case_holder.role",
            "Select the case holder's role",
            Section.CASE_HOLDER,
        ),
        (
            lambda r: setattr(r.case_holder, "email", ""),
            "case_holder_contact_missing",
            "case_holder.phone",
            "Enter the case holder's phone number or email address",
            Section.CASE_HOLDER,
        ),
        (
            lambda r: setattr(r.case_holder, "email", "tom at example.org"),
            "case_holder_email_format",
            "case_holder.email",
            "Enter the case holder's email address in the correct format, like name@example.com",
            Section.CASE_HOLDER,
        ),
        (
            lambda r: setattr(r.considerations[ConsiderationId.OTHERS_AGREE], "answer", None),
            "consideration_unanswered",
            "considerations.others_agree.answer",
            "Select whether you have discussed VIG with the other people working with the family",
            Section.BEFORE_YOU_SEND,
        ),
        (
            lambda r: setattr(r.considerations[ConsiderationId.CHILD_IMPACT], "explanation", ""),
            "consideration_unanswered",
            "considerations.child_impact.explanation",
            "Enter more detail about the impact on the child",
            Section.BEFORE_YOU_SEND,
        ),
        (
            lambda r: setattr(r, "carer_agrees", None),
            "carer_agreement_unanswered",
            "carer_agrees",
            "Select whether the parent or carer agrees to the request being made",
            Section.BEFORE_YOU_SEND,
        ),
        (
            lambda r: setattr(r, "interpreter_needed", True),
            "interpreter_language_missing",
            "interpreter_language",
            "Enter the language the family needs an interpreter for",
            Section.BEFORE_YOU_SEND,
        ),
    ],
)
def test_each_missing_or_badly_formatted_answer_is_one_blocking_finding(
    change, code: str, field: str, message: str, section: Section
) -> None:
    request = complete_request()
    change(request)
    findings = evaluate(request, ON)
    if request.carers:  # a carer's answers are named by the carer's id, not its place
        field = field.replace("carers.0.", f"carers.{request.carers[0].id}.")
    assert [(f.code, f.field, f.message, f.section) for f in findings] == [
        (code, field, message, section)
    ]
    assert findings[0].blocking


def test_each_incomplete_carer_is_named_by_number_when_there_are_several() -> None:
    request = complete_request()
    second = Carer(relationship=CarerRelationship.OTHER)
    request.carers.append(second)
    findings = evaluate(request, ON)
    assert [(f.field, f.message) for f in findings] == [
        (f"carers.{second.id}.name", "Enter parent or carer 2's name"),
        (
            f"carers.{second.id}.relationship_other",
            "Enter parent or carer 2's relationship to the child",
        ),
    ]
    # Carer 1 removed: the same person's answers keep their names.
    del request.carers[0]
    assert [f.field for f in evaluate(request, ON)] == [
        f"carers.{second.id}.name",
        f"carers.{second.id}.relationship_other",
    ]


def test_a_carer_with_another_relationship_described_is_complete() -> None:
    request = complete_request()
    request.carers[0].relationship = CarerRelationship.OTHER
    request.carers[0].relationship_other = "Step-father"
    assert evaluate(request, ON) == []


def test_the_case_holder_can_be_reached_by_phone_alone() -> None:
    request = complete_request()
    request.case_holder.email = ""
    request.case_holder.phone = "+44 1872 322000"
    assert evaluate(request, ON) == []


def test_the_interpreter_language_is_only_needed_when_an_interpreter_is() -> None:
    request = complete_request(interpreter_needed=True, interpreter_language="Polish")
    assert evaluate(request, ON) == []


# How the request was agreed


def case_management(**route: object) -> VigRequest:
    values = {
        "kind": RouteKind.CASE_MANAGEMENT,
        "team_manager": "Sam Rowe",
        "agreed_on": date(2026, 11, 20),
    }
    values.update(route)
    return complete_request(route=Route(**values))


def test_a_case_management_decision_needs_the_team_manager_and_the_date() -> None:
    assert evaluate(case_management(), ON) == []
    findings = evaluate(case_management(team_manager="", agreed_on=None), ON)
    assert [(f.code, f.field, f.message) for f in findings] == [
        (
            "route_no_team_manager",
            "route.team_manager",
            "Enter the name of the team manager who agreed the request",
        ),
        (
            "route_agreed_on_missing",
            "route.agreed_on",
            "Enter the date the team manager agreed the request",
        ),
    ]
    assert all(f.section is Section.ROUTE and f.blocking for f in findings)


def test_the_date_agreed_can_be_today_but_not_in_the_future() -> None:
    assert evaluate(case_management(agreed_on=ON), ON) == []
    finding = only(
        evaluate(case_management(agreed_on=date(2026, 11, 25)), ON), "route_agreed_on_in_future"
    )
    assert finding.message == "The date the request was agreed must be in the past"
    assert finding.field == "route.agreed_on"
    assert finding.blocking


def test_a_hub_request_does_not_need_a_team_manager() -> None:
    request = complete_request()
    request.route.team_manager = ""
    assert evaluate(request, ON) == []


# The child's date of birth and age


def with_child(born: date, role: ReferrerRole = ReferrerRole.EARLY_HELP_PRACTITIONER) -> VigRequest:
    request = complete_request()
    request.child.date_of_birth = born
    request.referrer.role = role
    return request


def test_a_date_of_birth_in_the_future_is_blocking() -> None:
    finding = only(evaluate(with_child(date(2026, 11, 25)), ON), "dob_in_future")
    assert finding.message == "Date of birth must be in the past"
    assert finding.field == "child.date_of_birth"
    assert finding.section is Section.CHILD_FAMILY
    assert finding.blocking


def test_a_baby_born_today_is_fine() -> None:
    request = with_child(ON)
    # A difficulty with a baby born today was identified today, or in pregnancy.
    request.difficulty_identified_on = ON
    assert evaluate(request, ON) == []


HV = ReferrerRole.HEALTH_VISITOR


@pytest.mark.parametrize(
    ("born", "on", "too_old"),
    [
        (date(2022, 11, 25), date(2026, 11, 24), False),  # the day before the 4th birthday
        (date(2022, 11, 24), date(2026, 11, 24), True),  # the 4th birthday itself
        (date(2020, 2, 29), date(2024, 2, 28), False),  # 29 Feb birth, leap year: 3 the day before
        (date(2020, 2, 29), date(2024, 2, 29), True),  # ... and 4 on 29 February
        (date(2096, 2, 29), date(2100, 2, 28), False),  # 2100 is not a leap year: still 3
        (date(2096, 2, 29), date(2100, 3, 1), True),  # ... and 4 on 1 March
    ],
)
def test_health_visitors_can_request_for_children_aged_3_and_under(
    born: date, on: date, too_old: bool
) -> None:
    findings = evaluate(with_child(born, HV), on)
    assert ("health_visitor_child_too_old" in codes(findings)) is too_old


def test_a_health_visitor_request_for_a_4_year_old_is_ineligible_and_says_what_to_do() -> None:
    request = with_child(date(2022, 6, 1), HV)
    findings = evaluate(request, ON)
    finding = only(findings, "health_visitor_child_too_old")
    assert finding.blocking
    assert finding.section is Section.CHILD_FAMILY
    assert finding.field == "child.date_of_birth"
    assert "aged 3 and under" in finding.message
    assert "Amelia Tregear is 4" in finding.message
    assert "Children and Family Services practitioner" in finding.next_steps
    assert "Early Help" in finding.next_steps
    assert "social worker" in finding.next_steps
    assert ineligible(findings) == [finding]


def test_other_practitioners_can_request_for_a_4_year_old() -> None:
    assert evaluate(with_child(date(2022, 6, 1), ReferrerRole.SOCIAL_WORKER), ON) == []


def test_the_health_visitor_age_limit_comes_from_the_checklist() -> None:
    checklist = dataclasses.replace(BUILT_IN_CHECKLIST, health_visitor_max_age_years=4)
    request = with_child(date(2022, 6, 1), HV)
    assert evaluate(request, ON, checklist) == []
    assert "health_visitor_child_too_old" in codes(evaluate(request, ON))


def test_an_older_child_gets_an_advisory_only() -> None:
    limit = BUILT_IN_CHECKLIST.advisory_older_child_years
    assert evaluate(with_child(date(2026 - limit - 1, 11, 25)), ON) == []  # still 11
    findings = evaluate(with_child(date(2026 - limit - 1, 11, 24)), ON)  # 12 today
    finding = only(findings, "older_child")
    assert finding.severity is Severity.ADVISORY
    assert not finding.blocking
    assert "Amelia Tregear is 12" in finding.message
    assert "very young or the difficulty is new" in finding.message
    assert blocking(findings) == []


# The case holder


def test_no_case_holder_is_ineligible_with_next_steps() -> None:
    request = complete_request(case_holder=CaseHolder(exists=False))
    findings = evaluate(request, ON)
    assert codes(findings) == ["no_case_holder"]
    finding = findings[0]
    assert finding.blocking
    assert finding.section is Section.CASE_HOLDER
    assert finding.field == "case_holder.exists"
    assert "never hold cases" in finding.next_steps
    assert "lead professional or named health visitor" in finding.next_steps
    assert "Early Help Hub" in finding.next_steps
    assert ineligible(findings) == findings


# The evidence


def test_no_criterion_is_ineligible_and_explains_the_six_criteria() -> None:
    request = complete_request()
    request.evidence[CriterionId.BONDING] = CriterionEvidence(evidence="Written but not ticked")
    findings = evaluate(request, ON)
    assert codes(findings) == ["no_criterion"]
    finding = findings[0]
    assert finding.blocking
    assert finding.section is Section.EVIDENCE
    assert finding.field == "evidence"
    for criterion in BUILT_IN_CHECKLIST.criteria:
        assert criterion.title[1:] in finding.next_steps
    assert "another intervention" in finding.next_steps
    # The page that explains it gives the service's contact details, once.
    assert BUILT_IN_CHECKLIST.service_phone not in finding.next_steps
    assert ineligible(findings) == findings


def test_a_ticked_criterion_needs_its_evidence() -> None:
    request = complete_request()
    request.evidence[CriterionId.LACK_OF_WARMTH] = CriterionEvidence(ticked=True)
    finding = only(evaluate(request, ON), "criterion_without_evidence")
    assert finding.message == (
        "Enter the evidence for 'A lack of emotional warmth in the relationship'"
    )
    assert finding.field == "evidence.lack_of_warmth.evidence"
    assert finding.blocking
    assert not finding.ineligible


def test_a_ticked_criterion_with_no_evidence_still_counts_as_selected() -> None:
    request = complete_request()
    request.evidence[CriterionId.BONDING] = CriterionEvidence(ticked=True)
    assert codes(evaluate(request, ON)) == ["criterion_without_evidence"]


def other_interventions(**values: object) -> VigRequest:
    request = complete_request()
    request.evidence[CriterionId.OTHER_INTERVENTIONS] = CriterionEvidence(
        ticked=True, evidence="Finds it hard to use praise at home.", **values
    )
    return request


def test_other_interventions_needs_the_programme() -> None:
    assert evaluate(other_interventions(programmes=[Programme.TRIPLE_P]), ON) == []
    finding = only(evaluate(other_interventions(), ON), "programme_missing")
    assert finding.field == "evidence.other_interventions.programmes"
    assert finding.message == "Select the programme the parent or carer has done"


def test_another_programme_needs_its_name() -> None:
    finding = only(
        evaluate(other_interventions(programmes=[Programme.OTHER]), ON),
        "other_programme_missing",
    )
    assert finding.field == "evidence.other_interventions.other_programme"
    assert finding.message == "Enter the name of the other programme"
    named = other_interventions(programmes=[Programme.OTHER], other_programme="Solihull")
    assert evaluate(named, ON) == []


def test_the_difficulty_date_is_optional_but_not_in_the_future() -> None:
    assert evaluate(complete_request(difficulty_identified_on=None), ON) == []
    finding = only(
        evaluate(complete_request(difficulty_identified_on=date(2026, 12, 1)), ON),
        "difficulty_date_in_future",
    )
    assert finding.message == "The date the difficulty was identified must be in the past"
    assert finding.field == "difficulty_identified_on"
    assert finding.section is Section.EVIDENCE
    assert finding.blocking


def test_a_difficulty_identified_over_2_years_ago_gets_an_advisory() -> None:
    older_child = Child(name="Amelia Tregear", date_of_birth=date(2022, 3, 14))
    identified = date(2024, 11, 24)
    assert (
        evaluate(complete_request(child=older_child, difficulty_identified_on=identified), ON) == []
    )
    findings = evaluate(
        complete_request(child=older_child, difficulty_identified_on=date(2024, 11, 23)), ON
    )
    finding = only(findings, "difficulty_long_standing")
    assert finding.severity is Severity.ADVISORY
    assert "early stages of a difficulty" in finding.message


# Before you send


@pytest.mark.parametrize("answer", [Answer.NO, Answer.NOT_SURE])
@pytest.mark.parametrize("consideration", list(ConsiderationId))
def test_a_consideration_answered_no_or_not_sure_is_advisory(
    consideration: ConsiderationId, answer: Answer
) -> None:
    request = complete_request()
    request.considerations[consideration].answer = answer
    findings = evaluate(request, ON)
    finding = only(findings, "consideration_not_clear")
    assert finding.severity is Severity.ADVISORY
    assert finding.field == f"considerations.{consideration.value}.answer"
    assert finding.message.startswith("The VIG service asks")
    assert blocking(findings) == []


def test_the_carer_not_agreeing_blocks_the_request_with_next_steps() -> None:
    findings = evaluate(complete_request(carer_agrees=False), ON)
    finding = only(findings, "carer_not_agreed")
    assert finding.blocking
    assert finding.section is Section.BEFORE_YOU_SEND
    assert finding.field == "carer_agrees"
    assert "agreement" in finding.message
    assert "once they agree" in finding.next_steps
    assert ineligible(findings) == []


def test_the_checklist_defaults_to_the_requests_version() -> None:
    request = complete_request()
    request.checklist_version = "1999.1"  # unknown: read with the current checklist
    assert evaluate(request, ON) == []


# Helpers


def test_findings_for_a_section_and_a_field() -> None:
    request = complete_request(case_holder=CaseHolder(exists=False))
    second = Carer()
    request.carers.append(second)
    findings = evaluate(request, ON)
    assert codes(findings_for(findings, Section.CASE_HOLDER)) == ["no_case_holder"]
    assert findings_for(findings, Section.ROUTE) == []
    assert [f.field for f in findings_for_field(findings, "carers")] == [
        f"carers.{second.id}.name",
        f"carers.{second.id}.relationship",
    ]
    name = findings_for_field(findings, f"carers.{second.id}.name")
    assert name[0].code == "carer_name_missing"
    assert findings_for_field(findings, "case") == []


def test_ineligible_codes() -> None:
    assert frozenset({"no_case_holder", "health_visitor_child_too_old", "no_criterion"}) == (
        INELIGIBLE
    )
    eligible = evaluate(VigRequest(case_holder=CaseHolder(exists=True)), ON)
    assert codes(ineligible(eligible)) == ["no_criterion"]
