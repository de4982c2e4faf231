"""Benchmark: the real app and its store, side by side with the plain alternatives.

For each size it fills a temporary database with the demo generator, then

* launches ``vig-tui --db PATH`` in a pseudo-terminal (and a bare one-widget
  Textual app the same way) and times Home's first frame and Home complete,
  the register after pressing r, and keystrokes in its filter on screen, and
  reads the app's peak memory;
* times ``Store.open`` in a fresh interpreter, and ``get``, ``save``, the
  register's filter and the meeting-pack export in this process;
* times the same one-request update with TinyDB's default ``JSONStorage``
  on a copy of the file;
* times ``vig-tui list`` and ``list --json`` beside a plain TinyDB script
  printing the same columns (each in a fresh process, with its peak memory),
  and ``vig-tui import`` of one request,

and prints one Markdown table with the targets beside the figures. Run it as
``python -m vig_tui.tools.bench [--quick] [--sizes 1000,10000] [--runs N] [--json PATH]``.
Timings belong here, never in the tests.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from .commands import measure_commands
from .inprocess import (
    build_database,
    fresh_workdir,
    measure_in_store,
    measure_open,
    measure_tinydb_save,
)
from .launch import Launch, Launcher, choose_filter_letter
from .report import SizeResult, as_json, machine, markdown
from .terminal import pty_available

__all__ = ["DEFAULT_SIZES", "QUICK_SIZES", "main", "measure_size", "run"]

DEFAULT_SIZES = (1_000, 10_000, 50_000)
QUICK_SIZES = (1_000,)
#: The server column's sizes (issue #12).
SERVER_SIZES = (1_000, 10_000)
DEFAULT_RUNS = 5
#: Launches at this size and above are slow; fewer of them keep the run short.
LARGE = 50_000
LARGE_LAUNCHES = 3
#: No further launch starts once a size's launches have taken this long (seconds).
LAUNCH_BUDGET = 150.0


def _say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def _stage(result: SizeResult, name: str, action: Callable[[], None]) -> None:
    """Run one stage; a failure is reported in the table instead of ending the run."""
    started = time.perf_counter()
    try:
        action()
    except Exception as error:
        traceback.print_exc(file=sys.stderr)
        result.problems.append(f"{name} failed: {type(error).__name__}: {error}")
    _say(f"{result.size:,}: {name} took {time.perf_counter() - started:.1f} s")


def measure_size(
    size: int,
    runs: int,
    *,
    today: date,
    launcher: Launcher | None,
    workdir: Path | None = None,
) -> SizeResult:
    """Every figure for one size; without ``launcher`` the pseudo-terminal part is skipped."""
    result = SizeResult(size=size)
    folder = fresh_workdir(workdir)
    try:
        database = build_database(folder, size, today)
        result.file_mb, result.build_seconds = database.megabytes, database.build_seconds
        _say(f"{size:,}: built {result.file_mb:.1f} MB in {result.build_seconds:.1f} s")

        if launcher is not None:
            launches = runs if size < LARGE else min(runs, LARGE_LAUNCHES)
            key = choose_filter_letter(database.haystacks)

            def launch() -> None:
                apps: list[Launch] = []
                bare: list[Launch] = []
                at_once: list[Launch] = []
                deadline = time.perf_counter() + LAUNCH_BUDGET
                while len(apps) < launches and (not apps or time.perf_counter() < deadline):
                    bare.append(launcher.bare())
                    apps.append(launcher.app(database.path, size, filter_key=key))
                    at_once.append(launcher.register_at_once(database.path, size))
                result.take(apps, bare, at_once)

            _stage(result, f"up to {launches} launches", launch)

        ip = result.in_process
        _stage(result, "open", lambda: measure_open(database.path, runs, ip))
        _stage(
            result,
            "get, filter, save, export",
            lambda: measure_in_store(database, runs, today, folder, ip),
        )
        _stage(
            result,
            "TinyDB default save",
            lambda: measure_tinydb_save(database.path, runs, folder, ip),
        )
        _stage(
            result,
            "list, plain script, import one",
            lambda: measure_commands(database.path, runs, today, folder, result.commands),
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return result


def run(
    quick: bool = False,
    sizes: Sequence[int] | None = None,
    runs: int = DEFAULT_RUNS,
    out: TextIO | None = None,
    *,
    json_path: Path | None = None,
    launch: bool = True,
) -> list[SizeResult]:
    """Measure every size, print the Markdown report to ``out`` and return the figures."""
    out = out or sys.stdout
    chosen = tuple(sizes) if sizes else (QUICK_SIZES if quick else DEFAULT_SIZES)
    runs = max(1, runs)
    today = date.today()
    info = machine()
    launcher: Launcher | None = None
    if launch and not pty_available():
        _say("no pseudo-terminal here: start, register and memory are not measured")
    elif launch:
        launcher = Launcher()
    results: list[SizeResult] = []
    try:
        if launcher is not None:
            _say("warming up: one launch of each app, not counted")
            _warm_up(launcher, today)
        for size in chosen:
            results.append(measure_size(size, runs, today=today, launcher=launcher))
    finally:
        if launcher is not None:
            launcher.close()
    out.write(markdown(results, info, runs))
    out.flush()
    if json_path is not None:
        json_path.write_text(
            json.dumps(as_json(results, info, runs), indent=2, default=str) + "\n",
            encoding="utf-8",
        )
        _say(f"wrote {json_path}")
    return results


def _warm_up(launcher: Launcher, today: date) -> None:
    """Compile bytecode and fill the disk cache so the first counted launch is not the odd one."""
    folder = fresh_workdir()
    try:
        database = build_database(folder, 20, today)
        launcher.bare()
        launcher.app(database.path, database.size)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError("sizes are whole numbers, comma-separated") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("give one or more sizes of 1 or more")
    return sizes


def build_parser(prog: str = "python -m vig_tui.tools.bench") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Time the app and its store on fictional databases of several sizes.",
    )
    parser.add_argument("--quick", action="store_true", help="1,000 requests only (under a minute)")
    parser.add_argument(
        "--sizes",
        type=_sizes,
        metavar="N,N,...",
        help="database sizes (default: 1000,10000,50000)",
    )
    parser.add_argument(
        "--runs", type=int, default=DEFAULT_RUNS, metavar="N", help="runs per figure (default: 5)"
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures as JSON")
    parser.add_argument(
        "--server",
        action="store_true",
        help="the server column instead: the same register in a file and on a throwaway "
        "local PostgreSQL (default sizes 1000,10000)",
    )
    parser.add_argument(
        "--no-launch",
        action="store_true",
        help="skip launching the app in a pseudo-terminal (start, register, memory)",
    )
    return parser


def main(argv: Sequence[str] | None = None, *, prog: str = "python -m vig_tui.tools.bench") -> int:
    args = build_parser(prog).parse_args(argv)
    if args.server:
        from .server import measure_servers, server_markdown

        results = measure_servers(
            tuple(args.sizes or SERVER_SIZES),
            max(1, args.runs),
            today=date.today(),
            launch=not args.no_launch,
        )
        sys.stdout.write(server_markdown(results))
        return 0
    run(
        quick=args.quick,
        sizes=args.sizes,
        runs=args.runs,
        json_path=args.json,
        launch=not args.no_launch,
    )
    return 0
