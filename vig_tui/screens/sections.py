"""The six section pages of a request, in task-list order.

Each composes its questions from the request and copies the answers back in
``collect``; checking is the rules' job (see :mod:`vig_tui.screens.section`).
"""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static, TextArea

from ..domain.checklist import ConsiderationId, Criterion, CriterionId, checklist_for
from ..domain.dates import DateError
from ..domain.fields import field, is_blank
from ..domain.models import (
    Answer,
    Carer,
    CarerRelationship,
    CaseHolderRole,
    Programme,
    ReferrerRole,
    RouteKind,
)
from ..domain.rules import Section
from ..widgets.answer import LongAnswer, ShortAnswer
from ..widgets.choice import Choice, yes_no
from ..widgets.date_input import DateInput, MonthOrDateInput
from ..widgets.error_summary import FieldError
from ..widgets.question import Question
from ..widgets.tick import Tick
from .confirm import ConfirmDialog
from .section import SectionScreen, Session


def _text(value: str, *, id: str) -> ShortAnswer:
    return ShortAnswer(value, id=id)


def _long_text(value: str, *, id: str) -> LongAnswer:
    return LongAnswer(value, id=id, classes="long-answer")


def _copy_text(screen: SectionScreen, target: object, fields: dict[str, str]) -> None:
    """Copy each text answer (widget id -> the model's attribute) into ``target``."""
    for widget_id, attribute in fields.items():
        setattr(target, attribute, screen.query_one(f"#{widget_id}", Input).value)


def _read_date(
    screen: SectionScreen, widget_id: str, label: str, field: str, errors: list[FieldError]
) -> date | None:
    """The date typed in ``widget_id`` (None if empty or unreadable, with the error noted)."""
    try:
        return screen.query_one(f"#{widget_id}", DateInput).read(label)
    except DateError as error:
        errors.append(FieldError(field, str(error)))
        return None


class ReferrerSection(SectionScreen):
    SECTION = Section.REFERRER

    def questions(self) -> ComposeResult:
        referrer = self.request.referrer
        with Question("Your name", field="referrer.name"):
            yield _text(referrer.name, id="referrer-name")
        with Question("Your role", field="referrer.role"):
            yield Choice([(r.label, r) for r in ReferrerRole], referrer.role, id="referrer-role")
        with Question("Your team", field="referrer.team", hint="For example, Camborne Early Help"):
            yield _text(referrer.team, id="referrer-team")
        with Question(
            "Your phone number",
            field="referrer.phone",
            hint="Give a phone number, an email address or both",
        ):
            yield _text(referrer.phone, id="referrer-phone")
        with Question("Your email address", field="referrer.email"):
            yield _text(referrer.email, id="referrer-email")

    def collect(self) -> list[FieldError]:
        referrer = self.request.referrer
        referrer.role = self.query_one("#referrer-role", Choice).selected
        _copy_text(
            self,
            referrer,
            {
                "referrer-name": "name",
                "referrer-team": "team",
                "referrer-phone": "phone",
                "referrer-email": "email",
            },
        )
        return []


class RouteSection(SectionScreen):
    SECTION = Section.ROUTE

    def questions(self) -> ComposeResult:
        route = self.request.route
        with Question(
            "How was the request agreed?",
            field="route.kind",
            hint="Requests come through the Early Help Hub, or are agreed by a team manager "
            "as a case management decision",
        ):
            yield Choice([(k.label, k) for k in RouteKind], route.kind, id="route-kind")
        with Question(
            "Early Help Hub request form reference",
            field="route.hub_reference",
            id="route-hub",
            classes="reveal",
        ):
            yield _text(route.hub_reference, id="route-hub-reference")
        with Vertical(id="route-case-management", classes="reveal"):
            with Question("Name of the team manager who agreed it", field="route.team_manager"):
                yield _text(route.team_manager, id="route-team-manager")
            with Question("Date it was agreed", field="route.agreed_on"):
                yield DateInput(route.agreed_on, id="route-agreed-on")

    def reveal(self) -> None:
        kind = self.query_one("#route-kind", Choice).selected
        self.query_one("#route-hub").display = kind is RouteKind.EARLY_HELP_HUB
        self.query_one("#route-case-management").display = kind is RouteKind.CASE_MANAGEMENT

    def collect(self) -> list[FieldError]:
        errors: list[FieldError] = []
        route = self.request.route
        route.kind = self.query_one("#route-kind", Choice).selected
        _copy_text(
            self,
            route,
            {"route-hub-reference": "hub_reference", "route-team-manager": "team_manager"},
        )
        route.agreed_on = _read_date(
            self, "route-agreed-on", "The date the request was agreed", "route.agreed_on", errors
        )
        return errors


class CarerForm(Vertical):
    """One parent or carer; the fields are named by position ("carers.1.name")."""

    def __init__(self, carer: Carer, index: int) -> None:
        super().__init__(classes="carer")
        self.carer = carer
        self.index = index

    def compose(self) -> ComposeResult:
        carer = self.carer
        path = f"carers.{self.index}"
        # Remove sits by the card's heading (as GOV.UK's "add another" does), not
        # straight after its last question where a Tab then Enter would reach it.
        with Horizontal(classes="carer-top"):
            yield Static(f"Parent or carer {self.index + 1}", classes="subheading carer-heading")
            yield Button("Remove this parent or carer", classes="remove-carer", compact=True)
        with Question("Name", field=f"{path}.name"):
            yield ShortAnswer(carer.name, classes="carer-name")
        with Question("Relationship to the child", field=f"{path}.relationship"):
            yield Choice(
                [(r.label, r) for r in CarerRelationship],
                carer.relationship,
                classes="carer-relationship",
            )
        with Question(
            "Describe the relationship",
            field=f"{path}.relationship_other",
            classes="reveal carer-other",
        ):
            yield ShortAnswer(carer.relationship_other, classes="carer-relationship-other")
        with Question("Phone number", field=f"{path}.phone", optional=True):
            yield ShortAnswer(carer.phone, classes="carer-phone")
        with Question(
            "Do they live with the child?", field=f"{path}.lives_with_child", optional=True
        ):
            yield Choice(
                [("Yes", True), ("No", False)],
                carer.lives_with_child,
                classes="inline carer-lives",
            )

    def renumber(self, index: int) -> None:
        old = f"carers.{self.index}."
        self.index = index
        self.query_one(".carer-heading", Static).update(f"Parent or carer {index + 1}")
        for question in self.query(Question):
            question.field = f"carers.{index}." + question.field.removeprefix(old)

    def reveal(self) -> None:
        relationship = self.query_one(".carer-relationship", Choice).selected
        self.query_one(".carer-other").display = relationship is CarerRelationship.OTHER

    def read(self) -> Carer | None:
        """The carer as answered (keeping answers this form does not ask), or None if blank."""
        carer = self.carer.model_copy(
            update={
                "name": self.query_one(".carer-name", Input).value.strip(),
                "relationship": self.query_one(".carer-relationship", Choice).selected,
                "relationship_other": self.query_one(
                    ".carer-relationship-other", Input
                ).value.strip(),
                "phone": self.query_one(".carer-phone", Input).value.strip(),
                "lives_with_child": self.query_one(".carer-lives", Choice).selected,
            }
        )
        return None if is_blank(carer) else carer


class ChildFamilySection(SectionScreen):
    SECTION = Section.CHILD_FAMILY

    def questions(self) -> ComposeResult:
        child = self.request.child
        with Question("The child's full name", field="child.name"):
            yield _text(child.name, id="child-name")
        with Question("Date of birth", field="child.date_of_birth", hint="For example 3/12/2024"):
            yield DateInput(child.date_of_birth, id="child-dob")
        with Question("Gender", field="child.gender", optional=True):
            yield _text(child.gender, id="child-gender")
        with Question("Address", field="child.address", optional=True):
            yield _text(child.address, id="child-address")
        with Question("Postcode", field="child.postcode", optional=True):
            yield _text(child.postcode, id="child-postcode")
        with Question("Nursery, school or other setting", field="child.setting", optional=True):
            yield _text(child.setting, id="child-setting")
        with Question("First language", field="child.first_language", optional=True):
            yield _text(child.first_language, id="child-language")
        with Question(
            "Parents and carers",
            field="carers",
            hint="Add everyone who will take part in VIG with the child",
            id="carers",
        ):
            for index, carer in enumerate(self.request.carers or [Carer()]):
                yield CarerForm(carer, index)
            yield Button("Add another parent or carer", id="add-carer")

    def reveal(self) -> None:
        for form in self.query(CarerForm):
            form.reveal()

    def collect(self) -> list[FieldError]:
        errors: list[FieldError] = []
        child = self.request.child
        child.date_of_birth = _read_date(
            self, "child-dob", "Date of birth", "child.date_of_birth", errors
        )
        _copy_text(
            self,
            child,
            {
                "child-name": "name",
                "child-gender": "gender",
                "child-address": "address",
                "child-postcode": "postcode",
                "child-setting": "setting",
                "child-language": "first_language",
            },
        )
        carers = [form.read() for form in self.query(CarerForm)]
        self.request.carers = [c for c in carers if c is not None]
        return errors

    @on(Button.Pressed, "#add-carer")
    async def add_carer(self) -> None:
        forms = self.query(CarerForm)
        form = CarerForm(Carer(), len(forms))
        await self.query_one("#carers", Question).mount(form, before="#add-carer")
        form.reveal()
        form.query_one(".carer-name", Input).focus()
        form.scroll_visible()

    @on(Button.Pressed, ".remove-carer")
    async def remove_carer(self, event: Button.Pressed) -> None:
        form = next(a for a in event.button.ancestors if isinstance(a, CarerForm))
        forms = list(self.query(CarerForm))
        if len(forms) == 1:
            self.notify("A request needs at least one parent or carer.", timeout=3)
            return
        carer = form.read()
        if carer is None:
            await self._remove_form(form)
            return
        who = carer.name or f"parent or carer {form.index + 1}"

        async def answered(remove: bool | None) -> None:
            if remove:
                await self._remove_form(form)

        self.app.push_screen(
            ConfirmDialog(
                f"Remove {who}?",
                "Their answers on this page will be removed from the request.",
                confirm="Remove them",
                keep="Keep them",
            ),
            answered,
        )

    async def _remove_form(self, form: CarerForm) -> None:
        await form.remove()
        for index, remaining in enumerate(self.query(CarerForm)):
            remaining.renumber(index)
        self.query_one("#add-carer", Button).focus()
        self._answer_changed()


class CaseHolderSection(SectionScreen):
    SECTION = Section.CASE_HOLDER

    def questions(self) -> ComposeResult:
        holder = self.request.case_holder
        with Question(
            "Does the family have a case holder, lead professional or named health visitor?",
            field="case_holder.exists",
            hint="VIG workers are not case holders: the family must have one throughout the "
            "VIG work",
        ):
            yield yes_no(holder.exists, id="holder-exists")
        with Vertical(id="holder-details", classes="reveal"):
            with Question("Their name", field="case_holder.name"):
                yield _text(holder.name, id="holder-name")
            with Question("Their role", field="case_holder.role"):
                yield Choice([(r.label, r) for r in CaseHolderRole], holder.role, id="holder-role")
            with Question("Their team", field="case_holder.team", optional=True):
                yield _text(holder.team, id="holder-team")
            with Question(
                "Their phone number",
                field="case_holder.phone",
                hint="Give a phone number, an email address or both",
            ):
                yield _text(holder.phone, id="holder-phone")
            with Question("Their email address", field="case_holder.email"):
                yield _text(holder.email, id="holder-email")

    def reveal(self) -> None:
        exists = self.query_one("#holder-exists", Choice).selected
        self.query_one("#holder-details").display = exists is True

    def collect(self) -> list[FieldError]:
        holder = self.request.case_holder
        holder.exists = self.query_one("#holder-exists", Choice).selected
        holder.role = self.query_one("#holder-role", Choice).selected
        _copy_text(
            self,
            holder,
            {
                "holder-name": "name",
                "holder-team": "team",
                "holder-phone": "phone",
                "holder-email": "email",
            },
        )
        return []


class EvidenceSection(SectionScreen):
    SECTION = Section.EVIDENCE

    def questions(self) -> ComposeResult:
        checklist = checklist_for(self.request.checklist_version)
        with Question(
            "Which of these have you seen evidence of?",
            field="evidence",
            hint="Select all that apply (Space ticks), then give the evidence for each",
        ):
            for criterion in checklist.criteria:
                answer = self.request.criterion(criterion.id)
                yield Tick(criterion.title, answer.ticked, id=f"tick-{criterion.id.value}")
                with Vertical(id=f"reveal-{criterion.id.value}", classes="reveal nested"):
                    yield from self._criterion_questions(criterion)
        identified = field("difficulty_identified_on")
        with Question(identified.label, field=identified.path, hint=identified.hint, optional=True):
            yield MonthOrDateInput(
                self.request.difficulty_identified_on,
                month_only=self.request.difficulty_identified_month_only,
                id="difficulty-date",
            )
        in_pregnancy = field("difficulty_identified_in_pregnancy")
        with Question(
            "Was it identified before the child was born?",
            field=in_pregnancy.path,
            hint="Only then may the date be before the child's date of birth",
            optional=True,
        ):
            yield Tick(
                in_pregnancy.label,
                self.request.difficulty_identified_in_pregnancy,
                id="difficulty-in-pregnancy",
            )

    def _criterion_questions(self, criterion: Criterion) -> ComposeResult:
        answer = self.request.criterion(criterion.id)
        path = f"evidence.{criterion.id.value}"
        if criterion.id is CriterionId.OTHER_INTERVENTIONS:
            with Question(
                "Which programme or programmes?",
                field=f"{path}.programmes",
                hint="Select all that apply",
            ):
                for programme in Programme:
                    yield Tick(
                        programme.label,
                        programme in answer.programmes,
                        id=f"programme-{programme.value}",
                    )
            with Question(
                "Name of the other programme",
                field=f"{path}.other_programme",
                id="other-programme",
                classes="reveal",
            ):
                yield _text(answer.other_programme, id="other-programme-name")
        with Question("Evidence", field=f"{path}.evidence", hint=criterion.help):
            yield _long_text(answer.evidence, id=f"evidence-{criterion.id.value}")

    def _ticked(self) -> list[CriterionId]:
        return [c for c in CriterionId if self.query_one(f"#tick-{c.value}", Tick).value]

    def _programmes(self) -> list[Programme]:
        return [p for p in Programme if self.query_one(f"#programme-{p.value}", Tick).value]

    def reveal(self) -> None:
        ticked = self._ticked()
        for criterion in CriterionId:
            self.query_one(f"#reveal-{criterion.value}").display = criterion in ticked
        self.query_one("#other-programme").display = Programme.OTHER in self._programmes()

    def collect(self) -> list[FieldError]:
        errors: list[FieldError] = []
        ticked = self._ticked()
        evidence = dict(self.request.evidence)
        for criterion in CriterionId:
            answer = self.request.criterion(criterion).model_copy()
            answer.ticked = criterion in ticked
            answer.evidence = self.query_one(f"#evidence-{criterion.value}", TextArea).text
            if criterion is CriterionId.OTHER_INTERVENTIONS:
                answer.programmes = self._programmes()
                answer.other_programme = self.query_one("#other-programme-name", Input).value
            evidence[criterion] = answer
        self.request.evidence = evidence
        request = self.request
        try:
            identified, month_only = self.query_one("#difficulty-date", MonthOrDateInput).read(
                "The date the difficulty was identified"
            )
        except DateError as error:
            errors.append(FieldError("difficulty_identified_on", str(error)))
            identified, month_only = None, False
        request.difficulty_identified_on = identified
        request.difficulty_identified_month_only = month_only
        request.difficulty_identified_in_pregnancy = self.query_one(
            "#difficulty-in-pregnancy", Tick
        ).value
        return errors


class BeforeYouSendSection(SectionScreen):
    SECTION = Section.BEFORE_YOU_SEND

    def questions(self) -> ComposeResult:
        checklist = checklist_for(self.request.checklist_version)
        yield Static(
            "The VIG service asks you to consider these before making a request.",
            classes="lede",
        )
        for consideration in checklist.considerations:
            answer = self.request.answer(consideration.id)
            path = f"considerations.{consideration.id.value}"
            with Question(consideration.question, field=f"{path}.answer"):
                yield Choice(
                    [(a.label, a) for a in Answer],
                    answer.answer,
                    id=f"answer-{consideration.id.value}",
                    classes="inline",
                )
            with Question(
                "Explain your answer", field=f"{path}.explanation", hint=consideration.help
            ):
                yield _long_text(answer.explanation, id=f"explain-{consideration.id.value}")
        with Question(
            "Does the parent or carer agree to the request being made?", field="carer_agrees"
        ):
            yield yes_no(self.request.carer_agrees, id="carer-agrees")
        with Question("Does the family need an interpreter?", field="interpreter_needed"):
            yield yes_no(self.request.interpreter_needed, id="interpreter-needed")
        with Question(
            "Which language?", field="interpreter_language", id="interpreter", classes="reveal"
        ):
            yield _text(self.request.interpreter_language, id="interpreter-language")
        with Question(
            "Anything else the VIG service should know",
            field="notes",
            optional=True,
        ):
            yield _long_text(self.request.notes, id="notes")

    def reveal(self) -> None:
        needed = self.query_one("#interpreter-needed", Choice).selected
        self.query_one("#interpreter").display = needed is True

    def collect(self) -> list[FieldError]:
        considerations = dict(self.request.considerations)
        for consideration in ConsiderationId:
            answer = self.request.answer(consideration).model_copy()
            answer.answer = self.query_one(f"#answer-{consideration.value}", Choice).selected
            answer.explanation = self.query_one(f"#explain-{consideration.value}", TextArea).text
            considerations[consideration] = answer
        self.request.considerations = considerations
        self.request.carer_agrees = self.query_one("#carer-agrees", Choice).selected
        self.request.interpreter_needed = self.query_one("#interpreter-needed", Choice).selected
        self.request.interpreter_language = self.query_one("#interpreter-language", Input).value
        self.request.notes = self.query_one("#notes", TextArea).text
        return []


SECTION_SCREENS: dict[Section, type[SectionScreen]] = {
    screen.SECTION: screen
    for screen in (
        ReferrerSection,
        RouteSection,
        CaseHolderSection,
        ChildFamilySection,
        EvidenceSection,
        BeforeYouSendSection,
    )
}


def section_screen(section: Section, session: Session) -> SectionScreen:
    return SECTION_SCREENS[section](session)
