"""The screen gallery: one SVG screenshot per screen, from fictional data.

``generate_gallery(out_dir)`` fills a fresh temporary database with the demo
requests (as of 24 November 2026, so the pictures never change with the
date), then runs the app headless at 100x34 once per :class:`Shot`, drives it
to the screen and saves ``<name>.svg``. Other screens add their shots in
``vig_tui/tools/gallery_meeting.py`` (``SHOTS``), picked up when it exists.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from textual.pilot import Pilot

from ..app import VigApp
from ..domain.checklist import ConsiderationId, CriterionId
from ..domain.history import Action
from ..domain.models import (
    Answer,
    Carer,
    CarerRelationship,
    CaseHolder,
    CaseHolderRole,
    Child,
    ConsiderationAnswer,
    CriterionEvidence,
    Programme,
    Referrer,
    ReferrerRole,
    Route,
    RouteKind,
    VigRequest,
)
from ..domain.rules import Section
from ..preferences import CONFIG_ENV, Preferences, save_preferences
from ..private_folders import ensure_private_folder
from ..profile import Profile
from ..store import Store
from .demo import DEMO_COORDINATOR, fill_database

GALLERY_TODAY = date(2026, 11, 24)
GALLERY_SIZE = (100, 34)
DEMO_REQUESTS = 120

Drive = Callable[[Pilot[None]], Awaitable[None]]


@dataclass(frozen=True)
class Shot:
    """One screenshot: its file name (without .svg) and how to get the app there."""

    name: str
    drive: Drive


def example_request(*, role: ReferrerRole = ReferrerRole.EARLY_HELP_PRACTITIONER) -> VigRequest:
    """A complete, clearly fictional request, ready to send."""
    request = VigRequest(
        referrer=Referrer(
            name="Sam Penrose",
            role=role,
            team="Camborne Early Help",
            phone="01632 960 001",
            email="sam.penrose@example.org",
        ),
        route=Route(kind=RouteKind.EARLY_HELP_HUB, hub_reference="EHH-2026-3141"),
        child=Child(
            name="Amelia Tregear",
            date_of_birth=date(2024, 12, 3),
            postcode="TR15 3AB",
            first_language="English",
        ),
        carers=[
            Carer(
                name="Kerenza Tregear",
                relationship=CarerRelationship.BIRTH_PARENT,
                phone="07700 900 982",
                lives_with_child=True,
            )
        ],
        case_holder=CaseHolder(
            exists=True,
            name="Jan Hocking",
            role=CaseHolderRole.LEAD_PROFESSIONAL,
            team="Redruth Early Help",
            email="jan.hocking@example.org",
        ),
        difficulty_identified_on=date(2026, 9, 1),
        carer_agrees=True,
        interpreter_needed=False,
    )
    request.evidence[CriterionId.BONDING] = CriterionEvidence(
        ticked=True,
        evidence="Kerenza describes feeling distant from Amelia since a difficult birth; "
        "at home visits she rarely holds her face to face.",
    )
    request.evidence[CriterionId.OTHER_INTERVENTIONS] = CriterionEvidence(
        ticked=True,
        evidence="Completed a baby massage group but finds it hard to keep going at home.",
        programmes=[Programme.OTHER],
        other_programme="Baby massage (Solihull Approach)",
    )
    for consideration in ConsiderationId:
        request.considerations[consideration] = ConsiderationAnswer(
            answer=Answer.YES,
            explanation="Discussed at the family's review on 10 November; everyone agreed.",
        )
    request.record(DEMO_COORDINATOR, Action.CREATED, "Request started")
    return request


def _app(pilot: Pilot[None]) -> VigApp:
    app = pilot.app
    assert isinstance(app, VigApp)
    return app


async def _open_tasks(pilot: Pilot[None], request: VigRequest) -> None:
    from ..screens.walkthrough import RequestWalkthrough

    app = _app(pilot)
    app.store.save(request, base_version=request.version)
    await app.push_screen(RequestWalkthrough(request.id))
    await pilot.pause()


async def _open_section(pilot: Pilot[None], request: VigRequest, section: Section) -> None:
    from ..screens.walkthrough import RequestWalkthrough

    await _open_tasks(pilot, request)
    screen = _app(pilot).screen
    assert isinstance(screen, RequestWalkthrough)
    screen.open_section(section)
    await pilot.pause()


async def _home(pilot: Pilot[None]) -> None:
    await _app(pilot).workers.wait_for_complete()
    await pilot.pause()


async def _database_in_use(pilot: Pilot[None]) -> None:
    from ..screens.startup_problem import StartupProblemScreen

    app = _app(pilot)
    await app.workers.wait_for_complete()
    message = (
        "/home/sam/.local/share/vig-tui/vig-tui.json is open in another copy of vig-tui "
        "(user sam, process 4242 on host council-laptop, since 09:14). Open it read-only "
        "with --read-only, or close the other copy."
    )
    app.push_screen(StartupProblemScreen(message, offer_read_only=True))
    await pilot.pause()


async def _unsaved_work(pilot: Pilot[None]) -> None:
    from ..screens.unsaved_work import UnsavedWorkScreen

    app = _app(pilot)
    await app.workers.wait_for_complete()
    reason = (
        "/home/sam/.local/share/vig-tui/vig-tui.json could not be written: No space left on device."
    )
    app.push_screen(UnsavedWorkScreen([reason]))
    await pilot.pause()


async def _text_limit(pilot: Pilot[None]) -> None:
    from textual import events

    await pilot.press("n", "enter")
    await pilot.pause()
    _app(pilot).post_message(events.Paste("Sam Penrose, Camborne Early Help " * 10))
    await pilot.pause()


async def _task_list(pilot: Pilot[None]) -> None:
    request = example_request()
    request.case_holder = CaseHolder()
    request.carer_agrees = None
    for consideration in ConsiderationId:
        request.considerations[consideration] = ConsiderationAnswer()
    request.child.date_of_birth = None
    await _open_tasks(pilot, request)


def _section_shot(number: int, section: Section) -> Shot:
    async def drive(pilot: Pilot[None]) -> None:
        await _open_section(pilot, example_request(), section)

    slug = section.title.lower().replace(" ", "-")
    return Shot(f"section-{number}-{slug}", drive)


async def _section_errors(pilot: Pilot[None]) -> None:
    await pilot.press("n", "enter")
    await pilot.pause()
    await pilot.press(*"Sam Penrose", "tab", "tab")
    await pilot.press(*"Camborne Early Help", "tab")
    await pilot.press(*"01632 96", "tab")
    await pilot.press(*"sam@example", "enter")
    await pilot.pause()


async def _high_contrast(pilot: Pilot[None]) -> None:
    _app(pilot).theme = "vig-high-contrast"
    await _section_errors(pilot)


async def _check_answers(pilot: Pilot[None]) -> None:
    await _open_tasks(pilot, example_request())
    await pilot.press("c")
    await pilot.pause()


async def _cannot_accept(pilot: Pilot[None]) -> None:
    request = example_request(role=ReferrerRole.HEALTH_VISITOR)
    request.child.date_of_birth = date(2021, 6, 14)
    await _open_section(pilot, request, Section.CHILD_FAMILY)
    await pilot.press("enter")
    await pilot.pause()


async def _confirmation(pilot: Pilot[None]) -> None:
    await _open_tasks(pilot, example_request())
    await pilot.press("c")
    await pilot.pause()
    await pilot.press("s")
    await _app(pilot).workers.wait_for_complete()
    await pilot.pause()


async def _profile(pilot: Pilot[None]) -> None:
    """The first-start question (asked by the app when there is no profile)."""
    _app(pilot).ask_profile()
    await pilot.pause()


async def _help(pilot: Pilot[None]) -> None:
    await _open_tasks(pilot, example_request())
    await pilot.press("f1")
    await pilot.pause()


async def _delete_draft(pilot: Pilot[None]) -> None:
    await _open_tasks(pilot, example_request())
    await pilot.press("x")
    await pilot.pause()


async def _typing_after_problem(pilot: Pilot[None]) -> None:
    await pilot.press("n", "enter")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(*"Sam Pen")
    await pilot.pause()


SHOTS: list[Shot] = [
    Shot("home", _home),
    Shot("task-list", _task_list),
    *[_section_shot(section.order + 1, section) for section in Section],
    Shot("section-errors", _section_errors),
    Shot("section-errors-high-contrast", _high_contrast),
    Shot("check-answers", _check_answers),
    Shot("cannot-accept", _cannot_accept),
    Shot("confirmation", _confirmation),
    Shot("help", _help),
    Shot("profile", _profile),
    Shot("delete-draft", _delete_draft),
    Shot("section-typing-after-problem", _typing_after_problem),
    Shot("database-in-use", _database_in_use),
    Shot("unsaved-work", _unsaved_work),
    Shot("text-limit", _text_limit),
]


def all_shots() -> list[Shot]:
    """This module's shots, then the meeting screens' when that module exists."""
    try:
        from .gallery_meeting import SHOTS as MEETING_SHOTS
    except ImportError:
        MEETING_SHOTS = []
    from .gallery_inbox import SHOTS as INBOX_SHOTS
    from .gallery_lifecycle import SHOTS as LIFECYCLE_SHOTS
    from .gallery_sending import shots as sending_shots

    return [*SHOTS, *MEETING_SHOTS, *sending_shots(), *INBOX_SHOTS, *LIFECYCLE_SHOTS]


def _gallery_settings(path: Path) -> None:
    save_preferences(
        Preferences(
            profile=Profile(
                name="Gill Gallery",
                role="health_visitor",
                team="Truro Health Visiting (fictional)",
                phone="01632 960555",
                email="gill@example.org",
            ),
            machine_id="00000000-0000-4000-8000-000000006a11",
        ),
        path,
    )


@contextmanager
def _private_settings(folder: Path) -> Iterator[None]:
    """Keep the user's own settings (their theme) out of the pictures, and untouched."""
    previous = os.environ.get(CONFIG_ENV)
    os.environ[CONFIG_ENV] = str(folder / "preferences.json")
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(CONFIG_ENV, None)
        else:
            os.environ[CONFIG_ENV] = previous


async def generate_gallery(out_dir: Path, shots: list[Shot] | None = None) -> list[Path]:
    """Write one SVG per shot into ``out_dir``; returns their paths in order."""
    ensure_private_folder(out_dir)
    written: list[Path] = []
    with (
        tempfile.TemporaryDirectory(prefix="vig-gallery-") as folder,
        _private_settings(Path(folder)),
    ):
        store = Store.open(Path(folder) / "gallery.json")
        try:
            fill_database(store, DEMO_REQUESTS, today=GALLERY_TODAY)
            for shot in shots if shots is not None else all_shots():
                # Every shot starts from the default theme, whatever the last one chose,
                # as a worker who has given their profile.
                _gallery_settings(Path(folder) / "preferences.json")
                app = VigApp(store, today=GALLERY_TODAY)
                async with app.run_test(size=GALLERY_SIZE) as pilot:
                    await pilot.pause()
                    await shot.drive(pilot)
                    await pilot.pause()
                    written.append(
                        Path(app.save_screenshot(filename=f"{shot.name}.svg", path=str(out_dir)))
                    )
        finally:
            store.close()
    return written
