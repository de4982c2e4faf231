"""The GOV.UK error summary: "There is a problem", one line per error.

Selecting a line (Enter) asks the screen to focus the answer it is about.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import ScrollableContainer, Vertical
from textual.message import Message
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


@dataclass(frozen=True)
class FieldError:
    #: Dotted model path of the answer, or None for the whole request.
    field: str | None
    message: str


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
        """The worker chose an error line: focus this answer."""

        def __init__(self, error: FieldError) -> None:
            super().__init__()
            self.error = error

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._errors: list[FieldError] = []

    def compose(self) -> ComposeResult:
        yield Label("There is a problem")
        yield OptionList()

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
