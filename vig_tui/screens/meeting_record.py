"""Who came to a meeting, who sent apologies, and the actions agreed.

The dialog only gathers a :class:`~vig_tui.domain.models.MeetingRecord`; the
meeting screen saves it (in a worker) and the export dialog writes the record
of the meeting from it. A name is a line; limits come from the model, and an
answer that breaks them is shown beside its box, with what was typed kept.
"""

from __future__ import annotations

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Label, Static, TextArea

from ..domain.dates import format_date
from ..domain.models import MeetingRecord
from ..domain.text import max_length_of
from ..widgets.answer import LongAnswer
from ..widgets.footer import KeysFooter
from .base import VigModal

_FIELDS = {
    "attendees": ("Present", "One name a line, with their role if you like"),
    "apologies": ("Apologies (optional)", "One name a line"),
    "actions": ("Actions agreed (optional)", "One action a line: who does what, by when"),
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class MeetingRecordDialog(VigModal[MeetingRecord | None]):
    """Enter or change the record of one meeting; Escape leaves it unchanged."""

    CSS_PATH = ["decision.tcss", "meeting_record.tcss"]
    HELP_TITLE = "Record of the meeting"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="record.cancel", tooltip="Close without saving"),
        Binding(
            "ctrl+s",
            "save",
            "Save",
            id="record.save",
            tooltip="Save who came, the apologies and the actions",
            priority=True,
        ),
    ]

    def __init__(self, record: MeetingRecord) -> None:
        super().__init__()
        self.record = record

    def compose(self) -> ComposeResult:
        values = {
            "attendees": "\n".join(self.record.attendees),
            "apologies": "\n".join(self.record.apologies),
            "actions": self.record.actions,
        }
        with VerticalScroll(classes="dialog"):
            yield Label(
                f"Record of the meeting on {format_date(self.record.meeting)}",
                classes="dialog-title",
            )
            yield Static("", id="error-summary", classes="field-error")
            for name, (label, hint) in _FIELDS.items():
                yield Label(label, classes="field-label")
                yield Static(hint, classes="field-hint")
                yield Static("", id=f"error-{name}", classes="field-error")
                yield LongAnswer(
                    values[name],
                    id=f"field-{name}",
                    soft_wrap=True,
                    max_length=max_length_of(MeetingRecord, name),
                    # A name a line: each line is short text, shown as it is stored.
                    short_lines=name != "actions",
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (Ctrl+S)", variant="primary", id="save")
                yield Button("Cancel", id="cancel")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#field-attendees", TextArea).focus()

    def _text(self, name: str) -> str:
        return self.query_one(f"#field-{name}", TextArea).text

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        for name in _FIELDS:
            self._error(name, "")
        try:
            record = MeetingRecord(
                meeting=self.record.meeting,
                attendees=_lines(self._text("attendees")),
                apologies=_lines(self._text("apologies")),
                actions="\n".join(_lines(self._text("actions"))),
            )
        except ValidationError as error:
            for problem in error.errors(include_url=False):
                name = str(problem["loc"][0])
                self._error(name, _message(name, problem["type"]))
            summary = self.query_one("#error-summary", Static)
            summary.update("There is a problem: see the boxes marked below")
            summary.add_class("shown")
            return
        self.dismiss(record)

    def _error(self, name: str, message: str) -> None:
        error = self.query_one(f"#error-{name}", Static)
        error.update(message)
        error.set_class(bool(message), "shown")
        if not message:
            self.query_one("#error-summary", Static).remove_class("shown")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _message(name: str, kind: str) -> str:
    label = _FIELDS[name][0].removesuffix(" (optional)")
    if kind == "too_long":
        return f"{label}: list 100 names or fewer"
    if name == "actions":
        return "Actions must be 20,000 characters or fewer"
    return f"{label}: each name must be 200 characters or fewer"
