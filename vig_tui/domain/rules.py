"""What a request still needs, and whether the VIG service can accept it.

:func:`evaluate` reads a request (draft or sent) and returns findings, each a
plain sentence tied to a task-list section and a dotted field path
("child.date_of_birth", "carers.<id>.name", "evidence.bonding.evidence"; see domain.fields) so a
screen can show the same words beside the field it validates on Continue.

Two kinds of finding come back together:

* completeness: a required answer is missing or in the wrong format
  ("Enter your name"); all blocking;
* the service's own rules (vig-service.txt): some make the request one the
  service cannot accept (codes in :data:`INELIGIBLE`, each with
  ``next_steps`` saying what to do instead), others are blocking but fixable
  ("carer_not_agreed"), and some only advise ("older_child").

Findings come in task-list order: by section, then in the order the fields are
asked within the section.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from . import validation
from .checklist import Checklist, ConsiderationId, CriterionId, checklist_for
from .dates import age_in_years, format_date, same_or_later_month
from .models import (
    Answer,
    CarerRelationship,
    ConsentTopic,
    Programme,
    ReferrerRole,
    RequestStatus,
    RouteKind,
    VigRequest,
)
from .work import consented

#: Findings that mean the service cannot accept the request as it stands,
#: whatever else is filled in.
INELIGIBLE = frozenset({"no_case_holder", "health_visitor_child_too_old", "no_criterion"})

#: The words of the tick that allows a difficulty identified before the birth.
IN_PREGNANCY_LABEL = "It was first identified during pregnancy"

#: A difficulty identified longer ago than this many years gets an advisory.
LONG_STANDING_DIFFICULTY_YEARS = 2


class Severity(StrEnum):
    BLOCKING = "blocking"
    ADVISORY = "advisory"


class Section(StrEnum):
    """The task-list sections, in the order they are asked."""

    REFERRER = "referrer"
    ROUTE = "route"
    CHILD_FAMILY = "child_family"
    CASE_HOLDER = "case_holder"
    EVIDENCE = "evidence"
    BEFORE_YOU_SEND = "before_you_send"

    @property
    def title(self) -> str:  # type: ignore[override]  # the heading, not str.title()
        return _SECTION_TITLES[self]

    @property
    def title_for_others(self) -> str:
        """The heading where the request is shown to someone other than the referrer
        filling it in ("The referrer", not "About you")."""
        return _TITLES_FOR_OTHERS.get(self, self.title)

    @property
    def order(self) -> int:
        return list(Section).index(self)


_SECTION_TITLES = {
    Section.REFERRER: "About you",
    Section.ROUTE: "How the request was agreed",
    Section.CHILD_FAMILY: "The child and family",
    Section.CASE_HOLDER: "The case holder",
    Section.EVIDENCE: "The evidence",
    Section.BEFORE_YOU_SEND: "Before you send",
}
#: The titles that speak to the referrer, as others read them (the meeting pack's words).
_TITLES_FOR_OTHERS = {
    Section.REFERRER: "The referrer",
    Section.BEFORE_YOU_SEND: "Before the request was sent",
}


@dataclass(frozen=True)
class Finding:
    #: Stable id, e.g. "no_criterion", "health_visitor_child_too_old".
    code: str
    severity: Severity
    #: Plain sentence: what is wrong and what to do.
    message: str
    section: Section
    #: Dotted model path of the answer concerned, or None for the whole request.
    field: str | None
    #: For requests that cannot be accepted: what to do instead.
    next_steps: str = ""

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.BLOCKING

    @property
    def ineligible(self) -> bool:
        return self.code in INELIGIBLE


def findings_for(findings: Iterable[Finding], section: Section) -> list[Finding]:
    """The findings for one task-list section, in order."""
    return [f for f in findings if f.section is section]


def ineligible(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that mean the service cannot accept the request (empty if none)."""
    return [f for f in findings if f.code in INELIGIBLE]


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that stop the request being sent (empty when it can be sent)."""
    return [f for f in findings if f.blocking]


def findings_for_field(findings: Iterable[Finding], field: str) -> list[Finding]:
    """Findings about one answer or anything beneath it ("carers" covers "carers.<id>.name")."""
    return [
        f
        for f in findings
        if f.field is not None and (f.field == field or f.field.startswith(field + "."))
    ]


def evaluate(request: VigRequest, on: date, checklist: Checklist | None = None) -> list[Finding]:
    """Every finding about ``request`` as of the day ``on``, in task-list order.

    ``checklist`` defaults to the one the request was made under.
    """
    checklist = checklist or checklist_for(request.checklist_version)
    check = _Checker(request, on, checklist)
    check.referrer()
    check.route()
    check.child_family()
    check.case_holder()
    check.evidence()
    check.before_you_send()
    check.consent_to_filming()
    return sorted(check.findings, key=lambda f: f.section.order)


_CONSIDERATION_WORDING: dict[ConsiderationId, tuple[str, str, str]] = {
    # (unanswered, no explanation, advisory when the answer is No or Not sure)
    ConsiderationId.ASSESSMENT: (
        "Select whether your assessment shows VIG is the right intervention",
        "Enter more detail about the assessment",
        "The VIG service asks that your assessment shows VIG is the right intervention, "
        "and that your request makes this clear",
    ),
    ConsiderationId.OTHERS_AGREE: (
        "Select whether you have discussed VIG with the other people working with the family",
        "Enter more detail about who you discussed VIG with",
        "The VIG service asks that everyone working with the family has discussed VIG "
        "and is clear why it would help",
    ),
    ConsiderationId.CHANGE_AGREED: (
        "Select whether the change hoped for has been agreed with the parent or carer",
        "Enter more detail about the change hoped for",
        "The VIG service asks that the change hoped for from the parent or carer is clear "
        "and agreed with them",
    ),
    ConsiderationId.CHILD_IMPACT: (
        "Select whether the parent or carer is clear about the impact on the child",
        "Enter more detail about the impact on the child",
        "The VIG service asks that the impact on the child's lived experience is clear, "
        "and that the parent or carer is clear about it",
    ),
}


class _Checker:
    """Walks a request section by section, collecting findings."""

    def __init__(self, request: VigRequest, on: date, checklist: Checklist) -> None:
        self.request = request
        self.on = on
        self.checklist = checklist
        self.findings: list[Finding] = []

    def add(
        self,
        code: str,
        message: str,
        section: Section,
        field: str | None,
        *,
        severity: Severity = Severity.BLOCKING,
        next_steps: str = "",
    ) -> None:
        self.findings.append(Finding(code, severity, message, section, field, next_steps))

    def _contact(
        self, code: str, path: str, phone: str, email: str, whose: str, section: Section
    ) -> None:
        """Phone and email: at least one, each in the right format when given."""
        if not phone and not email:
            self.add(
                f"{code}_contact_missing",
                f"Enter {whose} phone number or email address",
                section,
                f"{path}.phone",
            )
        self._formats(code, path, phone, email, whose, section)

    def _formats(
        self, code: str, path: str, phone: str, email: str, whose: str, section: Section
    ) -> None:
        if message := validation.check_phone(phone, f"{whose} phone number"):
            self.add(f"{code}_phone_format", message, section, f"{path}.phone")
        if message := validation.check_email(email, f"{whose} email address"):
            self.add(f"{code}_email_format", message, section, f"{path}.email")

    # About you

    def referrer(self) -> None:
        referrer = self.request.referrer
        section = Section.REFERRER
        if not referrer.name:
            self.add("referrer_name_missing", "Enter your name", section, "referrer.name")
        if referrer.role is None:
            self.add("referrer_role_missing", "Select your role", section, "referrer.role")
        if not referrer.team:
            self.add("referrer_team_missing", "Enter your team", section, "referrer.team")
        if not referrer.phone and not referrer.email:
            self.add(
                "referrer_contact_missing",
                "Enter a phone number or email address so the VIG service can contact you",
                section,
                "referrer.phone",
            )
        self._formats("referrer", "referrer", referrer.phone, referrer.email, "your", section)

    # How the request was agreed

    def route(self) -> None:
        route = self.request.route
        section = Section.ROUTE
        if route.kind is None:
            self.add(
                "route_kind_missing", "Select how the request was agreed", section, "route.kind"
            )
        elif route.kind is RouteKind.EARLY_HELP_HUB:
            if not route.hub_reference:
                self.add(
                    "route_no_hub_reference",
                    "Enter the reference of the Early Help Hub general request form",
                    section,
                    "route.hub_reference",
                )
        elif route.kind is RouteKind.CASE_MANAGEMENT:
            if not route.team_manager:
                self.add(
                    "route_no_team_manager",
                    "Enter the name of the team manager who agreed the request",
                    section,
                    "route.team_manager",
                )
            if route.agreed_on is None:
                self.add(
                    "route_agreed_on_missing",
                    "Enter the date the team manager agreed the request",
                    section,
                    "route.agreed_on",
                )
            elif message := validation.check_date_not_future(
                route.agreed_on, "The date the request was agreed", self.on
            ):
                self.add("route_agreed_on_in_future", message, section, "route.agreed_on")

    # The child and family

    def child_family(self) -> None:
        child = self.request.child
        section = Section.CHILD_FAMILY
        if not child.name:
            self.add("child_name_missing", "Enter the child's name", section, "child.name")
        if child.date_of_birth is None:
            self.add(
                "dob_missing",
                "Enter the child's date of birth",
                section,
                "child.date_of_birth",
            )
        elif message := validation.check_date_not_future(
            child.date_of_birth, "Date of birth", self.on
        ):
            self.add("dob_in_future", message, section, "child.date_of_birth")
        else:
            self._age_rules(age_in_years(child.date_of_birth, self.on))
        if message := validation.check_postcode(child.postcode):
            self.add("postcode_format", message, section, "child.postcode")
        self._carers()

    def _age_rules(self, age: int) -> None:
        section = Section.CHILD_FAMILY
        limit = self.checklist.health_visitor_max_age_years
        who = self.request.child.name or "The child"
        if self.request.referrer.role is ReferrerRole.HEALTH_VISITOR and age > limit:
            self.add(
                "health_visitor_child_too_old",
                f"Health visitors can request VIG for children aged {limit} and under. "
                f"{who} is {age}, so the VIG service cannot accept a request from a "
                "health visitor",
                section,
                "child.date_of_birth",
                next_steps=(
                    "Ask the family's Children and Family Services practitioner, for "
                    "example their Early Help practitioner or social worker, to make the "
                    "request."
                ),
            )
        if age > self.checklist.advisory_older_child_years:
            self.add(
                "older_child",
                f"{who} is {age}. VIG can help at any age, but works best when the child "
                "is very young or the difficulty is new: say in the evidence why VIG would "
                "help now",
                section,
                "child.date_of_birth",
                severity=Severity.ADVISORY,
            )

    def _carers(self) -> None:
        section = Section.CHILD_FAMILY
        carers = self.request.carers
        if not carers:
            self.add("no_carer", "Add at least one parent or carer", section, "carers")
            return
        for index, carer in enumerate(carers):
            whose = f"parent or carer {index + 1}'s" if len(carers) > 1 else "the parent or carer's"
            path = f"carers.{carer.id}"
            if not carer.name:
                self.add("carer_name_missing", f"Enter {whose} name", section, f"{path}.name")
            if carer.relationship is None:
                self.add(
                    "carer_relationship_missing",
                    f"Select {whose} relationship to the child",
                    section,
                    f"{path}.relationship",
                )
            elif carer.relationship is CarerRelationship.OTHER and not carer.relationship_other:
                self.add(
                    "carer_relationship_other_missing",
                    f"Enter {whose} relationship to the child",
                    section,
                    f"{path}.relationship_other",
                )
            self._formats("carer", path, carer.phone, carer.email, whose, section)

    # The case holder

    def case_holder(self) -> None:
        holder = self.request.case_holder
        section = Section.CASE_HOLDER
        if holder.exists is None:
            self.add(
                "case_holder_unanswered",
                "Select whether the family has a case holder, lead professional or named "
                "health visitor",
                section,
                "case_holder.exists",
            )
        elif not holder.exists:
            self.add(
                "no_case_holder",
                "The VIG service cannot accept a request for a family without a case holder, "
                "lead professional or named health visitor",
                section,
                "case_holder.exists",
                next_steps=(
                    "VIG workers never hold cases, so the family must have a case holder, "
                    "lead professional or named health visitor throughout the VIG work. "
                    "Agree one first, for example through the Early Help Hub "
                    f"({self.checklist.request_route_hub_url}), then make the request."
                ),
            )
        else:
            if not holder.name:
                self.add(
                    "case_holder_name_missing",
                    "Enter the case holder's name",
                    section,
                    "case_holder.name",
                )
            if holder.role is None:
                self.add(
                    "case_holder_role_missing",
                    "Select the case holder's role",
                    section,
                    "case_holder.role",
                )
            self._contact(
                "case_holder",
                "case_holder",
                holder.phone,
                holder.email,
                "the case holder's",
                section,
            )

    # The evidence

    def evidence(self) -> None:
        section = Section.EVIDENCE
        request = self.request
        if not request.evidenced_criteria:
            self.add(
                "no_criterion",
                "Select at least one of the criteria, with the evidence for it: the VIG "
                "service accepts requests only when there is evidence of one of them",
                section,
                "evidence",
                next_steps=self._criteria_next_steps(),
            )
        for criterion_id in CriterionId:
            answer = request.criterion(criterion_id)
            if not answer.ticked:
                continue
            path = f"evidence.{criterion_id.value}"
            if not answer.evidence:
                title = self.checklist.criterion(criterion_id).title
                self.add(
                    "criterion_without_evidence",
                    f"Enter the evidence for '{title}'",
                    section,
                    f"{path}.evidence",
                )
            if criterion_id is CriterionId.OTHER_INTERVENTIONS:
                if not answer.programmes:
                    self.add(
                        "programme_missing",
                        "Select the programme the parent or carer has done",
                        section,
                        f"{path}.programmes",
                    )
                elif Programme.OTHER in answer.programmes and not answer.other_programme:
                    self.add(
                        "other_programme_missing",
                        "Enter the name of the other programme",
                        section,
                        f"{path}.other_programme",
                    )
        self._difficulty_date()

    def _criteria_next_steps(self) -> str:
        titles = "; ".join(c.title[0].lower() + c.title[1:] for c in self.checklist.criteria)
        return (
            f"The VIG service accepts requests when there is evidence of: {titles}. "
            "If none of these applies, another intervention may suit the family better."
        )

    def _difficulty_date(self) -> None:
        request = self.request
        identified = request.difficulty_identified_on
        if identified is None:
            return
        section = Section.EVIDENCE
        path = "difficulty_identified_on"
        born = request.child.date_of_birth
        if message := validation.check_date_not_future(
            identified, "The date the difficulty was identified", self.on
        ):
            self.add("difficulty_date_in_future", message, section, path)
        elif born is not None and (problem := _identified_against_birth(request, identified, born)):
            self.add("difficulty_before_birth", problem, section, path)
        elif identified < _years_before(self.on, LONG_STANDING_DIFFICULTY_YEARS):
            self.add(
                "difficulty_long_standing",
                f"The difficulty was identified more than {LONG_STANDING_DIFFICULTY_YEARS} "
                "years ago. VIG works best at the early stages of a difficulty: say in the "
                "evidence why VIG would help now",
                section,
                path,
                severity=Severity.ADVISORY,
            )

    # Before you send

    def consent_to_filming(self) -> None:
        """Before a meeting: is consent to filming recorded? Work cannot start without it."""
        if self.request.status not in (RequestStatus.SUBMITTED, RequestStatus.DEFERRED):
            return
        if not consented(self.request, ConsentTopic.FILMING):
            self.add(
                "filming_consent_not_recorded",
                "The parent's or carer's consent to being filmed is not recorded yet: the "
                "work cannot start until it is",
                Section.BEFORE_YOU_SEND,
                None,
                severity=Severity.ADVISORY,
            )

    def before_you_send(self) -> None:
        section = Section.BEFORE_YOU_SEND
        request = self.request
        for consideration_id in ConsiderationId:
            unanswered, no_detail, unclear = _CONSIDERATION_WORDING[consideration_id]
            answer = request.answer(consideration_id)
            path = f"considerations.{consideration_id.value}"
            if answer.answer is None:
                self.add("consideration_unanswered", unanswered, section, f"{path}.answer")
            elif answer.answer in (Answer.NO, Answer.NOT_SURE):
                self.add(
                    "consideration_not_clear",
                    unclear,
                    section,
                    f"{path}.answer",
                    severity=Severity.ADVISORY,
                )
            if not answer.explanation:
                self.add("consideration_unanswered", no_detail, section, f"{path}.explanation")
        if request.carer_agrees is None:
            self.add(
                "carer_agreement_unanswered",
                "Select whether the parent or carer agrees to the request being made",
                section,
                "carer_agrees",
            )
        elif not request.carer_agrees:
            self.add(
                "carer_not_agreed",
                "VIG needs the parent or carer's agreement: the request cannot be sent "
                "until they agree to it",
                section,
                "carer_agrees",
                next_steps=(
                    "Talk with the parent or carer about what VIG involves (being filmed "
                    "with their child and looking at the best moments together). Make the "
                    "request once they agree. To talk it through, contact the VIG service "
                    f"on {self.checklist.service_phone} or {self.checklist.service_email}."
                ),
            )
        if request.interpreter_needed and not request.interpreter_language:
            self.add(
                "interpreter_language_missing",
                "Enter the language the family needs an interpreter for",
                section,
                "interpreter_language",
            )


#: How far before the birth "during pregnancy" reaches (a little over nine months).
PREGNANCY_DAYS = 300


def _identified_against_birth(request: VigRequest, identified: date, born: date) -> str:
    """What is wrong with when the difficulty was identified, given the child's birth ("" if
    nothing). Before the birth only in pregnancy, and only where the answer says so; a
    month given alone is compared month by month."""
    if request.difficulty_identified_month_only:
        before_birth = not same_or_later_month(identified, born)
    else:
        before_birth = identified < born
    if request.difficulty_identified_in_pregnancy:
        if not before_birth:
            return (
                "You said the difficulty was first identified during pregnancy: the date "
                f"must be before the child's date of birth ({format_date(born)})"
            )
        if (
            born - identified
        ).days > PREGNANCY_DAYS + 30 * request.difficulty_identified_month_only:
            return (
                "The date the difficulty was identified is too long before the child's birth "
                "to be during the pregnancy: check the date"
            )
        return ""
    if before_birth:
        return (
            "The date the difficulty was identified must be on or after the child's date of "
            f"birth ({format_date(born)}). If it was identified during pregnancy, tick "
            f"“{IN_PREGNANCY_LABEL}”"
        )
    return ""


def _years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
