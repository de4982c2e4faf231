"""The text boxes of the question pages and dialogs.

Their editing keys act where they were typed (:class:`KeysInOrder`), and they
never hold what their answer may not: at most ``max_length`` characters (the
model's own limit, from :func:`vig_tui.domain.text.max_length_of`), and no
control characters (cleaned as the model cleans them, so what a box shows is
what is saved). Text that does not fit is cut at the limit, not refused; a note
beside the box says when the limit is near, reached, or cut a paste short.
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea
from textual.widgets.text_area import Edit, EditResult

from ..domain.text import clean_text, limit_note
from .keys import KeysInOrder


class LimitNote(Static):
    """The words under a text box about its limit; hidden while there is nothing to say."""

    DEFAULT_CSS = """
    LimitNote {
        color: $text-warning;
        width: 1fr;
        height: auto;
        display: none;
    }
    LimitNote.-shown {
        display: block;
    }
    """

    def show(self, note: str) -> None:
        self.update(note)
        self.set_class(bool(note), "-shown")


class _Limited:
    """What both boxes share: the limit and the note placed just after the box."""

    max_length: int | None

    def _note_limit(self, length: int, *, cut: bool = False) -> None:
        assert isinstance(self, Input | TextArea)
        limit, parent = self.max_length, self.parent
        if not limit or not isinstance(parent, Widget):
            return
        note = limit_note(length, limit, cut=cut)
        existing = self._limit_note
        if existing is None:
            if not note:
                return
            existing = LimitNote(markup=False)
            self._limit_note = existing
            parent.mount(existing, after=self)
        existing.show(note)

    _limit_note: LimitNote | None = None


class ShortAnswer(_Limited, KeysInOrder, Input):
    """A one-line answer: a paste of several lines keeps them all, joined by spaces.

    Coming to it (Tab, a click) selects nothing and puts the caret after the
    answer: Textual's Input selects all on focus, and the next key typed would
    replace the whole answer.
    """

    def __init__(self, value: str = "", *, max_length: int | None = None, **kwargs: object) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(value, max_length=max_length or 0, **kwargs)  # type: ignore[arg-type]

    def on_focus(self) -> None:
        self.cursor_position = len(self.value)

    def validate_value(self, value: str) -> str:
        """Whatever sets the value (a paste, a key, code) leaves it clean and within the limit."""
        value = clean_text(value, multiline=False)
        return value[: self.max_length] if self.max_length else value

    def replace(self, text: str, start: int, end: int) -> None:
        """Put cleaned ``text`` between ``start`` and ``end``, cut to what fits."""
        text = clean_text(text, multiline=False)
        start, end = sorted((max(0, start), min(len(self.value), end)))
        cut = False
        if self.max_length:
            room = self.max_length - (len(self.value) - (end - start))
            if len(text) > room:
                text, cut = text[: max(0, room)], True
                if not text and start == end:
                    self.restricted()
                    self._note_limit(len(self.value), cut=False)
                    return
        super().replace(text, start, end)
        self._note_limit(len(self.value), cut=cut)

    def _on_paste(self, event: events.Paste) -> None:
        # Textual's Input keeps only the first line of a paste.
        if event.text:
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(event.text)
            else:
                self.replace(event.text, *selection)
        event.stop()
        event.prevent_default()

    def restricted(self) -> None:
        """At the limit: the note says so (and the terminal bell rings, as Textual's does)."""
        self.app.bell()


class LongAnswer(_Limited, KeysInOrder, TextArea):
    """An answer of a few sentences, up to ``max_length`` characters; coming to it puts
    the caret after the answer, as a one-line answer does."""

    def __init__(
        self,
        text: str = "",
        *,
        max_length: int | None = None,
        short_lines: bool = False,
        **kwargs: object,
    ) -> None:
        super().__init__(text, **kwargs)  # type: ignore[arg-type]
        self.max_length = max_length
        #: Each line is a short answer (a name a line): cleaned as short text is, so a
        #: pasted tab is shown as the space it is stored as.
        self.short_lines = short_lines

    def on_focus(self) -> None:
        if not self.selection.is_empty:
            return  # a selection made with the mouse or the keys stays
        self.move_cursor(self.document.end)

    # Textual 8.2 redraws the scrollbars during an undo or redo with the cursor
    # still where it was, on a line that may be gone, and raises (undo a long
    # paste: the app would close). Starting from the top avoids that; the
    # undo or redo then puts the cursor where it belongs.

    def undo(self) -> None:
        if self.history.undo_stack:
            self.move_cursor((0, 0))
        super().undo()

    def redo(self) -> None:
        if self.history.redo_stack:
            self.move_cursor((0, 0))
        super().redo()

    def edit(self, edit: Edit) -> EditResult:
        """Every change to the text passes here (typing, paste, undo): clean it and cut it."""
        text = clean_text(edit.text, multiline=True)
        if self.short_lines:
            text = "\n".join(clean_text(line, multiline=False) for line in text.split("\n"))
        cut = False
        if self.max_length:
            start, end = sorted((edit.from_location, edit.to_location))
            replaced = len(self.get_text_range(start, end))
            room = self.max_length - (len(self.text) - replaced)
            if len(text) > room:
                text, cut = text[: max(0, room)], True
                if not text:
                    self.app.bell()
        if text != edit.text:
            edit = Edit(text, edit.from_location, edit.to_location, edit.maintain_selection_offset)
        result = super().edit(edit)
        self._note_limit(len(self.text), cut=cut)
        return result
