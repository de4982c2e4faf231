"""A question page for one task-list section: heading, questions, Back and Continue.

Answers are checked on Continue with the rules (the same words the rules use
everywhere) plus the date checks only a screen can make (what was typed). The
draft is saved when the worker leaves (Back or Continue), on Ctrl+S, a second
after they stop changing answers, and when the app closes. When correcting a
sent request, only a checked Continue saves, after asking why, and the
history keeps each answer's old and new value with the reason. A draft's
autosaves during one visit of a page make one history entry (see
:func:`vig_tui.service.record_visit`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

from pydantic import ValidationError
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import (
    Button,
    Header,
    Input,
    RadioSet,
    Static,
    TextArea,
)

from ..domain.changes import ANSWERS, answer_changes, describe_value
from ..domain.models import VigRequest
from ..domain.progress import (
    SECTION_ANSWERS,
    ineligible_so_far,
    note_checked,
    note_opened,
    section_answered,
)
from ..domain.rules import Finding, Section, evaluate, findings_for, ineligible
from ..service import CommandError, Visit, correct, end_visit, record_visit
from ..widgets.choice import Choice
from ..widgets.error_summary import ErrorSummary, FieldError, type_into
from ..widgets.footer import KeysFooter
from ..widgets.keys import run_own_binding
from ..widgets.question import Question
from ..widgets.tick import Tick
from .base import VigScreen

if TYPE_CHECKING:
    from ..app import VigApp

#: Seconds after the last change before the draft is saved.
AUTOSAVE_DELAY = 1.0


def _listed(errors: list[FieldError]) -> str:
    return "; ".join(error.message for error in errors)


def _saved_except(errors: list[FieldError]) -> str:
    """Ctrl+S's words when some answers could not be saved as typed."""
    answers = "one answer" if len(errors) == 1 else f"{len(errors)} answers"
    return (
        f"Draft saved, except {answers}: {_listed(errors)}. "
        f"Correct {'it' if len(errors) == 1 else 'them'} and press Ctrl+S again; "
        "until then the last saved answer is kept."
    )


class SectionResult(StrEnum):
    CONTINUED = "continued"
    BACK = "back"


class Session:
    """The request being made or corrected, shared by the task list and its pages."""

    def __init__(self, request: VigRequest, *, stored: bool) -> None:
        self.request = request
        #: A sent request is corrected, not drafted: changes are recorded, not autosaved.
        self.correcting = request.reference is not None
        #: Is the request in the store yet? A new one is not saved until something is
        #: answered beyond what it started with ("About you" comes from the profile).
        self.stored = stored
        self._start = request.model_copy(deep=True)

    def untouched(self) -> bool:
        return not answer_changes(self._start, self.request, ANSWERS)

    def save(self, app: VigApp, *, now: bool = False, announce: bool | str = False) -> None:
        """Save the request through the app (in the background unless ``now``;
        ``announce``: say when it is written (in the words given), or why not)."""
        if not self.stored and self.untouched():
            if announce:
                app.notify("There is nothing to save yet: answer a question first.", timeout=3)
            return
        if now:
            saved = app.save_request_now(self.request)
        else:
            saved = app.save_request(self.request, announce=announce)
        self.stored = self.stored or saved


class SectionScreen(VigScreen[SectionResult]):
    """Base for the six section pages; subclasses compose questions and collect answers."""

    SECTION: ClassVar[Section]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "back",
            "Back",
            id="vig.section.back",
            tooltip="Go back to the task list; your answers are kept",
        ),
        Binding(
            "enter",
            "continue",
            "Continue",
            id="vig.section.continue",
            tooltip="Check these answers and go on",
        ),
        # Tab moves focus the moment it is read, before the keys typed after it
        # are handed to a widget (they go to the answer it moves to). Left to
        # Textual, Tab would first travel up from the focused widget while
        # quickly typed letters went on landing in the answer it was leaving.
        Binding(
            "tab",
            "next_answer",
            "Next answer",
            show=False,
            priority=True,
            id="vig.section.next",
            tooltip="Go to the next answer",
        ),
        Binding(
            "shift+tab",
            "previous_answer",
            "Previous answer",
            show=False,
            priority=True,
            id="vig.section.previous",
            tooltip="Go back to the previous answer",
        ),
        # The keys of choices and ticks are acted on when read too, so a Tab read
        # straight after them finds the answer chosen and the question it reveals.
        *[
            Binding(
                key,
                f"choice_key('{key}')",
                show=False,
                priority=True,
                id=f"vig.section.choice_{key}",
                tooltip="Move between or select the options of the answer",
            )
            for key in ("up", "down", "left", "right", "space", "enter")
        ],
    ]

    #: The first answer has focus as soon as the page is built: the keys typed
    #: while it opened wait for that (see key_holding), then go to it.
    AUTO_FOCUS = "Question *"

    def __init__(self, session: Session) -> None:
        super().__init__(classes="section-page")
        self.session = session
        self._entry = session.request.model_copy(deep=True)
        self._visit = Visit(self.SECTION, self._entry)
        self._autosave: Timer | None = None

    @property
    def request(self) -> VigRequest:
        return self.session.request

    @property
    def HELP_TITLE(self) -> str:
        return self.SECTION.title

    # Subclass hooks

    def questions(self) -> ComposeResult:
        """The section's questions, filled from ``self.request``."""
        raise NotImplementedError

    def collect(self) -> list[FieldError]:
        """Copy the answers into ``self.request``; return errors only a screen can see."""
        raise NotImplementedError

    def reveal(self) -> None:
        """Show or hide the questions that depend on other answers."""

    # Composition

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="page"):
            caption = f"Section {self.SECTION.order + 1} of {len(Section)}"
            if self.session.correcting:
                caption = f"Correcting {self.request.reference}: {caption.lower()}"
            yield Static(caption, classes="caption")
            yield Static(self.SECTION.title, classes="heading")
            yield ErrorSummary()
            yield from self.questions()
            with Horizontal(classes="actions"):
                # Continue first: Tab from the last answer reaches it before Back.
                yield Button("Continue", id="continue", variant="primary")
                yield Button("Back", id="back")
        yield KeysFooter()

    def on_mount(self) -> None:
        if not self.session.correcting:
            note_opened(self.request, self.SECTION)
        self.reveal()

    async def action_choice_key(self, key: str) -> None:
        """Up, Down, Space... on a choice or a tick; elsewhere the key goes on as usual."""
        focused = self.focused
        if not isinstance(focused, (Choice, Tick)) or not await run_own_binding(focused, key):
            raise SkipAction()

    def action_next_answer(self) -> None:
        self._step_focus(1)

    def action_previous_answer(self) -> None:
        self._step_focus(-1)

    def _step_focus(self, step: int) -> None:
        """Focus the next (or previous) answer in page order.

        Textual orders focus by where widgets were last drawn, and a question
        revealed by the answer just given has not been drawn yet; the page's
        own order (the order it is composed in) is the same once drawn and
        right straight away.
        """
        # An answer just chosen may reveal a question before its message arrives.
        self.reveal()
        order = self._focus_order()
        if not order:
            return
        if self.focused in order:
            target = order[(order.index(self.focused) + step) % len(order)]
        else:
            target = order[0] if step > 0 else order[-1]
        self.set_focus(target, scroll_visible=False)
        self.call_after_refresh(self.scroll_to_center, target, animate=False, origin_visible=True)

    def _focus_order(self) -> list[Widget]:
        """Everything Tab can reach, in page order (options inside a choice are one stop)."""
        return [
            widget
            for widget in self.query("*")
            if widget.focusable
            and all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))
            and not any(isinstance(node, (Choice, Tick)) for node in widget.ancestors)
        ]

    # Changes and saving

    @on(Input.Changed)
    @on(RadioSet.Changed)
    @on(Tick.Changed)
    @on(TextArea.Changed)
    def _answer_changed(self) -> None:
        self.reveal()
        if self.session.correcting or self.vig.read_only:
            return
        if self._autosave is not None:
            self._autosave.stop()
        self._autosave = self.set_timer(AUTOSAVE_DELAY, self._autosave_draft)

    def _collect(self) -> list[FieldError] | None:
        """The answers copied into the request, or None (and the reason shown) when one
        cannot be held by the model; what was typed stays on screen either way."""
        try:
            return self.collect()
        except ValidationError as error:
            self.vig.not_saved(self.request, error)
            return None

    def _autosave_draft(self) -> None:
        self._save_draft(auto=True)

    def _save_draft(
        self, *, now: bool = False, announce: bool = False, auto: bool = False
    ) -> list[FieldError] | None:
        """Save the answers that can be held; return those that cannot (None: none could).

        An answer typed in a form the request cannot hold (``31/02/2024``) is not
        saved: its last good value is kept, and except while typing (``auto``) the
        error is shown beside it, the app holds it as not saved (its header says so
        and quitting asks first), and Ctrl+S says what was left out and why.
        """
        if self._autosave is not None:
            self._autosave.stop()
            self._autosave = None
        errors = self._collect()
        if errors is None:
            return None
        if not auto or not errors:
            self.vig.hold_unreadable(self.request.id, [error.message for error in errors])
        if errors and not auto:
            self.show_errors(errors)
        record_visit(self.request, self.vig.actor, self._visit)
        if errors and announce:
            if not self.session.stored and self.session.untouched():
                self.notify(
                    f"Nothing was saved: {_listed(errors)}.",
                    title="Not saved",
                    severity="warning",
                    timeout=8,
                )
                return errors
            self.session.save(self.vig, now=now, announce=_saved_except(errors))
        else:
            self.session.save(self.vig, now=now, announce=announce)
        return errors

    def save_answers(self, *, now: bool = False, announce: bool = False) -> None:
        """Ctrl+S, quitting, or going Home: keep the draft (corrections wait for Continue)."""
        if self.session.correcting:
            if not now:
                self.notify("Press Continue to save a correction.", timeout=3)
            return
        self._save_draft(now=now, announce=announce)

    def on_unmount(self) -> None:
        # The page is gone: what it held as not saved goes with it.
        self.vig.hold_unreadable(self.request.id, [])

    # Back and Continue

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        if not self.is_current:
            return  # a key typed as the page was closing
        if self.session.correcting:
            changed = self._unsaved_correction()
            if changed:
                self._ask_to_discard(changed)
                return
            self._discard_correction()
            return
        unsaved = self._save_draft()
        if unsaved is None or unsaved:
            self._stay_unsaved()
            return
        self._leave(SectionResult.BACK)

    def _unsaved_correction(self) -> str:
        """The answers changed on this page and not yet saved as a correction, named as
        the reason dialog names them ("" when there are none)."""
        try:
            unreadable = bool(self.collect())
        except ValidationError:
            unreadable = True  # something typed that the request cannot hold as it is
        return self._changed_answers() or ("an answer" if unreadable else "")

    def _changed_answers(self) -> str:
        """This page's answers that differ from the request as stored, by name."""
        changes = answer_changes(self._entry, self.request, SECTION_ANSWERS[self.SECTION])
        listed = "; ".join(change.label for change in changes[:4])
        if len(changes) > 4:
            listed += f" and {len(changes) - 4} more"
        return listed

    def _ask_to_discard(self, changed: str) -> None:
        """Escape on a changed correction: it is kept only with its reason, on Continue,
        so going back would lose it. Ask, with keeping it (and Continue) the safe answer."""
        from .confirm import ConfirmDialog

        def answered(discard: bool | None) -> None:
            if discard:
                self._discard_correction()

        self.app.push_screen(
            ConfirmDialog(
                "Discard your correction?",
                f"You changed {changed}. A correction is saved with its reason when you "
                "press Continue; going back now leaves the request as it was.",
                confirm="Discard the change",
                keep="Keep correcting",
            ),
            answered,
        )

    def _discard_correction(self) -> None:
        self._restore_entry()
        self.notify("Nothing was changed.", timeout=2)
        self._leave(SectionResult.BACK)

    def _stay_unsaved(self) -> None:
        """Leaving would lose what was typed: stay, with the error beside the answer."""
        self.notify(
            "Correct it or clear it, then go back.",
            title="An answer cannot be saved as typed",
            severity="warning",
            timeout=6,
        )

    def _leave(self, result: SectionResult) -> None:
        """The visit is over: its history entry is final."""
        end_visit(self._visit)
        self.dismiss(result)

    @on(Button.Pressed, "#continue")
    @on(Input.Submitted)
    def action_continue(self) -> None:
        if not self.is_current:
            # A second Enter typed before the first had closed the page: dismissing
            # again would close the task list underneath.
            return
        screen_errors = self._collect()
        if screen_errors is None:
            return
        findings = evaluate(self.request, self.vig.today)
        errors = self._errors(screen_errors, findings)
        if not self.session.correcting:
            note_checked(self.request, self.SECTION)
        if errors and not self.session.correcting:
            self._save_draft()  # shows only what cannot be saved: the full list follows
        self.show_errors(errors)
        if errors:
            return
        if self.session.correcting:
            self._ask_why_corrected(findings)
            return
        self._save_draft()
        self._explain_or_leave(findings)

    def _explain_or_leave(self, findings: list[Finding]) -> None:
        problems = self._ineligible(findings)
        if problems:
            from .cannot_accept import CannotAcceptScreen

            self.app.push_screen(CannotAcceptScreen(problems), self._after_explanation)
        else:
            self._leave(SectionResult.CONTINUED)

    def _after_explanation(self, change_answers: bool | None) -> None:
        if not change_answers:
            self._leave(SectionResult.CONTINUED)

    def _errors(self, screen_errors: list[FieldError], findings: list[Finding]) -> list[FieldError]:
        """Screen errors first, then the section's blocking findings (one per answer)."""
        seen = {e.field for e in screen_errors}
        errors = list(screen_errors)
        for finding in findings_for(findings, self.SECTION):
            # An empty section's "cannot be accepted" is a missing answer, asked for here.
            refusal = finding.ineligible and section_answered(self.request, self.SECTION)
            if finding.blocking and not refusal and finding.field not in seen:
                seen.add(finding.field)
                errors.append(FieldError(finding.field, finding.message))
        return errors

    def _ineligible(self, findings: list[Finding]) -> list[Finding]:
        """Findings that mean the request cannot be accepted, raised by this section's answers."""
        before = {f.code for f in ineligible(evaluate(self._entry, self.vig.today))}
        return [
            f
            for f in ineligible_so_far(self.request, findings)
            if f.section is self.SECTION or f.code not in before
        ]

    def _ask_why_corrected(self, findings: list[Finding]) -> None:
        """A sent request's correction is kept with its reason: ask for it, then save."""
        from .decision import ReasonDialog

        listed = self._changed_answers()
        if not listed:
            self._explain_or_leave(findings)
            return

        def answered(reason: str | None) -> None:
            if reason is not None:
                self._record_correction(reason, findings)

        self.app.push_screen(
            ReasonDialog(
                "Why is it being corrected?",
                f"{self.request.reference}: you changed {listed}.",
                "Reason for the correction",
                confirm="Save correction",
                required="Enter why the request is being corrected",
            ),
            answered,
        )

    def _record_correction(self, reason: str, findings: list[Finding]) -> None:
        from ..store import StoreError, VersionConflict

        if self.vig.read_only:
            self.notify("This database is open read-only: the correction was not saved.")
            return
        try:
            stored = correct(self.vig.store, self.vig.actor, self._entry, self.request, reason)
        except VersionConflict as conflict:
            self._show_conflict(conflict.current, reason, findings)
            return
        except (StoreError, CommandError) as error:
            self.notify(str(error), title="Not saved", severity="error", timeout=10)
            return
        self.session.request = stored
        self._entry = stored.model_copy(deep=True)
        self.notify(f"Correction to {stored.reference} saved", timeout=3)
        self._explain_or_leave(findings)

    def _show_conflict(self, current: VigRequest, reason: str, findings: list[Finding]) -> None:
        """Someone changed the request since it was opened: both versions side by side;
        the worker may put this section's answers onto the current version."""
        from .conflict import ConflictScreen

        mine = "; ".join(
            f"{c.label}: {describe_value(c.new)}"
            for c in answer_changes(self._entry, self.request, SECTION_ANSWERS[self.SECTION])
        )

        def chosen(reapply: bool | None) -> None:
            if not reapply:
                return
            corrected = current.model_copy(deep=True)
            for name in SECTION_ANSWERS[self.SECTION]:
                setattr(corrected, name, getattr(self.request, name))
            self._entry = current
            self.session.request = corrected
            self._record_correction(reason, findings)

        self.app.push_screen(
            ConflictScreen(
                self._entry, current, mine, confirm="Save my correction on this version"
            ),
            chosen,
        )

    def _restore_entry(self) -> None:
        for name in SECTION_ANSWERS[self.SECTION]:
            setattr(self.request, name, getattr(self._entry, name))

    # Errors beside the answers

    def show_errors(self, errors: list[FieldError]) -> None:
        for question in self.query(Question):
            question.set_error(None)
        for error in errors:
            target = self.question_for(error.field)
            if target is not None and not target.has_class("-error"):
                target.set_error(error.message)
        self.query_one(ErrorSummary).show(errors)

    def question_for(self, field: str | None) -> Question | None:
        """The question for an answer, or for the nearest answer above it."""
        if field is None:
            return None
        questions = {q.field: q for q in self.query(Question)}
        parts = field.split(".")
        while parts:
            if (question := questions.get(".".join(parts))) is not None:
                return question
            parts.pop()
        return None

    @on(ErrorSummary.Selected)
    def _focus_error(self, event: ErrorSummary.Selected) -> None:
        question = self.question_for(event.error.field)
        if question is not None:
            question.focus_control()
            type_into(question.control, event.typed)
