"""What the consent and work pages share: the request they show, and saving a step.

A page is opened with the request as the request page read it. A step's dialog
returns its answers; the page runs the step's service command in a thread
worker with the request as read (its version). A request changed meanwhile
opens :class:`~vig_tui.screens.conflict.ConflictScreen` (the step may be applied
to the version stored now); a save that fails reopens the dialog holding the
answers. The page dismisses with the request as last saved when anything
changed, so the request page (and the list beneath it) shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.message import Message
from textual.screen import ModalScreen

from ..domain.dates import describe_age
from ..domain.models import VigRequest
from ..domain.work import WorkError
from .base import VigScreen

#: A service command with everything but the request filled in.
Step = Callable[[VigRequest], VigRequest]
#: Makes the step from the dialog's answers.
MakeStep = Callable[[Any], Step]
#: Makes the step's dialog again, holding the answers it returned (None: empty).
Reopen = Callable[[Any], ModalScreen[Any]]


class RecordPage(VigScreen[VigRequest | None]):
    """A page about one request after allocation (consents, or the work)."""

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

    def heading(self, what: str) -> Text:
        request, today = self.request, self.vig.today
        child = request.child
        age = describe_age(child.date_of_birth, today) if child.date_of_birth else "age unknown"
        return Text.assemble(
            (f"{what}: {request.reference or 'Draft request'}", "bold"),
            f"  {child.initials or 'Child not named'}, {age}   Status: {request.status.label}",
        )

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
            self.request = current
            self.changed = current
            self.show()
            if again:
                self._save(step, answers, reopen, current)

        self.app.push_screen(
            ConflictScreen(before, current, self.describe(answers), confirm="Save mine on it"),
            chosen,
        )

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.request = message.request
        self.changed = message.request
        self.show()
        self.refresh_bindings()
        self.notify(message.said, title="Saved", timeout=4)

    def describe(self, answers: Any) -> str:
        """What the worker was saving, for the conflict screen."""
        return str(answers)

    def show(self) -> None:
        raise NotImplementedError

    def action_back(self) -> None:
        self.dismiss(self.changed)
