"""The register: every request, filtered as you type.

Rows are built once, in a worker thread, from the store's light summaries (no
request is validated), put in the current order and measured for the column
widths there too. Typing, choosing a status or meeting and sorting then only
filter and order those rows; typing on narrows the rows found a keystroke ago
rather than all of them.

The table holds one page of the matching rows, not all ten thousand, in rows
that stay put: the table's row keys are places ("0", "1", ...) and a new
filter rewrites only the cells that differ, so nothing is measured or laid
out again per keystroke. The request in each place is ``_page[place]``.
Moving down near the last row held adds the next page; End adds them all.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import ClassVar
from uuid import UUID

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from ..domain.models import RequestStatus, VigRequest
from ..meeting_service import (
    COLUMNS,
    RegisterRow,
    filter_rows,
    narrows,
    register_row,
    short_date,
    sort_rows,
    summary_row,
)

#: Rows the table holds at first: a few screenfuls, few enough to rewrite per keystroke.
PAGE = 200
#: The next page is added once the cursor comes this close to the last row held.
NEAR_END = 20
#: End adds the remaining rows in batches this big, a short pause between them,
#: so keys typed meanwhile are handled at once.
_BATCH = 500
#: After a keystroke the rows below the screenful are brought in line this much
#: later (seconds), once its frame is drawn; a newer keystroke supersedes them.
_REST_AFTER = 0.1

_PRIORITY_STYLE = {"high": "bold", "medium": "", "low": "dim"}
_COLUMN_KEYS = tuple(key for key, _, _ in COLUMNS)
_HEADINGS = {key: heading for key, heading, _ in COLUMNS}

Cells = tuple[Text, ...]


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
    )


def column_widths(rows: list[RegisterRow]) -> tuple[int, ...]:
    """Each column's width: its longest cell or its heading with the sort arrow."""
    widths = [cell_len(heading) + 2 for _, heading, _ in COLUMNS]
    for row in rows:
        for index, text in enumerate(cell_texts(row)):
            if len(text) > widths[index]:
                widths[index] = cell_len(text)
    return tuple(widths)


class RegisterTable(DataTable[Text]):
    """The register's table: End goes to the very last matching row, not the last held."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "end,ctrl+end",
            "screen.show_all",
            "Last",
            show=False,
            id="register.last",
            tooltip="Show every matching request and go to the last",
        ),
    ]


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
        #: The rows that pass the filters, in order.
        self._matching: list[RegisterRow] = []
        #: What ``_matching`` was filtered by: (text, status, meeting).
        self._query: tuple[str, RequestStatus | None, date | None] | None = None
        #: The rows in the table, place by place: the start of ``_matching``.
        self._page: list[RegisterRow] = []
        #: The cells in each place of the table.
        self._placed: list[Cells] = []
        #: Each request's cells, made when first shown; cells with the same
        #: text and style are one object, so unchanged cells are seen at once.
        self._cells: dict[UUID, Cells] = {}
        self._texts: dict[tuple[str, str], Text] = {}
        self._widths: tuple[int, ...] = ()
        self._sort_column = "reference"
        self._reverse = False
        #: Bumped whenever the rows change, so End's batches of an older list stop.
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
        yield RegisterTable(id="register-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self._table
        self._set_columns(column_widths([]))
        table.loading = True
        table.focus()
        self._load(self._order)

    @property
    def _table(self) -> RegisterTable:
        return self.query_one(RegisterTable)

    @property
    def _order(self) -> str:
        return f"{self._sort_column} {'descending' if self._reverse else 'ascending'}"

    # Loading --------------------------------------------------------------

    @work(thread=True, exclusive=True, group="register-load")
    def _load(self, by: str) -> None:
        """Rows from the store's light summaries, in the order ``by`` (column, direction)."""
        store, today = self.app.store, self.app.today  # type: ignore[attr-defined]
        rows = [summary_row(s, today) for s in store.summaries()]
        column, direction = by.split()
        ordered = sort_rows(rows, column, reverse=direction == "descending")
        self.post_message(self.Loaded(rows, ordered, by, column_widths(rows)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self._rows = message.rows
        self._cells.clear()
        self._texts.clear()
        meetings = sorted({r.meeting for r in self._rows if r.meeting}, reverse=True)
        meeting_select: Select[date] = self.query_one("#register-meeting", Select)
        meeting_select.set_options((short_date(m), m) for m in meetings)
        if self._meeting in meetings:
            meeting_select.value = self._meeting
        self._set_columns(message.widths)
        self._table.loading = False
        if message.by == self._order:
            self._ordered = message.ordered
            self._refresh_table(fresh=True)
        else:  # sorted again while the rows were being read
            self._refresh_table(resort=True)

    def action_reload(self) -> None:
        self._table.loading = True
        self._load(self._order)

    def _request_changed(self, request: VigRequest | None) -> None:
        """A request opened from here came back changed: update its row only."""
        if request is None:
            return
        row = register_row(request, self.app.today)  # type: ignore[attr-defined]
        self._rows = [row if r.id == row.id else r for r in self._rows]
        self._cells.pop(row.id, None)
        wider = tuple(map(max, self._widths, column_widths([row])))
        if wider != self._widths:
            self._set_columns(wider)
        self._refresh_table(keep=row.id, resort=True, hold=True)

    # Filtering and sorting ---------------------------------------------------

    @on(Input.Changed, "#register-filter")
    def _filter_typed(self) -> None:
        self._refresh_table()

    @on(Input.Submitted, "#register-filter")
    def _filter_done(self) -> None:
        self._table.focus()

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
        keys = list(_COLUMN_KEYS)
        self._sort_by(keys[(keys.index(self._sort_column) + 1) % len(keys)], False)

    def action_sort_reverse(self) -> None:
        self._sort_by(self._sort_column, not self._reverse)

    def action_back(self) -> None:
        if self.focused is self.query_one("#register-filter", Input):
            self._table.focus()
        else:
            self.dismiss()

    def key_down(self) -> None:
        """Down from the filter goes into the table."""
        if self.focused is self.query_one("#register-filter", Input):
            self._table.focus()

    def _sort_by(self, column: str, reverse: bool) -> None:
        self._sort_column, self._reverse = column, reverse
        self._label_columns()
        self._refresh_table(resort=True)

    def _refresh_table(
        self,
        keep: UUID | None = None,
        *,
        resort: bool = False,
        fresh: bool = False,
        hold: bool = False,
    ) -> None:
        """Show the rows that pass the filters, in the chosen order.

        ``resort``: the rows or their order changed, so the order is worked out
        again. ``fresh``: new rows were read. ``keep``: the request whose row
        keeps the cursor (else the highlighted one). ``hold``: keep as many
        rows in the table as it has now, not one page.
        """
        if keep is None:
            keep = self._highlighted()
        if resort:
            self._ordered = sort_rows(self._rows, self._sort_column, reverse=self._reverse)
        text = self.query_one("#register-filter", Input).value
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
        self._generation += 1
        wanted = max(PAGE, len(self._page)) if hold else PAGE
        self._page = self._matching[:wanted]
        place = next((i for i, row in enumerate(self._page) if row.id == keep), 0)
        self._place(at_least=place + 1, now=resort or fresh)
        if self._table.row_count:
            self._table.move_cursor(row=place)
        self._show_count()

    def _place(self, *, at_least: int = 0, now: bool = False) -> None:
        """Make the table show ``_page``: a screenful (and ``at_least`` rows) at
        once, the rest a moment later unless ``now``, so a keystroke's frame
        waits only for the rows it shows.

        Only the cells that differ are rewritten. Places beyond the page are
        removed from the end (or, when most go, the table starts again:
        removing a row costs more than adding one).
        """
        table = self._table
        placed = self._placed
        count = len(self._page)
        if len(placed) - count > count:
            table.clear()
            placed = []
        for place in range(len(placed) - 1, count - 1, -1):
            table.remove_row(str(place))
        self._placed = placed[:count]
        first = count if now else max(table.size.height or PAGE, at_least)
        self._fill(first)
        if count > first:
            self.set_timer(_REST_AFTER, partial(self._fill_rest, self._generation))

    def _fill_rest(self, generation: int) -> None:
        if generation == self._generation:
            self._fill(len(self._page))

    def _fill(self, upto: int) -> None:
        """Bring the table's first ``upto`` places in line with ``_page``."""
        table, placed = self._table, self._placed
        rows = self._page[:upto]
        for place, row in enumerate(rows):
            cells = self._cells_of(row)
            if place == len(placed):
                table.add_row(*cells, key=str(place))
                placed.append(cells)
                continue
            before = placed[place]
            if before is cells:
                continue
            for key, was, now in zip(_COLUMN_KEYS, before, cells, strict=True):
                if was is not now:
                    table.update_cell(str(place), key, now)
            placed[place] = cells

    def _cells_of(self, row: RegisterRow) -> Cells:
        cells = self._cells.get(row.id)
        if cells is None:
            priority = row.priority
            styles = ("",) * 5 + (_PRIORITY_STYLE[priority.value] if priority else "", "", "")
            cells = self._cells[row.id] = tuple(
                self._text(text, style) for text, style in zip(cell_texts(row), styles, strict=True)
            )
        return cells

    def _text(self, text: str, style: str) -> Text:
        """One ``Text`` per distinct cell: drawn as it is (no markup to parse)."""
        found = self._texts.get((text, style))
        if found is None:
            found = self._texts[text, style] = Text(text, style=style, no_wrap=True, end="")
        return found

    def _show_count(self) -> None:
        count = f"{len(self._matching):,} of {len(self._rows):,} requests"
        direction = "descending" if self._reverse else "ascending"
        text = f"{count}, by {_HEADINGS[self._sort_column].lower()} ({direction})"
        if len(self._page) < len(self._matching):
            text += f"; the first {len(self._page):,} shown: type to narrow, End for all"
        self.query_one("#register-count", Static).update(text)

    # Columns ------------------------------------------------------------------

    def _set_columns(self, widths: tuple[int, ...]) -> None:
        """Fixed widths, from every row: typing never makes a column jump."""
        if widths == self._widths:
            return
        self._widths = widths
        table = self._table
        table.clear(columns=True)
        self._page, self._placed = [], []
        for (key, heading, _), width in zip(COLUMNS, widths, strict=True):
            table.add_column(heading, key=key, width=width)
        self._label_columns()

    def _label_columns(self) -> None:
        table = self._table
        arrow = " ▼" if self._reverse else " ▲"
        for key, column in table.columns.items():
            heading = _HEADINGS[str(key.value)]
            column.label = Text(heading + (arrow if key.value == self._sort_column else ""))
        table.refresh()

    # More rows than one page --------------------------------------------------

    @on(DataTable.RowHighlighted)
    def _near_the_end(self, event: DataTable.RowHighlighted) -> None:
        """Moving down to the last rows held adds the next page."""
        if event.cursor_row >= len(self._page) - NEAR_END:
            self._add_more(PAGE)

    def _add_more(self, count: int) -> None:
        """Add up to ``count`` more matching rows to the end of the table."""
        more = self._matching[len(self._page) : len(self._page) + count]
        if more:
            self._page = self._page + more
            self._fill(len(self._page))
            self._show_count()

    def action_show_all(self) -> None:
        """Every matching row, in batches, then the cursor on the last."""
        self._generation += 1
        self._add_batches(self._generation)

    def _add_batches(self, generation: int) -> None:
        if generation != self._generation:
            return
        self._add_more(_BATCH)
        if len(self._page) < len(self._matching):
            self.set_timer(0.01, lambda: self._add_batches(generation))
        else:
            self._table.action_scroll_bottom()

    def _highlighted(self) -> UUID | None:
        table = self._table
        if not table.row_count or table.cursor_row >= len(self._page):
            return None
        return self._page[table.cursor_row].id

    # Opening a request ------------------------------------------------------

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        from .request_view import RequestViewScreen

        self.app.push_screen(
            RequestViewScreen(self._page[event.cursor_row].id), self._request_changed
        )

    @property
    def shown(self) -> list[RegisterRow]:
        """The rows passing the filters, in order (for tests and the gallery)."""
        return list(self._matching)
