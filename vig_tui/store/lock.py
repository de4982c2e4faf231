"""One writer at a time: an exclusive ``flock`` on ``<db>.lock`` for the store's lifetime.

The lock file records who holds it (pid, user, host, since) so a second copy
can say whose copy is open. The kernel drops the lock when the holder exits,
however it exits, so a stale file never blocks anyone; it is never deleted
(deleting a lock file lets two processes lock two different files).
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import json
import os
import socket
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import DatabaseLockedError
from .paths import lock_path


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in the environment or password database
        return str(os.getuid())


class DatabaseLock:
    """An exclusive, non-blocking lock on one database file."""

    def __init__(self, db_path: Path, fd: int) -> None:
        self.db_path = db_path
        self.path = lock_path(db_path)
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, db_path: Path) -> DatabaseLock:
        """Take the lock or raise :class:`DatabaseLockedError` naming the holder."""
        path = lock_path(db_path)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise DatabaseLockedError(db_path, holder) from None
        except BaseException:
            os.close(fd)
            raise
        try:
            os.fchmod(fd, 0o600)
            record = {
                "pid": os.getpid(),
                "user": _user(),
                "host": socket.gethostname(),
                "since": datetime.now().astimezone().isoformat(timespec="seconds"),
            }
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(record).encode(), 0)
            os.fsync(fd)
        except BaseException:
            os.close(fd)  # closing drops the lock
            raise
        return cls(db_path, fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)


def _read_holder(fd: int) -> dict[str, Any]:
    """The holder's record; a holder that has only just locked may not have written it yet."""
    for _attempt in range(5):
        raw = os.pread(fd, 4096, 0)
        if raw:
            try:
                record = json.loads(raw)
            except ValueError:
                record = None
            if isinstance(record, dict):
                return record
        time.sleep(0.02)
    return {}
