"""What can go wrong with the database, as exceptions whose ``str()`` is a
message fit to show the person at the keyboard: what happened, to which file,
and what to do next. The file named in a message is never touched by the
failure that raised it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..domain.models import VigRequest


class StoreError(Exception):
    """Base class; ``str()`` is a message fit to show the user."""

    def __str__(self) -> str:
        # RequestNotFound is also a KeyError, whose own __str__ would quote the message.
        return str(self.args[0]) if self.args else ""


class DatabaseLockedError(StoreError):
    """Another copy of vig-tui holds the database's lock."""

    def __init__(self, path: Path, holder: dict[str, Any]) -> None:
        self.path = path
        self.holder = holder
        super().__init__(
            f"{path} is open in another copy of vig-tui ({describe_holder(holder)}). "
            "Open it read-only with --read-only, or close the other copy."
        )


class CorruptDatabaseError(StoreError):
    """The file cannot be read as a vig-tui database; it has been left exactly as it was."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(
            f"{path} cannot be opened: {detail}. The file has been left exactly as it was; "
            "restore it from a backup or ask for help before changing it."
        )


class NewerSchemaError(StoreError):
    """The file was written by a newer vig-tui than this one; it is not touched."""

    def __init__(self, path: Path, found: int, supported: int) -> None:
        self.path = path
        self.found = found
        self.supported = supported
        super().__init__(
            f"{path} was written by a newer version of vig-tui (database version {found}; "
            f"this copy understands up to version {supported}). Update vig-tui to open it; "
            "the file has not been changed."
        )


class ReadOnlyError(StoreError):
    """A change was asked of a store opened read-only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"{path} is open read-only, so changes cannot be saved. "
            "Close the other copy of vig-tui and open it again without --read-only."
        )


class StoreWriteError(StoreError):
    """Saving failed (disk full, permissions...); nothing was changed, on disk or in memory."""

    def __init__(self, path: Path, error: OSError) -> None:
        self.path = path
        self.error = error
        reason = error.strerror or str(error)
        super().__init__(
            f"Could not save to {path}: {reason}. Nothing was changed; "
            "the last saved version is intact. Free some space or check the folder, then try again."
        )


class LockFileError(StoreError):
    """The lock file beside the database cannot be used; nothing was changed."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(
            f"Cannot use the lock file {path}: {reason}. Nothing was changed. "
            "It is not the database; check it, remove it if it is not a file vig-tui made, "
            "and try again."
        )


class RequestNotFound(StoreError, KeyError):
    """No request with that id."""


class VersionConflict(StoreError):
    """A change was made to an older copy of a request than the one stored.

    Nothing was saved. ``current`` is the stored copy (to show beside the
    change, and to re-apply the change to); ``base_version`` is the version
    the change started from (``None`` or 0: a new request whose id is taken).
    """

    def __init__(self, current: VigRequest, base_version: int | None) -> None:
        self.current = current
        self.base_version = base_version
        label = current.reference or "This draft"
        if not base_version:
            what = f"{label} has already been saved (it is at version {current.version})"
        else:
            what = (
                f"{label} was changed {last_change(current)} after you opened it "
                f"(you started from version {base_version}; it is now at version "
                f"{current.version})"
            )
        super().__init__(
            f"{what}. Your change has not been saved: look at the request as it is now "
            "and make your change again."
        )


def last_change(request: VigRequest) -> str:
    """'by Sam Patel at 14:05 on 3 Mar 2026' from the newest history entry, or
    'at ...' from ``updated_at`` when the history does not say who."""
    who = ""
    when = request.updated_at
    if request.history:
        newest = request.history[-1]
        actor = getattr(newest, "who", None)
        name = getattr(actor, "name", None) or (actor if isinstance(actor, str) else "")
        who = f"by {name} " if name else ""
        when = max(when, newest.at) if _comparable(when, newest.at) else newest.at
    moment = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    local = moment.astimezone()
    return f"{who}at {local:%H:%M} on {local.day} {local:%b %Y}"


def _comparable(first: datetime, second: datetime) -> bool:
    return (first.tzinfo is None) == (second.tzinfo is None)


def describe_holder(holder: dict[str, Any]) -> str:
    """'user alice, process 4242 on host laptop, since 09:14' from a lock file's record."""
    if not holder:
        return "details unknown"
    parts = []
    if holder.get("user"):
        parts.append(f"user {holder['user']}")
    where = f"process {holder['pid']}" if holder.get("pid") else ""
    if holder.get("host"):
        where = f"{where} on host {holder['host']}".strip()
    if where:
        parts.append(where)
    since = _since(holder.get("since"))
    if since:
        parts.append(f"since {since}")
    return ", ".join(parts) or "details unknown"


def _since(value: object) -> str:
    if not isinstance(value, str):
        return ""
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return value
    if when.tzinfo is not None:
        when = when.astimezone()
    if when.date() == datetime.now(when.tzinfo).date():
        return when.strftime("%H:%M")
    return f"{when.day} {when:%b %Y %H:%M}"


class RegisterUnreachable(StoreError):
    """A shared register's server did not answer (down, network gone, connection dropped).

    What the worker typed is kept on this computer (:mod:`vig_tui.store.recovery`)
    and saved when the server answers again.
    """

    def __init__(self, where: str, detail: str) -> None:
        self.where = where
        self.detail = detail
        super().__init__(
            f"The register cannot be reached ({where}: {detail}). Nothing you typed is lost: "
            "it is kept on this computer and saved when the register answers again."
        )
