"""One writer at a time: an exclusive ``flock`` on ``<db>.lock`` for the store's lifetime.

The lock file records who holds it (pid, user, host, since) so a second copy
can say whose copy is open. The kernel drops the lock when the holder exits,
however it exits, so a stale file never blocks anyone; it is never deleted
(deleting a lock file lets two processes lock two different files).

The lock file is opened without following a symbolic link and is only ever
written when it is a plain file of ours with no other name: anyone who can
write to the database's folder could otherwise point it at a file the user
owns, and taking the lock would empty that file.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import getpass
import json
import os
import socket
import stat
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import DatabaseLockedError, LockFileError
from .paths import lock_path

#: How often a waiting writer tries the lock again (seconds).
_RETRY_EVERY = 0.1


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in the environment or password database
        return str(os.getuid())


def _open_lock_file(path: Path) -> int:
    """Open (or create) the lock file, refusing anything but a plain file of ours."""
    flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as error:
        if error.errno == errno.ELOOP:
            reason = "it is a symbolic link, which vig-tui does not follow"
        elif error.errno == errno.EISDIR:
            reason = "it is a folder"
        else:
            reason = error.strerror or str(error)
        raise LockFileError(path, reason) from None
    try:
        info = os.fstat(fd)
        problem = ""
        if not stat.S_ISREG(info.st_mode):
            problem = "it is not a plain file"
        elif info.st_uid != os.geteuid():
            problem = f"it belongs to another user (user id {info.st_uid})"
        elif info.st_nlink != 1:
            problem = "it has other names (hard links) elsewhere"
        if problem:
            raise LockFileError(path, problem)
    except BaseException:
        os.close(fd)
        raise
    return fd


class DatabaseLock:
    """An exclusive lock on one database file."""

    def __init__(self, db_path: Path, fd: int) -> None:
        self.db_path = db_path
        self.path = lock_path(db_path)
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, db_path: Path, *, wait: float = 0.0) -> DatabaseLock:
        """Take the lock, trying for up to ``wait`` seconds, or raise
        :class:`DatabaseLockedError` naming the holder."""
        path = lock_path(db_path)
        fd = _open_lock_file(path)
        deadline = time.monotonic() + max(wait, 0.0)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise DatabaseLockedError(db_path, _read_holder(fd)) from None
                    time.sleep(_RETRY_EVERY)
                except OSError as error:
                    raise LockFileError(path, error.strerror or str(error)) from None
        except BaseException:
            os.close(fd)
            raise
        _write_holder(fd)
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


def _write_holder(fd: int) -> None:
    """Say who holds the lock. Only a courtesy to a second copy: a full disk
    (or any other failure to write it) does not stop this one working."""
    record = {
        "pid": os.getpid(),
        "user": _user(),
        "host": socket.gethostname(),
        "since": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    with contextlib.suppress(OSError):
        os.fchmod(fd, 0o600)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(record).encode(), 0)
        os.fsync(fd)


def _read_holder(fd: int) -> dict[str, Any]:
    """The holder's record; a holder that has only just locked may not have written it yet."""
    for _attempt in range(5):
        try:
            raw = os.pread(fd, 4096, 0)
        except OSError:
            return {}
        if raw:
            try:
                record = json.loads(raw)
            except ValueError:
                record = None
            if isinstance(record, dict):
                return record
        time.sleep(0.02)
    return {}
