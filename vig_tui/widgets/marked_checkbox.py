"""A tick box whose state shows without colour: the mark is drawn only when ticked.

Textual's Checkbox draws the same "X" either way and shows the state by colour
alone, which a monochrome or high-contrast terminal (or a colour-blind worker)
cannot see.
"""

from __future__ import annotations

from textual.content import Content
from textual.style import Style
from textual.widgets import Checkbox


class MarkedCheckbox(Checkbox):
    """A Checkbox that draws its mark only when ticked (as Textual draws its button)."""

    @property
    def _button(self) -> Content:
        button_style = self.get_visual_style("toggle--button")
        side_style = Style(foreground=button_style.background, background=self.background_colors[1])
        return Content.assemble(
            (self.BUTTON_LEFT, side_style),
            (self.BUTTON_INNER if self.value else " ", button_style),
            (self.BUTTON_RIGHT, side_style),
        )
