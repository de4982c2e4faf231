"""The Inbox: answers a sender and the service both changed, each waiting for the
coordinator's choice (issue #11 §3).

The list shows every waiting answer; Enter opens one side by side (who changed each
side and when), where the coordinator keeps the service's answer, takes the
sender's, or writes another. The choice is saved through
:func:`vig_tui.service.receiving.resolve_conflict` (one attributed history entry
naming both values); nothing is changed until then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from pydantic import JsonValue
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, DataTable, Header, Label, Static

from ..domain.changes import describe_value, shown_label
from ..domain.models import Carer, VigRequest, WaitingConflict
from ..domain.receiving import (
    Choice,
    ResolveError,
    describe_side,
    editable,
    typed_answer,
    whole_carer,
)
from ..domain.wording import plural
from ..widgets.answer import ShortAnswer
from ..widgets.footer import KeysFooter
from .base import VigModal, VigScreen

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Waiting:
    """One answer waiting: the request as read, and its conflict."""

    request: VigRequest
    conflict: WaitingConflict

    @property
    def sender(self) -> str:
        received = self.request.received
        return received.sender_name if received and received.sender_name else "The sender"


def _when(conflict_at: object) -> str:
    from datetime import datetime

    if not isinstance(conflict_at, datetime):
        return "when not recorded"
    local = conflict_at.astimezone()
    return f"{local.day} {local:%b %Y %H:%M}"


def _prefill(value: JsonValue) -> str:
    """The sender's answer as text to start from when writing another."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        return value
    return describe_value(value)


#: The most of one side's answer the list shows (a whole carer is long): Enter shows all.
_CELL = 30


def _cell(text: str) -> Text:
    return Text(text if len(text) <= _CELL else text[: _CELL - 1].rstrip() + "…")


def _limit(item: Waiting) -> int:
    from ..domain.fields import find

    definition = find(item.conflict.path, item.request.checklist_version)
    return (definition.max_length if definition else None) or 200


class InboxScreen(VigScreen[None]):
    """Every answer changed on both sides, oldest request first."""

    CSS_PATH = "inbox.tcss"
    TITLE = "Inbox"
    HELP_TITLE = "Inbox"
    AUTO_FOCUS = "#inbox-table"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="inbox.back", tooltip="Back to Home"),
        Binding(
            "o",
            "open",
            "Open",
            id="inbox.open",
            tooltip="See both answers side by side and choose one",
            priority=True,
        ),
        Binding(
            "r",
            "receive",
            "Receive files",
            id="inbox.receive",
            tooltip="Take request files, a meeting pack's JSON, or decision notices",
        ),
    ]

    class Loaded(Message):
        def __init__(self, waiting: list[Waiting]) -> None:
            self.waiting = waiting
            super().__init__()

    def __init__(self) -> None:
        super().__init__(classes="inbox")
        self.waiting: list[Waiting] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="inbox-lede", markup=False)
        table: DataTable[str | Text] = DataTable(
            id="inbox-table", cursor_type="row", zebra_stripes=True
        )
        yield table
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, heading in (
            ("request", "Request"),
            ("answer", "Answer"),
            ("ours", "The service's"),
            ("theirs", "The sender's"),
        ):
            table.add_column(heading, key=key)
        self.vig.register_changed.subscribe(self, lambda _: self._load())
        self._load()

    def on_screen_resume(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="inbox-load", exit_on_error=False)
    def _load(self) -> None:
        from ..service.receiving import waiting_conflicts

        found = [Waiting(r, c) for r, c in waiting_conflicts(self.vig.store)]
        self.post_message(self.Loaded(found))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        self.waiting = message.waiting
        table.clear()
        for index, item in enumerate(self.waiting):
            table.add_row(
                item.request.reference or "",
                Text(shown_label(item.conflict.path, item.conflict.label)),
                _cell(describe_side(item.conflict.path, item.conflict.ours)),
                _cell(describe_side(item.conflict.path, item.conflict.theirs)),
                key=str(index),
            )
        if self.waiting:
            table.move_cursor(row=min(row, len(self.waiting) - 1))
            lede = (
                f"{plural(len(self.waiting), 'answer')} changed both here and by the sender "
                "since the copy last received. Nothing has been overwritten: press Enter to "
                "see both and choose."
            )
        else:
            lede = (
                "Nothing waits in the Inbox: every answer received has been merged. Files "
                "that come by email (sealed request files, or a meeting pack's JSON) are "
                "taken with r (or `vig-tui receive FILE...`); answers they and the register "
                "both changed then wait here."
            )
        self.query_one("#inbox-lede", Static).update(lede)

    def _highlighted(self) -> Waiting | None:
        table = self.query_one(DataTable)
        if not self.waiting or not 0 <= table.cursor_row < len(self.waiting):
            return None
        return self.waiting[table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "receive") and self.vig.store_ready and self.vig.store.read_only:
            return None
        return True

    def action_receive(self) -> None:
        from .receive_dialog import ReceiveDialog

        self.app.push_screen(ReceiveDialog())

    def action_open(self) -> None:
        item = self._highlighted()
        if item is None:
            self.notify("Nothing waits in the Inbox.", timeout=3)
            return
        self.app.push_screen(ConflictChoice(item), self._settled)

    @on(DataTable.RowSelected)
    def _row_chosen(self) -> None:
        self.action_open()

    def _settled(self, summary: str | None) -> None:
        if summary:
            self.notify(summary, title="Saved", timeout=5)
        self._load()

    def action_back(self) -> None:
        self.dismiss()


class ConflictChoice(VigModal[str]):
    """One waiting answer, both sides with who and when; keep, take, or write another.

    Dismisses with the history line saved (``None`` when left as it was)."""

    CSS_PATH = "inbox.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        *VigModal.BINDINGS,
        Binding("escape", "cancel", "Back", id="inbox.choice.back", tooltip="Leave it waiting"),
        Binding(
            "k",
            "keep",
            "Keep ours",
            id="inbox.choice.keep",
            tooltip="Keep the service's answer",
        ),
        Binding(
            "t",
            "take",
            "Take theirs",
            id="inbox.choice.take",
            tooltip="Take the sender's answer",
        ),
        Binding(
            "e",
            "edit",
            "Write another",
            id="inbox.choice.edit",
            tooltip="Write a different answer",
        ),
    ]

    class Done(Message):
        def __init__(self, summary: str | None, problem: str | None) -> None:
            self.summary = summary
            self.problem = problem
            super().__init__()

    def __init__(self, item: Waiting) -> None:
        super().__init__(classes="conflict-choice")
        self.item = item

    @property
    def HELP_TITLE(self) -> str:
        return "An answer changed on both sides"

    def compose(self) -> ComposeResult:
        item, conflict = self.item, self.item.conflict
        label = shown_label(conflict.path, conflict.label)
        title = f"{item.request.reference or 'A request'}: {label}"
        with VerticalScroll(classes="dialog"):
            yield Label(title, classes="dialog-title", markup=False)
            yield Static(self._lead(), classes="dialog-lead", markup=False)
            yield Static("", id="choice-problem", classes="error-summary", markup=False)
            yield Static(self._side_by_side(), id="choice-sides")
            if conflict.base is not None:
                yield Static(
                    Text(f"Before either change: {describe_value(conflict.base)}"),
                    classes="field-hint",
                )
            with Horizontal(id="choice-edit"):
                yield ShortAnswer(
                    describe_value(conflict.theirs), id="choice-value", max_length=200
                )
                yield Button("Save this answer", id="choice-save")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Keep the service's answer", id="choice-keep", variant="primary")
                yield Button(f"Take {item.sender}'s answer", id="choice-take")
                yield Button("Write another", id="choice-write")
        yield KeysFooter()

    def _lead(self) -> str:
        item, conflict = self.item, self.item.conflict
        choose = "Choose which to keep; the history will record both."
        if not whole_carer(conflict.path):
            return (
                f"This answer was changed here and by {item.sender} since the copy last "
                f"received. {choose}"
            )
        write = "Keep one side, or press e to write them in the carer card"
        if conflict.theirs is None:
            what = f"{item.sender} removed this parent or carer, and they were changed here,"
        elif conflict.ours is None:
            what = f"This parent or carer was removed here, and {item.sender} changed them,"
        else:
            what = f"This parent or carer differs here and in {item.sender}'s copy"
        return f"{what} since the copy last received. {write}; the history will record both."

    def _side_by_side(self) -> Table:
        item, conflict = self.item, self.item.conflict
        table = Table(expand=True, show_edge=False)
        table.add_column("", ratio=1)
        table.add_column("The service's answer", ratio=2)
        table.add_column(f"{item.sender}'s answer", ratio=2)
        path = conflict.path
        table.add_row(
            "Answer", describe_side(path, conflict.ours), describe_side(path, conflict.theirs)
        )
        table.add_row("Changed by", conflict.ours_by or "not recorded", conflict.theirs_by)
        table.add_row("When", _when(conflict.ours_at), _when(conflict.theirs_at))
        return table

    def on_mount(self) -> None:
        self.query_one("#choice-problem", Static).display = False
        self.query_one("#choice-edit").display = False
        self.query_one("#choice-keep", Button).focus()

    @on(Button.Pressed, "#choice-keep")
    def action_keep(self) -> None:
        self._save(Choice.KEEP, None)

    @on(Button.Pressed, "#choice-take")
    def action_take(self) -> None:
        self._save(Choice.TAKE, None)

    @on(Button.Pressed, "#choice-write")
    def action_edit(self) -> None:
        path = self.item.conflict.path
        if whole_carer(path):
            self._write_carer()
            return
        if not editable(self.item.request, path):
            self._problem(
                "This answer cannot be typed here: keep one side, then change it on the "
                "request's page"
            )
            return
        self.query_one("#choice-edit").display = True
        self.query_one("#choice-value", ShortAnswer).focus()

    def _write_carer(self) -> None:
        """The walkthrough's carer card, filled from the sender's side (the service's
        when the sender removed them)."""
        from .carer_answer import CarerAnswer

        item, conflict = self.item, self.item.conflict
        side, source = conflict.theirs, f"{item.sender}'s"
        if side is None:
            side, source = conflict.ours, "the service's"
        label = shown_label(conflict.path, conflict.label)
        title = f"{item.request.reference or 'A request'}: {label}"

        def written(carer: Carer | None) -> None:
            if carer is not None:
                self._save(Choice.EDIT, carer.model_dump(mode="json"))

        sides = (
            f"The service's answer: {describe_side(conflict.path, conflict.ours)}\n"
            f"{item.sender}'s answer: {describe_side(conflict.path, conflict.theirs)}"
        )
        card = CarerAnswer(
            item.request, Carer.model_validate(side), title=title, source=source, sides=sides
        )
        self.app.push_screen(card, written)

    @on(Button.Pressed, "#choice-save")
    @on(ShortAnswer.Submitted, "#choice-value")
    def _save_typed(self) -> None:
        text = self.query_one("#choice-value", ShortAnswer).value
        try:
            value = typed_answer(self.item.request, self.item.conflict.path, text)
        except ResolveError as error:
            self._problem(str(error))
            return
        self._save(Choice.EDIT, value)

    def _problem(self, message: str) -> None:
        problem = self.query_one("#choice-problem", Static)
        problem.update(f"There is a problem: {message}")
        problem.display = True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the box has the focus, the letters are typed into it.
        return not (action in ("keep", "take", "edit") and isinstance(self.focused, ShortAnswer))

    @work(thread=True, exclusive=True, group="inbox-save", exit_on_error=False)
    def _save(self, choice: Choice, value: JsonValue) -> None:
        from ..service.receiving import resolve_conflict
        from ..store import StoreError

        store = self.vig.store
        try:
            current = store.get(self.item.request.id)
            saved = resolve_conflict(
                store,
                self.vig.actor,
                current,
                self.item.conflict.path,
                choice,
                value,
            )
        except (ResolveError, StoreError) as error:
            reason = str(error).rstrip(".")
            self.post_message(self.Done(None, f"{reason}. Nothing was changed."))
            return
        self.post_message(self.Done(saved.history[-1].summary, None))

    @on(Done)
    def _done(self, message: Done) -> None:
        if message.problem is not None:
            self._problem(message.problem)
            return
        self.dismiss(message.summary)

    def action_cancel(self) -> None:
        self.dismiss(None)
