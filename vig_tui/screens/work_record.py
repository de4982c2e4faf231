"""The work page: the allocated practitioner's work with the family.

Status allocated -> in progress -> closed: ``s`` starts the work (refused, with
what to do, until the parent or carer has agreed to being filmed), ``f`` adds
a VIG cycle (Enter changes the highlighted one), ``h`` changes the family's
helping questions, ``x`` closes the work with a reason and an outcome note,
and ``k`` opens the consent page.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ..domain import work
from ..domain.dates import format_date
from ..domain.models import (
    ClosureReason,
    ConsentTopic,
    DecisionOutcome,
    RequestStatus,
    VigCycle,
    VigRequest,
)
from ..service import close_work, record_cycle, record_helping_questions, start_work
from .consent_record import short_date
from .record_page import RecordPage, fixed_columns
from .work_dialogs import (
    CloseWorkDialog,
    CycleDialog,
    HelpingQuestionsDialog,
    StartWorkDialog,
    WorkClosure,
    WorkStart,
)

#: What the page says when the work cannot start yet, and what to do.
NO_FILMING_CONSENT = (
    "The work cannot start until the parent or carer agrees to being filmed. "
    "Press k to record their consent, then s to start the work."
)


class WorkScreen(RecordPage):
    """Start date, helping questions, VIG cycles and closure of one request's work."""

    TITLE = "Work"
    HELP_TITLE = "The work with the family"
    PAGE = "Work"

    BINDINGS = [
        Binding("escape", "back", "Back", id="work.back", tooltip="Back to the request"),
        Binding(
            "s",
            "start",
            "Start",
            id="work.start",
            tooltip="Start the work: the start date and the family's helping questions",
            priority=True,
        ),
        Binding(
            "f",
            "add_cycle",
            "Add cycle",
            id="work.cycle",
            tooltip="Add a VIG cycle: filming and shared review dates (Enter changes one)",
            priority=True,
        ),
        Binding(
            "h",
            "questions",
            "Questions",
            id="work.questions",
            tooltip="Change the family's helping questions",
            priority=True,
        ),
        Binding(
            "x",
            "close_work",
            "Close",
            id="work.close",
            tooltip="Close the work: when, why, and a note of the outcome",
            priority=True,
        ),
        Binding(
            "k",
            "consents",
            "Consent",
            id="work.consent",
            tooltip="The consents the parent or carer has given",
            priority=True,
        ),
    ]

    def compose_parts(self) -> ComposeResult:
        yield Static("", id="work-summary", classes="record-section")
        yield Static("", id="work-questions", classes="record-section")
        yield Static("VIG cycles", id="cycles-heading", classes="record-section")
        yield DataTable(id="cycles", cursor_type="row", zebra_stripes=True)
        yield Static("", id="work-closure", classes="record-section")

    def on_mount(self) -> None:
        table = self.query_one("#cycles", DataTable)
        fixed_columns(table, (("Cycle", 5), ("Filmed", 11), ("Shared review", 13), ("Note", 32)))
        self.show()
        table.focus()

    def show(self) -> None:
        request = self.request
        advice = ""
        if request.status is RequestStatus.ALLOCATED and not work.consented(
            request, ConsentTopic.FILMING
        ):
            advice = NO_FILMING_CONSENT
        elif request.status is RequestStatus.ALLOCATED:
            advice = "Consent to filming is recorded: press s to start the work."
        elif request.status not in (*work.ACTIVE, RequestStatus.CLOSED):
            advice = (
                f"This request is {request.status.label.lower()}: work is recorded once "
                "the allocation meeting allocates it."
            )
        self.show_heading(advice)
        self.query_one("#work-summary", Static).update(_summary(request))
        self.query_one("#work-questions", Static).update(_questions(request))
        table = self.query_one("#cycles", DataTable)
        row = table.cursor_row
        table.clear()
        for number, cycle in enumerate(request.work.cycles, start=1):
            table.add_row(
                str(number),
                short_date(cycle.filmed_on),
                short_date(cycle.shared_review_on) or "Not yet",
                cycle.note if len(cycle.note) <= 32 else cycle.note[:31] + "…",
                key=str(cycle.id),
            )
        if request.work.cycles:
            table.move_cursor(row=row)
        self.query_one("#cycles").display = bool(request.work.cycles)
        self.query_one("#cycles-heading", Static).update(
            Text("VIG cycles", style="bold underline")
            if request.work.cycles
            else Text.assemble(("VIG cycles", "bold underline"), "\nNone recorded yet.")
        )
        self.query_one("#work-closure", Static).update(_closure(request))

    # Keys -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        status = self.request.status
        if action == "start":
            return self.writable() if status is RequestStatus.ALLOCATED else None
        if action in ("add_cycle", "questions"):
            allowed = status is RequestStatus.IN_PROGRESS or (
                action == "questions" and status in work.ACTIVE and self.request.work.started_on
            )
            return self.writable() if allowed else None
        if action == "close_work":
            return self.writable() if status in work.ACTIVE else None
        return True

    def action_start(self) -> None:
        if not work.consented(self.request, ConsentTopic.FILMING):
            self.notify(NO_FILMING_CONSENT, title="Work not started", severity="warning")
            return

        def reopen(kept: Any) -> StartWorkDialog:
            return StartWorkDialog(self.request, today=self.vig.today, kept=kept)

        def step(answers: WorkStart) -> Any:
            return lambda before: start_work(
                self.vig.store,
                self.vig.actor,
                before,
                answers.on,
                answers.helping_questions,
                today=self.vig.today,
            )

        self.ask(reopen(None), reopen, step)

    def action_add_cycle(self) -> None:
        self._cycle(None)

    @on(DataTable.RowSelected, "#cycles")
    def _change_cycle(self, event: DataTable.RowSelected) -> None:
        if self.check_action("add_cycle", ()) is not True:
            return
        chosen = str(event.row_key.value)
        self._cycle(next(c for c in self.request.work.cycles if str(c.id) == chosen))

    def _cycle(self, cycle: VigCycle | None) -> None:
        def reopen(kept: Any) -> CycleDialog:
            return CycleDialog(self.request, today=self.vig.today, cycle=kept or cycle)

        def step(answers: VigCycle) -> Any:
            return lambda before: record_cycle(
                self.vig.store, self.vig.actor, before, answers, today=self.vig.today
            )

        self.ask(reopen(None), reopen, step)

    def action_questions(self) -> None:
        def reopen(kept: Any) -> HelpingQuestionsDialog:
            return HelpingQuestionsDialog(self.request, today=self.vig.today, kept=kept)

        def step(questions: list[str]) -> Any:
            return lambda before: record_helping_questions(
                self.vig.store, self.vig.actor, before, questions
            )

        self.ask(reopen(None), reopen, step)

    def action_close_work(self) -> None:
        def reopen(kept: Any) -> CloseWorkDialog:
            return CloseWorkDialog(self.request, today=self.vig.today, kept=kept)

        def step(answers: WorkClosure) -> Any:
            return lambda before: close_work(
                self.vig.store,
                self.vig.actor,
                before,
                answers.on,
                answers.reason,
                answers.outcome_note,
                other_reason=answers.other_reason,
                today=self.vig.today,
            )

        self.ask(reopen(None), reopen, step)

    def action_consents(self) -> None:
        from .consent_record import ConsentScreen

        self.app.push_screen(ConsentScreen(self.request), self._back_from_consents)

    def _back_from_consents(self, changed: VigRequest | None) -> None:
        if changed is not None:
            self.took(changed)

    def describe(self, answers: Any) -> str:
        if isinstance(answers, WorkStart):
            return f"Start the work on {format_date(answers.on)}"
        if isinstance(answers, VigCycle):
            return f"VIG cycle filmed on {format_date(answers.filmed_on)}"
        if isinstance(answers, WorkClosure):
            return f"Close the work on {format_date(answers.on)}: {answers.reason.label}"
        return "Helping questions: " + "; ".join(answers)


def _summary(request: VigRequest) -> Text:
    allocation = next(
        (d for d in reversed(request.decisions) if d.outcome is DecisionOutcome.ALLOCATED), None
    )
    text = Text()
    if allocation is not None:
        priority = f", {allocation.priority.label} priority" if allocation.priority else ""
        text.append("Allocated: ", style="bold")
        text.append(
            f"{allocation.practitioner_name}{priority}, at the meeting on "
            f"{format_date(allocation.meeting)}\n"
        )
    text.append("Consent to filming: ", style="bold")
    text.append(work.consent_words(request, ConsentTopic.FILMING) + "\n")
    text.append("Started: ", style="bold")
    started = request.work.started_on
    text.append(format_date(started) if started else "Not yet")
    return text


def _questions(request: VigRequest) -> Text:
    text = Text.assemble(("The family's helping questions", "bold underline"))
    for question in request.work.helping_questions:
        text.append(f"\n  • {question}")
    if not request.work.helping_questions:
        text.append("\nNone yet: they are asked when the work starts.")
    return text


def _closure(request: VigRequest) -> Text:
    done = request.work
    text = Text.assemble(("Closure", "bold underline"))
    if done.closed_on is None:
        if request.status is RequestStatus.CLOSED:
            text.append("\nClosed without a work record (see the request's history).")
        else:
            text.append("\nNot closed.")
        return text
    reason = done.closure_reason
    why = (
        done.closure_reason_other
        if reason is ClosureReason.OTHER
        else (reason.label if reason else "")
    )
    text.append(f"\nClosed on {format_date(done.closed_on)}: {why}")
    text.append(f"\nOutcome: {done.outcome_note}")
    return text
