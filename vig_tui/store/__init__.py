"""The records: the :class:`Repository` interface and its backends. The only
package that knows TinyDB.

See docs/architecture.md ("Store contract").
"""

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
from .migrations import current_version
from .paths import default_db_path, default_db_target
from .repository import ImportReport, Repository, Watchable, open_repository, read_summaries

__all__ = [
    "CorruptDatabaseError",
    "DatabaseLockedError",
    "FileRepository",
    "ImportReport",
    "LockFileError",
    "NewerSchemaError",
    "ReadOnlyError",
    "RegisterUnreachable",
    "Repository",
    "RequestNotFound",
    "RequestSummary",
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
