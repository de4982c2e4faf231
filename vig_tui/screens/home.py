"""Home: the next allocation meeting, the drafts to finish, and the counts by status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Header, Label, ListItem, ListView, Static

from ..app import READ_ONLY_MESSAGE
from ..domain.dates import format_date
from ..domain.wording import plural
from ..widgets.footer import KeysFooter
from .base import VigScreen
from .confirm import confirm_delete_draft

if TYPE_CHECKING:
    from ..domain.summary import RequestSummary

#: Home lists the most recently changed drafts; the register has them all.
MAX_DRAFTS = 5
#: Seconds between tries while a shared register cannot be reached.
RETRY_UNREACHABLE = 3.0


class DraftItem(ListItem):
    def __init__(self, request_id: UUID, text: str) -> None:
        super().__init__(classes="draft")
        self.request_id = request_id
        self.text = text

    def compose(self) -> ComposeResult:
        yield Label(self.text, markup=False)


@dataclass(frozen=True)
class HomeFacts:
    """What Home shows, gathered off the UI path."""

    meeting: str
    flag: str
    queue: str
    drafts: list[tuple[UUID, str]]
    more_drafts: int
    counts: str
    #: Requests sent by file from this machine, still waiting for the service's reference.
    waiting: list[str]
    #: "1 answer waits in the Inbox: press i to choose." (empty when nothing waits)
    inbox: str = ""
    #: "Decision received: VIG-2026-0001 (Allocated)" for decisions sent back lately.
    received: str = ""
    #: Records the retention rules say are due (and drafts near it): empty when none.
    retention: str = ""


#: Home mentions a decision sent back for this many days after it was taken.
RECEIVED_DAYS = 30


def _inbox_line(summaries: list[RequestSummary]) -> str:
    waiting = sum(s.waiting_conflicts for s in summaries)
    if not waiting:
        return ""
    verb = "waits" if waiting == 1 else "wait"
    return (
        f"{plural(waiting, 'answer')} {verb} in the Inbox (changed both here and by the "
        "sender): press i to choose."
    )


def _received_line(summaries: list[RequestSummary], today: date) -> str:
    recent = sorted(
        (
            s
            for s in summaries
            if s.decision_received_at is not None
            and (today - s.decision_received_at.date()).days <= RECEIVED_DAYS
        ),
        key=lambda s: s.decision_received_at or s.updated_at,
        reverse=True,
    )
    if not recent:
        return ""
    shown = ", ".join(
        f"{s.reference} ({s.latest_outcome.label if s.latest_outcome else 'decided'})"
        for s in recent[:MAX_DRAFTS]
    )
    more = f" and {len(recent) - MAX_DRAFTS} more" if len(recent) > MAX_DRAFTS else ""
    return f"Decision received: {shown}{more}"


class HomeScreen(VigScreen[None]):
    HELP_TITLE = "Home"

    # The keys that open a screen act the moment they are read, so the keys typed
    # straight after them wait for that screen (see key_holding) instead of
    # being read here as Home's own keys.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "n",
            "app.new_request",
            "New request",
            id="vig.home.new",
            tooltip="Start a new VIG request",
            priority=True,
        ),
        Binding(
            "d",
            "resume",
            "Resume draft",
            id="vig.home.resume",
            tooltip="Carry on with the highlighted draft where you left it",
            priority=True,
        ),
        Binding(
            "r",
            "app.open_register",
            "Register",
            id="vig.home.register",
            tooltip="Every request, with filters",
            priority=True,
        ),
        Binding(
            "m",
            "app.open_meeting",
            "Meeting",
            id="vig.home.meeting",
            tooltip="The next allocation meeting: decisions and the meeting pack",
            priority=True,
        ),
        Binding(
            "i",
            "app.open_inbox",
            "Inbox",
            # Home says when something waits, and F1 lists the key.
            show=False,
            id="vig.home.inbox",
            tooltip="Answers a sender and the service both changed, waiting for your choice",
            priority=True,
        ),
        Binding(
            "s",
            "app.open_reports",
            "Reports",
            # The footer is full at 80 columns: F1 and the palette list it.
            show=False,
            id="vig.home.reports",
            tooltip="The service report: requests, decisions, waits and caseloads, with charts",
            priority=True,
        ),
        Binding(
            "t",
            "app.change_theme",
            "Theme",
            id="vig.home.theme",
            tooltip="Choose the colours, including a high-contrast theme",
            priority=True,
        ),
        # Asked at the first start; here to change it later (F1 and Ctrl+P list it).
        Binding(
            "p",
            "app.profile",
            "Your details",
            show=False,
            id="vig.home.profile",
            tooltip="Your name, role, team and contact details: recorded with your changes "
            "and filled in on new requests",
            priority=True,
        ),
        Binding(
            "x",
            "delete_draft",
            "Delete draft",
            show=False,
            id="vig.home.delete",
            tooltip="Delete the highlighted draft, after asking",
        ),
        Binding("q", "app.quit", "Quit", id="vig.home.quit", tooltip="Close vig-tui"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="home")
        #: When the figures shown were read (None: none shown yet, nothing to be stale).
        self._shown_at: datetime | None = None
        self._retry: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="page"):
            yield Static("Video Interaction Guidance requests", classes="heading")
            yield Static("", id="stale", classes="warning-text")
            with Vertical(id="meeting-panel", classes="panel"):
                yield Static("Next allocation meeting", classes="subheading")
                yield Static("", id="meeting-date")
                yield Static("", id="meeting-flag", classes="warning-text")
                yield Static("", id="meeting-queue")
            yield Static("", id="inbox-count", classes="warning-text")
            yield Static("", id="decisions-received", markup=False)
            yield Static("", id="retention", classes="warning-text")
            yield Static("Drafts to finish", classes="subheading")
            yield Static("", id="no-drafts", classes="lede")
            yield ListView(id="drafts")
            # Shown on a referrer's machine once something waits for the service's reference.
            for waiting in (
                Static("Sent by file", id="sent-heading", classes="subheading"),
                Static("", id="sent-by-file", markup=False),
            ):
                waiting.display = False
                yield waiting
            yield Static("Requests by status", classes="subheading")
            yield Static("", id="counts")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#stale", Static).display = False
        # Someone else changed a shared register: the counts and drafts are read again.
        self.vig.register_changed.subscribe(self, lambda _: self.refresh_home())

    def on_screen_resume(self) -> None:
        self.refresh_home()

    def refresh_home(self) -> None:
        """Gather what Home shows in a worker; until the database is open, say so."""
        if not self.vig.store_ready:
            self.query_one("#meeting-date", Static).update("Opening the database…")
            self.query_one("#no-drafts", Static).update("")
            self.query_one("#drafts", ListView).display = False
            return
        self._gather()

    @work(thread=True, exclusive=True, group="home", exit_on_error=False)
    def _gather(self) -> None:
        from ..store import RegisterUnreachable, StoreError

        try:
            facts = self._facts()
        except RegisterUnreachable as error:
            reason = f"the register at {error.where} cannot be reached ({error.detail})"
            self.app.call_from_thread(self._unavailable, reason)
            return
        except StoreError as error:
            self.app.call_from_thread(self._unavailable, str(error))
            return
        self.app.call_from_thread(self._show, facts)

    def _unavailable(self, reason: str) -> None:
        """Say the figures are out of date (or cannot be shown yet), and try again soon."""
        stale = self.query_one("#stale", Static)
        if self._shown_at is not None:
            stale.update(
                f"These figures are from {self._shown_at:%H:%M} and may be out of date: "
                f"{reason}. They are read again as soon as it answers."
            )
        else:
            stale.update(f"The figures cannot be shown yet: {reason}.")
            self.query_one("#meeting-date", Static).update("Not known yet")
        stale.display = True
        if self._retry is None:
            self._retry = self.set_timer(RETRY_UNREACHABLE, self._try_again)

    def _try_again(self) -> None:
        self._retry = None
        self.refresh_home()

    def _facts(self) -> HomeFacts:
        from ..domain.models import RequestStatus
        from ..service.retention import retention_reminder

        store, today = self.vig.store, self.vig.today
        calendar = store.calendar()
        meeting = calendar.next_meeting(today)
        flag = ""
        if meeting.moved:
            flag = f"Moved from {meeting.scheduled:%A} {format_date(meeting.scheduled)}"
        elif meeting.bank_holiday:
            flag = f"{format_date(meeting.date)} is a bank holiday ({meeting.bank_holiday})"
            if meeting.proposed:
                flag += f": the meeting may move to {format_date(meeting.proposed)}"
        summaries = store.summaries()
        waiting = (RequestStatus.SUBMITTED, RequestStatus.DEFERRED)
        queued = sum(1 for s in summaries if s.meeting == meeting.date and s.status in waiting)
        queue = f"{plural(queued, 'request')} queued for it."
        cutoff = calendar.meeting_for_submission(today)
        if cutoff.date != meeting.date:
            queue += (
                f" Requests sent now go to the following meeting, on {format_date(cutoff.date)}."
            )
        drafts = sorted(
            (s for s in summaries if s.status is RequestStatus.DRAFT),
            key=lambda s: s.updated_at,
            reverse=True,
        )
        counts = store.counts_by_status()
        by_file = sorted(
            (s for s in summaries if s.sent_by_file_on and not s.reference),
            key=lambda s: s.local_number or "",
        )
        return HomeFacts(
            inbox=_inbox_line(summaries),
            received=_received_line(summaries, today),
            waiting=[
                f"{s.local_number} ({s.child_name or 'child not named'}): Sent by file on "
                f"{format_date(s.sent_by_file_on)}: waiting for the service's reference"
                for s in by_file
            ],
            meeting=f"{meeting.date:%A} {format_date(meeting.date)}",
            flag=flag,
            queue=queue,
            drafts=[(d.id, self._describe(d.id)) for d in drafts[:MAX_DRAFTS]],
            more_drafts=max(len(drafts) - MAX_DRAFTS, 0),
            # No-break spaces inside each count: a narrow terminal wraps between them.
            counts="   ".join(
                f"{status.label}:\u00a0{counts[status]}".replace(" ", "\u00a0")
                for status in RequestStatus
            ),
            retention=retention_reminder(store, today),
        )

    def _describe(self, request_id: UUID) -> str:
        from ..domain.progress import describe_draft

        return describe_draft(self.vig.store.get(request_id), self.vig.today)

    def _show(self, facts: HomeFacts) -> None:
        self._shown_at = datetime.now()
        self.query_one("#stale", Static).display = False
        self.query_one("#meeting-date", Static).update(facts.meeting)
        flag_widget = self.query_one("#meeting-flag", Static)
        flag_widget.update(facts.flag)
        flag_widget.display = bool(facts.flag)
        self.query_one("#meeting-queue", Static).update(facts.queue)
        for selector, text in (
            ("#inbox-count", facts.inbox),
            ("#decisions-received", facts.received),
        ):
            line = self.query_one(selector, Static)
            line.update(text)
            line.display = bool(text)
        listing = self.query_one("#drafts", ListView)
        previous = listing.index
        listing.clear()
        listing.extend(DraftItem(request_id, text) for request_id, text in facts.drafts)
        listing.display = bool(facts.drafts)
        if not facts.drafts:
            hint = "You have no drafts. Press n to start a new request."
        else:
            hint = "Press d or Enter to carry on with the highlighted draft."
            if facts.more_drafts:
                older = plural(facts.more_drafts, "older draft")
                hint += f" {older} {'is' if facts.more_drafts == 1 else 'are'} in the register (r)."
        self.query_one("#no-drafts", Static).update(hint)
        if facts.drafts:
            index = min(previous or 0, len(facts.drafts) - 1)
            self.call_after_refresh(setattr, listing, "index", index)
            listing.focus()
        self.query_one("#counts", Static).update(facts.counts)
        reminder = self.query_one("#retention", Static)
        reminder.update(facts.retention)
        reminder.display = bool(facts.retention)
        sent = self.query_one("#sent-by-file", Static)
        sent.update("\n".join(facts.waiting))
        sent.display = self.query_one("#sent-heading", Static).display = bool(facts.waiting)

    @on(ListView.Selected, "#drafts")
    def _selected(self, event: ListView.Selected) -> None:
        assert isinstance(event.item, DraftItem)
        self.vig.action_resume_request(str(event.item.request_id))

    def action_resume(self) -> None:
        listing = self.query_one("#drafts", ListView)
        item = listing.highlighted_child
        if isinstance(item, DraftItem):
            self.vig.action_resume_request(str(item.request_id))
        else:
            self.notify("There are no drafts to resume. Press n to start a new request.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete_draft":
            return isinstance(self.query_one("#drafts", ListView).highlighted_child, DraftItem)
        return True

    def action_delete_draft(self) -> None:
        item = self.query_one("#drafts", ListView).highlighted_child
        if not isinstance(item, DraftItem):
            return
        if self.vig.read_only:
            self.notify(READ_ONLY_MESSAGE, title="Not deleted", severity="warning")
            return
        request_id = item.request_id

        def answered(delete: bool | None) -> None:
            if delete:
                self._delete(request_id)

        self.app.push_screen(confirm_delete_draft(item.text), answered)

    @work(thread=True, group="delete", exit_on_error=False)
    def _delete(self, request_id: UUID) -> None:
        from ..store import StoreError

        try:
            self.vig.delete_draft(request_id)
        except StoreError as error:
            self.app.call_from_thread(
                self.notify, str(error), title="Not deleted", severity="error"
            )
            return
        self.app.call_from_thread(self._deleted)

    def _deleted(self) -> None:
        self.notify("Draft deleted", timeout=3)
        self.refresh_home()
