"""Counts in words: "1 request", "35 requests", "2 families", never "request(s)"."""

from __future__ import annotations


def plural(count: int, singular: str, plural: str | None = None) -> str:
    """``count`` and the noun it needs: the singular for exactly one, else the plural
    (``singular + "s"`` unless given). Thousands are grouped: "12,500 requests"."""
    word = singular if count == 1 else (plural or f"{singular}s")
    return f"{count:,} {word}"


def times(count: int) -> str:
    """How often: "once", "twice", "3 times"."""
    return {1: "once", 2: "twice"}.get(count, f"{count:,} times")


def caseload(load: int, capacity: int) -> str:
    """A practitioner's caseload against what they can take: "3 of 8", "8 of 8 (full)",
    "9 of 8 (over capacity)": "full" only when it is exactly full."""
    if load > capacity:
        return f"{load:,} of {capacity:,} (over capacity)"
    if load == capacity:
        return f"{load:,} of {capacity:,} (full)"
    return f"{load:,} of {capacity:,}"
