"""The command line, timed as a person runs it: each command in a fresh process.

``vig-tui list`` and ``list --json`` are set beside the plain TinyDB script
(:mod:`vig_tui.store.baseline`) reading the same file and printing the same
columns; each process's own peak memory is read from ``wait4``. Importing one
request is timed on a fresh copy of the database each time.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from uuid import uuid4

from ...store import splice, written
from ...store.baseline import SCRIPT as PLAIN_SCRIPT
from ..demo import generate_requests

#: Fewer runs of the slow commands at large sizes.
IMPORT_RUNS = 3


@dataclass
class CommandLine:
    """Medians in seconds, peak memory in MB, with the sample counts behind them."""

    list: float | None = None
    list_json: float | None = None
    plain: float | None = None
    plain_json: float | None = None
    list_peak_mb: float | None = None
    plain_peak_mb: float | None = None
    import_one: float | None = None
    samples: dict[str, int] = field(default_factory=dict)


def _vig_tui() -> list[str]:
    """The installed ``vig-tui`` command beside this interpreter, else the module."""
    script = Path(sys.executable).with_name("vig-tui")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from vig_tui.cli import main; sys.exit(main())"]


#: Runs a command and reports its wall time and its own peak memory. A small
#: interpreter starts it because a child's peak memory counts what it had
#: before exec: started straight from the benchmark it would count the
#: benchmark's own hundreds of megabytes.
_LAUNCHER = """\
import json, os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
_, status, usage = os.wait4(child.pid, 0)
elapsed = time.perf_counter() - started
errors = child.stderr.read().decode(errors="replace")
print(json.dumps({"seconds": elapsed, "peak_mb": usage.ru_maxrss / 1024,
                  "code": os.waitstatus_to_exitcode(status), "errors": errors[-300:]}))
"""


def timed(argv: list[str]) -> tuple[float, float]:
    """Run ``argv`` (output discarded): wall seconds, and the process's peak RSS in MB."""
    launched = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *argv], capture_output=True, text=True, check=True
    )
    figures = json.loads(launched.stdout)
    if figures["code"] != 0:
        raise RuntimeError(f"{' '.join(argv[:3])}... exited {figures['code']}: {figures['errors']}")
    return figures["seconds"], figures["peak_mb"]


def measure_commands(db: Path, runs: int, today: date, workdir: Path, result: CommandLine) -> None:
    """``list``, ``list --json`` and the plain script, alternately so neither gets a
    warmer disk cache; then importing one request into a copy of ``db``."""
    ours = [*_vig_tui(), "list", "--db", str(db)]
    plain = [sys.executable, str(PLAIN_SCRIPT), str(db)]
    figures: dict[str, list[tuple[float, float]]] = {}
    for _ in range(max(runs, 1)):
        for key, argv in (
            ("list", ours),
            ("plain", plain),
            ("list_json", [*ours, "--json"]),
            ("plain_json", [*plain, "--json"]),
        ):
            figures.setdefault(key, []).append(timed(argv))
    for key, measured in figures.items():
        setattr(result, key, statistics.median(t for t, _ in measured))
        result.samples[key] = len(measured)
    result.list_peak_mb = max(peak for key in ("list", "list_json") for _, peak in figures[key])
    result.plain_peak_mb = max(peak for key in ("plain", "plain_json") for _, peak in figures[key])

    incoming = workdir / "one-request.json"
    [sent] = generate_requests(1, today=today, seed=99)
    # A new request, with no reference yet (the database has the demo's references).
    request = sent.model_copy(update={"id": uuid4(), "reference": None})
    incoming.write_text(f"[{request.model_dump_json()}]", encoding="utf-8")
    imports = []
    for run in range(min(max(runs, 1), IMPORT_RUNS)):
        copy = workdir / f"import-copy-{run}.json"
        shutil.copyfile(db, copy)
        # With the note of what vig-tui last wrote and the file's index, as a worker's
        # own database has them.
        for beside in (written.note_path, splice.index_path):
            with contextlib.suppress(FileNotFoundError):
                shutil.copyfile(beside(db), beside(copy))
        try:
            elapsed, _ = timed([*_vig_tui(), "import", str(incoming), "--db", str(copy)])
        finally:
            for leftover in (copy, *copy.parent.glob(f"{copy.name}.*")):
                leftover.unlink(missing_ok=True)
        imports.append(elapsed)
    result.import_one = statistics.median(imports)
    result.samples["import_one"] = len(imports)
