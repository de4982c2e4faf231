"""How long requests waited for a step, in days: the report's median, 90th percentile
and longest waits (the steps to a decision, and from allocation to the work's start)."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

#: How many of the longest waits a report lists.
LONGEST_LISTED = 5


@dataclass(frozen=True)
class Wait:
    reference: str
    days: int


@dataclass(frozen=True)
class WaitStatistic:
    """How long requests waited for one step, in days."""

    label: str
    days: tuple[int, ...]
    longest: tuple[Wait, ...]

    @property
    def count(self) -> int:
        return len(self.days)

    @property
    def median(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def percentile_90(self) -> int | None:
        """The nearest-rank 90th percentile: 9 in 10 waited this long or less."""
        if not self.days:
            return None
        ordered = sorted(self.days)
        return ordered[math.ceil(0.9 * len(ordered)) - 1]


def wait_statistic(label: str, waits: list[Wait]) -> WaitStatistic:
    longest = sorted(waits, key=lambda w: (-w.days, w.reference))[:LONGEST_LISTED]
    return WaitStatistic(label, tuple(w.days for w in waits), tuple(longest))
