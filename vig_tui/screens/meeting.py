"""The allocation meeting: its requests in suggested-priority order, and the decisions.

Opens on the next meeting; ``[`` and ``]`` step to earlier and later ones. Each
decision is gathered by a dialog, applied by the pure
:func:`~vig_tui.domain.decisions.record_decision` and saved at once in a worker
thread, so the list updates as soon as the store has it on disk.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Header, Static
from textual.widgets.data_table import ColumnKey

from ..domain.dates import format_date
from ..domain.decisions import (
    DecisionError,
    allocated_practitioner,
    caseloads,
)
from ..domain.meetings import Meeting, MeetingCalendar
from ..domain.models import (
    Decision,
    DecisionOutcome,
    MeetingRecord,
    Practitioner,
    VigRequest,
)
from ..domain.views import (
    ROLE_SHORT,
    AgendaItem,
    agenda_items,
    describe_decision,
)
from ..domain.wording import plural
from ..domain.work import ACTIVE
from ..service import decide, move_meeting, save_meeting_record
from ..store import VersionConflict
from ..widgets.footer import KeysFooter
from .base import VigScreen
from .decision import (
    AllocateDialog,
    DeferDialog,
    MoreInformationDialog,
    MoveMeetingDialog,
    NotAcceptedDialog,
)

_PRIORITY_STYLE = {"high": "bold", "medium": "", "low": "dim"}


@dataclass(frozen=True)
class _Loaded:
    meeting: Meeting
    calendar: MeetingCalendar
    items: list[AgendaItem]
    roster: list[Practitioner]
    #: Allocated requests per practitioner; None until counted, just after the agenda shows.
    caseloads: dict[UUID, int] | None


class MeetingScreen(VigScreen[None]):
    """One allocation meeting, and the decisions it makes."""

    CSS_PATH = "meeting.tcss"
    TITLE = "Allocation meeting"
    AUTO_FOCUS = "#agenda"

    # The keys that open a dialog or screen act the moment they are read and
    # open it at once, so the keys typed straight after them (a reason, a
    # note) wait for it (see key_holding) instead of being read here as the
    # meeting's own keys.
    BINDINGS = [
        Binding("escape", "back", "Back", id="meeting.back", tooltip="Back to the home page"),
        Binding(
            "left_square_bracket",
            "step(-1)",
            "Earlier",
            key_display="[",
            show=False,
            id="meeting.earlier",
            tooltip="Show the meeting before this one",
        ),
        Binding(
            "right_square_bracket",
            "step(1)",
            "Later",
            key_display="]",
            show=False,
            id="meeting.later",
            tooltip="Show the meeting after this one",
        ),
        Binding(
            "a",
            "decide('allocated')",
            "Allocate",
            id="meeting.allocate",
            tooltip="Allocate the request to a VIG practitioner with a priority",
            priority=True,
        ),
        Binding(
            "n",
            "decide('not_accepted')",
            "Not accepted",
            id="meeting.not_accepted",
            tooltip="Record that the request is not accepted, and why",
            priority=True,
        ),
        Binding(
            "d",
            "decide('deferred')",
            "Defer",
            id="meeting.defer",
            tooltip="Defer the request to the following meeting",
            priority=True,
        ),
        Binding(
            "i",
            "decide('more_information')",
            "More info",
            id="meeting.more_information",
            tooltip="Ask for more information; it comes back at the following meeting",
            priority=True,
        ),
        Binding(
            "m",
            "move_meeting",
            "Move",
            show=False,
            id="meeting.move",
            tooltip="Move this meeting to another day",
            priority=True,
        ),
        Binding(
            "e",
            "export",
            "Export",
            show=False,
            id="meeting.export",
            tooltip="Write this meeting's pack, or its record after the meeting",
            priority=True,
        ),
        Binding(
            "r",
            "record",
            "Record",
            id="meeting.record",
            tooltip="Who came, apologies and actions: the record of the meeting",
            priority=True,
        ),
        Binding(
            "p",
            "roster",
            "Practitioners",
            show=False,
            id="meeting.roster",
            tooltip="The roster of VIG practitioners and their caseloads",
            priority=True,
        ),
        Binding(
            "s",
            "send_back",
            "Send decisions back",
            show=False,
            id="meeting.notices",
            tooltip="Write this meeting's decisions back to the referrers who sent by file",
            priority=True,
        ),
        Binding(
            "t",
            "next_meeting",
            "Next meeting",
            show=False,
            id="meeting.next",
            tooltip="Go back to the next meeting from today",
        ),
    ]

    class Loaded(Message):
        def __init__(self, loaded: _Loaded) -> None:
            self.loaded = loaded
            super().__init__()

    class Counted(Message):
        """The practitioners' caseloads, counted after the agenda was shown."""

        def __init__(self, meeting: date, caseloads: dict[UUID, int]) -> None:
            self.meeting = meeting
            self.caseloads = caseloads
            super().__init__()

    class Saved(Message):
        """A decision is on disk."""

        def __init__(self, request: VigRequest, decision: Decision) -> None:
            self.request = request
            self.decision = decision
            super().__init__()

    class Failed(Message):
        def __init__(self, message: str) -> None:
            self.message = message
            super().__init__()

    class Conflicted(Message):
        """A decision refused: the request changed after the agenda was loaded."""

        def __init__(
            self,
            loaded: VigRequest,
            current: VigRequest,
            decision: Decision,
            calendar: MeetingCalendar,
        ) -> None:
            self.loaded = loaded
            self.current = current
            self.decision = decision
            self.calendar = calendar
            super().__init__()

    class DecisionNotSaved(Message):
        """A decision could not be written: its dialog opens again with the answers."""

        def __init__(self, request_id: UUID, decision: Decision, message: str) -> None:
            self.request_id = request_id
            self.decision = decision
            self.message = message
            super().__init__()

    def __init__(self, meeting: date | None = None) -> None:
        """``meeting``: a day the meeting is held; the next one from today if None."""
        super().__init__()
        self._wanted = meeting
        self._data: _Loaded | None = None
        #: A decision whose save failed, by request: its dialog opens with these answers.
        self._kept: tuple[UUID, Decision] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="meeting-head"):
            yield Static("", id="meeting-date")
            yield Static("", id="meeting-note")
            yield Static("", id="meeting-summary")
        table: DataTable[str | Text] = DataTable(id="agenda", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="agenda-detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, heading, width in _COLUMNS:
            table.add_column(heading, key=key, width=width)
        table.add_column("Referrer", key="referrer", width=self._referrer_width())
        table.loading = True
        table.focus()
        self._load(self._wanted)
        self.vig.register_changed.subscribe(self, self._changed_elsewhere)

    def _changed_elsewhere(self, _: None) -> None:
        """Someone else changed a shared register: read this meeting's requests again."""
        if self._data is not None:
            self._load(self._data.meeting.date)

    # Loading ------------------------------------------------------------------

    @property
    def meeting(self) -> Meeting | None:
        return self._data.meeting if self._data else None

    @property
    def items(self) -> list[AgendaItem]:
        return list(self._data.items) if self._data else []

    @work(thread=True, exclusive=True, group="meeting-load")
    def _load(self, held: date | None, scheduled: date | None = None) -> None:
        """Read the meeting's requests and the roster, then count the caseloads.

        The agenda is shown first: the caseloads need every allocated request
        (thousands in a big database), and only the Allocate dialog uses them.
        """
        from ..store import StoreError

        store, today = self.vig.store, self.vig.today
        try:
            calendar = store.calendar()
            if scheduled is not None:
                meeting = calendar.meeting_in(scheduled.year, scheduled.month)
            elif held is not None:
                meeting = calendar.next_meeting(held)
            else:
                meeting = calendar.next_meeting(today)
            requests = store.agenda(meeting)
            roster = store.practitioners()
        except StoreError as error:  # a shared register that cannot be reached, say
            self.app.call_from_thread(
                self.notify, str(error), title="Not read", severity="error", timeout=10
            )
            return
        self.post_message(
            self.Loaded(
                _Loaded(
                    meeting=meeting,
                    calendar=calendar,
                    items=agenda_items(requests, meeting, today),
                    roster=roster,
                    caseloads=None,
                )
            )
        )
        try:
            active = [r for status in ACTIVE for r in store.requests(status=status)]
        except StoreError:
            return  # the caseloads stay uncounted; the agenda is shown
        loads = caseloads((allocated_practitioner(r) for r in active), roster)
        self.post_message(self.Counted(meeting.date, loads))

    @on(Counted)
    def _counted(self, message: Counted) -> None:
        if self._data is not None and self._data.meeting.date == message.meeting:
            self._data = replace(self._data, caseloads=message.caseloads)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        keep = self._highlighted_id()
        self._data = message.loaded
        self.query_one(DataTable).loading = False
        self._show_meeting()
        self._fill_table(keep)

    def _show_meeting(self) -> None:
        assert self._data is not None
        meeting, today = self._data.meeting, self.vig.today
        when = "today" if meeting.date == today else ("held" if meeting.date < today else "")
        heading = f"Allocation meeting: {meeting.date:%A} {format_date(meeting.date)}"
        self.query_one("#meeting-date", Static).update(
            Text.assemble((heading, "bold"), f"  ({when})" if when else "")
        )
        note = self.query_one("#meeting-note", Static)
        if meeting.moved:
            usual = meeting.scheduled
            note.update(f"Moved from its usual day, {usual:%A} {format_date(usual)}.")
        elif meeting.bank_holiday:
            proposed = (
                f" Proposed instead: {meeting.proposed:%A} {format_date(meeting.proposed)}."
                if meeting.proposed
                else ""
            )
            note.update(
                f"{format_date(meeting.scheduled)} is a bank holiday ({meeting.bank_holiday})."
                f"{proposed} Press m to move the meeting."
            )
        else:
            note.update("")
        note.set_class(meeting.moved, "moved")
        note.set_class(meeting.bank_holiday is not None, "bank-holiday")
        note.display = bool(meeting.moved or meeting.bank_holiday)
        self._show_summary()

    def _show_summary(self) -> None:
        items = self.items
        waiting = sum(item.awaiting for item in items)
        carried = sum(item.carried_forward for item in items)
        if not items:
            text = "No requests for this meeting."
        else:
            text = (
                f"{plural(len(items), 'request')}: {waiting} to decide, "
                f"{len(items) - waiting} decided; {carried} carried forward"
            )
        self.query_one("#meeting-summary", Static).update(text)

    def _referrer_width(self) -> int:
        """The last column takes the room the others leave (at least a short name's)."""
        table = self.query_one(DataTable)
        room = (table.size.width or self.app.size.width) - _SCROLLBAR
        fixed = sum(width + 2 * table.cell_padding for _, _, width in _COLUMNS)
        return max(_REFERRER_MINIMUM, room - fixed - 2 * table.cell_padding)

    def on_resize(self) -> None:
        # The table's own width is known once it is laid out again.
        self.call_after_refresh(self._fit_referrer)

    def _fit_referrer(self) -> None:
        table = self.query_one(DataTable)
        width = self._referrer_width()
        if table.columns[ColumnKey("referrer")].width == width:
            return
        table.remove_column("referrer")
        table.add_column("Referrer", key="referrer", width=width)
        if self._data is not None:
            self._fill_table(keep=self._highlighted_id())

    def _fill_table(self, keep: UUID | None = None) -> None:
        table = self.query_one(DataTable)
        table.clear()
        referrer_width = table.columns[ColumnKey("referrer")].width
        for item in self.items:
            table.add_row(*_cells(item, referrer_width), key=str(item.request.id))
        if keep is not None and str(keep) in {str(i.request.id) for i in self.items}:
            table.move_cursor(row=table.get_row_index(str(keep)))
        self._show_detail()

    def _highlighted_id(self) -> UUID | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return UUID(str(row_key.value))

    def _highlighted(self) -> AgendaItem | None:
        wanted = self._highlighted_id()
        return next((i for i in self.items if i.request.id == wanted), None)

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        detail = self.query_one("#agenda-detail", Static)
        item = self._highlighted()
        detail.display = item is not None
        if item is not None:
            detail.update(_detail(item))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Decisions and moves are shown disabled when the database is read-only."""
        if action in ("decide", "move_meeting", "record") and self.vig.store.read_only:
            return None
        return True

    # Meetings -----------------------------------------------------------------

    def action_step(self, step: int) -> None:
        if self._data is None:
            return
        calendar, meeting = self._data.calendar, self._data.meeting
        target = calendar.previous(meeting.date) if step < 0 else calendar.following(meeting.date)
        self.query_one(DataTable).loading = True
        self._load(target.date)

    def action_next_meeting(self) -> None:
        self.query_one(DataTable).loading = True
        self._load(None)

    def action_move_meeting(self) -> None:
        meeting = self.meeting
        if meeting is None:
            return

        def moved(answer: tuple[date, str] | None) -> None:
            if answer is not None:
                moved_to, reason = answer
                self._move(meeting.scheduled, moved_to, reason)

        self.app.push_screen(
            MoveMeetingDialog(meeting.scheduled, meeting.date, meeting.proposed), moved
        )

    @work(thread=True, group="meeting-save")
    def _move(self, scheduled: date, moved_to: date, reason: str) -> None:
        store = self.vig.store
        try:
            move_meeting(store, self.vig.actor, scheduled, moved_to, reason)
        except Exception as error:  # StoreError and the calendar's own ValueErrors
            self.post_message(self.Failed(str(error)))
            return
        self.app.call_from_thread(
            self.notify, f"Meeting moved to {format_date(moved_to)}", title="Meeting moved"
        )
        self._load(None, scheduled)

    # Decisions ----------------------------------------------------------------

    def action_decide(self, outcome: str) -> None:
        item, data = self._highlighted(), self._data
        if item is None or data is None:
            self.notify("There is no request to decide on.", severity="warning")
            return
        if not item.awaiting:
            reference = item.request.reference or "This request"
            self.notify(
                f"{reference} is {item.request.status.label.lower()}; "
                "it is not waiting for a decision.",
                severity="warning",
            )
            return
        meeting = data.meeting.date
        following = data.calendar.following(meeting).date
        dialog: AllocateDialog | NotAcceptedDialog | DeferDialog | MoreInformationDialog
        match DecisionOutcome(outcome):
            case DecisionOutcome.ALLOCATED:
                if data.caseloads is None:
                    self.notify("Counting the practitioners' caseloads: press a again in a moment.")
                    return
                roster = [(p, data.caseloads.get(p.id, 0)) for p in data.roster if p.active]
                if not roster:
                    self.notify(
                        "There are no active VIG practitioners. Press p to add one.",
                        severity="warning",
                    )
                    return
                dialog = AllocateDialog(item.request, meeting, roster, item.suggestion.priority)
            case DecisionOutcome.NOT_ACCEPTED:
                dialog = NotAcceptedDialog(item.request, meeting)
            case DecisionOutcome.DEFERRED:
                dialog = DeferDialog(item.request, meeting, following)
            case DecisionOutcome.MORE_INFORMATION:
                dialog = MoreInformationDialog(item.request, meeting, following)
        if self._kept is not None and self._kept[0] == item.request.id:
            if self._kept[1].outcome is dialog.OUTCOME:
                dialog.keep(self._kept[1])
            self._kept = None

        def decided(decision: Decision | None) -> None:
            if decision is None:
                return
            self._decide(item.request, decision, data.calendar)

        self.app.push_screen(dialog, decided)

    @work(thread=True, group="meeting-save")
    def _decide(self, request: VigRequest, decision: Decision, calendar: MeetingCalendar) -> None:
        try:
            updated = decide(self.vig.store, self.vig.actor, request, decision, calendar)
        except DecisionError as error:
            self.post_message(self.Failed(str(error)))
            return
        except VersionConflict as conflict:
            self.post_message(self.Conflicted(request, conflict.current, decision, calendar))
            return
        except Exception as error:  # StoreError: its message is fit to show
            self.post_message(
                self.DecisionNotSaved(request.id, decision, f"The decision was not saved. {error}")
            )
            return
        self.post_message(self.Saved(updated, decision))

    @on(Conflicted)
    def _conflicted(self, message: Conflicted) -> None:
        """Show both versions; the coordinator may record the decision on the current one."""
        from .conflict import ConflictScreen

        def chosen(reapply: bool | None) -> None:
            if reapply:
                self._decide(message.current, message.decision, message.calendar)
            elif self._data is not None:
                self._load(self._data.meeting.date)

        self.app.push_screen(
            ConflictScreen(
                message.loaded,
                message.current,
                describe_decision(message.decision),
                confirm="Record my decision on this version",
            ),
            chosen,
        )

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        data = self._data
        if data is None:
            return
        request, decision = message.request, message.decision
        loads = dict(data.caseloads) if data.caseloads is not None else None
        if (
            loads is not None
            and decision.outcome is DecisionOutcome.ALLOCATED
            and decision.practitioner_id
        ):
            loads[decision.practitioner_id] = loads.get(decision.practitioner_id, 0) + 1
        items = [
            item.decided(request, decision) if item.request.id == request.id else item
            for item in data.items
        ]
        self._data = _Loaded(data.meeting, data.calendar, items, data.roster, loads)
        self._show_summary()
        self._fill_table(_next_undecided(items, request.id) or request.id)
        self.notify(f"{request.reference}: {describe_decision(decision)}", title="Decision saved")

    @on(DecisionNotSaved)
    def _decision_not_saved(self, message: DecisionNotSaved) -> None:
        """Say why, and open the dialog again with what was decided: nothing is typed twice."""
        self.notify(
            f"{message.message}\nYour answers are kept: press Ctrl+S to try again, "
            "or Escape to leave it.",
            title="Not saved",
            severity="error",
            timeout=12,
        )
        self._kept = (message.request_id, message.decision)
        highlighted = self._highlighted()
        if highlighted is not None and highlighted.request.id == message.request_id:
            self.action_decide(message.decision.outcome.value)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.message, severity="error", timeout=10)

    # Elsewhere ----------------------------------------------------------------

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        from .request_view import RequestViewScreen

        self.app.push_screen(RequestViewScreen(UUID(str(event.row_key.value))), self._returned)

    def _returned(self, changed: object = None) -> None:
        if changed is not None and self._data is not None:
            self._load(self._data.meeting.date)

    def action_export(self) -> None:
        from .export_dialog import ExportDialog

        meeting = self.meeting
        if meeting is None:
            return
        self.app.push_screen(ExportDialog(meeting, [item.request for item in self.items]))

    def action_send_back(self) -> None:
        from .notices_dialog import NoticesDialog

        if self.meeting is not None:
            self.app.push_screen(NoticesDialog(self.meeting))

    def action_record(self) -> None:
        meeting = self.meeting
        if meeting is None:
            return
        try:
            record = self.vig.store.meeting_record(meeting.date)
        except Exception as error:  # a StoreError: shown, nothing lost
            self.notify(str(error), title="Could not read the meeting's record", severity="error")
            return
        self._open_record(record)

    def _open_record(self, record: MeetingRecord) -> None:
        from .meeting_record import MeetingRecordDialog

        def entered(changed: MeetingRecord | None) -> None:
            if changed is not None:
                self._save_record(changed)

        self.app.push_screen(MeetingRecordDialog(record), entered)

    @work(thread=True, group="meeting-save")
    def _save_record(self, record: MeetingRecord) -> None:
        try:
            save_meeting_record(self.vig.store, self.vig.actor, record)
        except Exception as error:  # StoreError: the dialog's answers are kept to try again
            self.post_message(self.Failed(f"The record was not saved: {error}"))
            self.app.call_from_thread(self._open_record, record)
            return
        self.app.call_from_thread(
            self.notify,
            f"{len(record.attendees)} present, "
            f"{plural(len(record.apologies), 'apology', 'apologies')}, "
            f"{plural(sum(1 for line in record.actions.splitlines() if line.strip()), 'action')}",
            title="Meeting record saved",
        )

    def action_roster(self) -> None:
        from .roster import RosterScreen

        self.app.push_screen(RosterScreen(), self._returned_from_roster)

    def _returned_from_roster(self, _: object = None) -> None:
        if self._data is not None:
            self._load(self._data.meeting.date)

    def action_back(self) -> None:
        self.dismiss()


#: The agenda's columns (key, heading, width): fixed widths, so the table does not
#: jump when a decision fills its cell; a longer decision or name ends in "…" (the
#: detail below the table has it in full). The referrer's column, last, takes the
#: room these leave: at 80 columns every column fits, with no sideways scrolling.
_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("reference", "Reference", 13),
    ("child", "Child", 6),
    ("priority", "Priority", 8),
    ("decision", "Decision", 14),
    ("carried", "Carried", 7),
)
_REFERRER_MINIMUM = 12
#: Kept free for the table's scroll bar, so the columns fit whether or not it shows.
_SCROLLBAR = 2


def _next_undecided(items: list[AgendaItem], after: UUID) -> UUID | None:
    """The first request still to decide after ``after`` (wrapping round), if any."""
    index = next((i for i, item in enumerate(items) if item.request.id == after), -1)
    following = items[index + 1 :] + items[: index + 1]
    return next((item.request.id for item in following if item.awaiting), None)


def _cells(item: AgendaItem, referrer_width: int) -> tuple[str | Text, ...]:
    request, suggestion = item.request, item.suggestion
    role = request.referrer.role
    return (
        request.reference or "",
        request.child.initials,
        Text(suggestion.priority.label, style=_PRIORITY_STYLE[suggestion.priority.value]),
        Text(
            _decision_cell(item.decision) if item.decision else "To decide",
            overflow="ellipsis",
            no_wrap=True,
        ),
        f"{item.carried_from.day} {item.carried_from:%b}" if item.carried_from else "",
        _referrer_cell(request.referrer.name, ROLE_SHORT[role] if role else "", referrer_width),
    )


def _referrer_cell(name: str, role: str, width: int) -> Text:
    """The referrer's name and role ("Sam Chegwidden (SW)"): a name too long for the
    column is shortened ("Sam Chegwi… (SW)"), so the role always shows."""
    suffix = f" ({role})" if role else ""
    shown = Text(name, no_wrap=True)
    shown.truncate(max(1, width - len(suffix)), overflow="ellipsis")
    return shown + suffix


def _decision_cell(decision: Decision) -> str:
    """The decision in the table's few columns: the outcome, and who has an allocation by
    first name (the detail below the table has it in full)."""
    match decision.outcome:
        case DecisionOutcome.ALLOCATED:
            return f"Allocated: {decision.practitioner_name.split(' ')[0]}"
        case DecisionOutcome.MORE_INFORMATION:
            return "More info"
    return decision.outcome.label


def _detail(item: AgendaItem) -> Text:
    request, suggestion = item.request, item.suggestion
    text = Text()
    text.append(f"{request.reference}  ", style="bold")
    text.append(f"Suggested {suggestion.priority.label} priority")
    if suggestion.reasons:
        text.append(": " + "; ".join(suggestion.reasons))
    if item.previous is not None and item.carried_from is not None:
        previous = item.previous
        text.append(
            f"\nCarried forward from {format_date(item.carried_from)}. "
            f"Last time: {describe_decision(previous)}",
            style="italic",
        )
        if why := _why(previous):
            text.append(f" ({why})", style="italic")
    if item.decision is not None:
        text.append(f"\nDecided: {describe_decision(item.decision)}", style="bold")
        if why := _why(item.decision):
            text.append(f" ({why})")
    return text


def _why(decision: Decision) -> str:
    return decision.reason or decision.note or decision.information_needed
