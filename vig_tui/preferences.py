"""The worker's own settings (for now, the theme), kept between sittings.

A small JSON file in the user's config folder, readable by its owner only.
``VIG_TUI_CONFIG`` names another file (tests use it to stay out of the real
one). A missing or unreadable file gives the defaults: settings are a comfort,
never a reason for the app not to start.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import platformdirs

from .atomic import write_atomically
from .private_folders import ensure_private_folder

CONFIG_ENV = "VIG_TUI_CONFIG"
DEFAULT_THEME = "textual-dark"


@dataclass
class Preferences:
    theme: str = DEFAULT_THEME


def preferences_path() -> Path:
    """Where the settings live: ``$VIG_TUI_CONFIG`` or the user's config folder."""
    if override := os.environ.get(CONFIG_ENV):
        return Path(override)
    return platformdirs.user_config_path("vig-tui") / "preferences.json"


def load_preferences(path: Path | None = None) -> Preferences:
    """The saved settings, or the defaults when there are none (or they cannot be read)."""
    path = path or preferences_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Preferences()
    if not isinstance(data, dict):
        return Preferences()
    known = {f.name for f in fields(Preferences)}
    values = {k: v for k, v in data.items() if k in known and isinstance(v, str)}
    return Preferences(**values)


def save_preferences(preferences: Preferences, path: Path | None = None) -> None:
    """Write the settings atomically, readable by their owner only (0600)."""
    path = path or preferences_path()
    ensure_private_folder(path.parent)
    write_atomically(path, json.dumps(asdict(preferences), indent=2).encode("utf-8"))
