"""The dialogs of the consent and work pages: one per step, each checked before it closes.

Each gathers its answers, builds the model, and runs the same pure step from
:mod:`vig_tui.domain.work` the service will run, so a date in the future, work
started without consent to filming or a missing note is shown beside its field
(and in the summary at the top) while the answers stay. Escape dismisses ``None``.
Each takes the answers it returned (``kept``), so a save that fails reopens it
holding them.
"""

from __future__ import annotations

from collections.abc import Sequence
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
#: The hint under every date box.
DATE_HINT = "For example 3/12/2026 or 3 Dec 2026"


def _problem(error: work.WorkError, fallback: str) -> dict[str, str]:
    return {error.field or fallback: str(error)}


class _StepDialog(_Dialog[Any]):
    """A step on one request, checked as the service will check it, dated as of ``today``."""

    CSS_PATH = _CSS  # type: ignore[assignment]  # both files: the dialogs, and text areas

    def __init__(self, title: str, request: VigRequest, *, today: date, lead: str = "") -> None:
        about = _about(request)
        super().__init__(title, f"{about}\n{lead}" if lead else about)
        self.request = request
        self.today = today

    def date_field(
        self, name: str, label: str, day: date | None, hint: str = DATE_HINT
    ) -> ComposeResult:
        """A date box holding ``day``, with how to write a date under its label."""
        return self.field(name, label, DateInput(day), hint)

    def select_field(
        self, name: str, label: str, options: Sequence[tuple[str, Any]], prompt: str, kept: Any
    ) -> ComposeResult:
        """A choice from ``options``, showing ``kept`` (the answer returned before) if any."""
        value = Select.NULL if kept is None else kept
        return self.field(name, label, Select(options, prompt=prompt, value=value))

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
        super().__init__(f"Consent: {topic.label}", request, today=today)
        self.topic = topic
        self.kept = kept
        self.obtained_by = kept.obtained_by if kept else obtained_by

    def fields(self) -> ComposeResult:
        kept = self.kept
        yield from self.select_field(
            "given",
            "Did the parent or carer agree?",
            [("Yes, consent given", True), ("No, consent refused", False)],
            "Choose an answer",
            kept.given if kept else None,
        )
        yield from self.date_field("on", "Date they answered", kept.on if kept else self.today)
        yield from self.field(
            "obtained_by",
            "Who asked them",
            ShortAnswer(self.obtained_by, max_length=max_length_of(ConsentRecord, "obtained_by")),
        )
        yield from self.select_field(
            "how",
            "How was it given?",
            [(m.label, m) for m in ConsentMethod],
            "Choose verbal or written",
            kept.how if kept else None,
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
            request,
            today=today,
            lead="The record of the consent stays; the withdrawal is added.",
        )
        self.topic = topic
        self.kept = kept

    def fields(self) -> ComposeResult:
        yield from self.date_field("on", "Date consent was withdrawn", self.kept or self.today)

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
        super().__init__("Start the work", request, today=today)
        self.kept = kept

    def fields(self) -> ComposeResult:
        kept = self.kept
        yield from self.date_field("on", "Start date", kept.on if kept else self.today)
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

    def __init__(self, request: VigRequest, *, today: date, kept: list[str] | None = None) -> None:
        super().__init__("The family's helping questions", request, today=today)
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
        super().__init__(f"VIG cycle {number}", request, today=today)
        self.cycle = cycle or VigCycle()

    def fields(self) -> ComposeResult:
        cycle = self.cycle
        yield from self.date_field("filmed_on", "Filming date", cycle.filmed_on or self.today)
        yield from self.date_field(
            "shared_review_on",
            "Shared review date (optional)",
            cycle.shared_review_on,
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
        super().__init__("Close the work", request, today=today)
        self.kept = kept

    def fields(self) -> ComposeResult:
        kept = self.kept
        yield from self.date_field("on", "Closing date", kept.on if kept else self.today)
        yield from self.select_field(
            "reason",
            "Why did the work close?",
            [(r.label, r) for r in ClosureReason],
            "Choose a reason",
            kept.reason if kept else None,
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
