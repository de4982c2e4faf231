"""The records: the :class:`Repository` interface and its backends. The only
package that knows TinyDB.

See docs/architecture.md ("Store contract").

Names are imported from their modules when first used (PEP 562), so a command that
needs only :func:`read_summaries` (``vig-tui list``) does not pay for importing the
backends, TinyDB and the pydantic models at start.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..domain.summary import RequestSummary
    from .errors import (
        CorruptDatabaseError,
        DatabaseLockedError,
        LockFileError,
        NewerSchemaError,
        ReadOnlyError,
        RegisterUnreachable,
        RequestNotFound,
        StoreError,
        StoreWriteError,
        VersionConflict,
    )
    from .file_repository import FileRepository, Store
    from .listing import read_summaries
    from .migrations import current_version
    from .paths import default_db_path, default_db_target
    from .repository import (
        ImportReport,
        KeepsLedger,
        Repository,
        SharedRegister,
        Watchable,
        open_repository,
    )

#: Each public name, and the module (relative to this package) it comes from.
_HOMES = {
    "RequestSummary": "..domain.summary",
    "CorruptDatabaseError": ".errors",
    "DatabaseLockedError": ".errors",
    "LockFileError": ".errors",
    "NewerSchemaError": ".errors",
    "ReadOnlyError": ".errors",
    "RegisterUnreachable": ".errors",
    "RequestNotFound": ".errors",
    "StoreError": ".errors",
    "StoreWriteError": ".errors",
    "VersionConflict": ".errors",
    "FileRepository": ".file_repository",
    "Store": ".file_repository",
    "read_summaries": ".listing",
    "current_version": ".migrations",
    "default_db_path": ".paths",
    "default_db_target": ".paths",
    "ImportReport": ".repository",
    "KeepsLedger": ".repository",
    "Repository": ".repository",
    "Watchable": ".repository",
    "SharedRegister": ".repository",
    "open_repository": ".repository",
}

__all__ = [
    "CorruptDatabaseError",
    "DatabaseLockedError",
    "FileRepository",
    "ImportReport",
    "KeepsLedger",
    "LockFileError",
    "NewerSchemaError",
    "ReadOnlyError",
    "RegisterUnreachable",
    "Repository",
    "RequestNotFound",
    "RequestSummary",
    "SharedRegister",
    "Store",
    "StoreError",
    "StoreWriteError",
    "VersionConflict",
    "Watchable",
    "current_version",
    "default_db_path",
    "default_db_target",
    "open_repository",
    "read_summaries",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})
