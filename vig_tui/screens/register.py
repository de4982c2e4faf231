"""The register: every request, filtered as you type.

Rows are built once, in a worker thread, from the store's light summaries (no
request is validated), put in the current order and measured for the column
widths there too. Typing, choosing a status or meeting and sorting then only
filter and order those rows; typing on narrows the rows found a keystroke ago
rather than all of them.

The rows are shown by a :class:`~vig_tui.widgets.row_grid.RowGrid`, which
draws only the lines on screen, so showing the rows a keystroke leaves costs
the same at ten rows or fifty thousand. The filter tells the screen of each
change as the key is handled (not by a posted message), so the new rows are
in the very frame that shows the letter typed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import ClassVar
from uuid import UUID

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Header, Input, Select, Static

from ..domain.local_numbers import local_prefix
from ..domain.models import RequestStatus, VigRequest
from ..domain.views import (
    COLUMNS,
    RegisterRow,
    filter_rows,
    narrows,
    register_row,
    short_date,
    sort_rows,
    summary_row,
)
from ..widgets.footer import KeysFooter
from ..widgets.row_grid import GAP, Cell, Column, RowGrid
from .base import VigScreen

_PRIORITY_STYLE = {"high": "bold", "medium": "", "low": "dim"}
_HEADINGS = {key: heading for key, heading, _ in COLUMNS}


def cell_texts(row: RegisterRow) -> tuple[str, ...]:
    """The row's cells as plain text, in the order of :data:`COLUMNS`."""
    return (
        row.reference,
        row.child,
        row.age,
        row.status.label,
        short_date(row.meeting),
        row.priority.label if row.priority else "",
        row.referrer_and_role,
        row.route,
        row.sender_number,
    )


def row_cells(row: RegisterRow) -> tuple[Cell, ...]:
    """The row's cells with their styles: the priority bold when high, dim when low."""
    texts = cell_texts(row)
    priority = _PRIORITY_STYLE[row.priority.value] if row.priority else ""
    return tuple((text, priority if index == 5 else "") for index, text in enumerate(texts))


#: The narrowest each column that gives way may become when the screen is narrow
#: (its longest cell is cut, with an ellipsis); the others are always whole.
MINIMUM_WIDTHS = {"child": 8, "referrer": 9, "route": 5}


#: Columns shown only when some row has something in them (0 wide otherwise; they come
#: last in :data:`COLUMNS`): the sender's number is for a register that received
#: requests by file.
WHEN_FILLED = frozenset({"sender"})


def column_widths(rows: list[RegisterRow]) -> tuple[int, ...]:
    """Each column's width: its longest cell or its heading (0 for a column of
    :data:`WHEN_FILLED` that no row fills, which is then not shown)."""
    widths = [0 if key in WHEN_FILLED else cell_len(heading) for key, heading, _ in COLUMNS]
    for row in rows:
        for index, text in enumerate(cell_texts(row)):
            if len(text) > widths[index] or not text.isascii():
                widths[index] = max(widths[index], cell_len(text))
    headings = [cell_len(heading) for _, heading, _ in COLUMNS]
    return tuple(
        width and max(width, heading) for width, heading in zip(widths, headings, strict=True)
    )


def fit_widths(widths: tuple[int, ...], room: int, *, gap: int = GAP) -> tuple[int, ...]:
    """The columns' widths within ``room`` cells (each column followed by ``gap``, and
    ``gap`` before the first): the widest of the columns that may give way is narrowed
    first, none below its minimum, so every column still says something. Columns that
    cannot fit even then stay past the right edge, reached by scrolling."""
    fitted = list(widths)
    keys = [key for key, _, _ in COLUMNS]
    over = gap + sum(width + gap for width in fitted) - room
    while over > 0:
        narrowable = [
            index
            for index, key in enumerate(keys)
            if key in MINIMUM_WIDTHS and fitted[index] > MINIMUM_WIDTHS[key]
        ]
        if not narrowable:
            break
        widest = max(narrowable, key=lambda index: fitted[index])
        fitted[widest] -= 1
        over -= 1
    return tuple(fitted)


class FilterInput(Input):
    """The filter box: calls ``changed`` with each new text as the key is handled."""

    def __init__(self, changed: Callable[[str], None], **kwargs: object) -> None:
        # Coming back to the filter selects nothing: the next key adds to it.
        super().__init__(select_on_focus=False, **kwargs)  # type: ignore[arg-type]
        self._changed = changed

    def watch_value(self, value: str) -> None:
        if self.is_mounted:
            self._changed(value)


class RegisterScreen(VigScreen[None]):
    """Every request, to find one and open it."""

    CSS_PATH = "register.tcss"
    TITLE = "Register"
    AUTO_FOCUS = "#register-table"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "back",
            "Back",
            id="register.back",
            tooltip="Back to the home page (from the filter: back to the table)",
        ),
        # "/" and Enter act as they are read (priority), so the keys typed straight
        # after them reach the filter or the request page, not the table (see
        # key_holding.py).
        Binding(
            "slash",
            "focus_filter",
            "Filter",
            key_display="/",
            priority=True,
            id="register.filter",
            tooltip="Type to filter by reference, child, referrer, team or role (HV, SW)",
        ),
        Binding("down", "into_table", show=False, priority=True, id="register.into-table"),
        Binding(
            "enter",
            "open",
            "Open",
            show=False,
            priority=True,
            id="register.open",
            tooltip="Open the highlighted request",
        ),
        Binding("s", "sort_next", "Sort", id="register.sort", tooltip="Sort by the next column"),
        Binding(
            "S",
            "sort_reverse",
            "Reverse",
            id="register.reverse",
            tooltip="Reverse the order",
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            id="register.reload",
            tooltip="Read the requests from the database again",
        ),
    ]

    class Loaded(Message):
        """The worker has read the requests, put them in order and measured them."""

        def __init__(
            self,
            rows: list[RegisterRow],
            ordered: list[RegisterRow],
            by: str,
            widths: tuple[int, ...],
        ) -> None:
            self.rows = rows
            self.ordered = ordered
            #: The order ``ordered`` is in: the sort column and direction.
            self.by = by
            self.widths = widths
            super().__init__()

    def __init__(self) -> None:
        super().__init__()
        #: Every request's row, as read.
        self._rows: list[RegisterRow] = []
        #: Every row, in the chosen order.
        self._ordered: list[RegisterRow] = []
        #: The rows that pass the filters, in order: what the table shows.
        self._matching: list[RegisterRow] = []
        #: What ``_matching`` was filtered by: (text, status, meeting).
        self._query: tuple[str, RequestStatus | None, date | None] | None = None
        self._widths: tuple[int, ...] = ()
        self._sort_column = "reference"
        self._reverse = False
        self._status: RequestStatus | None = None
        self._meeting: date | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="register-filters"):
            yield FilterInput(
                self._filter_typed,
                placeholder="Filter: reference, child, referrer, team or role",
                id="register-filter",
            )
            yield Select(
                [(status.label, status) for status in RequestStatus],
                prompt="Any status",
                id="register-status",
            )
            yield Select([], prompt="Any meeting", id="register-meeting")
        yield Static("Reading the requests…", id="register-count")
        yield RowGrid[RegisterRow](self._cells, id="register-table")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.table
        self._set_columns(column_widths([]))
        table.loading = True
        table.focus()
        self._load(self._order)
        # Someone else changed a shared register: its rows are read again (filter kept).
        self.vig.register_changed.subscribe(self, lambda _: self._load(self._order))

    @property
    def table(self) -> RowGrid[RegisterRow]:
        """The rows shown (a :class:`RowGrid` of :class:`RegisterRow`)."""
        return self.query_one("#register-table", RowGrid)

    @property
    def _filter(self) -> Input:
        return self.query_one("#register-filter", Input)

    @property
    def _own_numbers(self) -> str:
        """How this machine's local numbers start: its own requests show no sender's number."""
        return local_prefix(self.vig.preferences.machine_id)

    @property
    def _order(self) -> str:
        return f"{self._sort_column} {'descending' if self._reverse else 'ascending'}"

    # Loading --------------------------------------------------------------

    @work(thread=True, exclusive=True, group="register-load")
    def _load(self, by: str) -> None:
        """Rows from the store's light summaries, in the order ``by`` (column, direction)."""
        from ..store import StoreError

        store, today = self.vig.store, self.vig.today
        try:
            summaries = store.summaries()
        except StoreError as error:  # a shared register that cannot be reached, say
            self.app.call_from_thread(
                self.notify, str(error), title="Not read", severity="error", timeout=10
            )
            return
        own = self._own_numbers
        rows = [summary_row(s, today, own_numbers=own) for s in summaries]
        column, direction = by.split()
        ordered = sort_rows(rows, column, reverse=direction == "descending")
        widths = column_widths(rows)
        self.post_message(self.Loaded(rows, ordered, by, widths))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self._rows = message.rows
        meetings = sorted({r.meeting for r in self._rows if r.meeting}, reverse=True)
        meeting_select: Select[date] = self.query_one("#register-meeting", Select)
        with meeting_select.prevent(Select.Changed):
            meeting_select.set_options((short_date(m), m) for m in meetings)
            if self._meeting in meetings:
                meeting_select.value = self._meeting
            else:
                self._meeting = None
        self._set_columns(message.widths)
        self.table.loading = False
        if message.by == self._order:
            self._ordered = message.ordered
            self._refresh_table(fresh=True)
        else:  # sorted again while the rows were being read
            self._refresh_table(resort=True)

    def action_reload(self) -> None:
        self.table.loading = True
        self.query_one("#register-count", Static).update("Reading the requests…")
        self._load(self._order)

    def _request_changed(self, request: VigRequest | None) -> None:
        """A request opened from here came back changed: update its row only."""
        if request is None:
            return
        row = register_row(request, self.vig.today, own_numbers=self._own_numbers)
        self._rows = [row if r.id == row.id else r for r in self._rows]
        self._set_columns(tuple(map(max, self._widths, column_widths([row]))))
        self._refresh_table(keep=row.id, resort=True)

    # Filtering and sorting ---------------------------------------------------

    def _filter_typed(self, text: str) -> None:
        if self._rows:
            self._refresh_table()

    @on(Input.Submitted, "#register-filter")
    def _filter_done(self) -> None:
        self.table.focus()

    @on(Select.Changed, "#register-status")
    def _status_chosen(self, event: Select.Changed) -> None:
        value = event.value
        self._status = value if isinstance(value, RequestStatus) else None
        self._refresh_table()

    @on(Select.Changed, "#register-meeting")
    def _meeting_chosen(self, event: Select.Changed) -> None:
        value = event.value
        self._meeting = value if isinstance(value, date) else None
        self._refresh_table()

    @on(RowGrid.HeaderSelected, "#register-table")
    def _header_clicked(self, event: RowGrid.HeaderSelected) -> None:
        column = event.key
        self._sort_by(column, not self._reverse if column == self._sort_column else False)

    def action_focus_filter(self) -> None:
        self.set_focus(self._filter)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            # Enter opens from the table only; elsewhere it is the widget's own.
            return self.focused is self.table
        if action == "into_table":
            return self.focused is self._filter
        return True

    def action_open(self) -> None:
        if (row := self.table.highlighted) is not None:
            self._open_request(row.id)

    def action_sort_next(self) -> None:
        keys = [column.key for column in self.table.columns]
        at = keys.index(self._sort_column) if self._sort_column in keys else -1
        self._sort_by(keys[(at + 1) % len(keys)], False)

    def action_sort_reverse(self) -> None:
        self._sort_by(self._sort_column, not self._reverse)

    def action_back(self) -> None:
        if self.focused is self._filter:
            self.table.focus()
        else:
            self.dismiss()

    def action_into_table(self) -> None:
        """Down from the filter goes into the table, to the first match."""
        self.set_focus(self.table)

    def _sort_by(self, column: str, reverse: bool) -> None:
        self._sort_column, self._reverse = column, reverse
        self._label_columns()
        self._refresh_table(resort=True)

    def _refresh_table(
        self, keep: UUID | None = None, *, resort: bool = False, fresh: bool = False
    ) -> None:
        """Show the rows that pass the filters, in the chosen order.

        ``resort``: the rows or their order changed, so the order is worked out
        again. ``fresh``: new rows were read. ``keep``: the request whose row
        keeps the cursor (else the highlighted one).
        """
        table = self.table
        kept_place = keep is not None
        if keep is None and (highlighted := table.highlighted) is not None:
            keep = highlighted.id
        if resort:
            self._ordered = sort_rows(self._rows, self._sort_column, reverse=self._reverse)
        text = self._filter.value
        query = (text, self._status, self._meeting)
        before = self._query
        refining = (
            not (resort or fresh)
            and before is not None
            and before[1:] == query[1:]
            and narrows(before[0], text)
        )
        searched = self._matching if refining else self._ordered
        self._matching = filter_rows(searched, text, status=self._status, meeting=self._meeting)
        self._query = query
        place = next((i for i, row in enumerate(self._matching) if row.id == keep), None)
        if place is None:
            # Gone from the list: a new filter starts at the top; a request
            # changed on its page leaves the cursor where it was.
            place = table.cursor_row if kept_place else 0
        table.show(self._matching, cursor=place)
        self._show_count()

    def _show_count(self) -> None:
        count = f"{len(self._matching):,} of {len(self._rows):,} requests"
        if self._rows and not self._matching:
            count = f"No request matches: 0 of {len(self._rows):,} requests"
        direction = "descending" if self._reverse else "ascending"
        text = f"{count}, by {_HEADINGS[self._sort_column].lower()} ({direction})"
        self.query_one("#register-count", Static).update(text)

    # Columns ------------------------------------------------------------------

    def _cells(self, row: RegisterRow) -> tuple[Cell, ...]:
        """The row's cells for the columns shown."""
        return row_cells(row)[: len(self.table.columns)]

    def _set_columns(self, widths: tuple[int, ...]) -> None:
        """Fixed widths, from every row: typing never makes a column jump."""
        if widths != self._widths:
            self._widths = widths
            self._label_columns()

    def _label_columns(self) -> None:
        """The headings (the sort column's with its arrow), in widths that fit the screen."""
        arrow = " ▼" if self._reverse else " ▲"
        shown = [
            column
            for column, width in zip(COLUMNS, self._widths, strict=True)
            if width or column[0] not in WHEN_FILLED
        ]
        labels = [
            heading + (arrow if key == self._sort_column else "") for key, heading, _ in shown
        ]
        widths = tuple(map(max, self._widths, (cell_len(label) for label in labels)))
        table = self.table
        room = table.size.width - table.styles.scrollbar_size_vertical
        fitted = fit_widths(widths, room) if room > 0 else widths
        table.set_columns(
            Column(key, label, width)
            for (key, _, _), label, width in zip(shown, labels, fitted, strict=True)
        )

    def on_resize(self) -> None:
        # The table's new width is known once it is laid out again.
        if self._widths:
            self.call_after_refresh(self._label_columns)

    # Opening a request ------------------------------------------------------

    @on(RowGrid.Selected, "#register-table")
    def _open(self, event: RowGrid.Selected) -> None:
        row = event.row
        assert isinstance(row, RegisterRow)
        self._open_request(row.id)

    def _open_request(self, request_id: UUID) -> None:
        from .request_view import RequestViewScreen

        self.app.push_screen(RequestViewScreen(request_id), self._request_changed)

    @property
    def shown(self) -> list[RegisterRow]:
        """The rows passing the filters, in order (for tests and the gallery)."""
        return list(self._matching)
