"""Who the worker is: asked once on first start, kept in their settings.

Their name, role, team, phone and email prefill "About you" in each new
request, and their name and role are stamped on every change they make.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Static

from ..domain.vocabulary import WorkerRole
from ..profile import Profile, profile_problems
from ..widgets.answer import ShortAnswer
from ..widgets.choice import Choice
from ..widgets.error_summary import ErrorSummary, FieldError
from ..widgets.question import Question
from .base import VigScreen

#: Profile field -> (question, hint, optional)
_QUESTIONS = {
    "name": ("Your name", "", False),
    "team": ("Your team", "For example, Camborne Early Help", True),
    "phone": ("Your phone number", "", True),
    "email": ("Your email address", "", True),
}


class ProfileScreen(VigScreen[Profile | None]):
    """GOV.UK-style question page: errors beside the answers and in a summary."""

    HELP_TITLE = "About you"
    AUTO_FOCUS = "#profile-name"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "cancel",
            "Not now",
            id="vig.profile.cancel",
            tooltip="Leave without saving (you are asked again next time)",
        ),
        # Tab moves focus the moment it is read, so the letters typed straight after
        # it reach the next answer, not the one being left (as on the question pages).
        Binding(
            "tab",
            "focus_next",
            "Next answer",
            show=False,
            priority=True,
            id="vig.profile.next",
            tooltip="Go to the next answer",
        ),
        Binding(
            "shift+tab",
            "focus_previous",
            "Previous answer",
            show=False,
            priority=True,
            id="vig.profile.previous",
            tooltip="Go back to the previous answer",
        ),
    ]

    def __init__(self, profile: Profile | None = None) -> None:
        super().__init__(classes="section-page")
        #: Changing details already given (p on Home), not giving them before starting.
        self._changing = profile is not None
        self._profile = profile or Profile()

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="page"):
            yield Static(
                "Your details" if self._changing else "Before you start", classes="caption"
            )
            yield Static("About you", classes="heading")
            yield Static(
                "vig-tui records who makes each change to a request. Your details also "
                "fill in “About you” on each new request (you can still change them there).",
                classes="lede",
            )
            yield ErrorSummary()
            name, hint, optional = _QUESTIONS["name"]
            with Question(name, field="name", hint=hint, optional=optional):
                yield ShortAnswer(self._profile.name, id="profile-name")
            with Question("Your role", field="role"):
                role = self._profile.role or None
                yield Choice([(r.label, r.value) for r in WorkerRole], role, id="profile-role")
            for field in ("team", "phone", "email"):
                label, hint, optional = _QUESTIONS[field]
                with Question(label, field=field, hint=hint, optional=optional):
                    yield ShortAnswer(getattr(self._profile, field), id=f"profile-{field}")
            with Horizontal(classes="actions"):
                yield Button("Continue", id="continue", variant="primary")
        yield Footer()

    def _answers(self) -> Profile:
        def text(field: str) -> str:
            return self.query_one(f"#profile-{field}", Input).value.strip()

        role = self.query_one("#profile-role", Choice).selected
        return Profile(
            name=text("name"),
            role=str(role or ""),
            team=text("team"),
            phone=text("phone"),
            email=text("email"),
        )

    @on(Button.Pressed, "#continue")
    @on(Input.Submitted)
    def action_continue(self) -> None:
        profile = self._answers()
        problems = profile_problems(profile)
        errors = [FieldError(field, message) for field, message in problems.items()]
        for question in self.query(Question):
            question.set_error(problems.get(question.field))
        self.query_one(ErrorSummary).show(errors)
        if not errors:
            self.dismiss(profile)

    @on(ErrorSummary.Selected)
    def _focus_error(self, event: ErrorSummary.Selected) -> None:
        for question in self.query(Question):
            if question.field == event.error.field:
                question.focus_control()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_focus_next(self) -> None:
        self.focus_next()

    def action_focus_previous(self) -> None:
        self.focus_previous()
