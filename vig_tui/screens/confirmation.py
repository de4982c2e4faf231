"""Request sent: the reference, the meeting that will consider it, what happens next."""

from __future__ import annotations

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
    ]

    def __init__(self, request: VigRequest) -> None:
        super().__init__(classes="confirmation")
        self.request = request

    def compose(self) -> ComposeResult:
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
