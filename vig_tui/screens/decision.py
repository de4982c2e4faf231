"""The allocation meeting's dialogs: one per kind of decision, plus a reason and a move.

Each decision dialog is a ``ModalScreen[Decision | None]``: it gathers the
answers into a :class:`~vig_tui.domain.models.Decision`, checks it with
:func:`~vig_tui.domain.decisions.decision_problems` (the same check that
guards saving) and shows each problem beside its field and in a summary at the
top, keeping what was typed. Escape dismisses ``None``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Generic, TypeVar

from pydantic import ValidationError
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static

from ..domain.dates import DateError, format_date, parse_date
from ..domain.decisions import decision_problems
from ..domain.models import (
    Decision,
    DecisionOutcome,
    HistoryEntry,
    MeetingMove,
    NotAcceptedReason,
    Practitioner,
    Priority,
    VigRequest,
)
from ..domain.text import field_problems, max_length_of
from ..domain.wording import caseload, plural, times
from ..widgets.answer import ShortAnswer
from ..widgets.date_input import DATE_MAX_LENGTH
from ..widgets.error_summary import ErrorSummary, FieldError, type_into
from ..widgets.footer import DIALOG_HELP, KeysFooter
from .confirm import ConfirmDialog

ResultType = TypeVar("ResultType")

_DIALOG_BINDINGS: list[BindingType] = [
    DIALOG_HELP,
    Binding("escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Close without saving"),
    Binding(
        "ctrl+s",
        "confirm",
        "Save",
        id="dialog.save",
        tooltip="Check the answers and save",
        priority=True,
    ),
]


class _Dialog(ModalScreen[ResultType | None], Generic[ResultType]):
    """A titled form with an error summary, fields with their errors, and buttons."""

    CSS_PATH = "decision.tcss"
    BINDINGS = _DIALOG_BINDINGS
    #: Words on the button that saves.
    CONFIRM = "Save"

    def __init__(self, title: str, lead: str = "") -> None:
        super().__init__()
        self._title = title
        self._lead = lead

    @property
    def HELP_TITLE(self) -> str:
        return self._title

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Label(self._title, classes="dialog-title")
            if self._lead:
                yield Static(self._lead, classes="dialog-lead", markup=False)
            yield ErrorSummary(id="error-summary")
            yield from self.fields()
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.CONFIRM, variant="primary", id="confirm")
                yield Button("Cancel", id="cancel")
        yield KeysFooter()

    def fields(self) -> ComposeResult:
        """The dialog's own fields, each made with :meth:`field`."""
        yield from ()

    @staticmethod
    def field(name: str, label: str, widget: Widget, hint: str = "") -> ComposeResult:
        """A label, an optional hint, the widget, and a place for its error."""
        widget.id = f"field-{name}"
        yield Label(label, classes="field-label")
        if hint:
            yield Static(hint, classes="field-hint", markup=False)
        yield Static("", id=f"error-{name}", classes="field-error")
        yield widget

    def on_mount(self) -> None:
        for widget in self.query(".dialog Input, .dialog Select").results():
            widget.focus()
            break

    def show_problems(self, problems: dict[str, str]) -> None:
        """Each problem beside its field and listed in the summary at the top."""
        for error in self.query(".field-error").results(Static):
            name = (error.id or "").removeprefix("error-")
            error.update(problems.get(name, ""))
            error.set_class(name in problems, "shown")
        self.query_one(ErrorSummary).show(
            [FieldError(name, message) for name, message in problems.items()]
        )

    @on(ErrorSummary.Selected)
    def _jump_to_field(self, event: ErrorSummary.Selected) -> None:
        target = self.query_one(f"#field-{event.error.field}")
        target.focus()
        type_into(target, event.typed)

    def result(self) -> tuple[ResultType | None, dict[str, str]]:
        """The answers as a result, or the problems keyed by field name."""
        raise NotImplementedError

    def action_confirm(self) -> None:
        value, problems = self.result()
        self.show_problems(problems)
        if not problems:
            self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#confirm")
    def _confirm_pressed(self) -> None:
        self.action_confirm()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _enter_in_field(self) -> None:
        """Enter in a text box moves on to the next field, and saves from the last."""
        inputs = list(self.query(".dialog Input").results(Input))
        if inputs and self.focused is inputs[-1]:
            self.action_confirm()
        else:
            self.focus_next()

    def text(self, name: str) -> str:
        return self.query_one(f"#field-{name}", Input).value.strip()

    def choice(self, name: str) -> Any:
        value = self.query_one(f"#field-{name}", Select).value
        return None if value == Select.NULL else value


def _about(request: VigRequest, meeting: date) -> str:
    child = request.child.initials or "child not named"
    return f"{request.reference or 'Draft'} ({child}), meeting on {format_date(meeting)}"


class _DecisionDialog(_Dialog[Decision]):
    CONFIRM = "Record decision"
    OUTCOME: DecisionOutcome

    def __init__(self, request: VigRequest, meeting: date, lead: str = "") -> None:
        about = _about(request, meeting)
        super().__init__(self.OUTCOME.label, f"{about}\n{lead}" if lead else about)
        self.request = request
        self.meeting = meeting

    @property
    def HELP_TITLE(self) -> str:
        return f"Record the decision: {self.OUTCOME.label.lower()}"

    @staticmethod
    def answer(name: str, placeholder: str = "") -> ShortAnswer:
        """A text box for the decision's ``name`` answer, holding what the model allows."""
        return ShortAnswer(placeholder=placeholder, max_length=max_length_of(Decision, name))

    def keep(self, answers: Decision) -> _DecisionDialog:
        """Open with ``answers`` filled in (a decision whose save failed is not typed again)."""
        self._kept = answers
        return self

    _kept: Decision | None = None

    @on(events.Mount)
    def _fill_kept(self) -> None:
        kept = self._kept
        if kept is None:
            return
        for text_box in self.query(".dialog Input").results(Input):
            text = getattr(kept, (text_box.id or "").removeprefix("field-"), None)
            if isinstance(text, str):
                text_box.value = text
        for select in self.query(".dialog Select").results(Select):
            chosen = getattr(kept, (select.id or "").removeprefix("field-"), None)
            if chosen is not None:
                select.value = chosen

    def decision(self) -> Decision:
        raise NotImplementedError

    def result(self) -> tuple[Decision | None, dict[str, str]]:
        try:
            decision = self.decision()
        except ValidationError as error:
            return None, field_problems(error)
        problems = decision_problems(decision)
        return (None if problems else decision), problems


class AllocateDialog(_DecisionDialog):
    """Allocated: choose the VIG practitioner and the final priority."""

    OUTCOME = DecisionOutcome.ALLOCATED

    def __init__(
        self,
        request: VigRequest,
        meeting: date,
        roster: list[tuple[Practitioner, int]],
        suggested: Priority | None = None,
    ) -> None:
        """``roster``: the active practitioners, each with their current caseload."""
        super().__init__(request, meeting)
        self.roster = {practitioner.id: practitioner for practitioner, _ in roster}
        self.loads = {practitioner.id: load for practitioner, load in roster}
        self.options = [
            (_practitioner_option(practitioner, load), practitioner.id)
            for practitioner, load in roster
        ]
        self.suggested = suggested

    def fields(self) -> ComposeResult:
        yield from self.field(
            "practitioner_id",
            "VIG practitioner",
            Select(self.options, prompt="Choose a practitioner"),
            "Each shows their allocated families and how many they can take",
        )
        priority_hint = f"Suggested: {self.suggested.label}" if self.suggested else "No suggestion"
        yield from self.field(
            "priority",
            "Priority",
            Select(
                [(p.label, p) for p in Priority],
                prompt="Choose the priority",
                value=self.suggested if self.suggested else Select.NULL,
            ),
            priority_hint,
        )
        yield from self.field("note", "Note (optional)", self.answer("note"))

    def decision(self) -> Decision:
        chosen = self.roster.get(self.choice("practitioner_id"))
        return Decision(
            meeting=self.meeting,
            outcome=self.OUTCOME,
            practitioner_id=chosen.id if chosen else None,
            practitioner_name=chosen.name if chosen else "",
            priority=self.choice("priority"),
            note=self.text("note"),
        )

    def action_confirm(self) -> None:
        """Allocating to someone already full is allowed, but only when asked twice."""
        value, problems = self.result()
        self.show_problems(problems)
        if problems or value is None:
            return
        chosen = self.roster.get(value.practitioner_id) if value.practitioner_id else None
        load = self.loads.get(chosen.id, 0) if chosen else 0
        if chosen is None or load < chosen.capacity:
            self.dismiss(value)
            return

        def answered(go_ahead: bool | None) -> None:
            if go_ahead:
                self.dismiss(value)

        self.app.push_screen(
            ConfirmDialog(
                f"{chosen.name} is {'over capacity' if load > chosen.capacity else 'full'}",
                f"They are working with {plural(load, 'family', 'families')} and can take "
                f"{chosen.capacity}. Allocating this request takes them over what they can "
                "take. Allocate it to them anyway, or choose someone with room?",
                confirm="Allocate anyway",
                keep="Choose someone else",
            ),
            answered,
        )


def _practitioner_option(practitioner: Practitioner, load: int) -> str:
    return f"{practitioner.name}: {caseload(load, practitioner.capacity)}"


class NotAcceptedDialog(_DecisionDialog):
    """Not accepted: the reason from the service's list and a note for the referrer."""

    OUTCOME = DecisionOutcome.NOT_ACCEPTED

    def fields(self) -> ComposeResult:
        yield from self.field(
            "not_accepted_reason",
            "Why was it not accepted?",
            Select([(r.label, r) for r in NotAcceptedReason], prompt="Choose a reason"),
        )
        yield from self.field(
            "note",
            "Note for the referrer",
            self.answer("note"),
            "What the referrer should know, and what they could do instead",
        )

    def decision(self) -> Decision:
        return Decision(
            meeting=self.meeting,
            outcome=self.OUTCOME,
            not_accepted_reason=self.choice("not_accepted_reason"),
            note=self.text("note"),
        )


class DeferDialog(_DecisionDialog):
    """Deferred: why; the request goes to the following meeting."""

    OUTCOME = DecisionOutcome.DEFERRED

    def __init__(self, request: VigRequest, meeting: date, following: date) -> None:
        super().__init__(
            request, meeting, f"It will be considered again on {format_date(following)}."
        )

    @property
    def warning(self) -> str:
        """Said when the request has been deferred before: deferring again is a choice."""
        earlier = [
            d.meeting
            for d in self.request.decisions
            if d.outcome is DecisionOutcome.DEFERRED and d.meeting < self.meeting
        ]
        if not earlier:
            return ""
        when = ", ".join(format_date(day) for day in earlier)
        return (
            f"Already deferred {times(len(earlier))} (at the "
            f"{'meeting' if len(earlier) == 1 else 'meetings'} on {when}). "
            "Deferring it again keeps the family waiting another month."
        )

    def fields(self) -> ComposeResult:
        if warning := self.warning:
            yield Static(warning, id="defer-warning", classes="field-warning", markup=False)
        yield from self.field("reason", "Why is it deferred?", self.answer("reason"))

    def decision(self) -> Decision:
        return Decision(meeting=self.meeting, outcome=self.OUTCOME, reason=self.text("reason"))


class MoreInformationDialog(_DecisionDialog):
    """More information needed: what, and from whom; it goes to the following meeting."""

    OUTCOME = DecisionOutcome.MORE_INFORMATION

    def __init__(self, request: VigRequest, meeting: date, following: date) -> None:
        super().__init__(
            request,
            meeting,
            f"It stays submitted and will be considered again on {format_date(following)}.",
        )

    def fields(self) -> ComposeResult:
        yield from self.field(
            "information_needed", "What information is needed?", self.answer("information_needed")
        )
        referrer = self.request.referrer.name
        yield from self.field(
            "information_from",
            "Who is it needed from?",
            self.answer(
                "information_from",
                placeholder=f"For example {referrer}, the referrer" if referrer else "",
            ),
        )

    def decision(self) -> Decision:
        return Decision(
            meeting=self.meeting,
            outcome=self.OUTCOME,
            information_needed=self.text("information_needed"),
            information_from=self.text("information_from"),
        )


class ReasonDialog(_Dialog[str]):
    """Ask for a reason (withdrawing or closing a request)."""

    def __init__(
        self, title: str, lead: str, label: str, *, confirm: str, required: str = ""
    ) -> None:
        """``required``: the message when no reason is given; empty when optional."""
        super().__init__(title, lead)
        self.CONFIRM = confirm
        self._label = label
        self._required = required

    def fields(self) -> ComposeResult:
        suffix = "" if self._required else " (optional)"
        yield from self.field(
            "reason",
            self._label + suffix,
            ShortAnswer(max_length=max_length_of(HistoryEntry, "reason")),
        )

    def result(self) -> tuple[str | None, dict[str, str]]:
        reason = self.text("reason")
        if self._required and not reason:
            return None, {"reason": self._required}
        return reason, {}


class MoveMeetingDialog(_Dialog[tuple[date, str]]):
    """Move one month's meeting to another day, with the reason."""

    def __init__(self, scheduled: date, current: date, proposed: date | None) -> None:
        lead = f"Usually held on {format_date(scheduled)}"
        if current != scheduled:
            lead += f"; now on {format_date(current)}"
        super().__init__("Move the meeting", lead + ".")
        self.CONFIRM = "Move meeting"
        self._suggested = proposed or current

    def fields(self) -> ComposeResult:
        yield from self.field(
            "moved_to",
            "New date",
            ShortAnswer(f"{self._suggested:%d/%m/%Y}", max_length=DATE_MAX_LENGTH),
            "For example 4/12/2026 or 4 Dec 2026",
        )
        yield from self.field(
            "reason",
            "Why is it moving?",
            ShortAnswer(max_length=max_length_of(MeetingMove, "reason")),
        )

    def result(self) -> tuple[tuple[date, str] | None, dict[str, str]]:
        problems: dict[str, str] = {}
        moved_to = None
        try:
            moved_to = parse_date(self.text("moved_to"), label="The new date")
        except DateError as error:
            problems["moved_to"] = str(error)
        reason = self.text("reason")
        if not reason:
            problems["reason"] = "Enter why the meeting is moving"
        if problems or moved_to is None:
            return None, problems
        return (moved_to, reason), {}
