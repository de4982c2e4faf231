"""Is the record whole? Every request's history chain, the ledger's chain, and the set of requests.

The ledger says which requests should exist (created or imported, and not
deleted); a request missing from the file, or one the ledger never heard of,
is a broken place just as an edited, removed or reordered entry is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from uuid import UUID

from ..domain.history import SERVICE_CHAIN, Action, first_broken

if TYPE_CHECKING:
    from ..store import Repository

#: Ledger actions that bring a request into the database, and those that take it out.
_ARRIVALS = frozenset({Action.CREATED, Action.IMPORTED, Action.RECEIVED})
_DEPARTURES = frozenset({Action.DELETED, Action.EXPUNGED})


@dataclass(frozen=True)
class AuditProblem:
    #: The request's reference (or "draft <id>"), or "service ledger".
    where: str
    #: 1-based entry number within that history or ledger, when one is to blame.
    entry: int | None
    detail: str

    def __str__(self) -> str:
        place = self.where if self.entry is None else f"{self.where}, entry {self.entry}"
        return f"{place}: {self.detail}"


@dataclass
class AuditReport:
    requests: int = 0
    entries: int = 0
    ledger_entries: int = 0
    #: False for a backend that keeps no ledger (both vig-tui's backends keep one).
    ledger_kept: bool = True
    problems: list[AuditProblem] = field(default_factory=list)

    @property
    def whole(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.whole:
            return (
                f"The record is whole: {_count(self.requests, 'request')}, "
                f"{_count(self.entries, 'history entry', 'history entries')} and "
                f"{_count(self.ledger_entries, 'ledger entry', 'ledger entries')}; "
                "every hash matches."
                + ("" if self.ledger_kept else " (This database keeps no ledger to check.)")
            )
        more = len(self.problems) - 1
        extra = f" ({more} more broken place{'s' if more != 1 else ''})" if more else ""
        return f"The record has been changed outside vig-tui: {self.problems[0]}{extra}"


def _count(number: int, one: str, many: str = "") -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def _name(reference: str | None, request_id: UUID) -> str:
    return reference or f"draft {request_id}"


def verify(store: Repository) -> AuditReport:
    """Check every chain and that the requests held are exactly those the ledger records."""
    from ..store import KeepsLedger

    report = AuditReport()
    if not isinstance(store, KeepsLedger):
        report.ledger_kept = False
        _verify_requests(store, report, None)
        return report
    ledger = store.ledger()
    report.ledger_entries = len(ledger)
    broken = first_broken(ledger, SERVICE_CHAIN)
    if broken is not None:
        report.problems.append(
            AuditProblem(
                "service ledger",
                broken + 1,
                "does not match its content or its place (edited, removed or reordered)",
            )
        )
    expected: dict[UUID, tuple[str | None, int]] = {}
    for number, entry in enumerate(ledger, start=1):
        if entry.request_id is None:
            continue
        if entry.action in _ARRIVALS or entry.action == Action.SENT:
            known = expected.get(entry.request_id)
            reference = entry.reference or (known[0] if known else None)
            first = known[1] if known else number
            if entry.action in _ARRIVALS or known is not None:
                expected[entry.request_id] = (reference, first)
        elif entry.action in _DEPARTURES:
            expected.pop(entry.request_id, None)
    _verify_requests(store, report, expected)
    return report


def _verify_requests(
    store: Repository, report: AuditReport, expected: dict[UUID, tuple[str | None, int]] | None
) -> None:
    """Each request's chain; with a ledger, also that the requests held are those it records."""
    requests = store.requests()
    report.requests = len(requests)
    held = set()
    for request in requests:
        held.add(request.id)
        report.entries += len(request.history)
        name = _name(request.reference, request.id)
        if problem := request.history_problem():
            report.problems.append(AuditProblem(name, *problem))
        if expected is not None and request.id not in expected:
            report.problems.append(
                AuditProblem(name, None, "is in the database but the ledger never recorded it")
            )
    for request_id, (reference, number) in (expected or {}).items():
        if request_id not in held:
            report.problems.append(
                AuditProblem(
                    _name(reference, request_id),
                    None,
                    f"is missing from the database (ledger entry {number} records it, "
                    "and no entry records it deleted)",
                )
            )
