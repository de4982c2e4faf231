"""One question on a form page: its label, hint, error message and answer widget(s).

The GOV.UK pattern: the label says "(optional)" when the answer may be
skipped, and an error shows in red beside the answer (never clearing it) with a
red bar down the side, using the same words as the error summary.
"""

from __future__ import annotations

from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Label, Static


class Question(Vertical):
    """A labelled question; the answer widgets are its children (compose with ``with``)."""

    DEFAULT_CSS = """
    Question {
        height: auto;
        padding: 0 0 1 1;
        border-left: blank;
    }
    Question.-error {
        border-left: thick $error;
    }
    Question > .question--label {
        text-style: bold;
        width: 1fr;
    }
    Question > .question--hint {
        color: $text-muted;
        width: 1fr;
    }
    Question > .question--error {
        color: $text-error;
        text-style: bold;
        display: none;
        width: 1fr;
    }
    Question.-error > .question--error {
        display: block;
    }
    """

    def __init__(
        self,
        label: str,
        *,
        field: str,
        hint: str = "",
        optional: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        # Given to the constructor so they come before the answer widgets
        # composed inside ``with Question(...)``.
        parts: list[Widget] = []
        if label:  # a tick's question is labelled by the tick itself
            parts.append(
                Label(
                    f"{label} (optional)" if optional else label,
                    classes="question--label",
                    markup=False,
                )
            )
        if hint:
            parts.append(Static(hint, classes="question--hint", markup=False))
        parts.append(Static("", classes="question--error", markup=False))
        super().__init__(*parts, id=id, classes=classes)
        #: Dotted model path of the answer, as the rules name it ("child.date_of_birth").
        self.field = field

    def set_error(self, message: str | None) -> None:
        """Show ``message`` beside the answer (or clear it with None)."""
        self.query_one(".question--error", Static).update(f"Error: {message}" if message else "")
        self.set_class(bool(message), "-error")

    @property
    def control(self) -> Widget | None:
        """The first answer widget that can take focus."""
        return next((w for w in self.query("*") if w.focusable), None)

    def focus_control(self) -> None:
        control = self.control
        if control is not None:
            control.focus()
            control.scroll_visible()
