"""The footer every screen shows: its main keys, compact, with help always at the right.

Textual's footer lists the focused widget's keys first and the app's last, so
at 80 columns the app's keys (help among them) were the ones cut off. This one
is compact, leaves the command palette to help (Ctrl+P is listed there), and
docks the help key to the right edge, so "F1 More keys" is always on screen;
the keys a screen does not show in its footer are all listed by F1.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer

#: The actions of the help key (F1): the app's, and the one dialogs declare.
HELP_ACTIONS = frozenset({"help", "app.help"})

#: Dialogs declare F1 themselves: Textual shows only a modal screen's own keys
#: in its footer (the app's F1 works there, being a priority key, but is not shown).
DIALOG_HELP = Binding(
    "f1",
    "app.help",
    "More keys",
    id="vig.dialog.help",
    tooltip="Help: every key that works here",
)


class KeysFooter(Footer):
    # The space between a key and what it does is the key's, not the description's:
    # the same "w Write report" on screen, but a screenshot's text runs no longer start
    # with a space, which SVG-to-PNG converters drop ("wWrite report" in the gallery).
    DEFAULT_CSS = """
    KeysFooter FooterKey.-help {
        dock: right;
        padding-left: 1;
    }
    KeysFooter FooterKey.-compact .footer-key--key {
        padding: 0 1 0 0;
    }
    KeysFooter FooterKey.-compact .footer-key--description {
        padding: 0;
    }
    """

    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if (
                getattr(widget, "action", None) in HELP_ACTIONS
                or getattr(widget, "key", "") == "f1"
            ):
                widget.add_class("-help")
            yield widget
