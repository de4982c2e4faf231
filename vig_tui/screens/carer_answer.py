"""A whole parent or carer written anew, to settle a conflict over them in the Inbox.

When one side removed a parent or carer and the other changed them (or, without a
copy both started from, the two sides hold them differently), the coordinator may
write them as they should be: the walkthrough's own carer card
(:class:`~vig_tui.screens.sections.CarerForm`), filled from one side's answer, checked
on Save as the walkthrough checks it (the rules' words beside each answer and in a
summary at the top, nothing typed ever cleared). Dismisses with the carer, or None.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, RadioSet, Static

from ..domain.fields import field, shown
from ..domain.models import Carer, VigRequest
from ..domain.receiving import carer_problems
from ..widgets.error_summary import ErrorSummary, FieldError, type_into
from ..widgets.footer import KeysFooter
from ..widgets.question import Question
from .base import VigModal
from .sections import Asked, CarerForm


class _CarerCard(CarerForm, inherit_bindings=False):
    """The walkthrough's card without its Remove key: leaving a parent or carer out is
    keeping the side without them."""


class CarerAnswer(VigModal[Carer | None]):
    """The carer card, filled from one side; Save checks it and dismisses with the carer."""

    CSS_PATH = "inbox.tcss"
    HELP_TITLE = "Write the parent or carer"
    AUTO_FOCUS = "Question *"
    BINDINGS: ClassVar[list[BindingType]] = [
        *VigModal.BINDINGS,
        Binding(
            "escape",
            "cancel",
            "Back",
            id="inbox.carer.back",
            tooltip="Back to both sides; nothing is changed",
        ),
        Binding(
            "ctrl+s",
            "save",
            "Save",
            id="inbox.carer.save",
            tooltip="Check this parent or carer and save them",
            priority=True,
        ),
    ]

    def __init__(
        self, request: VigRequest, carer: Carer, *, title: str, source: str, sides: str
    ) -> None:
        """``carer`` is the side the card starts from; ``source`` says whose it is;
        ``sides`` is both sides' answers, as a person reads them."""
        # The question pages' class: text boxes look and measure as they do there.
        super().__init__(classes="section-page carer-answer")
        self.request = request
        self.carer = carer
        self._title = title
        self._source = source
        self._sides = sides

    def compose(self) -> ComposeResult:
        carers = field("carers", self.request.checklist_version)
        ids = [c.id for c in self.request.carers]
        index = ids.index(self.carer.id) if self.carer.id in ids else len(ids)
        with VerticalScroll(classes="dialog"):
            yield Label(self._title, classes="dialog-title", markup=False)
            yield Static(
                f"Write this parent or carer as they should be. The answers start as "
                f"{self._source}; the history will keep both sides' answers and this one.",
                classes="dialog-lead",
                markup=False,
            )
            yield Static(self._sides, classes="field-hint", markup=False)
            yield ErrorSummary()
            yield _CarerCard(carers, self.carer, index)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save this parent or carer", id="carer-save", variant="primary")
                yield Button("Back", id="carer-back")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._reveal()

    # The "Describe the relationship" question, shown when "Other" is chosen.

    @on(RadioSet.Changed)
    def _reveal(self) -> None:
        asked = {question.field: question for question in self.query(Asked)}

        def read(path: str) -> Any:
            question = asked.get(path)
            return question.current() if question else None

        for question in asked.values():
            if question.definition.when is not None:
                question.display = shown(question.definition, read, question.field)

    @on(CarerForm.RemoveAsked)
    def _remove_asked(self, event: CarerForm.RemoveAsked) -> None:
        event.stop()
        self.notify(
            "To leave them out, go back and keep the side without them.",
            title="Nothing removed",
            timeout=5,
        )

    # Saving

    @on(Button.Pressed, "#carer-save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        form = self.query_one(CarerForm)
        try:
            carer = form.read() or Carer(id=self.carer.id)
        except ValidationError as error:
            self._show(
                [
                    FieldError(
                        f"carers.{self.carer.id}.{problem['loc'][0]}" if problem["loc"] else None,
                        problem["msg"],
                    )
                    for problem in error.errors(include_url=False)
                ]
            )
            return
        problems = carer_problems(self.request, carer, self.vig.today)
        if problems:
            self._show([FieldError(f.field, f.message) for f in problems])
            return
        self.dismiss(carer)

    def _show(self, errors: list[FieldError]) -> None:
        for question in self.query(Question):
            question.set_error(None)
        for error in errors:
            target = self._question_for(error.field)
            if target is not None and not target.has_class("-error"):
                target.set_error(error.message)
        self.query_one(ErrorSummary).show(errors)

    def _question_for(self, path: str | None) -> Question | None:
        return next((q for q in self.query(Asked) if q.field == path), None)

    @on(ErrorSummary.Selected)
    def _focus_error(self, event: ErrorSummary.Selected) -> None:
        question = self._question_for(event.error.field)
        if question is not None:
            question.focus_control()
            type_into(question.control, event.typed)

    @on(Button.Pressed, "#carer-back")
    def action_cancel(self) -> None:
        self.dismiss(None)
