"""The GOV.UK error summary: "There is a problem", one line per error.

Selecting a line (Enter) asks the screen to focus the answer it is about. The
summary takes focus when it appears, so letters typed straight after Continue
are not lost there: the first one takes the worker to the first answer in
error and goes into it, as if they had moved there first.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.containers import ScrollableContainer, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, TextArea
from textual.widgets.option_list import Option


@dataclass(frozen=True)
class FieldError:
    #: Dotted model path of the answer, or None for the whole request.
    field: str | None
    message: str


class _ErrorList(OptionList):
    """The summary's lines: a typed character is handed on, never dropped."""

    class Typed(Message):
        def __init__(self, key: events.Key) -> None:
            super().__init__()
            self.key = key

    def on_key(self, event: events.Key) -> None:
        if event.is_printable:
            event.stop()
            event.prevent_default()
            self.post_message(self.Typed(events.Key(event.key, event.character)))


def type_into(widget: Widget | None, key: events.Key | None) -> None:
    """Hand ``key`` to the text box just focused, once the focus has moved there, at the
    end of what it holds (focusing selects a box's text: a key must not replace it)."""
    if key is None or not isinstance(widget, (Input, TextArea)):
        return
    box = widget

    def type_at_end() -> None:
        if isinstance(box, Input):
            box.action_end()
        else:
            box.move_cursor(box.document.end)
        box.post_message(key)

    # The app sets focus in a callback of its own; the box then handles its Focus
    # event, and only after that this key.
    box.app.call_later(box.call_later, type_at_end)


class ErrorSummary(Vertical):
    """Hidden while there are no errors."""

    DEFAULT_CSS = """
    ErrorSummary {
        height: auto;
        border: heavy $error;
        padding: 0 1;
        margin: 0 0 1 0;
        display: none;
    }
    ErrorSummary.-shown {
        display: block;
    }
    ErrorSummary > Label {
        text-style: bold;
    }
    ErrorSummary > OptionList, ErrorSummary > OptionList:focus {
        height: auto;
        max-height: 8;
        border: none;
        padding: 0;
        background: transparent;
        color: $text-error;
    }
    """

    class Selected(Message):
        """The worker chose an error line (or typed on the summary): focus this answer,
        then hand it ``typed`` (with :func:`type_into`) when there is one."""

        def __init__(self, error: FieldError, typed: events.Key | None = None) -> None:
            super().__init__()
            self.error = error
            self.typed = typed

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._errors: list[FieldError] = []

    def compose(self) -> ComposeResult:
        yield Label("There is a problem")
        yield _ErrorList()

    @property
    def errors(self) -> list[FieldError]:
        return list(self._errors)

    def show(self, errors: list[FieldError]) -> None:
        """Show these errors (none hides the summary); focus it when there are some."""
        self._errors = list(errors)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(Option(e.message) for e in errors)
        self.set_class(bool(errors), "-shown")
        if errors:
            options.highlighted = 0
            options.focus(scroll_visible=False)
            self.screen.scroll_home(animate=False)
            for scrollable in self.ancestors:
                if isinstance(scrollable, ScrollableContainer):
                    scrollable.scroll_home(animate=False)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Selected(self._errors[event.option_index]))

    @on(_ErrorList.Typed)
    def _typed(self, event: _ErrorList.Typed) -> None:
        event.stop()
        if self._errors:
            self.post_message(self.Selected(self._errors[0], typed=event.key))
