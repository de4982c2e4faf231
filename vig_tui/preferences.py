"""The worker's own settings (the theme, their profile, this machine's id), kept between sittings.

A small JSON file in the user's config folder, readable by its owner only.
The machine id is made once, the first time the settings are read, and kept.
``VIG_TUI_CONFIG`` names another file (tests use it to stay out of the real
one). A missing or unreadable file gives the defaults: settings are a comfort,
never a reason for the app not to start.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from .atomic import write_atomically
from .private_folders import ensure_private_folder
from .profile import InstalledServiceKey, Profile, new_machine_id

CONFIG_ENV = "VIG_TUI_CONFIG"
DEFAULT_THEME = "textual-dark"


@dataclass
class Preferences:
    theme: str = DEFAULT_THEME
    #: None until the worker has said who they are (the app asks on first start).
    profile: Profile | None = None
    #: This installation's stable id, stamped on every change made here.
    machine_id: str = field(default_factory=new_machine_id)
    #: The VIG service's public key, on a referrer's machine: requests are sent by file.
    service_key: InstalledServiceKey | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "theme": self.theme,
            "profile": self.profile.to_json() if self.profile is not None else None,
            "machine_id": self.machine_id,
            "service_key": self.service_key.to_json() if self.service_key is not None else None,
        }


def preferences_path() -> Path:
    """Where the settings live: ``$VIG_TUI_CONFIG`` or the user's config folder."""
    if override := os.environ.get(CONFIG_ENV):
        return Path(override)
    return platformdirs.user_config_path("vig-tui") / "preferences.json"


def load_preferences(path: Path | None = None) -> Preferences:
    """The saved settings, or the defaults when there are none (or they cannot be read).

    A file without a machine id (a new installation, or one from before ids)
    gets one now, written back at once so it stays the same; if it cannot be
    written the id lasts this sitting only.
    """
    path = path or preferences_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    preferences = Preferences()
    if isinstance(theme := data.get("theme"), str):
        preferences.theme = theme
    preferences.profile = Profile.from_json(data.get("profile"))
    preferences.service_key = InstalledServiceKey.from_json(data.get("service_key"))
    machine = data.get("machine_id")
    if isinstance(machine, str) and machine.strip():
        preferences.machine_id = machine.strip()
    else:
        with contextlib.suppress(OSError):
            save_preferences(preferences, path)
    return preferences


def save_preferences(preferences: Preferences, path: Path | None = None) -> None:
    """Write the settings atomically, readable by their owner only (0600)."""
    path = path or preferences_path()
    ensure_private_folder(path.parent)
    write_atomically(path, json.dumps(preferences.to_json(), indent=2).encode("utf-8"))
