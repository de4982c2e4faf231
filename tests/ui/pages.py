"""Reaching a page and reading what it shows: the steps many Pilot tests share.

Each test module used to carry its own copy of these (a ``_text``, a ``text_of``, the
four lines that open a request's section); one copy here keeps them the same.
"""

from __future__ import annotations

import io
from pathlib import Path
from uuid import UUID

from rich.console import Console
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Input, RadioButton, Static

from vig_tui.app import VigApp
from vig_tui.domain.rules import Section
from vig_tui.screens.walkthrough import RequestWalkthrough
from vig_tui.widgets.choice import Choice
from vig_tui.widgets.footer import KeysFooter

from .keys import settle


def shown_text(screen: Widget, width: int = 110) -> str:
    """Everything the screen's (or a part's) text widgets say, drawn as a terminal ``width`` wide
    would draw it (tables and styled text included)."""
    console = Console(width=width, record=True, file=io.StringIO())
    for widget in screen.query(Static):
        console.print(widget.render())
    return console.export_text()


def plain_text(screen: Widget) -> str:
    """What the screen's text widgets hold, one widget a line, without wrapping: for a
    sentence that must be found whole however wide the terminal is."""
    return "\n".join(str(widget.render()) for widget in screen.query(Static))


def text_of(app: VigApp, selector: str) -> str:
    """What one widget shows on screen, line by line, as wrapped at its width."""
    widget = app.screen.query_one(selector, Static)
    return "\n".join(strip.text for strip in widget.render_lines(widget.region.reset_offset))


def footer_text(screen: Screen[object]) -> str:
    """The keys the footer shows, in order."""
    footer = screen.query_one(KeysFooter)
    return " ".join(str(key.render()) for key in footer.children if key.display)


def choose(screen: Screen[object], label: str) -> None:
    """Press the radio button whose label starts with ``label``, as a click would."""
    button = next(
        b for b in screen.query_one(Choice).query(RadioButton) if str(b.label).startswith(label)
    )
    button.value = True


async def write_to_folder(pilot: Pilot[None], dialog: Screen[object], folder: Path | str) -> None:
    """Type ``folder`` in a write dialog's folder box and press Enter there (Continue)."""
    box = dialog.query_one("#field-folder", Input)
    box.value = str(folder)
    box.focus()
    await pilot.press("enter")
    await settle(pilot)


def table_rows(screen: Screen[object]) -> list[list[str]]:
    """Every row of the screen's table, as the text of its cells."""
    table = screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def open_walkthrough(app: VigApp, pilot: Pilot[None], request_id: UUID) -> RequestWalkthrough:
    """A saved request's task list, as Enter on its row opens it."""
    await app.push_screen(RequestWalkthrough(request_id))
    await pilot.pause()
    walkthrough = app.screen
    assert isinstance(walkthrough, RequestWalkthrough)
    return walkthrough


async def open_section(
    app: VigApp, pilot: Pilot[None], request_id: UUID, section: Section
) -> Screen[object]:
    """One question page of a saved request, reached through its task list."""
    walkthrough = await open_walkthrough(app, pilot, request_id)
    walkthrough.open_section(section)
    await pilot.pause()
    return app.screen


async def open_check_answers(app: VigApp, pilot: Pilot[None], request_id: UUID) -> Screen[object]:
    """A saved request's Check your answers page (``c`` on its task list)."""
    await open_walkthrough(app, pilot, request_id)
    await pilot.press("c")
    await pilot.pause()
    return app.screen


async def press_and_settle(pilot: Pilot[None], *keys: str) -> Screen[object]:
    """Press ``keys``, let what they start finish, and give back the screen then shown."""
    await pilot.press(*keys)
    await settle(pilot)
    return pilot.app.screen
