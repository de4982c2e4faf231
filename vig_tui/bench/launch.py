"""Launching the real app, and a bare Textual app, in a pseudo-terminal.

One launch times the first frame of the home screen, then presses ``r`` and
times the register until it shows its full count (the moment its rows are
loaded and the filter works), then types one letter into the filter and times
the new count, reads the process's peak memory and quits with ctrl+q.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .terminal import TerminalProcess

#: Text the home screen shows once it has read the store (searched without spaces or case).
HOME_MARKER = "queued for it"
BARE_MARKER = "Bare Textual app ready"
#: How long to wait for each screen before calling the launch a failure.
SCREEN_TIMEOUT = 120.0

BARE_APP = f'''\
"""A one-widget Textual app: the floor for a Textual app's start-up."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("{BARE_MARKER}")


Bare().run()
'''

#: Letters tried, in order, for one keystroke in the register's filter: the
#: first that leaves some rows but not all is typed.
FILTER_LETTERS = "zqxjkvywgfbucmdlhposnriate"
BACKSPACE = "\x7f"


@dataclass
class Launch:
    """What one launch measured (seconds from launch; None when not seen)."""

    start: float | None = None
    register_filterable: float | None = None
    register: float | None = None
    register_after_key: float | None = None
    filter_on_screen: float | None = None
    peak_memory_mb: float | None = None
    problem: str = ""


def register_marker(shown: int, total: int) -> str:
    """The register's count line (see ``RegisterScreen._refresh_table``)."""
    return f"{shown:,} of {total:,} requests"


#: The count line ends so while the register still works out priorities.
REGISTER_WORKING = "; working out priorities"
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


def app_command(db: Path) -> list[str]:
    """``vig-tui --db PATH`` as installed next to this interpreter, else ``python -m``."""
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
            result.peak_memory_mb = term.peak_memory_mb()
        return result

    def app(
        self,
        db: Path,
        total: int,
        *,
        register: bool = True,
        filter_key: tuple[str, int] | None = None,
    ) -> Launch:
        result = Launch()
        with TerminalProcess(app_command(db), env=self.env) as term:
            home = term.wait_for(HOME_MARKER, SCREEN_TIMEOUT)
            if home is None:
                result.problem = f"home screen never showed {HOME_MARKER!r}: {term.text[-400:]!r}"
                return result
            result.start = home - term.started
            if register:
                self._register(term, total, filter_key, result)
            result.peak_memory_mb = term.peak_memory_mb()
        return result

    def _register(
        self,
        term: TerminalProcess,
        total: int,
        filter_key: tuple[str, int] | None,
        result: Launch,
    ) -> None:
        since = term.mark()
        pressed = term.send("r")
        counted = register_marker(total, total)
        filterable = term.wait_for(counted, SCREEN_TIMEOUT)
        if filterable is None:
            result.problem = f"register never showed its count: {term.text[-400:]!r}"
            return
        result.register_filterable = filterable - term.started
        complete = term.wait_for(
            counted + REGISTER_ORDER, SCREEN_TIMEOUT, unless=REGISTER_WORKING, since=since
        )
        if complete is None:
            result.problem = f"register never finished its priorities: {term.text[-400:]!r}"
            return
        result.register = complete - term.started
        result.register_after_key = complete - pressed
        if filter_key is None:
            return
        letter, matches = filter_key
        # "/" focuses the filter; when the filter has the focus already (it
        # can have it while the table is loading) it types a "/", which the
        # backspace takes away again. Either way the filter is focused and empty.
        term.send("/")
        term.settle(0.3)
        term.send(BACKSPACE)
        term.settle(0.3)
        term.mark()
        typed = term.send(letter)
        filtered = term.wait_for(register_marker(matches, total), 15.0)
        if filtered is None:
            result.problem = (
                f"typing {letter!r} in the filter never showed {matches:,} rows: "
                f"{term.text[-300:]!r}"
            )
            return
        result.filter_on_screen = filtered - typed

    def close(self) -> None:
        if self._owned:
            shutil.rmtree(self.workdir, ignore_errors=True)
