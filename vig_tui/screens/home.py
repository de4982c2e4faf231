"""Home: the next allocation meeting, the drafts to finish, and the counts by status."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Header, Label, ListItem, ListView, Static

from ..domain.dates import format_date
from ..domain.models import RequestStatus, VigRequest
from .base import VigScreen
from .progress import last_section, next_unfinished


class DraftItem(ListItem):
    def __init__(self, request: VigRequest, text: str) -> None:
        super().__init__(classes="draft")
        self.request_id = request.id
        self._text = text

    def compose(self) -> ComposeResult:
        yield Label(self._text, markup=False)


class HomeScreen(VigScreen[None]):
    HELP_TITLE = "Home"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "n",
            "app.new_request",
            "New request",
            id="vig.home.new",
            tooltip="Start a new VIG request",
        ),
        Binding(
            "d",
            "resume",
            "Resume draft",
            id="vig.home.resume",
            tooltip="Carry on with the highlighted draft where you left it",
        ),
        Binding(
            "r",
            "app.open_register",
            "Register",
            id="vig.home.register",
            tooltip="Every request, with filters",
        ),
        Binding(
            "m",
            "app.open_meeting",
            "Meeting",
            id="vig.home.meeting",
            tooltip="The next allocation meeting: decisions and the meeting pack",
        ),
        Binding(
            "t",
            "app.change_theme",
            "Theme",
            id="vig.home.theme",
            tooltip="Choose the colours, including a high-contrast theme",
        ),
        Binding("q", "app.quit", "Quit", show=False, id="vig.home.quit", tooltip="Close vig-tui"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="home")

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="page"):
            yield Static("Video Interaction Guidance requests", classes="heading")
            with Vertical(id="meeting-panel", classes="panel"):
                yield Static("Next allocation meeting", classes="subheading")
                yield Static("", id="meeting-date")
                yield Static("", id="meeting-flag", classes="warning-text")
                yield Static("", id="meeting-queue")
            yield Static("Drafts to finish", classes="subheading")
            yield Static("", id="no-drafts", classes="lede")
            yield ListView(id="drafts")
            yield Static("Requests by status", classes="subheading")
            yield Static("", id="counts")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_home()

    def on_screen_resume(self) -> None:
        self.refresh_home()

    def refresh_home(self) -> None:
        store, today = self.vig.store, self.vig.today
        meeting = store.calendar().next_meeting(today)
        self.query_one("#meeting-date", Static).update(
            f"{meeting.date:%A} {format_date(meeting.date)}"
        )
        flag = ""
        if meeting.moved:
            flag = f"Moved from {meeting.scheduled:%A} {format_date(meeting.scheduled)}"
        elif meeting.bank_holiday:
            flag = f"{format_date(meeting.date)} is a bank holiday ({meeting.bank_holiday})"
            if meeting.proposed:
                flag += f": the meeting may move to {format_date(meeting.proposed)}"
        flag_widget = self.query_one("#meeting-flag", Static)
        flag_widget.update(flag)
        flag_widget.display = bool(flag)
        queued = len(store.requests(status=RequestStatus.SUBMITTED, meeting=meeting.date))
        cutoff = store.calendar().meeting_for_submission(today)
        queue = f"{queued} request{'s' * (queued != 1)} queued for it."
        if cutoff.date != meeting.date:
            queue += (
                f" Requests sent now go to the following meeting, on {format_date(cutoff.date)}."
            )
        self.query_one("#meeting-queue", Static).update(queue)

        drafts = sorted(
            store.requests(status=RequestStatus.DRAFT), key=lambda r: r.updated_at, reverse=True
        )
        listing = self.query_one("#drafts", ListView)
        previous = listing.index
        listing.clear()
        listing.extend(DraftItem(d, self._describe(d)) for d in drafts)
        listing.display = bool(drafts)
        self.query_one("#no-drafts", Static).update(
            "Press d or Enter to carry on with the highlighted draft."
            if drafts
            else "You have no drafts. Press n to start a new request."
        )
        if drafts:
            index = min(previous or 0, len(drafts) - 1)
            self.call_after_refresh(setattr, listing, "index", index)
            listing.focus()

        counts = store.counts_by_status()
        self.query_one("#counts", Static).update(
            "   ".join(f"{status.label}: {counts.get(status, 0)}" for status in RequestStatus)
        )

    def _describe(self, draft: VigRequest) -> str:
        who = draft.child.name or "Child not named yet"
        where = last_section(draft) or next_unfinished(draft, self.vig.today)
        place = f"last in “{where.title}”" if where else "ready to check"
        return f"{who} · changed {format_date(draft.updated_at.date())} · {place}"

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
