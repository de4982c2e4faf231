"""The six section pages of a request, generated from the question definitions.

Every question's words, hint, kind, options and limit come from
:mod:`vig_tui.domain.fields` (forms as data); a page decides only layout:
which questions sit together (a carer's form, what a ticked criterion
reveals). Each question widget is given its definition and the answer's path
when it is made, so reading the answers back (``collect``), showing the
questions that depend on other answers (``reveal``) and putting errors beside
answers never parse a widget id. Checking is the rules' job (see
:mod:`vig_tui.screens.section`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Input, Static, TextArea

from ..domain.dates import DateError
from ..domain.fields import (
    Field,
    Kind,
    When,
    answer_at,
    children,
    is_blank,
    item_label,
    section_fields,
    set_answer,
    shown,
    top_level,
)
from ..domain.models import Carer
from ..domain.rules import Section
from ..profile import as_case_holder
from ..widgets.answer import LongAnswer, ShortAnswer
from ..widgets.choice import Choice
from ..widgets.date_input import DateInput, MonthOrDateInput
from ..widgets.error_summary import FieldError
from ..widgets.question import Question
from ..widgets.tick import Tick
from .confirm import ConfirmDialog
from .section import SectionScreen, Session

#: Choices whose options all fit on one line are laid out side by side.
_INLINE_LABELS = 12


def widget_id(path: str) -> str:
    """The id of a question's answer widget: "child.date_of_birth" -> "child-date-of-birth"."""
    return path.replace(".", "-").replace("_", "-")


def _answer_widgets(
    definition: Field, value: Any, *, id: str | None, classes: str, month_only: bool = False
) -> list[Widget]:
    """The widget(s) that answer one question, holding ``value`` (``month_only``: a MONTH
    question's answer was only a month)."""
    kind = definition.kind
    if kind is Kind.SHORT_TEXT:
        limit = definition.max_length or 0
        return [ShortAnswer(value or "", id=id, classes=classes, max_length=limit)]
    if kind is Kind.LONG_TEXT:
        return [
            LongAnswer(
                value or "",
                id=id,
                classes=f"long-answer {classes}",
                max_length=definition.max_length,
            )
        ]
    if kind is Kind.DATE:
        return [DateInput(value, id=id)]
    if kind is Kind.MONTH:
        return [MonthOrDateInput(value, month_only=month_only, id=id)]
    if kind in (Kind.CHOICE, Kind.YES_NO):
        options = definition.choices
        inline = all(len(label) <= _INLINE_LABELS for label, _ in options) and len(options) <= 3
        return [Choice(options, value, id=id, classes=f"inline {classes}" if inline else classes)]
    if kind is Kind.TICK:
        return [Tick(definition.label, bool(value), id=id)]
    if kind is Kind.TICKS:
        chosen = value or []
        return [Tick(label, option in chosen) for label, option in definition.choices]
    raise ValueError(f"{definition.path} ({kind}) is not answered by one widget")


class Asked(Question):
    """A question made from its definition: it knows its answer's path and reads the answer."""

    def __init__(self, definition: Field, path: str, *, classes: str = "") -> None:
        reveal = "reveal" if definition.when is not None else ""
        super().__init__(
            "" if definition.kind is Kind.TICK else definition.label,
            field=path,
            hint="" if definition.kind is Kind.TICK else definition.hint,
            optional=definition.optional,
            classes=f"{reveal} {classes}".strip() or None,
        )
        #: The question's one definition (words, kind, limits).
        self.definition = definition
        if definition.kind is Kind.TICK:
            self.add_class("tick-question")

    def read(self) -> Any:
        """The answer as given; a date that cannot be read raises DateError saying why.

        A MONTH question's answer is (the date, whether only the month was given)."""
        definition = self.definition
        kind = definition.kind
        if kind is Kind.DATE:
            return self.query_one(DateInput).read(definition.error_name or definition.label)
        if kind is Kind.MONTH:
            return self.query_one(MonthOrDateInput).read(definition.error_name or definition.label)
        if kind is Kind.SHORT_TEXT:
            return self.query_one(Input).value
        if kind is Kind.LONG_TEXT:
            return self.query_one(TextArea).text
        if kind in (Kind.CHOICE, Kind.YES_NO):
            return self.query_one(Choice).selected
        if kind is Kind.TICK:
            return self.query_one(Tick).value
        ticks = zip(self.query(Tick), definition.choices, strict=True)
        return [value for tick, (_, value) in ticks if tick.value]

    def current(self) -> Any:
        """The answer as it stands, for deciding what else to show (an unreadable date is None)."""
        try:
            value = self.read()
        except DateError:
            return None
        return value[0] if self.definition.kind is Kind.MONTH else value


class Revealed(Vertical):
    """Questions shown together when another answer has a value (a criterion's, once ticked)."""

    def __init__(self, when: When, *, classes: str) -> None:
        super().__init__(classes=classes)
        self.when = when


def ask(
    definition: Field, path: str, value: Any, *, named: bool = True, month_only: bool = False
) -> ComposeResult:
    """One question and its answer widget(s); ``named`` gives the answer an id from its path."""
    item_class = f"carer-{widget_id(path.rpartition('.')[2])}" if not named else ""
    with Asked(definition, path):
        yield from _answer_widgets(
            definition,
            value,
            id=widget_id(path) if named else None,
            classes=item_class,
            month_only=month_only,
        )


class CarerForm(Vertical):
    """One parent or carer; their answers are named by the carer's id ("carers.<id>.name")."""

    def __init__(self, carers: Field, carer: Carer, index: int) -> None:
        super().__init__(classes="carer")
        self.carers = carers
        self.carer = carer
        self.index = index

    def compose(self) -> ComposeResult:
        # Remove sits by the card's heading (as GOV.UK's "add another" does), not
        # straight after its last question where a Tab then Enter would reach it.
        with Horizontal(classes="carer-top"):
            yield Static(
                item_label(self.carers, self.index),
                classes="subheading carer-heading",
                markup=False,
            )
            yield Button(
                f"Remove this {self.carers.item.lower()}", classes="remove-carer", compact=True
            )
        for definition in children(self.carers):
            value = getattr(self.carer, definition.path.rpartition(".")[2])
            yield from ask(definition, definition.at(self.carer.id), value, named=False)

    def renumber(self, index: int) -> None:
        self.index = index
        self.query_one(".carer-heading", Static).update(item_label(self.carers, index))

    def read(self) -> Carer | None:
        """The carer as answered (keeping answers this form does not ask), or None if blank."""
        update: dict[str, Any] = {}
        for question in self.query(Asked):
            value = question.read()
            name = question.definition.path.rpartition(".")[2]
            text = question.definition.kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT)
            update[name] = value.strip() if text else value
        # Validated (model_copy would not be): a carer is held to the model's limits too.
        carer = Carer.model_validate(self.carer.model_dump() | update)
        return None if is_blank(carer) else carer


class FormSection(SectionScreen):
    """A section page whose questions are those :mod:`vig_tui.domain.fields` gives it."""

    #: A sentence under the heading, before the questions.
    LEDE: ClassVar[str] = ""

    def _form(self) -> list[Field]:
        return section_fields(self.SECTION, self.request.checklist_version)

    def questions(self) -> ComposeResult:
        if self.LEDE:
            yield Static(self.LEDE, classes="lede")
        for definition in top_level(self._form()):
            if definition.kind is Kind.LIST:
                yield from self._list(definition)
            elif definition.kind is Kind.GROUP:
                yield from self._group(definition)
            else:
                value = answer_at(self.request, definition.path)
                month_only = bool(
                    definition.month_only and answer_at(self.request, definition.month_only)
                )
                yield from ask(definition, definition.path, value, month_only=month_only)

    def _list(self, carers: Field) -> ComposeResult:
        with Question(carers.label, field=carers.path, hint=carers.hint, id="carers"):
            for index, carer in enumerate(self.request.carers or [Carer()]):
                yield CarerForm(carers, carer, index)
            yield Button(f"Add another {carers.item.lower()}", id="add-carer")

    def _group(self, group: Field) -> ComposeResult:
        """A heading question; each of its ticks reveals the questions that follow it."""
        with Question(group.label, field=group.path, hint=group.hint):
            members = children(group)
            for tick in (f for f in members if f.kind is Kind.TICK):
                yield from ask(tick, tick.path, answer_at(self.request, tick.path))
                revealed = [f for f in members if f.parent == tick.parent and f is not tick]
                with Revealed(When(tick.path, True), classes="reveal nested"):
                    for definition in revealed:
                        value = answer_at(self.request, definition.path)
                        yield from ask(definition, definition.path, value)

    def _asked(self) -> dict[str, Asked]:
        return {question.field: question for question in self.query(Asked)}

    def reveal(self) -> None:
        asked = self._asked()

        def read(path: str) -> Any:
            question = asked.get(path)
            return question.current() if question else answer_at(self.request, path)

        for question in asked.values():
            if question.definition.when is not None:
                question.display = shown(question.definition, read, question.field)
        for group in self.query(Revealed):
            group.display = group.when.holds(read(group.when.path))

    def collect(self) -> list[FieldError]:
        """Copy the answers into the request; an answer typed in a form the request
        cannot hold (a date that is not a real date) is returned as an error."""
        errors: list[FieldError] = []
        for question in self.query(Asked):
            if question.definition.in_list:
                continue  # read with the rest of their carer's answers
            definition = question.definition
            try:
                value = question.read()
            except DateError as error:
                # What was typed cannot be held: the answer keeps its last good value
                # (never emptied by a typo) and the page says what is wrong.
                errors.append(FieldError(question.field, str(error)))
                continue
            if definition.kind is Kind.MONTH:
                value, month_only = value
                set_answer(self.request, definition.month_only, month_only)
            set_answer(self.request, question.field, value)
        forms = list(self.query(CarerForm))
        if forms:
            read = (form.read() for form in forms)
            self.request.carers = [carer for carer in read if carer is not None]
        return errors

    def _focus_first(self, questions: Iterable[Asked]) -> None:
        first = next(iter(questions), None)
        if first is not None:
            first.focus_control()


class ReferrerSection(FormSection):
    SECTION = Section.REFERRER


class RouteSection(FormSection):
    SECTION = Section.ROUTE


class ChildFamilySection(FormSection):
    SECTION = Section.CHILD_FAMILY

    @on(Button.Pressed, "#add-carer")
    async def add_carer(self) -> None:
        carers = self.query_one("#carers", Question)
        forms = self.query(CarerForm)
        form = CarerForm(forms.first().carers, Carer(), len(forms))
        await carers.mount(form, before="#add-carer")
        self.reveal()
        self._focus_first(form.query(Asked))

    @on(Button.Pressed, ".remove-carer")
    async def remove_carer(self, event: Button.Pressed) -> None:
        form = next(a for a in event.button.ancestors if isinstance(a, CarerForm))
        if len(self.query(CarerForm)) == 1:
            self.notify(f"A request needs at least one {form.carers.item.lower()}.", timeout=3)
            return
        carer = form.read()
        if carer is None:
            await self._remove_form(form)
            return
        who = carer.name or item_label(form.carers, form.index).lower()

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


class CaseHolderSection(FormSection):
    """Who holds the case; a named health visitor may answer "The case holder is me"."""

    SECTION = Section.CASE_HOLDER

    def questions(self) -> ComposeResult:
        profile = self.vig.preferences.profile
        if profile is not None and profile.may_hold_cases and not self.session.correcting:
            with Horizontal(classes="case-holder-me"):
                yield Static(
                    f"Are you the family's named health visitor, {profile.name}?",
                    classes="lede",
                    markup=False,
                )
                yield Button("The case holder is me", id="case-holder-is-me", compact=True)
        yield from super().questions()

    @on(Button.Pressed, "#case-holder-is-me")
    async def case_holder_is_me(self) -> None:
        """Fill the case holder from the profile (the other answers on the page kept)."""
        profile = self.vig.preferences.profile
        if profile is None or not profile.may_hold_cases:
            return
        self.collect()
        self.request.case_holder = as_case_holder(profile)
        await self.recompose()
        self.reveal()
        self._answer_changed()
        self._focus_first(q for q in self.query(Asked) if q.field == "case_holder.name")
        self.notify("You are the case holder: check your details below.", timeout=4)


class EvidenceSection(FormSection):
    SECTION = Section.EVIDENCE


class BeforeYouSendSection(FormSection):
    SECTION = Section.BEFORE_YOU_SEND
    LEDE = "The VIG service asks you to consider these before making a request."


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
