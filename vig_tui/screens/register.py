"""The register: every request in one table, filtered as you type.

Requests are read and their priorities worked out once, in a worker thread,
into light :class:`~vig_tui.meeting_service.RegisterRow` s; typing, choosing a
status or meeting and sorting then only filter and order those rows. The
table is refilled a screenful first and the rest in small batches, so a new
filter shows at once even with ten thousand requests.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Select, Static
from textual.widgets.data_table import ColumnKey

from ..domain.models import RequestStatus, VigRequest
from ..meeting_service import (
    COLUMNS,
    RegisterRow,
    filter_rows,
    register_row,
    short_date,
    sort_rows,
    summary_row,
)

#: Rows put in the table at once (a few screenfuls), then the rest in bigger
#: batches with a pause between, so keys typed meanwhile are handled at once.
_FIRST = 100
_BATCH = 500

_PRIORITY_STYLE = {"high": "bold", "medium": "", "low": "dim"}


class RegisterScreen(Screen[None]):
    """Every request, to find one and open it."""

    CSS_PATH = "register.tcss"
    TITLE = "Register"
    AUTO_FOCUS = "#register-table"

    BINDINGS = [
        Binding(
            "escape",
            "back",
            "Back",
            id="register.back",
            tooltip="Back to the home page (from the filter: back to the table)",
        ),
        Binding(
            "slash",
            "focus_filter",
            "Filter",
            key_display="/",
            id="register.filter",
            tooltip="Type to filter by reference, child, referrer or team",
        ),
        Binding("s", "sort_next", "Sort", id="register.sort", tooltip="Sort by the next column"),
        Binding(
            "S",
            "sort_reverse",
            "Reverse",
            key_display="shift+s",
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
        """The worker has read the requests and built their rows."""

        def __init__(self, rows: list[RegisterRow]) -> None:
            self.rows = rows
            super().__init__()

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[RegisterRow] = []
        self._shown: list[RegisterRow] = []
        self._sort_column = "reference"
        self._reverse = False
        #: Bumped on every refill, so batches of an older refill stop.
        self._generation = 0
        self._status: RequestStatus | None = None
        self._meeting: date | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="register-filters"):
            yield Input(
                placeholder="Filter: reference, child, referrer or team",
                id="register-filter",
            )
            yield Select(
                [(status.label, status) for status in RequestStatus],
                prompt="Any status",
                id="register-status",
            )
            yield Select([], prompt="Any meeting", id="register-meeting")
        yield Static("Reading the requests…", id="register-count")
        table: DataTable[str | Text] = DataTable(
            id="register-table", cursor_type="row", zebra_stripes=True
        )
        yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, heading, _ in COLUMNS:
            table.add_column(heading, key=key)
        table.loading = True
        table.focus()
        self._load()

    # Loading --------------------------------------------------------------

    @work(thread=True, exclusive=True, group="register-load")
    def _load(self) -> None:
        """Rows from the store's light summaries: no request is validated."""
        store, today = self.app.store, self.app.today  # type: ignore[attr-defined]
        self.post_message(self.Loaded([summary_row(s, today) for s in store.summaries()]))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self._rows = message.rows
        meetings = sorted({r.meeting for r in self._rows if r.meeting}, reverse=True)
        meeting_select: Select[date] = self.query_one("#register-meeting", Select)
        meeting_select.set_options((short_date(m), m) for m in meetings)
        if self._meeting in meetings:
            meeting_select.value = self._meeting
        self.query_one(DataTable).loading = False
        self._refresh_table()

    def action_reload(self) -> None:
        self.query_one(DataTable).loading = True
        self._load()

    def _request_changed(self, request: VigRequest | None) -> None:
        """A request opened from here came back changed: update its row only."""
        if request is None:
            return
        row = register_row(request, self.app.today)  # type: ignore[attr-defined]
        self._rows = [row if r.id == row.id else r for r in self._rows]
        self._refresh_table(keep=row.id)

    # Filtering and sorting ---------------------------------------------------

    @on(Input.Changed, "#register-filter")
    def _filter_typed(self) -> None:
        self._refresh_table()

    @on(Input.Submitted, "#register-filter")
    def _filter_done(self) -> None:
        self.query_one(DataTable).focus()

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

    @on(DataTable.HeaderSelected)
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        column = str(event.column_key.value)
        self._sort_by(column, not self._reverse if column == self._sort_column else False)

    def action_focus_filter(self) -> None:
        self.query_one("#register-filter", Input).focus()

    def action_sort_next(self) -> None:
        keys = [key for key, _, _ in COLUMNS]
        self._sort_by(keys[(keys.index(self._sort_column) + 1) % len(keys)], False)

    def action_sort_reverse(self) -> None:
        self._sort_by(self._sort_column, not self._reverse)

    def action_back(self) -> None:
        if self.focused is self.query_one("#register-filter", Input):
            self.query_one(DataTable).focus()
        else:
            self.dismiss()

    def key_down(self) -> None:
        """Down from the filter goes into the table."""
        if self.focused is self.query_one("#register-filter", Input):
            self.query_one(DataTable).focus()

    def _sort_by(self, column: str, reverse: bool) -> None:
        self._sort_column, self._reverse = column, reverse
        self._refresh_table()

    def _refresh_table(self, keep: UUID | None = None) -> None:
        """Show the rows that pass the filters, in the chosen order."""
        table = self.query_one(DataTable)
        if keep is None and table.row_count:
            keep = self._highlighted()
        text = self.query_one("#register-filter", Input).value
        shown = filter_rows(self._rows, text, status=self._status, meeting=self._meeting)
        self._shown = sort_rows(shown, self._sort_column, reverse=self._reverse)
        self._label_columns(table)
        count = f"{len(self._shown):,} of {len(self._rows):,} requests"
        order = dict((k, h) for k, h, _ in COLUMNS)[self._sort_column]
        direction = "descending" if self._reverse else "ascending"
        self.query_one("#register-count", Static).update(
            f"{count}, by {order.lower()} ({direction})"
        )
        self._generation += 1
        table.clear()
        self._add_batch(self._generation, 0, keep)

    def _add_batch(self, generation: int, start: int, keep: UUID | None) -> None:
        if generation != self._generation:
            return
        table = self.query_one(DataTable)
        end = start + (_BATCH if start else _FIRST)
        batch = self._shown[start:end]
        for row in batch:
            table.add_row(*_cells(row), key=str(row.id))
        if keep is not None and any(row.id == keep for row in batch):
            table.move_cursor(row=table.get_row_index(str(keep)))
        if end < len(self._shown):
            self.set_timer(0.02, lambda: self._add_batch(generation, end, keep))

    def _label_columns(self, table: DataTable[str | Text]) -> None:
        arrow = " ▼" if self._reverse else " ▲"
        for key, heading, _ in COLUMNS:
            table.columns[ColumnKey(key)].label = Text(
                heading + (arrow if key == self._sort_column else "")
            )
        table.refresh()

    def _highlighted(self) -> UUID | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return UUID(str(row_key.value))

    # Opening a request ------------------------------------------------------

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        from .request_view import RequestViewScreen

        self.app.push_screen(
            RequestViewScreen(UUID(str(event.row_key.value))), self._request_changed
        )

    @property
    def shown(self) -> list[RegisterRow]:
        """The rows passing the filters, in order (for tests and the gallery)."""
        return list(self._shown)


def _cells(row: RegisterRow) -> tuple[str | Text, ...]:
    """The row's cells, in the order of :data:`COLUMNS`."""
    priority = row.priority
    return (
        row.reference,
        row.child,
        row.age,
        row.status.label,
        short_date(row.meeting),
        Text(priority.label, style=_PRIORITY_STYLE[priority.value]) if priority else "",
        row.referrer_and_role,
        row.route,
    )
