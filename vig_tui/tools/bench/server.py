"""The benchmark's server column: the same register in a file and on a local PostgreSQL.

For each size it builds the demo register in a file, copies it to a database on
a throwaway local server (a Unix socket, durable: fsync on, as a real server
runs), and measures both the same way: the app launched in a pseudo-terminal
(start to Home complete, the register complete after pressing r, a keystroke
in its filter on screen), a save of one request in this process, and
``vig-tui list`` as a command. Run it with ``vig-tui benchmark --server``.
"""

from __future__ import annotations

import random
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ...store import Repository, open_repository
from ...store.copy import copy_register
from .inprocess import build_database, fresh_workdir, sample
from .launch import Launch, Launcher, app_command, choose_filter_letter
from .terminal import pty_available

__all__ = ["ServerResult", "measure_servers", "server_markdown"]

#: The targets of issue #12: the file's own at 10,000, and this for a save on a server.
SAVE_TARGET_MS = 20.0


@dataclass
class Figures:
    """Medians in seconds for one backend at one size (None: not measured)."""

    home_complete: float | None = None
    register: float | None = None
    keystroke: float | None = None
    save: float | None = None
    list_command: float | None = None
    samples: dict[str, int] = field(default_factory=dict)


@dataclass
class ServerResult:
    size: int
    file: Figures = field(default_factory=Figures)
    server: Figures = field(default_factory=Figures)
    problems: list[str] = field(default_factory=list)


def _say(text: str) -> None:
    print(f"[bench server {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _launches(
    launcher: Launcher, target: str | Path, size: int, key: tuple[str, int] | None, runs: int
) -> tuple[Figures, list[str]]:
    figures, problems = Figures(), []
    done: list[Launch] = [launcher.app(target, size, filter_key=key) for _ in range(runs)]
    problems += [launch.problem for launch in done if launch.problem]
    figures.home_complete = _median([x.home_complete for x in done if x.home_complete])
    figures.register = _median([x.register_after_key for x in done if x.register_after_key])
    figures.keystroke = _median([k for x in done for k in x.keystrokes])
    figures.samples["launches"] = len(done)
    return figures, problems


def _saves(repository: Repository, runs: int) -> tuple[float | None, int]:
    summaries = repository.summaries()
    chosen = random.Random(5).sample(summaries, min(len(summaries), max(runs, 20)))
    changing = [repository.get(summary.id) for summary in chosen]

    def save(i: int) -> None:
        request = changing[i % len(changing)]
        request.notes = f"Benchmark change {i}."
        changing[i % len(changing)] = repository.save(request, base_version=request.version)

    times = sample(save, count=len(changing) * 2, budget=15.0, minimum=10)
    return _median(times), len(times)


def _list_command(target: str | Path, runs: int) -> tuple[float | None, int]:
    command = [*app_command(target), "list"]
    times = []
    for _ in range(max(runs, 3)):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return _median(times), len(times)


def _measure(
    result: ServerResult,
    name: str,
    target: str | Path,
    launcher: Launcher | None,
    key: tuple[str, int] | None,
    runs: int,
) -> None:
    figures = result.file if name == "file" else result.server
    if launcher is not None:
        launched, problems = _launches(launcher, target, result.size, key, runs)
        figures.home_complete, figures.register = launched.home_complete, launched.register
        figures.keystroke = launched.keystroke
        figures.samples.update(launched.samples)
        result.problems += [f"{name}: {problem}" for problem in problems]
    with open_repository(target) as repository:
        figures.save, figures.samples["save"] = _saves(repository, runs)
    figures.list_command, figures.samples["list"] = _list_command(target, runs)


def measure_servers(
    sizes: tuple[int, ...],
    runs: int,
    *,
    today: date,
    launch: bool = True,
    superuser_url: str | None = None,
) -> list[ServerResult]:
    """Every figure of the server column (and the file's beside it) for each size, on
    a throwaway server of its own (or the one at ``superuser_url``)."""
    from ...store.postgres import migrate
    from ..pgserver import start_temporary

    launcher = Launcher() if launch and pty_available() else None
    server = None
    if superuser_url is None:
        server = start_temporary(durable=True)
        superuser_url = server.url()
    admin_url = superuser_url
    results = []
    try:
        for size in sizes:
            result = ServerResult(size)
            folder = fresh_workdir()
            try:
                database = build_database(folder, size, today)
                url = _fresh_database(admin_url, f"vig_bench_{size}")
                migrate(url)
                with (
                    open_repository(database.path, read_only=True) as source,
                    open_repository(url) as target,
                ):
                    copy_register(source, target)
                key = choose_filter_letter(database.haystacks)
                for name, where in (("file", database.path), ("server", url)):
                    _say(f"{size:,}: measuring the {name}")
                    _measure(result, name, where, launcher, key, runs)
            except Exception as error:
                result.problems.append(f"{type(error).__name__}: {error}")
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            results.append(result)
    finally:
        if server is not None:
            server.stop()
        if launcher is not None:
            launcher.close()
    return results


def _fresh_database(superuser_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(superuser_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    return superuser_url.rsplit("/", 1)[0] + f"/{name}"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:,.1f}"


def server_markdown(results: list[ServerResult]) -> str:
    """One table: each measure for the file and the server at each size (milliseconds)."""
    header = ["measure (ms)"]
    for result in results:
        header += [f"file {result.size:,}", f"server {result.size:,}"]
    lines = [
        "**Server column**: the same register in a file and on a local PostgreSQL 15 "
        "(Unix socket, fsync on). Medians, milliseconds.",
        "",
        "| " + " | ".join(header) + " |",
        "| " + " | ".join(["---"] + ["---:"] * (len(header) - 1)) + " |",
    ]
    rows = (
        ("start to Home complete", "home_complete"),
        ("register complete (after r)", "register"),
        ("filter keystroke on screen", "keystroke"),
        ("save one request", "save"),
        ("`vig-tui list`", "list_command"),
    )
    for label, attribute in rows:
        cells = [label]
        for result in results:
            cells += [
                _ms(getattr(result.file, attribute)),
                _ms(getattr(result.server, attribute)),
            ]
        lines.append("| " + " | ".join(cells) + " |")
    saves = [r.server.save for r in results if r.server.save is not None]
    if saves:
        verdict = "met" if max(saves) * 1000 < SAVE_TARGET_MS else "**MISSED**"
        lines += ["", f"Target: a save on a local server under {SAVE_TARGET_MS:.0f} ms: {verdict}."]
    problems = [f"- {r.size:,}: {p}" for r in results for p in r.problems]
    if problems:
        lines += ["", "Problems:", *problems]
    return "\n".join(lines) + "\n"
