"""The benchmark's figures as one Markdown table, with the targets beside them."""

from __future__ import annotations

import operator
import os
import platform
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from .commands import CommandLine
from .inprocess import EXPORT_FORMATS, InProcess
from .launch import Launch

PACKAGES = ("textual", "tinydb", "pydantic", "orjson")


@dataclass
class SizeResult:
    """Every figure for one database size (seconds, MB; None when not measured)."""

    size: int
    file_mb: float = 0.0
    build_seconds: float = 0.0
    launches: int = 0
    start: float | None = None
    bare_start: float | None = None
    #: A bare Textual app: from a key to its echo on screen, by the Input's Changed message.
    bare_keystroke: float | None = None
    home_complete: float | None = None
    register: float | None = None
    register_after_key: float | None = None
    register_at_once: float | None = None
    #: Median and slowest keystroke in the register's filter, on screen.
    filter_on_screen: float | None = None
    filter_slowest: float | None = None
    peak_memory_mb: float | None = None
    bare_peak_memory_mb: float | None = None
    in_process: InProcess = field(default_factory=InProcess)
    commands: CommandLine = field(default_factory=CommandLine)
    problems: list[str] = field(default_factory=list)

    @property
    def start_ratio(self) -> float | None:
        if self.start is None or not self.bare_start:
            return None
        return self.start / self.bare_start

    @property
    def list_ratio(self) -> float | None:
        """The slower of list and list --json, over the plain script doing the same."""
        c = self.commands
        if None in (c.list, c.list_json, c.plain, c.plain_json) or not c.plain or not c.plain_json:
            return None
        return max(c.list / c.plain, c.list_json / c.plain_json)  # type: ignore[operator]

    @property
    def list_memory_ratio(self) -> float | None:
        peak = self.commands.list_peak_mb
        return None if peak is None or not self.file_mb else peak / self.file_mb

    @property
    def save_speedup(self) -> float | None:
        ours, plain = self.in_process.save, self.in_process.tinydb_save
        if ours is None or plain is None or ours <= 0:
            return None
        return plain / ours

    def take(
        self, launches: list[Launch], bare: list[Launch], at_once: Sequence[Launch] = ()
    ) -> None:
        """Medians of the launches that got as far as each screen."""
        self.launches = len(launches)
        self.start = _median(x.start for x in launches)
        self.home_complete = _median(x.home_complete for x in launches)
        self.register = _median(x.register for x in launches)
        self.register_after_key = _median(x.register_after_key for x in launches)
        self.register_at_once = _median(x.register_at_once for x in at_once)
        keystrokes = [k for x in launches for k in x.keystrokes]
        self.filter_on_screen = _median(keystrokes)
        self.filter_slowest = _max(keystrokes)
        self.peak_memory_mb = _max(x.peak_memory_mb for x in launches)
        self.bare_start = _median(x.start for x in bare)
        self.bare_keystroke = _median([k for x in bare for k in x.keystrokes])
        self.bare_peak_memory_mb = _max(x.peak_memory_mb for x in bare)
        self.problems += sorted({x.problem for x in [*launches, *bare, *at_once] if x.problem})


def _median(values: Any) -> float | None:
    import statistics

    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def _max(values: Any) -> float | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


@dataclass(frozen=True)
class Row:
    """One line of the table: a label, how to read the figure, how to show it."""

    key: str
    label: str
    value: Callable[[SizeResult], float | None]
    unit: str  # "s", "ms", "x" or "MB"


def _export(fmt: str) -> Callable[[SizeResult], float | None]:
    return lambda r: r.in_process.export.get(fmt)


ROWS: tuple[Row, ...] = (
    Row("start", "start: vig-tui to Home's first frame", lambda r: r.start, "s"),
    Row("bare_start", "start: bare one-widget Textual app", lambda r: r.bare_start, "s"),
    Row("start_ratio", "start: ratio vig-tui / bare", lambda r: r.start_ratio, "x"),
    Row(
        "home_complete",
        "home complete: database open, Home filled, from launch",
        lambda r: r.home_complete,
        "s",
    ),
    Row(
        "register_after_key",
        "register: complete and filterable, after pressing r",
        lambda r: r.register_after_key,
        "s",
    ),
    Row(
        "register",
        "register: complete and filterable, from launch (r once Home is complete)",
        lambda r: r.register,
        "s",
    ),
    Row(
        "register_at_once",
        "register: complete and filterable, from launch (r at Home's first frame)",
        lambda r: r.register_at_once,
        "s",
    ),
    Row(
        "register_rows",
        "register: rows from summaries, in-process",
        lambda r: r.in_process.register_rows,
        "s",
    ),
    Row(
        "open",
        "open: Store.open as the app opens it (fresh process)",
        lambda r: r.in_process.open,
        "s",
    ),
    Row("first_read", "open: then count()", lambda r: r.in_process.first_read, "ms"),
    Row(
        "validated",
        "open: every record validated (in the background), from open",
        lambda r: r.in_process.validated,
        "s",
    ),
    Row("get", "get: one request by id", lambda r: r.in_process.get, "ms"),
    Row(
        "filter_on_screen",
        "filter: one keystroke, key to new count on screen",
        lambda r: r.filter_on_screen,
        "ms",
    ),
    Row(
        "bare_keystroke",
        "filter: bare Textual app, key to an echo by Input.Changed (for comparison)",
        lambda r: r.bare_keystroke,
        "ms",
    ),
    Row(
        "filter_slowest",
        "filter: slowest keystroke on screen",
        lambda r: r.filter_slowest,
        "ms",
    ),
    Row(
        "filter",
        "filter: filter_rows + sort_rows of all rows, in-process",
        lambda r: r.in_process.filter,
        "ms",
    ),
    Row("save", "save: Store.save (atomic, fsync)", lambda r: r.in_process.save, "ms"),
    Row(
        "tinydb_save",
        "save: TinyDB default JSONStorage update",
        lambda r: r.in_process.tinydb_save,
        "ms",
    ),
    Row("save_speedup", "save: speed-up (TinyDB default / ours)", lambda r: r.save_speedup, "x"),
    *(
        Row(f"export_{fmt}", f"export: 100-request pack, {fmt}", _export(fmt), "ms")
        for fmt in EXPORT_FORMATS
    ),
    Row("memory", "memory: app peak RSS (VmHWM)", lambda r: r.peak_memory_mb, "MB"),
    Row(
        "open_memory",
        "memory: Store.open alone, peak RSS",
        lambda r: r.in_process.open_peak_mb,
        "MB",
    ),
    Row("bare_memory", "memory: bare Textual app peak RSS", lambda r: r.bare_peak_memory_mb, "MB"),
    Row("file_mb", "database file size", lambda r: r.file_mb, "MB"),
    Row("list", "list (s): vig-tui list, fresh process", lambda r: r.commands.list, "s"),
    Row("list_json", "list --json (s)", lambda r: r.commands.list_json, "s"),
    Row(
        "plain_list",
        "plain TinyDB script (s): same file, same columns",
        lambda r: r.commands.plain,
        "s",
    ),
    Row("plain_list_json", "plain TinyDB script --json (s)", lambda r: r.commands.plain_json, "s"),
    Row(
        "list_ratio",
        "list: ratio vig-tui / plain script (slower of text and --json)",
        lambda r: r.list_ratio,
        "x",
    ),
    Row("list_memory", "list: peak RSS", lambda r: r.commands.list_peak_mb, "MB"),
    Row(
        "plain_list_memory",
        "plain TinyDB script: peak RSS",
        lambda r: r.commands.plain_peak_mb,
        "MB",
    ),
    Row(
        "list_memory_ratio",
        "list peak RSS / file size",
        lambda r: r.list_memory_ratio,
        "x",
    ),
    Row(
        "import_one",
        "import one into N (s): vig-tui import, fresh process",
        lambda r: r.commands.import_one,
        "s",
    ),
)
ROW_BY_KEY = {row.key: row for row in ROWS}


@dataclass(frozen=True)
class Target:
    row: str
    size: int
    compare: Callable[[float, float], bool]
    limit: float  # in the row's display unit
    text: str


TARGETS: tuple[Target, ...] = (
    Target("start_ratio", 10_000, operator.le, 1.5, "<= 1.5x at 10k"),
    Target("register_after_key", 10_000, operator.lt, 1.0, "< 1 s at 10k"),
    Target("get", 10_000, operator.lt, 1.0, "< 1 ms at 10k"),
    Target("filter_on_screen", 10_000, operator.lt, 30.0, "< 30 ms at 10k"),
    Target("save_speedup", 10_000, operator.ge, 3.0, ">= 3x at 10k"),
    *(
        Target(f"export_{fmt}", 10_000, operator.lt, 500.0, "< 0.5 s at 10k")
        for fmt in EXPORT_FORMATS
    ),
    Target("memory", 10_000, operator.lt, 250.0, "< 250 MB at 10k"),
    Target("open", 50_000, operator.lt, 3.0, "< 3 s at 50k"),
    Target("save", 50_000, operator.lt, 1000.0, "< 1 s at 50k"),
    Target("list_ratio", 10_000, operator.le, 1.0, "<= 1x at 10k"),
    Target("list_ratio", 50_000, operator.le, 1.0, "<= 1x at 50k"),
    Target("list_memory_ratio", 10_000, operator.le, 3.0, "<= 3x at 10k"),
    Target("list_memory_ratio", 50_000, operator.le, 3.0, "<= 3x at 50k"),
    Target("import_one", 50_000, operator.lt, 2.0, "< 2 s at 50k"),
)


def display(value: float | None, unit: str) -> float | None:
    """A figure in the unit its row shows (stored in seconds, MB or as a ratio)."""
    if value is None:
        return None
    return value * 1000 if unit == "ms" else value


def _format(value: float | None, unit: str) -> str:
    shown = display(value, unit)
    if shown is None:
        return "-"
    if unit == "x":
        return f"{shown:.1f}x"
    if unit == "ms":
        return f"{shown:.3f}" if shown < 1 else f"{shown:,.1f}" if shown < 100 else f"{shown:,.0f}"
    if unit == "MB":
        return f"{shown:,.0f}" if shown >= 10 else f"{shown:.1f}"
    return f"{shown:.3f}" if shown < 10 else f"{shown:.1f}"


def verdict(target: Target, results: dict[int, SizeResult]) -> str:
    result = results.get(target.size)
    row = ROW_BY_KEY[target.row]
    value = display(row.value(result), row.unit) if result else None
    if value is None:
        return "not measured"
    return "PASS" if target.compare(value, target.limit) else "MISS"


def machine() -> dict[str, Any]:
    """Where the figures come from: host, CPU, cores, and the versions that matter."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    versions = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return {
        "node": platform.node(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "system": f"{platform.system()} {platform.release()}",
        "versions": versions,
    }


def markdown(results: list[SizeResult], info: dict[str, Any], runs: int) -> str:
    """The whole report: machine, the table with targets, and any problems seen."""
    by_size = {r.size: r for r in results}
    versions = ", ".join(f"{name} {version}" for name, version in info["versions"].items())
    lines = [
        f"**vig-tui benchmark** on `{info['node']}`: {info['cpu']}, {info['cores']} cores, "
        f"{info['system']}",
        "",
        f"{versions}. Medians of up to {runs} runs; terminal 120x36, TERM=xterm-256color.",
        "",
    ]
    header = ["measure", "unit", *(f"{r.size:,}" for r in results), "target", "result"]
    lines.append("| " + " | ".join(header) + " |")
    lines.append(
        "| " + " | ".join(["---", "---"] + ["---:"] * len(results) + ["---", "---"]) + " |"
    )
    for row in ROWS:
        own = [t for t in TARGETS if t.row == row.key]
        target_text = "; ".join(t.text for t in own)
        result_text = "; ".join(_bold_miss(verdict(t, by_size)) for t in own)
        cells = [row.label, row.unit, *(_format(row.value(r), row.unit) for r in results)]
        lines.append("| " + " | ".join([*cells, target_text, result_text]) + " |")
    lines.append("")
    lines.append(
        "Runs per size: "
        + ", ".join(
            f"{r.size:,}: {r.launches} launch(es), build {r.build_seconds:.1f} s, "
            f"samples {_samples({**r.in_process.samples, **r.commands.samples})}"
            for r in results
        )
    )
    problems = [f"- {r.size:,}: {p}" for r in results for p in r.problems]
    if problems:
        lines += ["", "Problems:", *problems]
    return "\n".join(lines) + "\n"


def _bold_miss(text: str) -> str:
    return "**MISS**" if text == "MISS" else text


def _samples(samples: dict[str, int]) -> str:
    return " ".join(f"{name}={count}" for name, count in samples.items()) or "-"


def as_json(results: list[SizeResult], info: dict[str, Any], runs: int) -> dict[str, Any]:
    by_size = {r.size: r for r in results}
    return {
        "machine": info,
        "runs": runs,
        "sizes": [
            {
                **asdict(r),
                "start_ratio": r.start_ratio,
                "save_speedup": r.save_speedup,
            }
            for r in results
        ],
        "targets": [
            {"measure": t.row, "size": t.size, "target": t.text, "result": verdict(t, by_size)}
            for t in TARGETS
        ],
    }
