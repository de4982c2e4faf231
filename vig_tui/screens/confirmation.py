"""Request sent: the reference, the meeting that will consider it, what happens next.

Sent by file from a referrer's machine, it says instead what the worker must do
now: attach the sealed file (its full path shown) to a secure email to the
service's address; the service gives the reference when it receives it.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Header, Static

from ..domain.checklist import checklist_for
from ..domain.dates import format_date
from ..domain.models import VigRequest
from ..widgets.footer import KeysFooter
from .base import VigScreen


class ConfirmationScreen(VigScreen[None]):
    HELP_TITLE = "Request sent"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "app.go_home",
            "Home",
            id="vig.confirmation.home",
            tooltip="Go back to Home",
        ),
        Binding(
            "n",
            "app.new_request",
            "New request",
            id="vig.confirmation.new",
            tooltip="Start another request",
        ),
        Binding(
            "e",
            "export_summary",
            "Export",
            id="vig.confirmation.export",
            tooltip="Write this request's summary (PDF, Word, HTML, Markdown, CSV or JSON) to "
            "attach to the Early Help Hub's form or a team manager's decision",
            priority=True,
        ),
    ]

    def __init__(self, request: VigRequest, file: Path | None = None) -> None:
        super().__init__(classes="confirmation")
        self.request = request
        #: The sealed file written for the service, when sent by file.
        self.file = file

    def action_export_summary(self) -> None:
        from .summary_dialog import SummaryDialog

        self.app.push_screen(SummaryDialog(self.request))

    def compose(self) -> ComposeResult:
        if self.file is not None:
            yield from self._sent_by_file(self.file)
            return
        request = self.request
        checklist = checklist_for(request.checklist_version)
        meeting = format_date(request.meeting, missing="the next allocation meeting")
        weekday = f"{request.meeting:%A} " if request.meeting else ""
        yield Header()
        with VerticalScroll(id="page"):
            with Vertical(id="panel"):
                yield Static("Request sent", classes="heading")
                yield Static(f"Your reference is {request.reference}", id="reference")
            yield Static("What happens next", classes="subheading")
            yield Static(
                f"The VIG service will consider this request at its allocation meeting on "
                f"{weekday}{meeting}.",
                id="meeting",
                markup=False,
            )
            yield Static(
                "If VIG is the right intervention for the family, a VIG practitioner will be "
                "assigned and the work prioritised according to need. You can correct the "
                "request from the register until the meeting. Quote the reference if you "
                "contact the service about it.",
                classes="lede",
                markup=False,
            )
            yield Static("Contact the VIG service", classes="subheading")
            yield Static(
                f"Email: {checklist.service_email}\nCall: {checklist.service_phone}",
                id="contact",
                markup=False,
            )
            with Horizontal(classes="actions"):
                yield Button("Return to Home", id="home", variant="primary")
                yield Button("Start another request", id="new")
        yield KeysFooter()

    def _sent_by_file(self, file: Path) -> ComposeResult:
        request = self.request
        service = self.vig.preferences.service_key
        email = service.email if service is not None else "the VIG service's secure address"
        yield Header()
        with VerticalScroll(id="page"):
            with Vertical(id="panel"):
                yield Static("Request ready to email", classes="heading")
                yield Static(f"Your local number is {request.local_number}", id="reference")
            yield Static("What you need to do now", classes="subheading")
            yield Static(
                f"Attach this file to a secure email to {email}:",
                id="email",
                markup=False,
            )
            yield Static(str(file), id="file", classes="file-path", markup=False)
            call = (
                f" Questions: call the service on {service.phone}."
                if service and service.phone
                else ""
            )
            yield Static(
                "Only the VIG service can open it. The service gives the request its reference "
                f"and its meeting when it receives the file; until then Home shows it as waiting."
                f"{call}",
                classes="lede",
                id="contact",
                markup=False,
            )
            with Horizontal(classes="actions"):
                yield Button("Return to Home", id="home", variant="primary")
                yield Button("Start another request", id="new")
        yield KeysFooter()

    def on_mount(self) -> None:
        # Enter goes Home, but the page opens at its top: the reference comes first.
        self.query_one("#home", Button).focus(scroll_visible=False)
        self.call_after_refresh(self.query_one("#page", VerticalScroll).scroll_home, animate=False)

    @on(Button.Pressed, "#home")
    def _home(self) -> None:
        self.vig.go_home()

    @on(Button.Pressed, "#new")
    def _new(self) -> None:
        self.vig.action_new_request()
