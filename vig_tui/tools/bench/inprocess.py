"""Measurements made inside the benchmark's own process (or a fresh one for open).

Each works on a database that :func:`build_database` filled with the demo
generator. They use the app's own code paths: ``Store.open``/``get``/``save``,
the register's row builder and filter, and the export's ``build_pack`` and
``write_pack``; the baseline for saving is TinyDB's default ``JSONStorage`` on
a copy of the same file.
"""

from __future__ import annotations

import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import orjson

from ...domain.meetings import MeetingCalendar
from ...domain.models import RequestStatus, VigRequest
from ...domain.views import RegisterRow, filter_rows, sort_rows, summary_row
from ..demo import fill_database

#: What a person types into the register's filter, one key at a time.
TYPED_WORDS = ("tre", "pen", "vig-20", "camb")
EXPORT_FORMATS = ("md", "html", "csv", "json")
PACK_SIZE = 100

OPEN_SCRIPT = """\
import json, sys, time
from pathlib import Path
from vig_tui.store import Store
path = Path(sys.argv[1])
started = time.perf_counter()
# As the app opens it: the requests are validated in the background.
store = Store.open(path, validate_in_background=True)
opened = time.perf_counter()
count = store.count()
counted = time.perf_counter()
store.validated()
validated = time.perf_counter()
peak = None
for line in open("/proc/self/status").read().splitlines() if sys.platform == "linux" else []:
    if line.startswith("VmHWM:"):
        peak = int(line.split()[1]) / 1024
store.close()
print(json.dumps({"open": opened - started, "first_read": counted - opened,
                  "validated": validated - started, "peak_mb": peak}))
"""


@dataclass
class Database:
    """A benchmark database and what the benchmark needs to know about it."""

    path: Path
    size: int
    ids: list[UUID]
    #: The register's filter text of every request, to choose a filter letter.
    haystacks: list[str]
    build_seconds: float

    @property
    def megabytes(self) -> float:
        return self.path.stat().st_size / 1e6


@dataclass
class InProcess:
    """Medians in seconds, with the sample counts behind them."""

    open: float | None = None
    first_read: float | None = None
    #: From the start of opening until every record has been validated.
    validated: float | None = None
    #: Peak resident memory of a fresh interpreter that only opened the store, MB.
    open_peak_mb: float | None = None
    get: float | None = None
    register_rows: float | None = None
    filter: float | None = None
    save: float | None = None
    tinydb_save: float | None = None
    export: dict[str, float] = field(default_factory=dict)
    samples: dict[str, int] = field(default_factory=dict)


def build_database(folder: Path, size: int, today: date, *, seed: int = 2026) -> Database:
    """Fill ``folder/vig-tui.json`` with ``size`` fictional requests."""
    from ...store import Store

    path = folder / "vig-tui.json"
    started = time.perf_counter()
    with Store.open(path) as store:
        requests = fill_database(store, size, today=today, seed=seed)
        built = time.perf_counter() - started
        haystacks = [summary_row(summary, today).haystack for summary in store.summaries()]
    return Database(
        path=path,
        size=size,
        ids=[request.id for request in requests],
        haystacks=haystacks,
        build_seconds=built,
    )


def sample(
    action: Callable[[int], object], *, count: int, budget: float, minimum: int = 3
) -> list[float]:
    """Time ``action(i)`` up to ``count`` times, stopping after ``budget`` seconds
    once ``minimum`` samples are in."""
    times: list[float] = []
    deadline = time.perf_counter() + budget
    for i in range(count):
        started = time.perf_counter()
        action(i)
        times.append(time.perf_counter() - started)
        if len(times) >= minimum and time.perf_counter() > deadline:
            break
    return times


def measure_open(db: Path, runs: int, result: InProcess, *, budget: float = 60.0) -> None:
    """Median ``Store.open``, first read (``count()``) and peak memory, each in a fresh
    interpreter (imports are not counted)."""
    opens: list[float] = []
    reads: list[float] = []
    checks: list[float] = []
    peaks: list[float] = []
    deadline = time.perf_counter() + budget
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", OPEN_SCRIPT, str(db)],
            capture_output=True,
            text=True,
            check=True,
        )
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        opens.append(figures["open"])
        reads.append(figures["first_read"])
        checks.append(figures["validated"])
        if figures["peak_mb"] is not None:
            peaks.append(figures["peak_mb"])
        if len(opens) >= 2 and time.perf_counter() > deadline:
            break
    result.open, result.first_read = statistics.median(opens), statistics.median(reads)
    result.validated = statistics.median(checks)
    result.open_peak_mb = max(peaks) if peaks else None
    result.samples["open"] = len(opens)


def measure_in_store(
    database: Database, runs: int, today: date, workdir: Path, result: InProcess
) -> None:
    """get, the register's rows, filter, save and export, with the store open in this process.

    The register's rows are timed as its loading worker builds them, from the
    store's summaries (priorities included, from the summaries' factors).
    """
    from ...store import Store

    rng = random.Random(5)
    ids = rng.sample(database.ids, min(len(database.ids), 300))
    with Store.open(database.path) as store:
        gets = sample(lambda i: store.get(ids[i]), count=len(ids), budget=3.0, minimum=5)
        result.get = statistics.median(gets)
        result.samples["get"] = len(gets)

        rows: list[RegisterRow] = []

        def load_rows(_: int) -> None:
            nonlocal rows
            rows = [summary_row(summary, today) for summary in store.summaries()]

        loads = sample(load_rows, count=runs, budget=10.0, minimum=1)
        result.register_rows = statistics.median(loads)
        result.samples["register_rows"] = len(loads)

        result.filter, result.samples["filter"] = measure_filter(rows, runs)

        changing = [store.get(request_id) for request_id in ids[: max(runs, 5)]]

        def save(i: int) -> None:
            request = changing[i % len(changing)]
            request.notes = f"Benchmark change {i}."
            changing[i % len(changing)] = store.save(request, base_version=request.version)

        saves = sample(save, count=max(runs, 5), budget=15.0)
        result.save = statistics.median(saves)
        result.samples["save"] = len(saves)

        requests = pack_requests(store.requests())
    result.export = measure_export(requests, today, runs, workdir)
    result.samples["export"] = runs


def measure_filter(rows: list[RegisterRow], runs: int) -> tuple[float, int]:
    """``filter_rows`` over every row then ``sort_rows`` by reference, per keystroke:
    the pure work of a refilter without the screen (which narrows the rows
    found a keystroke ago, already in order, and changes one page of its table)."""
    prefixes = [word[:n] for word in TYPED_WORDS for n in range(1, len(word) + 1)]
    times: list[float] = []
    for _ in range(max(1, runs)):
        for prefix in prefixes:
            started = time.perf_counter()
            shown = filter_rows(rows, prefix)
            sort_rows(shown, "reference")
            times.append(time.perf_counter() - started)
    return statistics.median(times), len(times)


def pack_requests(requests: list[VigRequest]) -> list[VigRequest]:
    """Up to 100 sent requests, in reference order: the size of a busy meeting's pack."""
    sent = [r for r in requests if r.status is not RequestStatus.DRAFT]
    sent.sort(key=lambda r: r.reference or "")
    return sent[:PACK_SIZE]


def measure_export(
    requests: list[VigRequest], today: date, runs: int, workdir: Path
) -> dict[str, float]:
    """Median time to build a pack from ``requests`` and write it in each format."""
    from ...export import build_pack, write_pack

    meeting = MeetingCalendar().next_meeting(today)
    figures: dict[str, float] = {}
    for fmt in EXPORT_FORMATS:
        target = workdir / f"pack.{fmt}"

        def export(_: int, fmt: str = fmt, target: Path = target) -> None:
            pack = build_pack(requests, meeting, today)
            write_pack(pack, fmt, target, workdir, force=True)

        figures[fmt] = statistics.median(sample(export, count=max(runs, 1), budget=10.0))
    return figures


def measure_tinydb_save(db: Path, runs: int, workdir: Path, result: InProcess) -> None:
    """Median ``table.update`` of one request with TinyDB's default ``JSONStorage``,
    on a copy of the same file (the same tables, the same documents)."""
    from ...store.baseline import plain_table

    copy = workdir / "plain-tinydb.json"
    shutil.copyfile(db, copy)
    table_name, doc_ids = _request_table(copy)
    rng = random.Random(7)
    chosen = rng.sample(doc_ids, min(len(doc_ids), max(runs, 5)))
    try:
        with plain_table(copy, table_name) as table:
            times = sample(
                lambda i: table.update(
                    {"notes": f"Benchmark change {i}."}, doc_ids=[chosen[i % len(chosen)]]
                ),
                count=max(runs, 5),
                budget=20.0,
            )
    finally:
        copy.unlink(missing_ok=True)
    result.tinydb_save = statistics.median(times)
    result.samples["tinydb_save"] = len(times)


def _request_table(path: Path) -> tuple[str, list[int]]:
    """The table holding the requests (its documents have a child and a referrer)."""
    tables: dict[str, Any] = orjson.loads(path.read_bytes())
    for name, documents in tables.items():
        if not isinstance(documents, dict) or not documents:
            continue
        first = next(iter(documents.values()))
        if isinstance(first, dict) and "child" in first and "referrer" in first:
            return name, [int(doc_id) for doc_id in documents]
    raise LookupError(f"no table of requests in {path}")


def fresh_workdir(parent: Path | None = None) -> Path:
    return Path(tempfile.mkdtemp(prefix="vig-bench-", dir=parent))
