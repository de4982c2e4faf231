"""Changes kept on this computer while a shared register cannot be reached.

When a save to a server fails because the server does not answer, the request
as the worker left it is written here (one owner-only file per request and
register, replaced atomically by a later change to the same request), with the
version the change was made to. When the server answers again the app saves
each kept change with that version, so a change somebody else made meanwhile
is still refused, not overwritten; a kept file is removed only once its change
is stored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import platformdirs

from ..domain.models import VigRequest, utc_now
from .paths import APP_NAME, ensure_private_folder

__all__ = ["KeptChange", "forget", "keep", "kept", "recovery_folder"]


@dataclass(frozen=True)
class KeptChange:
    path: Path
    request: VigRequest
    base_version: int


def recovery_folder() -> Path:
    """``recovery`` in the user's data folder (beside a default database file)."""
    return platformdirs.user_data_path(APP_NAME) / "recovery"


def _prefix(register: str) -> str:
    return hashlib.sha256(register.encode()).hexdigest()[:16]


def _path(register: str, request_id: UUID, folder: Path | None) -> Path:
    return (folder or recovery_folder()) / f"{_prefix(register)}-{request_id}.json"


def keep(
    register: str, request: VigRequest, base_version: int, *, folder: Path | None = None
) -> Path:
    """Write ``request`` (made to ``base_version`` of ``register``) to its 0600 file."""
    path = _path(register, request.id, folder)
    ensure_private_folder(path.parent)
    record = {
        "register": register,
        "kept_at": utc_now().isoformat(),
        "base_version": base_version,
        "request": request.model_dump(mode="json"),
    }
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".keeping-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(record, stream, ensure_ascii=False)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return path


def kept(register: str, *, folder: Path | None = None) -> list[KeptChange]:
    """The changes kept for ``register``, oldest first (unreadable files are left alone)."""
    where = folder or recovery_folder()
    if not where.is_dir():
        return []
    found: list[tuple[str, KeptChange]] = []
    for path in where.glob(f"{_prefix(register)}-*.json"):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            if record.get("register") != register:
                continue
            change = KeptChange(
                path, VigRequest.model_validate(record["request"]), int(record["base_version"])
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue
        found.append((str(record.get("kept_at", "")), change))
    return [change for _, change in sorted(found, key=lambda pair: pair[0])]


def forget(register: str, request_id: UUID, *, folder: Path | None = None) -> None:
    """Remove the kept change of one request (once it is stored)."""
    with contextlib.suppress(FileNotFoundError):
        _path(register, request_id, folder).unlink()
