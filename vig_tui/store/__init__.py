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
    RequestNotFound,
    StoreError,
    StoreWriteError,
    VersionConflict,
)
from .file_repository import FileRepository, Store
from .migrations import current_version
from .paths import default_db_path
from .repository import ImportReport, Repository, open_repository

__all__ = [
    "CorruptDatabaseError",
    "DatabaseLockedError",
    "FileRepository",
    "ImportReport",
    "LockFileError",
    "NewerSchemaError",
    "ReadOnlyError",
    "Repository",
    "RequestNotFound",
    "RequestSummary",
    "Store",
    "StoreError",
    "StoreWriteError",
    "VersionConflict",
    "current_version",
    "default_db_path",
    "open_repository",
]
