"""The benchmark runs end to end on a tiny database and reports every figure.

Only that the figures exist and are positive is checked here: how fast
anything is belongs in the benchmark's own output, never in a test.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path

import pytest

from vig_tui.tools.bench import main, measure_size
from vig_tui.tools.bench.launch import (
    Launcher,
    choose_filter_letter,
    register_marker,
)
from vig_tui.tools.bench.report import ROWS, TARGETS, SizeResult, machine, markdown, verdict
from vig_tui.tools.bench.terminal import TerminalProcess, pty_available, squeeze

TINY = 50

IN_PROCESS_ROWS = [
    "list",
    "list_json",
    "plain_list",
    "plain_list_json",
    "list_ratio",
    "list_memory",
    "plain_list_memory",
    "list_memory_ratio",
    "import_one",
    "register_rows",
    "open",
    "first_read",
    "open_memory",
    "get",
    "filter",
    "save",
    "tinydb_save",
    "save_speedup",
    "export_md",
    "export_html",
    "export_csv",
    "export_json",
    "file_mb",
]
LAUNCH_ROWS = [
    "start",
    "bare_start",
    "start_ratio",
    "home_complete",
    "register",
    "register_after_key",
    "register_at_once",
    "filter_on_screen",
    "filter_slowest",
    "memory",
    "bare_memory",
]

needs_pty = pytest.mark.skipif(
    not pty_available() or not Path("/proc/self/status").exists(),
    reason="needs a pseudo-terminal and /proc for the launch measurements",
)


def _not_positive(result: SizeResult, keys: list[str]) -> list[str]:
    """The figures among ``keys`` that are missing, zero or negative."""
    values = {row.key: row.value(result) for row in ROWS}
    return [key for key in keys if (value := values[key]) is None or value <= 0]


def test_in_process_measurements_give_every_figure(tmp_path: Path) -> None:
    result = measure_size(TINY, 1, today=date(2026, 3, 2), launcher=None, workdir=tmp_path)

    assert result.problems == []
    assert _not_positive(result, IN_PROCESS_ROWS) == []
    assert list(tmp_path.iterdir()) == [], "the temporary database is removed"
    # Each command's own peak, not the benchmark's (a child counts what it had before exec).
    assert result.commands.list_peak_mb is not None and result.commands.list_peak_mb < 150

    table = markdown([result], machine(), 1)
    lines = table.splitlines()
    assert any(line.startswith("| measure | unit | 50 |") for line in lines)
    body = [line for line in lines if line.startswith("| ") and "---" not in line]
    assert len(body) == len(ROWS) + 1
    for row in ROWS:
        assert any(line.startswith(f"| {row.label} |") for line in body), row.label


def test_targets_are_judged_only_at_their_size() -> None:
    small = SizeResult(size=TINY)
    small.in_process.get = 0.0001
    assert {verdict(t, {TINY: small}) for t in TARGETS} == {"not measured"}

    at_10k = SizeResult(size=10_000)
    at_10k.in_process.get = 0.0001
    at_10k.filter_on_screen = 0.5
    at_10k.register_after_key = 0.4
    at_10k.register = 2.5  # from launch: informational, no target
    judged = {t.row: verdict(t, {10_000: at_10k}) for t in TARGETS if t.size == 10_000}
    assert judged["get"] == "PASS"
    assert judged["filter_on_screen"] == "MISS"
    assert judged["register_after_key"] == "PASS"
    assert "register" not in judged and "filter" not in judged


def test_screen_text_is_matched_without_escape_codes() -> None:
    drawn = "\x1b[2;1H\x1b[1m1,000\x1b[0m of \x1b[38;2;1;2;3m1,000\x1b[0m\r\n requests"
    assert squeeze(register_marker(1000, 1000)) in squeeze(drawn)
    assert choose_filter_letter(["tre", "pen"]) is not None
    assert choose_filter_letter(["aa", "aa"]) is None


def test_command_line_writes_table_and_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    out = tmp_path / "bench.json"

    assert main(["--sizes", str(TINY), "--runs", "1", "--no-launch", "--json", str(out)]) == 0

    assert "| get: one request by id | ms |" in capsys.readouterr().out
    data = json.loads(out.read_text())
    assert data["sizes"][0]["size"] == TINY
    assert {t["measure"] for t in data["targets"]} == {t.row for t in TARGETS}


@needs_pty
def test_terminal_process_sees_text_and_quits() -> None:
    env = dict(os.environ, TERM="xterm-256color")
    script = "import sys, time; print('\\x1b[1mhello\\x1b[0m there', flush=True); time.sleep(30)"
    term = TerminalProcess([sys.executable, "-c", script], env=env)
    try:
        assert term.wait_for("hello there", 10) is not None
        assert term.peak_memory_mb() is not None
    finally:
        term.quit(grace=0.1)
    assert term.process.returncode is not None


@needs_pty
def test_launch_measurements_on_a_tiny_database(tmp_path: Path) -> None:
    launcher = Launcher(tmp_path / "launcher")
    result = measure_size(TINY, 1, today=date.today(), launcher=launcher, workdir=tmp_path)

    assert result.problems == []
    assert _not_positive(result, [*LAUNCH_ROWS, *IN_PROCESS_ROWS]) == []
    assert "| start: vig-tui to Home's first frame | s | - |" not in markdown(
        [result], machine(), 1
    )
    assert result.start is not None and result.home_complete is not None
    assert result.start <= result.home_complete
