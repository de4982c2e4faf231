"""The task list of a request: every section with its status, then Check your answers.

``RequestWalkthrough()`` starts a new request; ``RequestWalkthrough(id)``
opens a draft (``resume=True`` reopens the section last open) or corrects a
sent request before its meeting (see :func:`correction_refused`).
"""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Label, ListItem, ListView, Static

from ..domain.dates import format_date
from ..domain.models import RequestStatus, VigRequest
from ..domain.progress import SectionStatus, ineligible_so_far, last_section, section_status
from ..domain.rules import Finding, Section, evaluate
from ..service import start_request
from ..store import StoreError
from ..widgets.footer import KeysFooter
from ..widgets.keys import run_own_binding
from .base import VigScreen
from .section import SectionResult, Session
from .sections import section_screen

CHECK_ANSWERS = "check"


def correction_refused(request: VigRequest, today: object) -> str | None:
    """Why a sent request can no longer be corrected, or None when it can."""
    if request.status is RequestStatus.DRAFT:
        return None
    if request.status is not RequestStatus.SUBMITTED:
        return f"This request is {request.status.label.lower()}: it can no longer be corrected."
    if request.meeting is not None and today >= request.meeting:  # type: ignore[operator]
        return (
            "This request has reached its allocation meeting "
            f"({format_date(request.meeting)}): it can no longer be corrected."
        )
    return None


class TaskItem(ListItem):
    """One line of the task list: a section (or Check your answers) and its status."""

    def __init__(self, key: Section | str, title: str, status: str, status_class: str) -> None:
        super().__init__(classes="task")
        self.key = key
        self._title = title
        self._status = status
        self._status_class = status_class

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self._title, classes="task-title", markup=False)
            yield Label(self._status, classes=f"task-status {self._status_class}", markup=False)

    def show(self, title: str, status: str, status_class: str) -> None:
        """Show a new status in place (the list keeps its items, so keys typed meanwhile
        never meet a list being rebuilt)."""
        if (title, status, status_class) == (self._title, self._status, self._status_class):
            return
        self._title, self._status, self._status_class = title, status, status_class
        if not self.is_mounted:
            return
        self.query_one(".task-title", Label).update(title)
        label = self.query_one(".task-status", Label)
        label.update(status)
        label.set_classes(f"task-status {status_class}")


_STATUS_CLASS = {
    SectionStatus.NOT_STARTED: "-not-started",
    SectionStatus.IN_PROGRESS: "-in-progress",
    SectionStatus.COMPLETED: "-completed",
    SectionStatus.PROBLEM: "-problem",
}


class RequestWalkthrough(VigScreen[None]):
    """The task list for one request."""

    HELP_TITLE = "Task list"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "back",
            "Home",
            id="vig.tasks.back",
            tooltip="Save the draft and go back to Home",
        ),
        # A correction's task list was opened from the request's page, and goes back there.
        Binding(
            "escape",
            "back_to_request",
            "Back",
            id="vig.tasks.back-to-request",
            tooltip="Go back to the request's page (a correction is saved on Continue)",
        ),
        Binding(
            "c",
            "check_answers",
            "Check answers",
            id="vig.tasks.check",
            tooltip="See every answer on one page before sending",
        ),
        Binding(
            "x",
            "delete_draft",
            "Delete draft",
            id="vig.tasks.delete",
            tooltip="Delete this draft, after asking: for a request that will not be made",
        ),
        Binding(
            "w",
            "why_not",
            "Why not?",
            id="vig.tasks.why",
            tooltip="Why the service cannot accept this request, and what to do",
        ),
        # The list's keys are acted on the moment they are read: Down then Enter
        # opens the section below, and the keys typed straight after Enter wait
        # for the section's page and go to its first answer (see key_holding)
        # instead of being read by this list.
        Binding(
            "enter",
            "open_task",
            "Open",
            show=False,
            priority=True,
            id="vig.tasks.open",
            tooltip="Open the highlighted section",
        ),
        Binding(
            "up",
            "move_task('up')",
            show=False,
            priority=True,
            id="vig.tasks.up",
            tooltip="Highlight the section above",
        ),
        Binding(
            "down",
            "move_task('down')",
            show=False,
            priority=True,
            id="vig.tasks.down",
            tooltip="Highlight the section below",
        ),
    ]

    def __init__(self, request_id: UUID | None = None, *, resume: bool = False) -> None:
        super().__init__(classes="task-list")
        self._request_id = request_id
        self._resume = resume
        self.session: Session | None = None

    @property
    def request(self) -> VigRequest:
        assert self.session is not None
        return self.session.request

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="page"):
            yield Static("", id="caption", classes="caption")
            yield Static("Make a VIG request", id="heading", classes="heading")
            yield Static("", id="summary", classes="lede")
            yield Static("", id="ineligible", classes="warning-text")
            yield ListView(id="tasks")
        yield KeysFooter()

    def on_mount(self) -> None:
        if self._request_id is None:
            request = start_request(self.vig.actor, self.vig.preferences.profile)
        else:
            try:
                request = self.vig.store.get(self._request_id)
            except StoreError as error:
                self.notify(str(error), severity="error")
                self.dismiss(None)
                return
            if reason := correction_refused(request, self.vig.today):
                self.notify(reason, title="Cannot correct", severity="warning")
                self.dismiss(None)
                return
        self.session = Session(request, stored=self._request_id is not None)
        if self.session.correcting:
            self.query_one("#heading", Static).update(f"Correct request {request.reference}")
            self.query_one("#caption", Static).update(
                f"To be considered at the meeting on {format_date(request.meeting)}"
            )
        self.refresh_tasks()
        if self._resume and (section := last_section(request)) is not None:
            self.open_section(section)

    def findings(self) -> list[Finding]:
        return evaluate(self.request, self.vig.today)

    def refresh_tasks(self, focus: Section | str | None = None) -> None:
        request = self.request
        findings = self.findings()
        statuses = {s: section_status(request, s, findings) for s in Section}
        done = sum(s is SectionStatus.COMPLETED for s in statuses.values())
        self.query_one("#summary", Static).update(
            f"You have completed {done} of {len(Section)} sections. "
            "Do them in any order: press Enter to open one."
        )
        problems = ineligible_so_far(self.request, findings)
        notice = self.query_one("#ineligible", Static)
        notice.display = bool(problems)
        if problems:
            notice.update(
                "The VIG service cannot accept this request as it stands. "
                "Press w to see why and what to do."
            )
        ready = done == len(Section)
        shown: list[tuple[Section | str, str, str, str]] = [
            (s, s.title, status.value, _STATUS_CLASS[status]) for s, status in statuses.items()
        ]
        shown.append(
            (
                CHECK_ANSWERS,
                "Check your answers"
                + ("" if self.session and self.session.correcting else " and send"),
                "Ready" if ready else "Finish every section first",
                "-completed" if ready else "-not-started",
            )
        )
        tasks = self.query_one("#tasks", ListView)
        items = list(tasks.query_children(TaskItem))
        if items:
            for item, (_, title, status_text, status_class) in zip(items, shown, strict=True):
                item.show(title, status_text, status_class)
        else:
            items = [TaskItem(*line) for line in shown]
            tasks.extend(items)
        if focus is None:
            focus = next(
                (s for s, st in statuses.items() if st is not SectionStatus.COMPLETED),
                CHECK_ANSWERS,
            )
        keys = [item.key for item in items]
        tasks.index = keys.index(focus)
        tasks.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        correcting = self.session is not None and self.session.correcting
        if action == "back":
            return not correcting
        if action == "back_to_request":
            return correcting
        if action == "delete_draft":
            return self.session is not None and not self.session.correcting
        if action == "why_not":
            if self.session is None:
                return None
            return bool(ineligible_so_far(self.request, self.findings())) or None
        return True

    def action_open_task(self) -> None:
        tasks = self.query_one("#tasks", ListView)
        item = tasks.highlighted_child
        if self.focused is not tasks or item is None:
            raise SkipAction()
        self._open_item(item)

    async def action_move_task(self, key: str) -> None:
        tasks = self.query_one("#tasks", ListView)
        if self.focused is not tasks or not await run_own_binding(tasks, key):
            raise SkipAction()

    @on(ListView.Selected, "#tasks")
    def _open(self, event: ListView.Selected) -> None:
        self._open_item(event.item)

    def _open_item(self, item: ListItem) -> None:
        assert isinstance(item, TaskItem)
        if item.key == CHECK_ANSWERS:
            self.action_check_answers()
        else:
            assert isinstance(item.key, Section)
            self.open_section(item.key)

    def open_section(self, section: Section) -> None:
        assert self.session is not None

        def returned(result: SectionResult | None) -> None:
            following = None
            if result is SectionResult.BACK:
                following = section
            self.refresh_tasks(following)

        self.app.push_screen(section_screen(section, self.session), returned)

    def action_check_answers(self) -> None:
        from .check_answers import CheckAnswersScreen

        assert self.session is not None
        self.app.push_screen(CheckAnswersScreen(self.session), lambda _: self.refresh_tasks())

    def action_why_not(self) -> None:
        from .cannot_accept import CannotAcceptScreen

        problems = ineligible_so_far(self.request, self.findings())
        if problems:
            self.app.push_screen(CannotAcceptScreen(problems), self._after_why)

    def _after_why(self, change_answers: bool | None) -> None:
        if change_answers:
            problems = ineligible_so_far(self.request, self.findings())
            if problems:
                self.open_section(problems[0].section)

    def action_back(self) -> None:
        self.save_answers()
        self.dismiss(None)

    def action_back_to_request(self) -> None:
        self.action_back()

    def action_delete_draft(self) -> None:
        from ..domain.progress import describe_draft
        from .confirm import confirm_delete_draft

        session = self.session
        if session is None or session.correcting:
            return
        if self.vig.read_only:
            self.notify("This database is open read-only.", title="Not deleted", severity="warning")
            return

        def answered(delete: bool | None) -> None:
            if delete:
                self._delete(session)

        described = describe_draft(session.request, self.vig.today)
        self.app.push_screen(confirm_delete_draft(described), answered)

    @work(thread=True, exclusive=True, group="delete", exit_on_error=False)
    def _delete(self, session: Session) -> None:
        try:
            self.vig.delete_draft(session.request.id)
        except StoreError as error:
            self.app.call_from_thread(
                self.notify, str(error), title="Not deleted", severity="error"
            )
            return
        self.app.call_from_thread(self._deleted, session)

    def _deleted(self, session: Session) -> None:
        # Nothing of it is saved again, on leaving or on quitting.
        self.session = None
        self.notify("Draft deleted", timeout=3)
        self.dismiss(None)

    def save_answers(self, *, now: bool = False, announce: bool = False) -> None:
        """Keep the draft (a sent request is saved by its corrections, not here)."""
        if self.session is None or self.session.correcting:
            if announce:
                self.notify(
                    "A correction is saved, with its reason, when you press Continue in a "
                    "section, or Save correction (s) on Check answers (c)."
                )
            return
        self.session.save(self.vig, now=now, announce=announce)
