"""One request's own page: its answers, findings, priority, decisions and history.

From here the service corrects a request (the walkthrough's task list, while
it is still before its meeting), withdraws it with a reason, or closes it.
The screen dismisses with the request as last saved when anything changed,
so the screen beneath updates just that one row.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from uuid import UUID

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Header, Static

from ..domain.answers import section_rows
from ..domain.changes import describe_change, month_only_flags
from ..domain.dates import describe_age, format_date
from ..domain.decisions import OPEN, DecisionError
from ..domain.models import RequestStatus, VigRequest
from ..domain.priority import suggest_priority
from ..domain.rules import Section, Severity, evaluate
from ..domain.views import describe_decision
from ..domain.wording import plural
from ..service import close, withdraw
from ..widgets.footer import KeysFooter
from .base import VigScreen
from .decision import ReasonDialog


class RequestViewScreen(VigScreen[VigRequest | None]):
    """Everything about one request, and what can still be done with it."""

    CSS_PATH = "request_view.tcss"
    TITLE = "Request"

    # The keys that open a dialog or the task list act the moment they are read
    # and open it at once, so a reason typed straight after them waits for it
    # (see key_holding) instead of being read here.
    BINDINGS = [
        Binding("escape", "back", "Back", id="request.back", tooltip="Back to the list"),
        Binding(
            "c",
            "correct",
            "Correct",
            id="request.correct",
            tooltip="Correct the request's answers (only before its meeting)",
            priority=True,
        ),
        Binding(
            "w",
            "withdraw",
            "Withdraw",
            id="request.withdraw",
            tooltip="Withdraw the request, saying why",
            priority=True,
        ),
        Binding(
            "k",
            "consents",
            "Consent",
            id="request.consent",
            tooltip="The parent's or carer's consents: filming, keeping clips, sharing, training",
            priority=True,
        ),
        Binding(
            "v",
            "work_record",
            "Work",
            id="request.work",
            tooltip="The work after allocation: start, VIG cycles, helping questions, closure",
            priority=True,
        ),
        Binding(
            "x",
            "close_request",
            "Close",
            id="request.close",
            tooltip="Close the request: the work is finished or will not go ahead",
            priority=True,
        ),
        Binding(
            "s",
            "send_again",
            "Send again",
            id="request.send_again",
            tooltip="Send the request to the VIG service by file again, with its corrections",
            priority=True,
        ),
        Binding(
            "e",
            "export_summary",
            "Export",
            id="request.export",
            tooltip="Write this request's summary (PDF, Word, HTML, Markdown, CSV or JSON) to "
            "attach to the Early Help Hub's form or a team manager's decision",
            priority=True,
        ),
    ]

    class Loaded(Message):
        def __init__(self, request: VigRequest) -> None:
            self.request = request
            super().__init__()

    class Failed(Message):
        def __init__(self, message: str) -> None:
            self.message = message
            super().__init__()

    def __init__(self, request_id: UUID) -> None:
        super().__init__()
        self.request_id = request_id
        self.request: VigRequest | None = None
        #: The request as last saved from here, when something changed.
        self.changed: VigRequest | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="request-page"):
            yield Static("", id="request-heading")
            yield Static("", id="request-status")
            yield Static("", id="request-priority", classes="request-section")
            yield Static("", id="request-findings", classes="request-section")
            yield Static("", id="request-decisions", classes="request-section")
            yield Static("", id="request-answers", classes="request-section")
            yield Static("", id="request-history", classes="request-section")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#request-page").loading = True
        self._load()

    @work(thread=True, exclusive=True, group="request-load")
    def _load(self) -> None:
        try:
            request = self.vig.store.get(self.request_id)
        except Exception as error:  # StoreError: RequestNotFound and friends
            self.post_message(self.Failed(str(error)))
            return
        self.post_message(self.Loaded(request))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.request = message.request
        self.query_one("#request-page").loading = False
        self._show(message.request)
        self.refresh_bindings()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one("#request-page").loading = False
        self.notify(message.message, severity="error", timeout=10)

    # Showing ------------------------------------------------------------------

    def _show(self, request: VigRequest) -> None:
        today = self.vig.today
        number = request.reference or request.local_number
        self.sub_title = number or "Draft"
        child = request.child
        age = describe_age(child.date_of_birth, today) if child.date_of_birth else "age unknown"
        self.query_one("#request-heading", Static).update(
            Text.assemble(
                (number or "Draft request", "bold"),
                f"  {child.initials or 'Child not named'}, {age}",
            )
        )
        status = Text.assemble(("Status: ", "bold"), request.status.label)
        if request.meeting:
            status.append(f"   Meeting: {format_date(request.meeting)}")
        if request.submitted_on:
            status.append(f"   Sent: {format_date(request.submitted_on)}")
        if request.sent_by_file is not None and not request.reference:
            status.append(
                f"\nSent by file on {format_date(request.sent_by_file.on)}: waiting for the "
                "service's reference"
            )
        status.append(_by_file(request))
        self.query_one("#request-status", Static).update(status)

        suggestion = suggest_priority(request, today)
        priority = Text.assemble(
            ("Suggested priority: ", "bold"), (suggestion.priority.label, "bold")
        )
        for reason in suggestion.reasons:
            priority.append(f"\n  • {reason}")
        if not suggestion.reasons:
            priority.append("\n  No factor raised the priority.")
        self.query_one("#request-priority", Static).update(priority)

        self.query_one("#request-findings", Static).update(_findings(request, today))
        self.query_one("#request-decisions", Static).update(_decisions(request))
        self.query_one("#request-answers", Static).update(_answers(request, today))
        self.query_one("#request-history", Static).update(_history(request))

    # Actions ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        request = self.request
        if action in ("consents", "work_record"):
            return request is not None and request.status is not RequestStatus.DRAFT
        if action == "export_summary":
            return request is not None
        if action == "send_again":
            # Only on a referrer's machine, for a request it sent by file before.
            sent_before = request is not None and request.sent_by_file is not None
            return (sent_before and self.vig.sends_by_file and not self.vig.read_only) or False
        if action in ("correct", "withdraw", "close_request") and request is None:
            return False
        if action in ("correct", "withdraw", "close_request") and self.vig.store.read_only:
            return None
        if action == "correct" and request is not None:
            return request.status is RequestStatus.SUBMITTED or None
        if action in ("withdraw", "close_request") and request is not None:
            return request.status in OPEN or None
        return True

    def action_send_again(self) -> None:
        if self.request is not None:
            self._send_again(self.request)

    @work(thread=True, exclusive=True, group="send", exit_on_error=False)
    def _send_again(self, request: VigRequest) -> None:
        from ..service import CommandError
        from ..store import StoreError

        try:
            sent = self.vig.send_by_file(request)
        except (StoreError, CommandError) as error:
            self.app.call_from_thread(self._not_sent, str(error))
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            problem = error.strerror or str(error)
            self.app.call_from_thread(
                self._not_sent, f"{where}the file cannot be written ({problem}). Nothing was sent."
            )
        else:
            (stored,) = sent.requests
            self.app.call_from_thread(self._sent_again, stored, sent.path)

    def _not_sent(self, message: str) -> None:
        self.notify(message, title="Not sent", severity="error", timeout=10)

    def _sent_again(self, stored: VigRequest, path: Path) -> None:
        from .confirmation import ConfirmationScreen

        self.request = self.changed = stored
        self._show(stored)
        self.app.push_screen(ConfirmationScreen(stored, path))

    def action_export_summary(self) -> None:
        from .summary_dialog import SummaryDialog

        if self.request is not None:
            self.app.push_screen(SummaryDialog(self.request))

    def action_correct(self) -> None:
        from .walkthrough import RequestWalkthrough, correction_refused

        request = self.request
        if request is None:
            return
        if reason := correction_refused(request, self.vig.today):
            self.notify(reason, title="Cannot correct", severity="warning")
            return
        self.app.push_screen(RequestWalkthrough(request.id), self._corrected)

    def _corrected(self, _: object = None) -> None:
        """Back from the task list: read the request again, and pass it on when changed."""
        self._load_after_correction()

    @work(thread=True, exclusive=True, group="request-load")
    def _load_after_correction(self) -> None:
        try:
            request = self.vig.store.get(self.request_id)
        except Exception as error:  # StoreError
            self.post_message(self.Failed(str(error)))
            return
        if self.request is None or request != self.request:
            self.changed = request
        self.post_message(self.Loaded(request))

    def action_withdraw(self) -> None:
        request = self.request
        if request is None:
            return
        self.app.push_screen(
            ReasonDialog(
                "Withdraw the request",
                f"{_number(request)}: it will not go to a meeting or be worked on.",
                "Why is it withdrawn?",
                confirm="Withdraw request",
                required="Enter why the request is withdrawn",
            ),
            partial(self._end, withdraw, request),
        )

    def action_close_request(self) -> None:
        request = self.request
        if request is None:
            return
        if request.status is RequestStatus.IN_PROGRESS:
            # Started work closes with a reason and an outcome: on its work record.
            self.notify("The work has started: close it here, with the reason and the outcome.")
            self.action_work_record()
            return
        self.app.push_screen(
            ReasonDialog(
                "Close the request",
                f"{_number(request)}: the work is finished or will not go ahead.",
                "Why is it closed?",
                confirm="Close request",
            ),
            partial(self._end, close, request),
        )

    def _end(self, change: object, request: VigRequest, reason: str | None) -> None:
        """Back from the reason dialog: apply ``change`` with the reason (None: cancelled)."""
        if reason is None:
            return
        self._save(change, request, reason)

    @work(thread=True, group="request-save")
    def _save(self, change: object, before: VigRequest, reason: str) -> None:
        try:
            stored = change(self.vig.store, self.vig.actor, before, reason)  # type: ignore[operator]
        except DecisionError as error:
            self.post_message(self.Failed(str(error)))
            return
        except Exception as error:  # StoreError: its message is fit to show
            self.post_message(self.Failed(f"Not saved. {error}"))
            return
        self.changed = stored
        self.post_message(self.Loaded(stored))
        self.app.call_from_thread(
            self.notify, f"{stored.reference} is now {stored.status.label.lower()}"
        )

    def action_consents(self) -> None:
        from .consent_record import ConsentScreen

        if self.request is not None:
            self.app.push_screen(ConsentScreen(self.request), self._after_record)

    def action_work_record(self) -> None:
        from .work_record import WorkScreen

        if self.request is not None:
            self.app.push_screen(WorkScreen(self.request), self._after_record)

    def _after_record(self, changed: VigRequest | None) -> None:
        """Back from the consent or work page: show what it saved."""
        if changed is not None:
            self.changed = changed
            self.request = changed
            self._show(changed)
            self.refresh_bindings()

    def action_back(self) -> None:
        self.dismiss(self.changed)


def _by_file(request: VigRequest) -> Text:
    """How the request travelled by file: who sent it, their own number, what waits."""
    lines = Text()
    local = request.local_number
    received = request.received
    if received is not None:
        lines.append(f"\nReceived by file from {received.sender or 'the sender'}")
        lines.append(f" on {format_date(received.first_received_at.date())}")
        if local:
            lines.append(f" (their number {local})")
    elif local:
        lines.append(f"\nYour number for it: {local}")
    if request.decision_received_at is not None:
        lines.append(
            f"\nDecision received from the service on "
            f"{format_date(request.decision_received_at.date())}"
        )
    if request.conflicts:
        waiting = len(request.conflicts)
        verb = "waits" if waiting == 1 else "wait"
        lines.append(
            f"\n{plural(waiting, 'answer')} changed on both sides {verb} in the Inbox (i on Home)",
            style="bold",
        )
    return lines


def _number(request: VigRequest) -> str:
    return request.reference or request.local_number or "This draft"


def _heading(text: str) -> Text:
    return Text(text, style="bold underline")


def _findings(request: VigRequest, today: object) -> Group:
    findings = evaluate(request, today)  # type: ignore[arg-type]
    parts: list[Text] = [_heading("Findings")]
    if not findings:
        parts.append(Text("Nothing to raise: every answer is there and the criteria are met."))
    for finding in findings:
        mark = "Cannot be accepted" if finding.blocking else "Note"
        style = "bold red" if finding.severity is Severity.BLOCKING else "yellow"
        line = Text.assemble((f"{mark}: ", style), finding.message)
        if finding.next_steps:
            line.append(f" {finding.next_steps}", style="italic")
        parts.append(line)
    return Group(*parts)


def _decisions(request: VigRequest) -> Group:
    parts: list[Text] = [_heading("Allocation meeting decisions")]
    if not request.decisions:
        parts.append(Text("None yet."))
    for decision in request.decisions:
        line = Text.assemble(
            (format_date(decision.meeting), "bold"), ": ", describe_decision(decision)
        )
        for label, value in (
            ("Reason", decision.reason),
            ("Note", decision.note),
            ("Information needed", decision.information_needed),
        ):
            if value:
                line.append(f"\n  {label}: {value}")
        parts.append(line)
    return Group(*parts)


def _answers(request: VigRequest, today: object) -> Group:
    parts: list[Text | Table] = []
    for section in Section:
        parts.append(_heading(section.title_for_others))
        table = Table.grid(padding=(0, 2))
        table.add_column(ratio=2, style="dim")
        table.add_column(ratio=3)
        for row in section_rows(request, section, today):  # type: ignore[arg-type]
            table.add_row(Text(row.question), Text(row.answer))
        parts.append(table)
        parts.append(Text(""))
    return Group(*parts)


def _history(request: VigRequest) -> Group:
    """Every change, newest first: when, what, who, each answer's old -> new, and why.
    Each change is a line of its own whose wrapped lines stay indented under it (a
    long answer wrapped back to the left edge, where it read as the next entry)."""
    parts: list[RenderableType] = [_heading("History (newest first)")]
    flags = month_only_flags(request)
    for entry, month_only in reversed(list(zip(request.history, flags, strict=True))):
        when = entry.at.astimezone().strftime("%d %b %Y %H:%M")
        parts.append(
            Text.assemble((when, "dim"), "  ", (entry.summary or entry.action.capitalize(), "bold"))
        )
        lines = Table.grid()
        lines.add_column(width=2)
        lines.add_column(ratio=1)
        lines.add_row("", Text(f"By {entry.who.described}", style="italic"))
        for change in entry.changes:
            lines.add_row("", _hanging(describe_change(change, month_only)))
        if entry.reason:
            lines.add_row("", _hanging(f"Reason: {entry.reason}"))
        parts.append(lines)
    return Group(*parts)


def _hanging(line: str) -> Table:
    """``line`` after a dot, its wrapped lines indented under its first word."""
    grid = Table.grid()
    grid.add_column(width=2)
    grid.add_column(ratio=1)
    grid.add_row("· ", Text(line))
    return grid
