"""Where the database lives, and the owner-only folders around it."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "vig-tui"
DB_FILE_NAME = "vig-tui.json"
ENV_VAR = "VIG_TUI_DB"


def default_db_path() -> Path:
    """``$VIG_TUI_DB`` if set, else the platform's user data folder / ``vig-tui.json``."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser()
    return platformdirs.user_data_path(APP_NAME) / DB_FILE_NAME


def default_db_target() -> str | Path:
    """Like :func:`default_db_path`, but a ``postgresql://`` URL in ``$VIG_TUI_DB`` is
    kept as written: a shared register on a server."""
    override = os.environ.get(ENV_VAR, "")
    if override.lower().startswith(("postgresql://", "postgres://")):
        return override
    return default_db_path()


def ensure_private_folder(folder: Path) -> None:
    """Create ``folder`` and any missing parents as 0700; existing folders are left alone."""
    missing: list[Path] = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            continue
        # mkdir's mode is filtered by the umask; owner-only is what we promise.
        os.chmod(path, 0o700)


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")
