"""RowGrid on its own: any list, drawn a line at a time, with a cursor that stays in bounds."""

from __future__ import annotations

from textual.app import App, ComposeResult

from vig_tui.widgets.row_grid import Column, RowGrid

COLUMNS = (Column("name", "Name", 6), Column("n", "N", 3))


def cells(row: tuple[str, int]) -> tuple[tuple[str, str], ...]:
    name, number = row
    return ((name, ""), (str(number), "bold" if number > 1 else ""))


class GridApp(App[None]):
    def __init__(self, rows: list[tuple[str, int]]) -> None:
        super().__init__()
        self.rows = rows
        self.chosen: list[int] = []

    def compose(self) -> ComposeResult:
        yield RowGrid[tuple[str, int]](cells)

    def on_mount(self) -> None:
        grid = self.query_one(RowGrid)
        grid.set_columns(COLUMNS)
        grid.show(self.rows)
        grid.focus()

    def on_row_grid_selected(self, event: RowGrid.Selected) -> None:
        self.chosen.append(event.index)


def line(grid: RowGrid[tuple[str, int]], y: int) -> str:
    return grid.render_line(y).text


async def test_an_empty_grid_draws_its_headings_and_ignores_keys() -> None:
    app = GridApp([])
    async with app.run_test(size=(30, 8)) as pilot:
        grid = app.query_one(RowGrid)
        await pilot.press("down", "end", "pagedown", "enter")
        assert grid.row_count == 0 and grid.cursor_row == 0 and grid.highlighted is None
        assert app.chosen == []
        assert line(grid, 0).startswith(" Name   N   ")
        assert line(grid, 1).strip() == ""


async def test_cells_are_cut_or_padded_to_their_column() -> None:
    app = GridApp([("Ann", 1), ("Bartholomew", 12345), ("名前名前", 2)])
    async with app.run_test(size=(30, 8)) as pilot:
        grid = app.query_one(RowGrid)
        await pilot.pause()
        assert line(grid, 1).startswith(" Ann    1   ")
        assert line(grid, 2).startswith(" Barth… 12… ")  # a cut says so
        assert line(grid, 3).startswith(" 名前…  2   ")  # two cells a character
        assert grid.row_texts(1) == ("Bartholomew", "12345")
        bold = [s for s in grid.render_line(3)._segments if s.text.strip() == "2"]
        assert bold and bold[0].style is not None and bold[0].style.bold


async def test_the_cursor_stays_in_bounds_and_enter_selects() -> None:
    rows = [(f"r{i}", i) for i in range(50)]
    app = GridApp(rows)
    async with app.run_test(size=(30, 8)) as pilot:
        grid = app.query_one(RowGrid)
        await pilot.press("up")
        assert grid.cursor_row == 0
        await pilot.press("end", "down", "enter")
        assert grid.cursor_row == 49
        assert app.chosen == [49]
        # the last row is drawn on the last line
        assert line(grid, grid.scrollable_content_region.height - 1).startswith(" r49 ")
        grid.show(rows[:5], cursor=40)  # a shorter list: the cursor comes back in
        await pilot.pause()
        assert grid.cursor_row == 4
        assert line(grid, 1).startswith(" r0 ")


async def test_wide_rows_scroll_sideways() -> None:
    app = GridApp([("Abcdef", 7)])
    async with app.run_test(size=(8, 6)) as pilot:
        grid = app.query_one(RowGrid)
        assert line(grid, 1).startswith(" Abcde")
        await pilot.press("right", "right")
        await pilot.pause()
        shift = round(grid.scroll_x)
        assert shift > 0
        assert line(grid, 1) == (" Abcdef 7   ")[shift : shift + 8]
        assert line(grid, 0) == (" Name   N   ")[shift : shift + 8]
