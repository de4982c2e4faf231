"""Launching the real app, and a bare Textual app, in a pseudo-terminal.

One launch times the home screen's first frame (its headings, drawn before
the database is open) and the moment Home is complete (the database open and
the next meeting's queue filled in). Then it presses ``r`` and times the
register until it shows its full count in its first order (its rows are
loaded and the filter works), types one letter into the filter and times the
new count on screen, then a backspace and the full count again; it reads the
process's peak memory and quits with ctrl+q.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .terminal import TerminalProcess

#: Home's headings, in the order drawn: its first frame, before the database is open
#: (searched without spaces or case).
HOME_FIRST_FRAME = ("Video Interaction Guidance requests", "Next allocation meeting")
#: Text Home shows once the database is open and it has gathered its facts.
HOME_COMPLETE = "queued for it"
BARE_MARKER = "Bare Textual app ready"
#: How long to wait for each screen before calling the launch a failure.
SCREEN_TIMEOUT = 120.0

BARE_APP = f'''\
"""A bare Textual app: the floor for a Textual app's start-up, and the usual way
of answering a keystroke (an Input's Changed message echoed in a Static), which
typically lands a frame after the letter itself."""

from textual.app import App, ComposeResult
from textual.widgets import Input, Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("{BARE_MARKER}")
        yield Input()
        yield Static("", id="echo")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#echo", Static).update(f"typed={{event.value}}=")


Bare().run()
'''
#: Letters typed into the bare app's Input, one at a time, timed to their echo.
BARE_TYPED = "vigregister"

#: Letters tried, in order, for one keystroke in the register's filter: the
#: first that leaves some rows but not all is typed.
FILTER_LETTERS = "zqxjkvywgfbucmdlhposnriate"
BACKSPACE = "\x7f"


@dataclass
class Launch:
    """What one launch measured (seconds; None when not seen)."""

    #: From launch to Home's first frame (the bare app: to its one widget).
    start: float | None = None
    #: From launch to Home complete: the database open and Home filled in.
    home_complete: float | None = None
    #: From launch to the register complete and filterable.
    register: float | None = None
    #: From pressing r (on a complete Home) to the register complete and filterable.
    register_after_key: float | None = None
    #: From launch to the register complete and filterable, r pressed as soon as
    #: Home's first frame shows (a launch of its own: the database opens meanwhile).
    register_at_once: float | None = None
    #: Each keystroke in the filter: from the key to the new count on screen.
    keystrokes: list[float] = field(default_factory=list)
    peak_memory_mb: float | None = None
    problem: str = ""


def register_marker(shown: int, total: int) -> str:
    """The register's count line (see ``RegisterScreen._refresh_table``)."""
    return f"{shown:,} of {total:,} requests"


#: The count line's wording right after the count, in the register's first order.
REGISTER_ORDER = ", by reference (ascending)"


def choose_filter_letter(haystacks: Iterable[str]) -> tuple[str, int] | None:
    """A letter that some rows match and some do not, with how many match."""
    texts = list(haystacks)
    for letter in FILTER_LETTERS:
        matches = sum(letter in text for text in texts)
        if 0 < matches < len(texts):
            return letter, matches
    return None


def terminal_env(config_dir: Path) -> dict[str, str]:
    """The environment of a launch: a 256-colour xterm, and settings kept out of the user's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    for name in ("COLUMNS", "LINES", "NO_COLOR"):
        env.pop(name, None)
    env["TERM"] = "xterm-256color"
    env["VIG_TUI_CONFIG"] = str(config_dir / "preferences.json")
    return env


def app_command(db: str | Path) -> list[str]:
    """``vig-tui --db PATH`` (or a server's URL) as installed next to this interpreter,
    else ``python -m``."""
    script = shutil.which("vig-tui", path=str(Path(sys.executable).parent))
    if script:
        return [script, "--db", str(db)]
    return [sys.executable, "-m", "vig_tui.cli", "--db", str(db)]


class Launcher:
    """Launches the app and the bare app; owns the bare app's script file."""

    def __init__(self, workdir: Path | None = None) -> None:
        self._owned = workdir is None
        self.workdir = Path(tempfile.mkdtemp(prefix="vig-bench-")) if workdir is None else workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.bare_script = self.workdir / "bare_textual_app.py"
        self.bare_script.write_text(BARE_APP, encoding="utf-8")
        self.env = terminal_env(self.workdir)

    def bare(self) -> Launch:
        result = Launch()
        with TerminalProcess([sys.executable, str(self.bare_script)], env=self.env) as term:
            shown = term.wait_for(BARE_MARKER, SCREEN_TIMEOUT)
            if shown is None:
                result.problem = f"bare app never drew: {term.text[-300:]!r}"
                return result
            result.start = shown - term.started
            term.settle(0.3)
            value = ""
            for letter in BARE_TYPED:
                value += letter
                term.mark()
                typed = term.send(letter)
                echoed = term.wait_for(f"typed={value}=", SCREEN_TIMEOUT)
                if echoed is None:
                    result.problem = f"bare app never echoed {value!r}"
                    break
                result.keystrokes.append(echoed - typed)
                term.settle(0.05)
            result.peak_memory_mb = term.peak_memory_mb()
        return result

    def app(
        self,
        db: str | Path,
        total: int,
        *,
        register: bool = True,
        filter_key: tuple[str, int] | None = None,
    ) -> Launch:
        result = Launch()
        with TerminalProcess(app_command(db), env=self.env) as term:
            for marker in HOME_FIRST_FRAME:
                drawn = term.wait_for(marker, SCREEN_TIMEOUT)
                if drawn is None:
                    result.problem = f"home screen never showed {marker!r}: {term.text[-400:]!r}"
                    return result
                result.start = drawn - term.started
            complete = term.wait_for(HOME_COMPLETE, SCREEN_TIMEOUT)
            if complete is None:
                result.problem = f"home never showed {HOME_COMPLETE!r}: {term.text[-400:]!r}"
                return result
            result.home_complete = complete - term.started
            if register:
                self._register(term, total, filter_key, result)
            result.peak_memory_mb = term.peak_memory_mb()
        return result

    def register_at_once(self, db: Path, total: int) -> Launch:
        """Launch, press r at Home's first frame, and time the register from launch."""
        result = Launch()
        with TerminalProcess(app_command(db), env=self.env) as term:
            for marker in HOME_FIRST_FRAME:
                if term.wait_for(marker, SCREEN_TIMEOUT) is None:
                    result.problem = f"home screen never showed {marker!r}: {term.text[-400:]!r}"
                    return result
            since = term.mark()
            term.send("r")
            counted = register_marker(total, total) + REGISTER_ORDER
            complete = term.wait_for(counted, SCREEN_TIMEOUT, since=since)
            if complete is None:
                result.problem = f"register never showed its count: {term.text[-400:]!r}"
                return result
            result.register_at_once = complete - term.started
        return result

    def _register(
        self,
        term: TerminalProcess,
        total: int,
        filter_key: tuple[str, int] | None,
        result: Launch,
    ) -> None:
        term.settle(0.2)  # Home is complete and idle: r is handled at once
        since = term.mark()
        pressed = term.send("r")
        counted = register_marker(total, total) + REGISTER_ORDER
        complete = term.wait_for(counted, SCREEN_TIMEOUT, since=since)
        if complete is None:
            result.problem = f"register never showed its count: {term.text[-400:]!r}"
            return
        result.register = complete - term.started
        result.register_after_key = complete - pressed
        if filter_key is None:
            return
        letter, matches = filter_key
        # "/" focuses the filter; when the filter has the focus already it
        # types a "/", which the backspace takes away again. Either way the
        # filter is focused and empty.
        term.send("/")
        term.settle(0.3)
        term.send(BACKSPACE)
        term.settle(0.3)
        for key, shown in ((letter, matches), (BACKSPACE, total)):
            term.mark()
            typed = term.send(key)
            seen = term.wait_for(register_marker(shown, total), 15.0)
            if seen is None:
                result.problem = (
                    f"typing {key!r} in the filter never showed {shown:,} rows: "
                    f"{term.text[-300:]!r}"
                )
                return
            result.keystrokes.append(seen - typed)
            term.settle(0.3)

    def close(self) -> None:
        if self._owned:
            shutil.rmtree(self.workdir, ignore_errors=True)
