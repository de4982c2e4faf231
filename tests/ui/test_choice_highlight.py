"""A choice opened with an answer highlights that answer, so Enter or Space keeps it."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from vig_tui.widgets.choice import Choice

ROLES = [("Case holder", "a"), ("Lead professional", "b"), ("Named health visitor", "c")]


class _OneChoice(App[None]):
    def __init__(self, selected: str | None) -> None:
        super().__init__()
        self._selected = selected

    def compose(self) -> ComposeResult:
        yield Choice(ROLES, self._selected, id="role")


@pytest.mark.parametrize("key", ["enter", "space"])
async def test_enter_on_a_chosen_answer_keeps_it(key: str) -> None:
    """After "The case holder is me" chose Named health visitor, Tab then Enter made the
    role "Case holder": the highlight was on the first option, not the chosen one."""
    app = _OneChoice("c")
    async with app.run_test() as pilot:
        choice = app.query_one(Choice)
        choice.focus()
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert choice.selected == "c"
        await pilot.press("up", key)
        await pilot.pause()
        assert choice.selected == "b"


async def test_a_choice_with_no_answer_starts_on_the_first_option() -> None:
    app = _OneChoice(None)
    async with app.run_test() as pilot:
        choice = app.query_one(Choice)
        choice.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert choice.selected == "a"
