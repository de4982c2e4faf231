"""Where the database lives, and the owner-only folders around it."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from ..private_folders import ensure_private_folder

__all__ = ["default_db_path", "default_db_target", "ensure_private_folder", "lock_path"]

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


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")
