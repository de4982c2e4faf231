"""Check your answers: every answer on one page, the rules' findings, and Send.

Each section has a Change button (and a number key) that opens the section and
comes back here. Blocking findings stop the request being sent and say what to
do; advisories are shown and allow sending. A sent request being corrected ends
in **Save correction** instead of Send: it asks why, as the section pages do, and
saves what was changed and not yet saved (each section's Continue saves its own).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Header, Label, Static

from ..domain.answers import section_rows
from ..domain.changes import answer_changes
from ..domain.dates import format_date
from ..domain.models import VigRequest
from ..domain.progress import ineligible_so_far, section_answered
from ..domain.rules import Finding, Section, blocking, evaluate
from ..store import StoreError
from ..widgets.footer import KeysFooter
from .base import VigScreen
from .section import SectionResult, Session
from .sections import section_screen

SEND_LABEL = "Send request to the VIG service"
SAVE_CORRECTION_LABEL = "Save correction"


def _change_binding(section: Section) -> Binding:
    number = section.order + 1
    return Binding(
        str(number),
        f"change('{section.value}')",
        f"Change {section.title}",
        show=False,
        id=f"vig.check.change.{section.value}",
        tooltip=f"Change your answers in “{section.title}”, then come back here",
    )


class ChangeButton(Button):
    """A section's Change button: it carries its section (its id is for styling and tests)."""

    def __init__(self, section: Section) -> None:
        super().__init__(
            f"Change ({section.order + 1})",
            id=f"change-{section.value}",
            classes="change",
            compact=True,
        )
        self.section = section


class CheckAnswersScreen(VigScreen[None]):
    HELP_TITLE = "Check your answers"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "back",
            "Task list",
            id="vig.check.back",
            tooltip="Go back to the task list",
        ),
        Binding(
            "s",
            "send",
            "Send",
            id="vig.check.send",
            tooltip=SEND_LABEL,
        ),
        Binding(
            "s",
            "save_correction",
            SAVE_CORRECTION_LABEL,
            id="vig.check.save_correction",
            tooltip="Save the correction, with why it was made",
        ),
        *[_change_binding(section) for section in Section],
    ]

    def __init__(self, session: Session) -> None:
        super().__init__(classes="check-answers")
        self.session = session

    @property
    def request(self) -> VigRequest:
        return self.session.request

    def compose(self) -> ComposeResult:
        request = self.request
        findings = evaluate(request, self.vig.today)
        yield Header()
        with VerticalScroll(id="page"):
            if self.session.correcting:
                number = request.reference or request.local_number
                yield Static(f"Correcting {number}", classes="caption")
                yield Static("Check the corrected request", classes="heading")
            else:
                yield Static("Check your answers before sending your request", classes="heading")
            yield from self._findings(findings)
            for section in Section:
                with Horizontal(classes="section-heading"):
                    yield Static(self._title(section), classes="subheading", markup=False)
                    yield ChangeButton(section)
                with Vertical(classes="summary-list"):
                    rows = section_rows(request, section, self.vig.today, own=self._own)
                    for row in rows:
                        with Horizontal(classes="summary-row"):
                            yield Label(row.question, classes="summary-key", markup=False)
                            yield Static(row.answer, classes="summary-value", markup=False)
            if self.session.correcting:
                yield from self._save_part()
            else:
                yield from self._send_part(findings)
        yield KeysFooter()

    @property
    def _own(self) -> bool:
        """The referrer checks their own draft ("About you"); a sent request being
        corrected is shown as anyone reads it ("The referrer")."""
        return not self.session.correcting

    def _title(self, section: Section) -> str:
        return section.title if self._own else section.title_for_others

    def _findings(self, findings: list[Finding]) -> ComposeResult:
        stopping = blocking(findings)
        if stopping:
            with Vertical(id="blocking", classes="problem-box"):
                yield Static("You cannot send this request yet", classes="subheading")
                not_started = {
                    f.section for f in stopping if not section_answered(self.request, f.section)
                }
                for section in Section:
                    if section in not_started:
                        yield Static(
                            f"{self._title(section)}: not started yet. Press {section.order + 1} "
                            "to answer it.",
                            classes="finding",
                            markup=False,
                        )
                for finding in stopping:
                    if finding.section in not_started:
                        continue
                    yield Static(
                        f"{self._title(finding.section)}: {finding.message}",
                        classes="finding",
                        markup=False,
                    )
                if ineligible_so_far(self.request, findings):
                    yield Static(
                        "The VIG service cannot accept it as it stands: press s to see why "
                        "and what to do next.",
                        classes="finding",
                    )
        advisories = [f for f in findings if not f.blocking]
        if advisories:
            with Vertical(id="advisories", classes="advice-box"):
                yield Static("Things the VIG service will note", classes="subheading")
                for finding in advisories:
                    yield Static(
                        f"{self._title(finding.section)}: {finding.message}",
                        classes="finding",
                        markup=False,
                    )

    def _send_part(self, findings: list[Finding]) -> ComposeResult:
        yield Static("Now send your request", classes="subheading")
        service = self.vig.preferences.service_key
        if service is not None and self.vig.sends_by_file:
            yield Static(
                "Sending seals the request in one file that only the VIG service can open, "
                f"to attach to a secure email to {service.email}. The service gives it its "
                "reference and its allocation meeting when it receives the file.",
                classes="lede",
                markup=False,
            )
        else:
            meeting = self.vig.store.calendar().meeting_for_submission(self.vig.today)
            yield Static(
                "Sent today, it will be considered at the allocation meeting on "
                f"{meeting.date:%A} {format_date(meeting.date)}. You can still correct it "
                "from the register until then.",
                classes="lede",
                markup=False,
            )
        with Horizontal(classes="actions"):
            yield Button(SEND_LABEL, id="send", variant="primary")

    def _save_part(self) -> ComposeResult:
        yield Static("Save your correction", classes="subheading")
        yield Static(
            "A change is saved, with why it was made, when you press Continue on its page "
            "or Save correction here. The request keeps its reference and its meeting.",
            classes="lede",
            markup=False,
        )
        with Horizontal(classes="actions"):
            yield Button(SAVE_CORRECTION_LABEL, id="save-correction", variant="primary")

    def on_mount(self) -> None:
        page = self.query_one("#page", VerticalScroll)
        page.focus()
        page.scroll_home(animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "send":
            return not self.session.correcting
        if action == "save_correction":
            return self.session.correcting
        return True

    def action_back(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, ".change")
    def _change_pressed(self, event: Button.Pressed) -> None:
        if isinstance(event.button, ChangeButton):
            self.action_change(event.button.section.value)

    def action_change(self, section_value: str) -> None:
        section = Section(section_value)

        async def returned(result: SectionResult | None) -> None:
            await self.recompose()
            self.query_one(f"#change-{section.value}", Button).focus()

        self.app.push_screen(section_screen(section, self.session), returned)

    @on(Button.Pressed, "#save-correction")
    def action_save_correction(self) -> None:
        """Ask why, then save every answer changed since the request was stored."""
        if not self.session.correcting:
            return
        try:
            stored = self.vig.store.get(self.request.id)
        except StoreError as error:
            self.notify(str(error), title="Not saved", severity="error", timeout=10)
            return
        if stored.version != self.request.version:
            self._changed_elsewhere()
            return
        changes = answer_changes(stored, self.request)
        if not changes:
            self.notify(
                "No change is waiting to be saved: each one is saved, with its reason, "
                "when you press Continue on its page.",
                title="Nothing to save",
                timeout=4,
            )
            return
        from .decision import ReasonDialog

        listed = "; ".join(f"“{change.label}”" for change in changes[:4])
        if len(changes) > 4:
            listed += f" and {len(changes) - 4} more"

        def answered(reason: str | None) -> None:
            if reason is not None:
                self._save_correction(stored, reason)

        self.app.push_screen(
            ReasonDialog(
                "Why is it being corrected?",
                f"{self.request.reference}: you changed {listed}.",
                "Reason for the correction",
                confirm=SAVE_CORRECTION_LABEL,
                required="Enter why the request is being corrected",
            ),
            answered,
        )

    def _save_correction(self, stored: VigRequest, reason: str) -> None:
        from ..service import CommandError, correct
        from ..store import VersionConflict

        if self.vig.read_only:
            self.notify("This database is open read-only: the correction was not saved.")
            return
        try:
            saved = correct(self.vig.store, self.vig.actor, stored, self.request, reason)
        except VersionConflict:
            self._changed_elsewhere()
            return
        except (StoreError, CommandError) as error:
            self.notify(str(error), title="Not saved", severity="error", timeout=10)
            return
        self.session.request = saved
        self.notify(f"Correction to {saved.reference} saved", timeout=3)
        self.refresh(recompose=True)

    def _changed_elsewhere(self) -> None:
        self.notify(
            "Someone else changed this request after you opened it, so your change was not "
            "saved over theirs: open it again from the register to see both, then correct it.",
            title="Not saved",
            severity="error",
            timeout=10,
        )

    @on(Button.Pressed, "#send")
    def action_send(self) -> None:
        if self.session.correcting:
            return
        findings = evaluate(self.request, self.vig.today)
        problems = ineligible_so_far(self.request, findings)
        if problems:
            from .cannot_accept import CannotAcceptScreen

            self.app.push_screen(CannotAcceptScreen(problems), self._after_explanation)
            return
        if blocking(findings):
            self.notify(
                "Fix the problems listed at the top of this page, then send the request.",
                title="Not sent",
                severity="error",
            )
            self.query_one("#page", VerticalScroll).scroll_home()
            return
        if self.vig.read_only:
            self.vig.save_request(self.request)
            return
        self.query_one("#send", Button).disabled = True
        self._send(self.request.model_copy(deep=True))

    def _after_explanation(self, change_answers: bool | None) -> None:
        if change_answers:
            problem = ineligible_so_far(self.request, evaluate(self.request, self.vig.today))
            if problem:
                self.action_change(problem[0].section.value)

    @work(thread=True, exclusive=True, group="send", exit_on_error=False)
    def _send(self, request: VigRequest) -> None:
        from ..service import CommandError

        file: Path | None = None
        try:
            if self.vig.sends_by_file:
                sent_file = self.vig.send_by_file(request)
                (sent,), file = sent_file.requests, sent_file.path
            else:
                sent = self.vig.submit_request(request)
        except (StoreError, CommandError) as error:
            self.app.call_from_thread(self._not_sent, str(error))
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            self.app.call_from_thread(
                self._not_sent,
                f"{where}the file for the service cannot be written "
                f"({error.strerror or error}). Nothing was sent.",
            )
        else:
            self.app.call_from_thread(self._sent, sent, file)

    def _not_sent(self, message: str) -> None:
        self.query_one("#send", Button).disabled = False
        self.notify(message, title="Not sent", severity="error")

    def _sent(self, sent: VigRequest, file: Path | None = None) -> None:
        from .confirmation import ConfirmationScreen

        self.session.request = sent
        self.session.correcting = True
        self.vig.go_home()
        self.app.push_screen(ConfirmationScreen(sent, file))
