"""Hostile text typed and pasted into every text box of every question page and dialog.

Generated text (up to ten times each box's limit, control characters, right-to-left
text, combining marks, zero-width-joined emoji, NUL, ESC) goes into every text
answer; the page is saved and checked, the dialog confirmed. The app must never
close, and what is stored is what the box shows (the model trims the ends). A
few hundred examples in all, so it runs in CI (issue #9).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual import events
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

from vig_tui.app import VigApp
from vig_tui.domain.checklist import CriterionId
from vig_tui.domain.models import (
    Carer,
    CarerRelationship,
    CaseHolder,
    Child,
    CriterionEvidence,
    MeetingRecord,
    Practitioner,
    Programme,
    Referrer,
    RequestStatus,
    Route,
    RouteKind,
    VigRequest,
)
from vig_tui.domain.rules import Section
from vig_tui.screens.decision import (
    AllocateDialog,
    DeferDialog,
    MoreInformationDialog,
    MoveMeetingDialog,
    NotAcceptedDialog,
    ReasonDialog,
)
from vig_tui.screens.meeting_record import MeetingRecordDialog
from vig_tui.screens.roster import PractitionerDialog
from vig_tui.screens.section import SectionScreen, Session
from vig_tui.screens.sections import section_screen
from vig_tui.store import Store
from vig_tui.widgets.answer import LongAnswer, ShortAnswer
from vig_tui.widgets.date_input import DateInput, MonthOrDateInput
from vig_tui.widgets.question import Question

from .conftest import TODAY

MEETING = date(2026, 12, 3)
FOLLOWING = date(2027, 1, 7)

#: Pieces a hostile (or unlucky) paste is made of.
NASTY = st.sampled_from(
    [
        "\x00",
        "\x07",
        "\x1b",
        "\x1b[2J\x1b[31m",
        "\x7f",
        "\x9b",
        "\r\n",
        "\n",
        "\r",
        "\t",
        "\u2028",
        " ",
        "\u00a0",
        "שָׁלוֹם עֲלֵיכֶם",
        "مرحبا بالعالم",
        "\u202etxet\u202c",
        "e\u0301\u0302",
        "👩\u200d👩\u200d👧\u200d👦",
        "🏳️\u200d🌈",
        "漢字かな",
        "O’Brien",
        "[bold]markup[/]",
        "Sam Rowe",
    ]
)
PIECE = st.one_of(NASTY, st.text(st.characters(codec="utf-8"), max_size=12))


def hostile(limit: int) -> st.SearchStrategy[str]:
    """Text up to ten times ``limit`` long: a few pieces, repeated."""
    return st.builds(
        lambda base, times: (base * times)[: 10 * limit],
        st.lists(PIECE, min_size=1, max_size=6).map("".join),
        st.integers(1, 10 * limit),
    )


def _value_at(model: Any, path: str) -> Any:
    """The stored answer at a dotted model path ("carers.0.name")."""
    current = model
    for part in path.split("."):
        if isinstance(current, list):  # an item by its stable id (or its position)
            current = next(
                (item for item in current if str(getattr(item, "id", "")) == part), None
            ) or (current[int(part)] if part.isdigit() else None)
            if current is None:
                raise IndexError(part)
        elif isinstance(current, dict):
            current = current[part]
        else:
            current = getattr(current, part)
    return current


def _shown(widget: Widget) -> str:
    return widget.value if isinstance(widget, Input) else widget.text  # type: ignore[attr-defined]


def _boxes(screen: Screen[Any]) -> list[Widget]:
    """Every text box the worker can reach on the screen (shown, in page order)."""
    return [
        widget
        for widget in screen.query("*")
        if isinstance(widget, (ShortAnswer, LongAnswer))
        and all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))
    ]


async def _paste_into(
    app: VigApp, pilot: Any, box: Widget, text: str, *, type_first: bool = False
) -> None:
    """Select what the box holds and paste over it (``type_first``: the first few
    letters are typed as keys, the rest pasted)."""
    box.focus()
    box.select_all()  # type: ignore[attr-defined]
    typed: list[str] = []
    if type_first:
        await pilot.pause()
        for character in text[:4]:
            if not (character.isascii() and character.isalnum()):
                break
            typed.append(character)
        await pilot.press(*typed)
    app.post_message(events.Paste(text[len(typed) :]))
    await pilot.pause()


Example = tuple[Callable[[VigApp, Any], Awaitable[Any]], "concurrent.futures.Future[Any]"]


class LiveApp:
    """One app, running in its own thread for a whole hypothesis run: each example
    is a coroutine run on it (starting an app per example would take minutes)."""

    def __init__(self, store: Store) -> None:
        self.app = VigApp(store, today=TODAY)
        self._loop = asyncio.new_event_loop()
        self._examples: asyncio.Queue[Example | None] | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._loop.run_until_complete, args=(self._main(),))
        self._thread.start()
        assert self._ready.wait(60), "the app did not start"

    async def _main(self) -> None:
        self._examples = asyncio.Queue()
        async with self.app.run_test(size=(80, 24)) as pilot:
            self._ready.set()
            # Examples run here, inside the test's context (Textual's active app).
            while (item := await self._examples.get()) is not None:
                example, done = item
                try:
                    result = await example(self.app, pilot)
                except BaseException as error:  # handed to the test, which fails with it
                    done.set_exception(error)
                else:
                    done.set_result(result)

    def run(self, example: Callable[[VigApp, Any], Awaitable[Any]]) -> Any:
        """Run ``example(app, pilot)`` on the app; its result (hypothesis draws stay
        in the test's own thread: draw between two runs)."""
        assert self._examples is not None
        done: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self._loop.call_soon_threadsafe(self._examples.put_nowait, (example, done))
        return done.result(120)

    def close(self) -> None:
        assert self._examples is not None
        self._loop.call_soon_threadsafe(self._examples.put_nowait, None)
        self._thread.join(60)
        self._loop.close()


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[LiveApp, Store]]:
    with Store.open(tmp_path / "vig.json") as store:
        live_app = LiveApp(store)
        yield live_app, store
        live_app.close()


FUZZ = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,  # one app for the run, on purpose
    ],
)


# Question pages --------------------------------------------------------------


def _request_showing_every_question(variant: str) -> VigRequest:
    request = VigRequest(referrer=Referrer(name="Sam"))
    request.route = Route(
        kind=RouteKind.CASE_MANAGEMENT if variant == "case-management" else RouteKind.EARLY_HELP_HUB
    )
    request.child = Child(name="Amelia")
    request.carers = [Carer(name="Jo", relationship=CarerRelationship.OTHER)]
    request.case_holder = CaseHolder(exists=True)
    request.evidence = {
        criterion: CriterionEvidence(ticked=True, programmes=[Programme.OTHER])
        for criterion in CriterionId
    }
    request.interpreter_needed = True
    return request


PAGES = [
    (Section.REFERRER, ""),
    (Section.ROUTE, "hub"),
    (Section.ROUTE, "case-management"),
    (Section.CHILD_FAMILY, ""),
    (Section.CASE_HOLDER, ""),
    (Section.EVIDENCE, ""),
    (Section.BEFORE_YOU_SEND, ""),
]


@pytest.mark.parametrize(("section", "variant"), PAGES)
@FUZZ
@given(data=st.data())
def test_hostile_text_in_every_answer_of_every_page(
    live: tuple[LiveApp, Store], section: Section, variant: str, data: st.DataObject
) -> None:
    live_app, store = live
    request = _request_showing_every_question(variant)
    store.save(request, base_version=None)

    async def open_page(app: VigApp, pilot: Any) -> list[Widget]:
        screen = section_screen(section, Session(store.get(request.id), stored=True))
        await app.push_screen(screen)
        await pilot.pause()
        return _boxes(screen)

    boxes = live_app.run(open_page)
    assert boxes, "every page has text boxes"
    texts = [data.draw(hostile(box.max_length or 200)) for box in boxes]  # type: ignore[attr-defined]

    async def example(app: VigApp, pilot: Any) -> None:
        screen = app.screen
        assert isinstance(screen, SectionScreen)
        for number, (box, text) in enumerate(zip(boxes, texts, strict=True)):
            await _paste_into(app, pilot, box, text, type_first=number == 0)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await asyncio.wait_for(app.workers.wait_for_complete(), 60)
        assert not app.unsaved, app.unsaved
        stored = store.get(request.id)
        for box in boxes:
            shown = _shown(box)
            assert len(shown) <= (box.max_length or 0)  # type: ignore[attr-defined]
            if isinstance(box, (DateInput, MonthOrDateInput)):
                continue  # read as a date, not kept as text
            question = next(a for a in box.ancestors if isinstance(a, Question))
            try:
                value = _value_at(stored, question.field)
            except IndexError:  # a carer left blank is not kept
                assert not shown.strip()
                continue
            assert value == shown.strip(), question.field
        screen.action_continue()  # the rules read every answer too
        await pilot.pause()
        await asyncio.wait_for(app.workers.wait_for_complete(), 60)
        assert app.is_running
        while app.screen is not app.screen_stack[0]:
            app.pop_screen()
        await pilot.pause()

    live_app.run(example)
    assert live_app.app.is_running


# Dialogs ---------------------------------------------------------------------


@dataclass(frozen=True)
class DialogCase:
    name: str
    make: Callable[[VigRequest], Screen[Any]]
    #: The result's answer for a field name (None: not kept as text).
    answer: Callable[[Any, str], str | None]
    #: Answers kept a line at a time: blank lines dropped, each line trimmed.
    lines: bool = False


def _sent() -> VigRequest:
    return VigRequest(
        reference="VIG-2026-0001",
        status=RequestStatus.SUBMITTED,
        meeting=MEETING,
        referrer=Referrer(name="Sam Rowe"),
        child=Child(name="Amelia Tregear"),
    )


PRACTITIONER = Practitioner(name="Jo Pascoe")


def _attribute(result: Any, name: str) -> str | None:
    value = getattr(result, name, None)
    return value if isinstance(value, str) else None


DIALOGS = [
    DialogCase(
        "allocate",
        lambda r: AllocateDialog(r, MEETING, [(PRACTITIONER, 1)]),
        _attribute,
    ),
    DialogCase("not-accepted", lambda r: NotAcceptedDialog(r, MEETING), _attribute),
    DialogCase("deferred", lambda r: DeferDialog(r, MEETING, FOLLOWING), _attribute),
    DialogCase(
        "more-information", lambda r: MoreInformationDialog(r, MEETING, FOLLOWING), _attribute
    ),
    DialogCase(
        "withdraw",
        lambda r: ReasonDialog(
            "Withdraw", "Why?", "Reason", confirm="Withdraw", required="Enter why"
        ),
        lambda result, name: result,
    ),
    DialogCase(
        "move-meeting",
        lambda r: MoveMeetingDialog(MEETING, MEETING, None),
        lambda result, name: result[1] if name == "reason" else None,
    ),
    DialogCase("practitioner", lambda r: PractitionerDialog(PRACTITIONER), _attribute),
    DialogCase(
        "meeting-record",
        lambda r: MeetingRecordDialog(MeetingRecord(meeting=MEETING)),
        lambda result, name: (
            "\n".join(result.attendees)
            if name == "attendees"
            else "\n".join(result.apologies)
            if name == "apologies"
            else result.actions
        ),
        lines=True,
    ),
]


@pytest.mark.parametrize("case", DIALOGS, ids=lambda case: case.name)
@FUZZ
@given(data=st.data())
def test_hostile_text_in_every_box_of_every_dialog(
    live: tuple[LiveApp, Store], case: DialogCase, data: st.DataObject
) -> None:
    live_app, _ = live

    results: list[Any] = []
    dialog = case.make(_sent())

    async def open_dialog(app: VigApp, pilot: Any) -> list[Widget]:
        await app.push_screen(dialog, results.append)
        await pilot.pause()
        return _boxes(dialog)

    boxes = live_app.run(open_dialog)
    assert boxes, "every dialog here has text boxes"
    texts = [data.draw(hostile(box.max_length or 200)) for box in boxes]  # type: ignore[attr-defined]

    async def example(app: VigApp, pilot: Any) -> None:
        for number, (box, text) in enumerate(zip(boxes, texts, strict=True)):
            await _paste_into(app, pilot, box, text, type_first=number == 0)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.is_running
        if results and results[0] is not None:
            for box in boxes:
                name = (box.id or "").removeprefix("field-")
                stored = case.answer(results[0], name)
                shown = _shown(box)
                if case.lines:
                    shown = "\n".join(line.strip() for line in shown.splitlines() if line.strip())
                if stored is not None:
                    assert stored == shown.strip(), name
        if app.screen is dialog:
            dialog.dismiss(None)
            await pilot.pause()

    live_app.run(example)
    assert live_app.app.is_running
