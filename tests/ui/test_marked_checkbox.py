"""A tick box shows whether it is ticked by its mark, not by colour alone."""

from __future__ import annotations

from textual.app import App, ComposeResult

from vig_tui.widgets.marked_checkbox import MarkedCheckbox


class _Boxes(App[None]):
    def compose(self) -> ComposeResult:
        yield MarkedCheckbox("Redact", False, id="off")
        yield MarkedCheckbox("Redact", True, id="on")


def _plain(box: MarkedCheckbox) -> str:
    return box.render().plain  # type: ignore[union-attr]


async def test_ticked_and_unticked_differ_in_their_characters() -> None:
    app = _Boxes()
    async with app.run_test() as pilot:
        off = app.query_one("#off", MarkedCheckbox)
        on = app.query_one("#on", MarkedCheckbox)
        assert "X" not in _plain(off).replace("Redact", "")
        assert "X" in _plain(on).replace("Redact", "")
        off.focus()
        await pilot.press("space")
        await pilot.pause()
        assert off.value is True
        assert _plain(off) == _plain(on)


async def test_the_export_dialogs_use_the_marked_box() -> None:
    from vig_tui.screens import export_dialog, roster, summary_dialog

    for module in (export_dialog, roster, summary_dialog):
        source = module.__loader__.get_source(module.__name__)  # type: ignore[union-attr]
        assert source is not None and " Checkbox(" not in source, module.__name__
