"""The database: the only package that knows TinyDB.

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
)
from .migrations import current_version
from .paths import default_db_path
from .store import ImportReport, Store

__all__ = [
    "CorruptDatabaseError",
    "DatabaseLockedError",
    "ImportReport",
    "LockFileError",
    "NewerSchemaError",
    "ReadOnlyError",
    "RequestNotFound",
    "RequestSummary",
    "Store",
    "StoreError",
    "StoreWriteError",
    "current_version",
    "default_db_path",
]
