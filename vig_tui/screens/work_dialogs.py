"""The dialogs of the consent and work pages: one per step, each checked before it closes.

Each gathers its answers, builds the model, and runs the same pure step from
:mod:`vig_tui.domain.work` the service will run, so a date in the future, work
started without consent to filming or a missing note is shown beside its field
(and in the summary at the top) while the answers stay. Escape dismisses ``None``.
Each takes the answers it returned (``kept``), so a save that fails reopens it
holding them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.widgets import Select

from ..domain import work
from ..domain.dates import DateError, format_date
from ..domain.models import (
    ClosureReason,
    ConsentMethod,
    ConsentRecord,
    ConsentTopic,
    VigCycle,
    VigRequest,
    Work,
)
from ..domain.text import field_problems, max_length_of
from ..widgets.answer import LongAnswer, ShortAnswer
from ..widgets.date_input import DateInput
from .decision import _Dialog

_CSS = ["decision.tcss", "work.tcss"]


def _problem(error: work.WorkError, fallback: str) -> dict[str, str]:
    return {error.field or fallback: str(error)}


class _StepDialog(_Dialog[Any]):
    CSS_PATH = _CSS  # type: ignore[assignment]  # both files: the dialogs, and text areas

    def date(self, name: str, label: str, problems: dict[str, str], *, needed: str) -> date | None:
        """The date in box ``name``; a problem under ``name`` if it is missing or not a date."""
        try:
            day = self.query_one(f"#field-{name}", DateInput).read(label)
        except DateError as error:
            problems[name] = str(error)
            return None
        if day is None and needed:
            problems[name] = needed
        return day

    def long_text(self, name: str) -> str:
        return self.query_one(f"#field-{name}", LongAnswer).text.strip()


# Consent ------------------------------------------------------------------------------


class ConsentDialog(_StepDialog):
    """One topic's consent given or refused: when, who asked, how (and for clips, how long)."""

    CONFIRM = "Save consent"

    def __init__(
        self,
        request: VigRequest,
        topic: ConsentTopic,
        *,
        today: date,
        obtained_by: str = "",
        kept: ConsentRecord | None = None,
    ) -> None:
        super().__init__(f"Consent: {topic.label}", _about(request))
        self.request = request
        self.topic = topic
        self.today = today
        self.kept = kept
        self.obtained_by = kept.obtained_by if kept else obtained_by

    def fields(self) -> ComposeResult:
        kept = self.kept
        yield from self.field(
            "given",
            "Did the parent or carer agree?",
            Select(
                [("Yes, consent given", True), ("No, consent refused", False)],
                prompt="Choose an answer",
                value=kept.given if kept else Select.NULL,
            ),
        )
        yield from self.field(
            "on",
            "Date they answered",
            DateInput(kept.on if kept else self.today),
            "For example 3/12/2026 or 3 Dec 2026",
        )
        yield from self.field(
            "obtained_by",
            "Who asked them",
            ShortAnswer(self.obtained_by, max_length=max_length_of(ConsentRecord, "obtained_by")),
        )
        yield from self.field(
            "how",
            "How was it given?",
            Select(
                [(m.label, m) for m in ConsentMethod],
                prompt="Choose verbal or written",
                value=kept.how if kept else Select.NULL,
            ),
        )
        if self.topic is ConsentTopic.KEEPING_CLIPS:
            months = kept.keep_clips_months if kept and kept.keep_clips_months else ""
            yield from self.field(
                "keep_clips_months",
                "How many months may the clips be kept?",
                ShortAnswer(str(months), max_length=3, restrict=r"\d*"),
                "A whole number of months, 1 to 240 (needed when consent is given)",
            )
        yield from self.field(
            "note",
            "Note (optional)",
            ShortAnswer(kept.note if kept else "", max_length=max_length_of(ConsentRecord, "note")),
        )

    def result(self) -> tuple[ConsentRecord | None, dict[str, str]]:
        problems: dict[str, str] = {}
        given = self.choice("given")
        if given is None:
            problems["given"] = "Choose whether the parent or carer agreed"
        on = self.date("on", "The date they answered", problems, needed="Enter the date")
        how = self.choice("how")
        if how is None:
            problems["how"] = "Choose how consent was given: verbal or written"
        months: int | None = None
        if self.topic is ConsentTopic.KEEPING_CLIPS and self.text("keep_clips_months"):
            months = int(self.text("keep_clips_months"))
            if not 1 <= months <= 240:
                problems["keep_clips_months"] = "Enter a number of months from 1 to 240"
        if problems or on is None:
            return None, problems
        try:
            record = ConsentRecord(
                topic=self.topic,
                given=bool(given),
                on=on,
                obtained_by=self.text("obtained_by"),
                how=how,
                keep_clips_months=months,
                note=self.text("note"),
            )
            work.record_consent(self.request, record, today=self.today)
        except ValidationError as error:
            return None, field_problems(error)
        except work.WorkError as error:
            return None, _problem(error, "given")
        return record, {}


class WithdrawConsentDialog(_StepDialog):
    """The date the parent or carer withdrew a consent they gave."""

    CONFIRM = "Record withdrawal"

    def __init__(
        self, request: VigRequest, topic: ConsentTopic, *, today: date, kept: date | None = None
    ) -> None:
        super().__init__(
            f"Withdraw consent: {topic.label}",
            f"{_about(request)}\nThe record of the consent stays; the withdrawal is added.",
        )
        self.request = request
        self.topic = topic
        self.today = today
        self.kept = kept

    def fields(self) -> ComposeResult:
        yield from self.field(
            "on",
            "Date consent was withdrawn",
            DateInput(self.kept or self.today),
            "For example 3/12/2026 or 3 Dec 2026",
        )

    def result(self) -> tuple[date | None, dict[str, str]]:
        problems: dict[str, str] = {}
        on = self.date("on", "The date consent was withdrawn", problems, needed="Enter the date")
        if problems or on is None:
            return None, problems
        try:
            work.withdraw_consent(self.request, self.topic, on, today=self.today)
        except work.WorkError as error:
            return None, _problem(error, "on")
        return on, {}


# Work -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkStart:
    on: date
    helping_questions: list[str]


class StartWorkDialog(_StepDialog):
    """The start date and the family's helping questions (status becomes In progress)."""

    CONFIRM = "Start work"

    def __init__(self, request: VigRequest, *, today: date, kept: WorkStart | None = None) -> None:
        super().__init__("Start the work", _about(request))
        self.request = request
        self.today = today
        self.kept = kept

    def fields(self) -> ComposeResult:
        kept = self.kept
        yield from self.field(
            "on",
            "Start date",
            DateInput(kept.on if kept else self.today),
            "For example 3/12/2026 or 3 Dec 2026",
        )
        yield from _questions_field(self, kept.helping_questions if kept else [])

    def result(self) -> tuple[WorkStart | None, dict[str, str]]:
        problems: dict[str, str] = {}
        on = self.date("on", "The start date", problems, needed="Enter the start date")
        if problems or on is None:
            return None, problems
        questions = self.long_text("helping_questions").splitlines()
        try:
            work.start_work(self.request, on, questions, today=self.today)
        except work.WorkError as error:
            return None, _problem(error, "on")
        return WorkStart(on, [q.strip() for q in questions if q.strip()]), {}


def _questions_field(dialog: _StepDialog, questions: list[str]) -> ComposeResult:
    box = LongAnswer("\n".join(questions), max_length=max_length_of(Work, "outcome_note"))
    return dialog.field(
        "helping_questions",
        "The family's helping questions",
        box,
        "One a line, in the family's words: what they want to be different",
    )


class HelpingQuestionsDialog(_StepDialog):
    """Change the family's helping questions while the work is open."""

    CONFIRM = "Save questions"

    def __init__(self, request: VigRequest, *, kept: list[str] | None = None) -> None:
        super().__init__("The family's helping questions", _about(request))
        self.request = request
        self.questions = kept if kept is not None else request.work.helping_questions

    def fields(self) -> ComposeResult:
        yield from _questions_field(self, self.questions)

    def on_mount(self) -> None:
        self.query_one("#field-helping_questions").focus()

    def result(self) -> tuple[list[str] | None, dict[str, str]]:
        questions = self.long_text("helping_questions").splitlines()
        try:
            updated = work.set_helping_questions(self.request, questions)
        except work.WorkError as error:
            return None, _problem(error, "helping_questions")
        return updated.work.helping_questions, {}


class CycleDialog(_StepDialog):
    """A VIG cycle's filming date, shared review date and note (new, or one changed)."""

    CONFIRM = "Save cycle"

    def __init__(self, request: VigRequest, *, today: date, cycle: VigCycle | None = None) -> None:
        known = [c.id for c in request.work.cycles]
        number = known.index(cycle.id) + 1 if cycle and cycle.id in known else len(known) + 1
        super().__init__(f"VIG cycle {number}", _about(request))
        self.request = request
        self.today = today
        self.cycle = cycle or VigCycle()

    def fields(self) -> ComposeResult:
        cycle = self.cycle
        yield from self.field(
            "filmed_on",
            "Filming date",
            DateInput(cycle.filmed_on or self.today),
            "For example 3/12/2026 or 3 Dec 2026",
        )
        yield from self.field(
            "shared_review_on",
            "Shared review date (optional)",
            DateInput(cycle.shared_review_on),
            "Leave empty until the family has watched the clips with you",
        )
        yield from self.field(
            "note",
            "Note (optional)",
            ShortAnswer(cycle.note, max_length=max_length_of(VigCycle, "note")),
        )

    def result(self) -> tuple[VigCycle | None, dict[str, str]]:
        problems: dict[str, str] = {}
        filmed = self.date(
            "filmed_on", "The filming date", problems, needed="Enter the filming date"
        )
        review = self.date("shared_review_on", "The shared review date", problems, needed="")
        if problems:
            return None, problems
        try:
            cycle = self.cycle.model_copy(
                update={"filmed_on": filmed, "shared_review_on": review, "note": self.text("note")}
            )
            VigCycle.model_validate(cycle.model_dump())
            work.record_cycle(self.request, cycle, today=self.today)
        except ValidationError as error:
            return None, field_problems(error)
        except work.WorkError as error:
            return None, _problem(error, "filmed_on")
        return cycle, {}


@dataclass(frozen=True)
class WorkClosure:
    on: date
    reason: ClosureReason
    outcome_note: str
    other_reason: str = ""


class CloseWorkDialog(_StepDialog):
    """The work closed: when, why (from the service's list), and what came of it."""

    CONFIRM = "Close work"

    def __init__(
        self, request: VigRequest, *, today: date, kept: WorkClosure | None = None
    ) -> None:
        super().__init__("Close the work", _about(request))
        self.request = request
        self.today = today
        self.kept = kept

    def fields(self) -> ComposeResult:
        kept = self.kept
        yield from self.field(
            "on",
            "Closing date",
            DateInput(kept.on if kept else self.today),
            "For example 3/12/2026 or 3 Dec 2026",
        )
        yield from self.field(
            "reason",
            "Why did the work close?",
            Select(
                [(r.label, r) for r in ClosureReason],
                prompt="Choose a reason",
                value=kept.reason if kept else Select.NULL,
            ),
        )
        yield from self.field(
            "other_reason",
            "If other, why (optional otherwise)",
            ShortAnswer(
                kept.other_reason if kept else "",
                max_length=max_length_of(Work, "closure_reason_other"),
            ),
        )
        yield from self.field(
            "outcome_note",
            "Outcome note",
            LongAnswer(
                kept.outcome_note if kept else "", max_length=max_length_of(Work, "outcome_note")
            ),
            "What changed for the child and family",
        )

    def result(self) -> tuple[WorkClosure | None, dict[str, str]]:
        problems: dict[str, str] = {}
        on = self.date("on", "The closing date", problems, needed="Enter the closing date")
        reason = self.choice("reason")
        if reason is None:
            problems["reason"] = "Choose why the work closed"
        note = self.long_text("outcome_note")
        if not note:
            problems["outcome_note"] = "Enter a note of the outcome"
        if problems or on is None:
            return None, problems
        closure = WorkClosure(on, reason, note, self.text("other_reason"))
        try:
            work.close_work(
                self.request,
                on,
                reason,
                note,
                other_reason=closure.other_reason,
                today=self.today,
            )
        except work.WorkError as error:
            return None, _problem(error, "on")
        return closure, {}


def _about(request: VigRequest) -> str:
    child = request.child.initials or "child not named"
    return f"{request.reference or 'Draft'} ({child})"


def describe_consent(record: ConsentRecord | None) -> list[str]:
    """A consent record as lines a person reads (the page's detail under the table)."""
    if record is None:
        return ["Not recorded yet."]
    answer = "Given" if record.given else "Refused"
    lines = [f"{answer} on {format_date(record.on)}, {record.how.label.lower()}, "
             f"asked by {record.obtained_by}"]  # fmt: skip
    if record.keep_clips_months:
        lines.append(f"Clips may be kept for {record.keep_clips_months} months")
    if record.withdrawn_on:
        lines.append(f"Withdrawn on {format_date(record.withdrawn_on)}")
    if record.note:
        lines.append(f"Note: {record.note}")
    return lines
