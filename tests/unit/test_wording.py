"""Counts read as words: one helper, used wherever a count is shown."""

from __future__ import annotations

import re
from pathlib import Path

from vig_tui.domain.wording import caseload, plural, times


def test_plurals() -> None:
    assert plural(1, "request") == "1 request"
    assert plural(0, "request") == "0 requests"
    assert plural(35, "request") == "35 requests"
    assert plural(2, "family", "families") == "2 families"
    assert plural(12500, "request") == "12,500 requests"
    assert [times(n) for n in (1, 2, 3)] == ["once", "twice", "3 times"]


def test_no_count_is_written_with_s_in_brackets() -> None:
    """'35 request(s)' anywhere in the app's own words is a defect."""
    source = Path(__file__).resolve().parents[2] / "vig_tui"
    found = []
    for path in source.rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\b[a-z]+\(s\)(?=[ ,.;)\"'])", line) and not line.lstrip().startswith(
                ("#", '"""')
            ):
                found.append(f"{path.name}:{number}: {line.strip()}")
            if re.search(r"""['"]s['"] \* \(""", line):
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert found == []


def test_a_caseload_is_full_only_when_exactly_full() -> None:
    assert caseload(3, 8) == "3 of 8"
    assert caseload(8, 8) == "8 of 8 (full)"
    assert caseload(9, 8) == "9 of 8 (over capacity)"
    assert caseload(0, 0) == "0 of 0 (full)"
