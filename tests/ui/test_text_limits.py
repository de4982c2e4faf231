"""Text boxes hold what their answer may (issue #9): the model's limit, no control
characters, every line of a paste; a note says when the limit is near or reached."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, TextArea

from tests.ui.keys import settle
from vig_tui.app import VigApp
from vig_tui.domain.models import Decision, Practitioner, Referrer, VigRequest
from vig_tui.domain.text import max_length_of
from vig_tui.screens.decision import MoreInformationDialog
from vig_tui.screens.sections import BeforeYouSendSection, ReferrerSection
from vig_tui.store import Store
from vig_tui.widgets.answer import LimitNote, LongAnswer, ShortAnswer

from .conftest import TODAY
from .test_meeting_decisions import DECEMBER, open_meeting, sent

SHORT = max_length_of(Referrer, "name")


def _note(widget: Input | TextArea) -> str:
    notes = [n for n in widget.parent.query_children(LimitNote) if n.has_class("-shown")]  # type: ignore[union-attr]
    return "\n".join(str(n.render()) for n in notes)


def _stored(store: Store) -> VigRequest:
    (request,) = store.requests()
    return request


async def _new_request_name_box(app: VigApp, pilot) -> ShortAnswer:  # type: ignore[no-untyped-def]
    await pilot.press("n", "enter")
    await pilot.pause()
    assert isinstance(app.screen, ReferrerSection)
    box = app.screen.query_one("#referrer-name", ShortAnswer)
    # The name filled in from the profile: cleared, as a worker would (focus selects nothing).
    await pilot.press("ctrl+u")
    assert app.focused is box
    return box


def test_limits_come_from_the_models() -> None:
    assert SHORT == 200
    assert max_length_of(VigRequest, "carers.3.phone") == 200
    assert max_length_of(VigRequest, "evidence.bonding.evidence") == 20_000
    assert max_length_of(Decision, "information_from") == 200
    assert max_length_of(Practitioner, "capacity") is None
    with pytest.raises(KeyError):
        max_length_of(VigRequest, "referrer.nickname")


async def test_a_long_paste_into_your_name_is_cut_at_the_limit_and_saved(
    app: VigApp, store: Store
) -> None:
    """The reproduction: 201+ characters into "Your name" once killed the app at autosave."""
    async with app.run_test(size=(80, 24)) as pilot:
        box = await _new_request_name_box(app, pilot)
        app.post_message(events.Paste("Sam " + "x" * 2_996))
        await pilot.pause()
        assert len(box.value) == SHORT
        assert "can be up to 200 characters" in _note(box)
        await pilot.press("y")  # typed at the limit: refused, and the note stays
        assert len(box.value) == SHORT
        assert "reached the limit of 200 characters" in _note(box)
        app.screen._save_draft()  # type: ignore[attr-defined]  # what the autosave timer runs
        await settle(pilot)
        assert app.is_running
        assert _stored(store).referrer.name == box.value
        await pilot.press("backspace")
        assert "1 character remaining" in _note(box)


async def test_typing_past_the_limit_by_keys_is_refused_and_said(app: VigApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        box = await _new_request_name_box(app, pilot)
        app.post_message(events.Paste("a" * (SHORT - 30)))
        await pilot.pause()
        assert _note(box) == ""  # far from the limit: nothing to say
        await pilot.press(*"b" * 12)
        assert "You have 18 characters remaining" in _note(box)
        await pilot.press(*"c" * 20)
        assert box.value == "a" * (SHORT - 30) + "b" * 12 + "c" * 18
        assert "reached the limit" in _note(box)
        assert app.is_running


async def test_a_multi_line_paste_keeps_every_line_and_no_control_characters(
    app: VigApp, store: Store
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        box = await _new_request_name_box(app, pilot)
        app.post_message(events.Paste("Sam\r\nRowe\x07\n\n  Kernow\x00\x1b[31m\tTeam"))
        await pilot.pause()
        assert box.value == "Sam Rowe Kernow[31m Team"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _stored(store).referrer.name == "Sam Rowe Kernow[31m Team"


async def test_long_answers_keep_lines_and_stop_at_their_limit(app: VigApp, store: Store) -> None:
    request = VigRequest(referrer=Referrer(name="Sam"))
    store.save(request, base_version=None)
    from vig_tui.screens.section import Session

    async with app.run_test(size=(80, 24)) as pilot:
        session = Session(store.get(request.id), stored=True)
        await app.push_screen(BeforeYouSendSection(session))
        await pilot.pause()
        notes = app.screen.query_one("#notes", LongAnswer)
        assert notes.max_length == 20_000
        notes.focus()
        app.post_message(events.Paste("First line\x07\r\nSecond\tline\n" + "z" * 30_000))
        await pilot.pause()
        assert len(notes.text) == 20_000
        assert notes.text.startswith("First line\nSecond\tline\nzzz")
        assert "can be up to 20,000 characters" in _note(notes)
        await pilot.press("q")
        assert len(notes.text) == 20_000
        # Undoing a long paste once closed the app (Textual redraws with the old cursor).
        await pilot.press("ctrl+z")
        assert app.is_running and notes.text == ""
        await pilot.press("ctrl+y")
        assert len(notes.text) == 20_000
        app.screen._save_draft()  # type: ignore[attr-defined]
        await settle(pilot)
        assert _stored(store).notes == notes.text


@pytest.fixture
def meeting_store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "vig.json") as opened:
        opened.save(sent(1, "Amelia Tregear", DECEMBER.replace(year=2025)), base_version=None)
        yield opened


async def test_who_is_it_needed_from_takes_no_more_than_a_decision_holds(
    meeting_store: Store,
) -> None:
    """The reproduction: m, i, 300 characters into "Who is it needed from?", Enter."""
    app = VigApp(meeting_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, MoreInformationDialog)
        await pilot.press(*"Health visitor report", "enter")
        who = dialog.query_one("#field-information_from", ShortAnswer)
        assert app.focused is who
        app.post_message(events.Paste("r" * 300))
        await pilot.pause()
        assert len(who.value) == 200
        assert "can be up to 200 characters" in _note(who)
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running
        decision = _stored(meeting_store).latest_decision
        assert decision is not None and decision.information_from == "r" * 200
