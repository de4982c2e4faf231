"""What the consent and work pages share: the page's frame, the request they show,
and saving a step.

Both pages are a heading (the request, the child, the status), a line of advice
when there is something to do first, the page's own parts, and the footer: the
frame is composed here, the parts by :meth:`RecordPage.compose_parts`.

A page is opened with the request as the request page read it. A step's dialog
returns its answers; the page runs the step's service command in a thread
worker with the request as read (its version). A request changed meanwhile
opens :class:`~vig_tui.screens.conflict.ConflictScreen` (the step may be applied
to the version stored now); a save that fails reopens the dialog holding the
answers. The page dismisses with the request as last saved when anything
changed, so the request page (and the list beneath it) shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, Static

from ..domain.dates import describe_age
from ..domain.models import VigRequest
from ..domain.work import WorkError
from ..widgets.footer import KeysFooter
from .base import VigScreen

#: A service command with everything but the request filled in.
Step = Callable[[VigRequest], VigRequest]
#: Makes the step from the dialog's answers.
MakeStep = Callable[[Any], Step]
#: Makes the step's dialog again, holding the answers it returned (None: empty).
Reopen = Callable[[Any], ModalScreen[Any]]


class RecordPage(VigScreen[VigRequest | None]):
    """A page about one request after allocation (consents, or the work)."""

    CSS_PATH = "work.tcss"
    #: What the heading calls the page: "Consent", "Work".
    PAGE: ClassVar[str]

    class Saved(Message):
        def __init__(self, request: VigRequest, said: str) -> None:
            self.request = request
            self.said = said
            super().__init__()

    def __init__(self, request: VigRequest) -> None:
        super().__init__()
        self.request = request
        #: The request as last saved from here, when something changed.
        self.changed: VigRequest | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="record-page"):
            yield Static("", id="record-heading")
            yield Static("", id="record-advice", classes="record-advice")
            yield from self.compose_parts()
        yield KeysFooter()

    def compose_parts(self) -> ComposeResult:
        """The page's own parts, under its heading and advice."""
        raise NotImplementedError

    def show_heading(self, advice: str) -> None:
        """The request, the child and the status; the advice, or nothing when there is none."""
        request, today = self.request, self.vig.today
        child = request.child
        age = describe_age(child.date_of_birth, today) if child.date_of_birth else "age unknown"
        self.sub_title = request.reference or "Draft"
        self.query_one("#record-heading", Static).update(
            Text.assemble(
                (f"{self.PAGE}: {request.reference or 'Draft request'}", "bold"),
                f"  {child.initials or 'Child not named'}, {age}   Status: {request.status.label}",
            )
        )
        shown = self.query_one("#record-advice", Static)
        shown.update(advice)
        shown.display = bool(advice)

    def took(self, request: VigRequest) -> None:
        """Show ``request``, saved (here or on a page opened from here) as it now is."""
        self.request = request
        self.changed = request
        self.show()
        self.refresh_bindings()

    def writable(self) -> bool | None:
        """None (shown, dimmed) when the database is open read-only."""
        return None if self.vig.store.read_only else True

    def ask(self, dialog: ModalScreen[Any], reopen: Reopen, step: MakeStep) -> None:
        """Open ``dialog``; its answers become ``step(answers)``, saved on the request."""

        def answered(answers: Any) -> None:
            if answers is not None:
                self._save(step, answers, reopen, self.request)

        self.app.push_screen(dialog, answered)

    @work(thread=True, group="record-save")
    def _save(self, step: MakeStep, answers: Any, reopen: Reopen, before: VigRequest) -> None:
        from ..store import StoreError, VersionConflict

        try:
            stored = step(answers)(before)
        except VersionConflict as conflict:
            self.app.call_from_thread(self._conflict, step, answers, reopen, before, conflict)
            return
        except WorkError as error:
            self.app.call_from_thread(
                self.notify, str(error), title="Not saved", severity="warning", timeout=10
            )
            return
        except StoreError as error:
            self.app.call_from_thread(self._failed, str(error), step, answers, reopen)
            return
        self.post_message(self.Saved(stored, stored.history[-1].summary))

    def _failed(self, message: str, step: MakeStep, answers: Any, reopen: Reopen) -> None:
        self.notify(f"Not saved. {message}", title="Not saved", severity="error", timeout=10)
        self.ask(reopen(answers), reopen, step)

    def _conflict(
        self, step: MakeStep, answers: Any, reopen: Reopen, before: VigRequest, conflict: Any
    ) -> None:
        from .conflict import ConflictScreen

        current: VigRequest = conflict.current

        def chosen(again: bool | None) -> None:
            self.took(current)
            if again:
                self._save(step, answers, reopen, current)

        self.app.push_screen(
            ConflictScreen(before, current, self.describe(answers), confirm="Save mine on it"),
            chosen,
        )

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.took(message.request)
        self.notify(message.said, title="Saved", timeout=4)

    def describe(self, answers: Any) -> str:
        """What the worker was saving, for the conflict screen."""
        return str(answers)

    def show(self) -> None:
        raise NotImplementedError

    def action_back(self) -> None:
        self.dismiss(self.changed)


def fixed_columns(table: DataTable[Any], columns: Iterable[tuple[str, int]]) -> None:
    """Give ``table`` its columns at fixed widths: the first rows (often "Not recorded"
    or none) would otherwise size them for good."""
    for heading, width in columns:
        table.add_column(heading, width=width)
