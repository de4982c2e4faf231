"""Retention as commands: find what the rules say is due, and delete it for good.

Deleting goes through the store's ``expunge``: the request and its history go, and
the service ledger keeps a tombstone (reference, when, who, the rule) so
``audit verify`` still passes. Only what is due goes; a draft near its deletion
day is only reported. A request changed since it was judged is left (its
version no longer matches) and reported, never deleted on stale grounds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ..domain.history import Actor
from ..domain.retention import RetentionDue, might_be_due, retention_due

if TYPE_CHECKING:
    from ..store import Repository


def find_due(store: Repository, today: date) -> list[RetentionDue]:
    """Every request due to be deleted on ``today``, and drafts near it (``due`` False)."""
    candidates = [store.get(s.id) for s in store.summaries() if might_be_due(s, today)]
    return retention_due(candidates, today)


def rule_words(due: RetentionDue) -> str:
    """The rule as the ledger's tombstone keeps it: "closed: kept 6 years after the closure"."""
    return f"{due.rule.value}: kept {due.period}"


@dataclass
class RetentionResult:
    deleted: list[RetentionDue] = field(default_factory=list)
    #: Changed since they were judged, or gone: left as they are, with why.
    left: list[tuple[RetentionDue, str]] = field(default_factory=list)


def apply_retention(store: Repository, who: Actor, today: date) -> RetentionResult:
    """Delete every request due on ``today`` (never one only near it)."""
    from ..store import StoreError

    result = RetentionResult()
    for due in find_due(store, today):
        if not due.due:
            continue
        try:
            store.expunge(
                due.request.id,
                base_version=due.request.version,
                who=who,
                rule=rule_words(due),
            )
        except StoreError as error:  # VersionConflict, RequestNotFound: left, said why
            result.left.append((due, str(error)))
            continue
        result.deleted.append(due)
    return result


def retention_reminder(store: Repository, today: date) -> str:
    """What Home says when records are due to be deleted, or drafts soon will be ("" if none)."""
    from ..domain.wording import plural

    # Counted one request at a time, so only one is held whole at once: at 10,000
    # requests almost half might be due, and holding them all doubled the app's memory.
    due = soon = 0
    for summary in store.summaries():
        if might_be_due(summary, today):
            for found in retention_due([store.get(summary.id)], today):
                due, soon = (due + 1, soon) if found.due else (due, soon + 1)
    said = []
    if due:
        verb, it = ("is", "it") if due == 1 else ("are", "them")
        said.append(
            f"{plural(due, 'record')} {verb} due for deletion under the retention rules "
            f"(run vig-tui retention --dry-run to see {it}, --apply to delete {it})."
        )
    if soon:
        them = "it" if soon == 1 else "them"
        said.append(
            f"{plural(soon, 'draft')} untouched for months will be deleted soon: "
            f"finish or delete {them}."
        )
    return " ".join(said)
