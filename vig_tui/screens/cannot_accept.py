"""The explanation page: why the service cannot accept a request, and what to do instead.

Eligibility is not a validation error: the worker gets the reason in plain
words and the next step, then chooses to change the answers or carry on.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Header, Static

from ..domain.checklist import checklist_in_use
from ..domain.rules import Finding
from ..widgets.footer import KeysFooter
from .base import VigScreen


class CannotAcceptScreen(VigScreen[bool]):
    """Dismisses True to change the answers, False to return to the task list."""

    HELP_TITLE = "The request cannot be accepted"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "leave",
            "Task list",
            id="vig.cannot.back",
            tooltip="Keep the draft as it is and return to the task list",
        ),
    ]

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(classes="explanation")
        self.findings = findings

    def compose(self) -> ComposeResult:
        checklist = checklist_in_use()
        yield Header()
        with VerticalScroll(id="page"):
            yield Static(
                "The VIG service cannot accept this request", classes="heading", markup=False
            )
            for finding in self.findings:
                yield Static(f"Why: {finding.section.title}", classes="subheading", markup=False)
                yield Static(f"{finding.message}.", classes="reason", markup=False)
                if finding.next_steps:
                    yield Static("What to do next", classes="subheading", markup=False)
                    yield Static(finding.next_steps, classes="next-steps", markup=False)
            yield Static(
                "Your answers are kept in the draft: if something was answered by mistake, "
                "change it. To talk it through, contact the VIG service on "
                f"{checklist.service_phone} or {checklist.service_email}.",
                classes="lede",
                markup=False,
            )
            with Horizontal(classes="actions"):
                yield Button("Change my answers", id="change", variant="primary")
                yield Button("Return to the task list", id="leave")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#change", Button).focus()

    @on(Button.Pressed, "#change")
    def action_change(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#leave")
    def action_leave(self) -> None:
        self.dismiss(False)
