"""Owner-only folders: every folder vig-tui creates is 0700, whatever the umask.

Kept apart from the store so that the preferences (read before the first
frame) can use it without importing the store's dependencies.
"""

from __future__ import annotations

import os
from pathlib import Path


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
