"""A table that draws only the rows on screen: for long lists that change per keystroke.

Textual's ``DataTable`` keeps a row object per row and renders every changed
cell through Rich; rewriting a screenful of it after each keystroke costs a
frame or two. ``RowGrid`` keeps nothing per row: it is handed the whole list
(any sequence) and a function from a row to its cells, and its ``render_line``
turns the one row on that line into a strip of plain segments. Showing a new
list, of ten rows or fifty thousand, costs the same: the lines on screen.

The first line is the column headings, fixed while the rows scroll; a row
cursor moves with the keys and Enter (or a click on the highlighted row)
selects it. Clicking a heading asks for a sort (:class:`RowGrid.HeaderSelected`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar, Generic, TypeVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

RowT = TypeVar("RowT")

#: A cell: its text and a Rich style for it ("" for the row's own, "bold", "dim").
Cell = tuple[str, str]
#: Spaces before the first cell and after each cell: one space between columns.
GAP = 1


@dataclass(frozen=True, slots=True)
class Column:
    """One column: the key it is known by, its heading and its width in cells."""

    key: str
    label: str
    width: int


@lru_cache(maxsize=64)
def _parsed(style: str) -> Style:
    return Style.parse(style)


class RowGrid(ScrollView, Generic[RowT], can_focus=True):
    """Rows of fixed-width cells with a row cursor, drawn a line at a time."""

    DEFAULT_CSS = """
    RowGrid {
        background: $surface;
        color: $foreground;
        height: 1fr;
        &:focus {
            background-tint: $foreground 5%;
            & > .row-grid--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        & > .row-grid--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .row-grid--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .row-grid--even-row {
            background: $surface-lighten-1 50%;
        }
        &:dark > .row-grid--even-row {
            background: $surface-darken-1 40%;
        }
        & > .row-grid--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-grid--header",
        "row-grid--even-row",
        "row-grid--cursor",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "first", "First", show=False),
        Binding("end,ctrl+end", "last", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]

    #: The highlighted row's index in the rows shown.
    cursor_row: reactive[int] = reactive(0, always_update=True, init=False)

    class Selected(Message):
        """Enter (or a click on the highlighted row) chose a row."""

        def __init__(self, grid: RowGrid[object], index: int, row: object) -> None:
            self.grid = grid
            #: Where the row was, and the row itself (the list may change meanwhile).
            self.index = index
            self.row = row
            super().__init__()

        @property
        def control(self) -> RowGrid[object]:
            return self.grid

    class HeaderSelected(Message):
        """A column heading was clicked."""

        def __init__(self, grid: RowGrid[object], key: str) -> None:
            self.grid = grid
            self.key = key
            super().__init__()

        @property
        def control(self) -> RowGrid[object]:
            return self.grid

    def __init__(
        self,
        cells: Callable[[RowT], Sequence[Cell]],
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._cells_of = cells
        self._columns: tuple[Column, ...] = ()
        self._rows: Sequence[RowT] = ()
        self._width = 0

    # What is shown ------------------------------------------------------------

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns

    @property
    def rows(self) -> Sequence[RowT]:
        return self._rows

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def highlighted(self) -> RowT | None:
        """The row under the cursor, if there are any rows."""
        return self._rows[self.cursor_row] if self._rows else None

    def set_columns(self, columns: Iterable[Column]) -> None:
        """The columns, in order (headings may change; a sort arrow, say)."""
        self._columns = tuple(columns)
        self._width = GAP + sum(column.width + GAP for column in self._columns)
        self._resize()

    def show(self, rows: Sequence[RowT], cursor: int = 0) -> None:
        """Show ``rows`` (kept, not copied) with the cursor on row ``cursor``."""
        self._rows = rows
        self._resize()
        self.cursor_row = min(max(cursor, 0), max(len(rows) - 1, 0))

    def row_texts(self, index: int) -> tuple[str, ...]:
        """The texts of one row's cells, as drawn (for tests and screen readers)."""
        return tuple(text for text, _ in self._cells_of(self._rows[index]))

    def _resize(self) -> None:
        self.virtual_size = Size(self._width, len(self._rows) + 1)
        self.refresh()

    # The cursor -----------------------------------------------------------------

    @property
    def _page_height(self) -> int:
        """Rows on screen at once (the heading takes a line)."""
        return max(self.scrollable_content_region.height - 1, 1)

    def validate_cursor_row(self, value: int) -> int:
        return min(max(value, 0), max(len(self._rows) - 1, 0))

    def watch_cursor_row(self) -> None:
        self._scroll_to_cursor()
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        top, height = round(self.scroll_y), self._page_height
        row = self.cursor_row
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        self._scroll_to_cursor()

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_up(self) -> None:
        self.cursor_row -= self._page_height

    def action_page_down(self) -> None:
        self.cursor_row += self._page_height

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = len(self._rows) - 1

    def action_select(self) -> None:
        if self._rows:
            row = self._rows[self.cursor_row]
            self.post_message(self.Selected(self, self.cursor_row, row))  # type: ignore[arg-type]

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            key = self._column_at(offset.x + round(self.scroll_x))
            if key is not None:
                self.post_message(self.HeaderSelected(self, key))  # type: ignore[arg-type]
            return
        index = round(self.scroll_y) + offset.y - 1
        if index >= len(self._rows):
            return
        if index == self.cursor_row:
            self.action_select()
        else:
            self.cursor_row = index

    def _column_at(self, x: int) -> str | None:
        x -= GAP
        for column in self._columns:
            x -= column.width + GAP
            if x < 0:
                return column.key
        return None

    # Drawing -------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x, scroll_y = round(self.scroll_x), round(self.scroll_y)
        if y == 0:
            style = self.get_component_rich_style("row-grid--header")
            strip = self._strip([(column.label, "") for column in self._columns], style)
        else:
            index = scroll_y + y - 1
            if index >= len(self._rows):
                return Strip.blank(width, self.rich_style)
            strip = self._strip(
                self._cells_of(self._rows[index]),
                self._row_style(index),
                plain=index == self.cursor_row,
            )
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def _row_style(self, index: int) -> Style:
        style = self.rich_style
        if index % 2:
            style += self.get_component_rich_style("row-grid--even-row")
        if index == self.cursor_row:
            style += self.get_component_rich_style("row-grid--cursor")
        return style

    def _strip(self, cells: Sequence[Cell], style: Style, *, plain: bool = False) -> Strip:
        """One line; ``plain``: without the cells' own styles (the cursor's line,
        so a dim cell stays readable on the cursor's colour in every theme)."""
        gap = " " * GAP
        segments = [Segment(gap, style)]
        segments += [
            Segment(
                f"{_fitted(text, column.width)}{gap}",
                style if plain or not extra else style + _parsed(extra),
            )
            for column, (text, extra) in zip(self._columns, cells, strict=True)
        ]
        return Strip(segments, self._width)


def _fitted(text: str, width: int) -> str:
    """``text`` in exactly ``width`` cells: padded, or cut with an ellipsis that says so."""
    if cell_len(text) <= width or width < 2:
        return set_cell_size(text, width)
    return set_cell_size(set_cell_size(text, width - 1).rstrip() + "…", width)
