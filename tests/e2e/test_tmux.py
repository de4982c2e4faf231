"""End to end: the installed `vig-tui`, in tmux at 80x24, a request typed to confirmation.

Then `vig-tui list --json` on the same database must show the reference and
the meeting the confirmation page gave.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from vig_tui.domain.meetings import MeetingCalendar


def _vig_tui() -> str | None:
    found = shutil.which("vig-tui")
    if found:
        return found
    beside = Path(sys.executable).with_name("vig-tui")
    return str(beside) if beside.exists() else None


VIG_TUI = _vig_tui()

#: Seconds between keys: a quick typist (keys 50 ms apart once went to the wrong answer).
PACE = 0.045

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(VIG_TUI is None, reason="the vig-tui command is not installed"),
]


class Terminal:
    """One tmux session running a command, read through capture-pane."""

    def __init__(self, name: str) -> None:
        self.name = name

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name],
            capture_output=True,
            text=True,
            check=False,
        ).stdout

    def wait_for(self, text: str, timeout: float = 15) -> str:
        """Wait until ``text`` is on screen, then a moment more, as a person would."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                time.sleep(0.2)
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        """Press keys at a quick typist's pace."""
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.name, key], check=True)
            time.sleep(PACE)

    def type(self, text: str, *, watch: bool = True) -> None:
        """Type ``text`` a key at a time; ``watch``: then wait until it shows."""
        for character in text:
            subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", character], check=True)
            time.sleep(PACE)
        if watch:
            self.wait_for(text, timeout=5)

    def alive(self) -> bool:
        return (
            subprocess.run(
                ["tmux", "has-session", "-t", self.name], capture_output=True, check=False
            ).returncode
            == 0
        )


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    db = tmp_path / "e2e.json"
    yield from _launch(tmp_path, db)


def _launch(tmp_path: Path, db: Path) -> Iterator[tuple[Terminal, Path]]:
    """`vig-tui --db DB` in a fresh 80x24 tmux session, killed afterwards."""
    name = f"vig-e2e-{uuid.uuid4().hex[:8]}"
    env = {
        # The test worker's settings (with a profile: no first-start question).
        "VIG_TUI_CONFIG": os.environ["VIG_TUI_CONFIG"],
        "TERM": "xterm-256color",
    }
    command = " ".join(
        [
            "env",
            *[f"{k}={v}" for k, v in env.items()],
            str(VIG_TUI),
            "--db",
            str(db),
        ]
    )
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", name, "-x", "80", "-y", "24", command],
        check=True,
        env={**os.environ, "TMUX": ""},
    )
    term = Terminal(name)
    try:
        yield term, db
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True, check=False)


def _home_ready(term: Terminal) -> None:
    """Home draws before the database is open, and `n` waits for the database."""
    term.wait_for("Video Interaction Guidance requests")
    term.wait_for("queued for it")


def _section_done(term: Terminal, done: int) -> None:
    term.wait_for(f"You have completed {done} of 6 sections")


def test_a_request_typed_in_tmux_reaches_the_list(terminal: tuple[Terminal, Path]) -> None:
    term, db = terminal
    _home_ready(term)
    term.keys("n")
    term.wait_for("Make a VIG request")

    term.keys("Enter")
    term.wait_for("Section 1 of 6")
    term.keys(
        "C-u"
    )  # the name filled in from the profile: focus selects nothing, so clear it first
    term.type("Sam Penrose")
    term.keys("Tab", "Down", "Space", "Tab")
    term.type("Camborne Early Help")
    term.keys("Tab")
    term.type("01632 960 001")
    term.keys("Enter")
    _section_done(term, 1)

    term.keys("Enter")
    term.wait_for("How was the request agreed?")
    term.keys("Space")
    term.wait_for("Early Help Hub request form reference")
    term.keys("Tab")
    term.type("EHH-42")
    term.keys("Enter")
    _section_done(term, 2)

    term.keys("Enter")
    term.wait_for("The child's full name")
    term.type("Amelia Tregear")
    term.keys("Tab")
    term.type("3 Dec 2024")
    # Gender, address, postcode, setting, language, the carer's name (Remove is Ctrl+O,
    # not a Tab stop).
    term.keys(*["Tab"] * 6)
    term.type("Kerenza Tregear")
    term.keys("Tab", "Space", "Tab", "Enter")
    _section_done(term, 3)

    term.keys("Enter")
    term.wait_for("Does the family have a case holder")
    term.keys("Space")
    term.wait_for("Their name")
    term.keys("Tab")
    term.type("Jan Hocking")
    term.keys("Tab", "Space", "Tab", "Tab", "Tab")
    term.type("jan.hocking@example.org")
    term.keys("Enter")
    _section_done(term, 4)

    term.keys("Enter")
    term.wait_for("Which of these have you seen evidence of?")
    term.keys("Space")
    term.wait_for("Describe what you have seen")
    term.keys("Tab")
    term.type("Little warmth seen at three home visits")
    term.keys(*["Tab"] * 6, "Enter")
    _section_done(term, 5)

    term.keys("Enter")
    term.wait_for("The VIG service asks you to consider these")
    for _ in range(4):
        term.keys("Space", "Tab")
        term.type("Agreed at the family review")
        term.keys("Tab")
    # Carer agrees; no interpreter; past the notes to Continue (before Back).
    term.keys("Space", "Tab", "Down", "Space", "Tab", "Tab", "Enter")
    _section_done(term, 6)

    term.keys("Enter")
    term.wait_for("Check your answers before sending")
    term.keys("s")
    screen = term.wait_for("Your reference is")
    reference = re.search(r"VIG-\d{4}-\d{4,}", screen)
    assert reference is not None
    meeting = MeetingCalendar().meeting_for_submission(date.today())
    assert f"{meeting.date.day} {meeting.date:%B %Y}" in term.wait_for("allocation meeting on")

    term.keys("C-q")
    deadline = time.monotonic() + 10
    while term.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    listed = subprocess.run(
        [str(VIG_TUI), "list", "--json", "--db", str(db)],
        capture_output=True,
        text=True,
        check=True,
    )
    [row] = json.loads(listed.stdout)
    assert row["reference"] == reference.group(0)
    assert row["meeting"] == meeting.date.isoformat()
    assert row["status"] == "submitted"


def test_a_quick_typist_who_never_waits_fills_every_answer(
    terminal: tuple[Terminal, Path],
) -> None:
    """Two sections typed straight through from Home, not waiting for any page to appear."""
    from vig_tui.domain.models import CarerRelationship, ReferrerRole
    from vig_tui.store import Store

    term, db = terminal
    _home_ready(term)
    term.keys(
        "n", "Enter", "C-u"
    )  # the name filled in from the profile: focus selects nothing, so clear it first
    term.type("Sam Penrose", watch=False)
    term.keys("Tab", "Down", "Space", "Tab")
    term.type("Camborne Early Help", watch=False)
    term.keys("Tab")
    term.type("01632 960 001", watch=False)
    term.keys("Tab")
    term.type("sam.penrose@example.org", watch=False)
    term.keys("Enter", "Down", "Enter")
    for answer in ("Amelia Tregear", "3/12/2024", "Female", "1 Fore Street", "TR14 8AA"):
        term.type(answer, watch=False)
        term.keys("Tab")
    for answer in ("Little Acorns", "Cornish"):
        term.type(answer, watch=False)
        term.keys("Tab")
    # Straight to the carer's name: their Remove is Ctrl+O, not a Tab stop.
    term.type("Kerenza Tregear", watch=False)
    term.keys("Tab")
    term.keys("Space", "Tab")
    term.type("07700 900123", watch=False)
    term.keys("Enter")
    term.wait_for("You have completed 2 of 6 sections")
    term.keys("C-q")
    deadline = time.monotonic() + 10
    while term.alive() and time.monotonic() < deadline:
        time.sleep(0.1)

    with Store.open(db, read_only=True) as store:
        [request] = store.requests()
    referrer, child, [carer] = request.referrer, request.child, request.carers
    assert (referrer.name, referrer.role, referrer.team, referrer.phone, referrer.email) == (
        "Sam Penrose",
        ReferrerRole.EARLY_HELP_PRACTITIONER,
        "Camborne Early Help",
        "01632 960 001",
        "sam.penrose@example.org",
    )
    assert (child.name, child.date_of_birth, child.gender, child.address, child.postcode) == (
        "Amelia Tregear",
        date(2024, 12, 3),
        "Female",
        "1 Fore Street",
        "TR14 8AA",
    )
    assert (child.setting, child.first_language) == ("Little Acorns", "Cornish")
    assert (carer.name, carer.relationship, carer.phone) == (
        "Kerenza Tregear",
        CarerRelationship.BIRTH_PARENT,
        "07700 900123",
    )


def _paste(term: Terminal, text: str) -> None:
    """Paste ``text`` as a terminal does (bracketed), through a tmux buffer."""
    buffer = f"{term.name}-paste"
    subprocess.run(["tmux", "set-buffer", "-b", buffer, text], check=True)
    subprocess.run(["tmux", "paste-buffer", "-p", "-d", "-b", buffer, "-t", term.name], check=True)


def _quit(term: Terminal) -> None:
    term.keys("C-q")
    deadline = time.monotonic() + 10
    while term.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not term.alive()


#: 3,000 characters over several lines, with a BEL: what a careless paste brings.
LONG_PASTE = ("Sam Penrose, Camborne Early Help\nsecond line\x07 " * 70)[:3000]


def test_a_3000_character_paste_into_your_name_keeps_200_and_the_app_running(
    terminal: tuple[Terminal, Path],
) -> None:
    from vig_tui.store import Store

    term, db = terminal
    _home_ready(term)
    term.keys("n")
    term.wait_for("Make a VIG request")
    term.keys("Enter")
    term.wait_for("Section 1 of 6")
    term.keys(
        "C-u"
    )  # the name filled in from the profile: focus selects nothing, so clear it first
    _paste(term, LONG_PASTE)
    term.wait_for("This answer can be up to 200 characters")
    term.keys("C-s")
    term.wait_for("Draft saved")
    assert term.alive()
    _quit(term)
    with Store.open(db, read_only=True) as store:
        [request] = store.requests()
    assert (
        request.referrer.name == " ".join(LONG_PASTE.replace("\x07", "").split("\n"))[:200].strip()
    )


@pytest.fixture
def meeting_terminal(tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    """The app on a database with one request sent for the next meeting."""
    from vig_tui.domain.models import Child, Referrer, ReferrerRole, VigRequest
    from vig_tui.store import Store

    db = tmp_path / "meeting.json"
    with Store.open(db) as store:
        request = VigRequest(
            child=Child(name="Amelia Tregear", date_of_birth=date(2025, 9, 1)),
            referrer=Referrer(name="Alex Worker", role=ReferrerRole.SOCIAL_WORKER),
        )
        store.submit(request, date.today(), base_version=None)
    yield from _launch(tmp_path, db)


def test_a_3000_character_paste_into_a_meeting_dialog_keeps_200_and_records(
    meeting_terminal: tuple[Terminal, Path],
) -> None:
    """m, i, a long paste into "Who is it needed from?", Enter: once this closed the app."""
    from vig_tui.store import Store

    term, db = meeting_terminal
    _home_ready(term)
    term.keys("m")
    term.wait_for("To decide")
    term.keys("i")
    term.wait_for("Who is it needed from?")
    term.type("Health visitor report")
    term.keys("Enter")
    _paste(term, "r" * 3000)
    term.wait_for("This answer can be up to 200 characters")
    term.keys("Enter")
    term.wait_for("More information from")
    assert term.alive()
    _quit(term)
    with Store.open(db, read_only=True) as store:
        [request] = store.requests()
    assert request.latest_decision is not None
    assert request.latest_decision.information_from == "r" * 200
