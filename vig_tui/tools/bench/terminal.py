"""A program run in a pseudo-terminal, watched for text on its screen.

The benchmark launches the app the way a person does, in a terminal of a
known size, and times how long it takes for words to appear. Textual draws
with cursor moves and colour codes between the words, so the output is
stripped of escape sequences and of all white space before it is searched;
a marker is matched the same way.
"""

from __future__ import annotations

import bisect
import codecs
import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

COLUMNS, ROWS = 120, 36
CTRL_Q = "\x11"

#: CSI, OSC, DCS/APC/PM strings and the short escapes: everything that is not text.
#: The short form leaves out the introducers of the longer ones, so a sequence
#: cut in two by a read is recognised as unfinished rather than as a short one.
_ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[P_^X][^\x1b]*\x1b\\"
    r"|\x1b[ -/]*[0-OQ-WYZ\\`-~]"
)
_SPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Text without escape sequences, control characters or white space, lower-cased."""
    text = _ESCAPE.sub("", text)
    text = "".join(ch for ch in text if ch >= " " or ch in "\t\n\r")
    return _SPACE.sub("", text).lower()


def _split_complete(text: str) -> tuple[str, str]:
    """Split off a trailing escape sequence that may still be arriving."""
    start = text.rfind("\x1b")
    if start == -1:
        return text, ""
    tail = text[start:]
    match = _ESCAPE.match(tail)
    if match is not None and match.end() == len(tail):
        return text, ""
    if match is None and len(tail) < 4096:
        return text[:start], tail
    return text, ""


def _become_terminal_owner() -> None:  # pragma: no cover - runs in the child
    """Make the pseudo-terminal the child's controlling terminal, as a shell would."""
    with contextlib.suppress(OSError):
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class TerminalProcess:
    """One program running in its own pseudo-terminal of ``COLUMNS`` x ``ROWS``."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str],
        cwd: Path | None = None,
        columns: int = COLUMNS,
        rows: int = ROWS,
    ) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self._master = master
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""
        self._screen = ""
        self._searched = 0
        #: (length of the squeezed screen after a read, when that read finished)
        self._reads: list[tuple[int, float]] = []
        self.output_bytes = 0
        self.started = time.perf_counter()
        try:
            self.process = subprocess.Popen(
                list(argv),
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=dict(env),
                cwd=cwd,
                start_new_session=True,
                preexec_fn=_become_terminal_owner,  # the benchmark starts no threads
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def text(self) -> str:
        """Everything shown so far, squeezed (see :func:`squeeze`)."""
        return self._screen

    def _read(self, timeout: float) -> bool:
        """Take in what the program wrote within ``timeout``; False once it has gone."""
        ready, _, _ = select.select([self._master], [], [], max(timeout, 0.0))
        if not ready:
            return self.process.poll() is None
        try:
            chunk = os.read(self._master, 1 << 16)
        except OSError:  # EIO: the other side has closed
            return False
        if not chunk:
            return False
        self.output_bytes += len(chunk)
        complete, self._pending = _split_complete(self._pending + self._decoder.decode(chunk))
        self._screen += squeeze(complete)
        self._reads.append((len(self._screen), time.perf_counter()))
        return True

    def mark(self) -> int:
        """Search only output written from now on; returns where that output starts."""
        self._drain()
        self._searched = len(self._screen)
        return self._searched

    def _drain(self) -> None:
        while self._read(0):
            if not select.select([self._master], [], [], 0)[0]:
                break

    def wait_for(
        self, marker: str, timeout: float, *, unless: str = "", since: int | None = None
    ) -> float | None:
        """The moment ``marker`` first shows after the last :meth:`mark` (or ``since``), or None.

        With ``unless``, a showing directly followed by that text does not count
        (a showing at the very end of the output counts once the program has
        been quiet for a moment). The moment is a :func:`time.perf_counter`
        reading taken as the bytes carrying the marker's last character arrived.
        """
        needle, veto = squeeze(marker), squeeze(unless)
        if since is not None:
            self._searched = since
        deadline = time.perf_counter() + timeout
        quiet = False
        while True:
            found = self._find(needle, veto, quiet)
            if found is not None:
                self._searched = found
                return self._reads[bisect.bisect_left(self._reads, (found, 0.0))][1]
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return None
            before = len(self._screen)
            alive = self._read(min(remaining, 0.05))
            quiet = len(self._screen) == before
            if not alive and self._find(needle, veto, True) is None:
                return None

    def _find(self, needle: str, veto: str, quiet: bool) -> int | None:
        """Where the first counting showing of ``needle`` ends, if there is one yet."""
        start = self._searched
        while (found := self._screen.find(needle, start)) != -1:
            end = found + len(needle)
            after = self._screen[end : end + len(veto)]
            if not veto or not veto.startswith(after):
                return end
            if len(after) < len(veto) and quiet:
                return end
            start = found + 1
        return None

    def send(self, keys: str) -> float:
        """Type ``keys``; returns the moment they were written."""
        self._drain()
        os.write(self._master, keys.encode())
        return time.perf_counter()

    def settle(self, seconds: float) -> None:
        """Keep reading (so the program never blocks on output) for ``seconds``."""
        deadline = time.perf_counter() + seconds
        while (remaining := deadline - time.perf_counter()) > 0:
            if not self._read(min(remaining, 0.05)):
                break

    def peak_memory_mb(self) -> float | None:
        """The program's peak resident memory so far (VmHWM), in MB."""
        return peak_memory_mb(self.pid)

    def quit(self, keys: str = CTRL_Q, grace: float = 3.0) -> None:
        """Ask the program to quit with ``keys``; end it if it does not."""
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                self.send(keys)
            deadline = time.perf_counter() + grace
            while self.process.poll() is None and time.perf_counter() < deadline:
                self._read(0.05)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if self.process.poll() is not None:
                break
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=2)
        self.close()

    def close(self) -> None:
        if self._master != -1:
            os.close(self._master)
            self._master = -1

    def __enter__(self) -> TerminalProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.quit()


def peak_memory_mb(pid: int) -> float | None:
    """VmHWM of a running process from /proc, in MB (None where there is no /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def pty_available() -> bool:
    try:
        master, slave = os.openpty()
    except OSError:
        return False
    os.close(master)
    os.close(slave)
    return True
