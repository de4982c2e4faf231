"""A register's installed checklists, made known to the domain when it opens.

Every backend keeps the checklists a service installed (their TOML text, by
version) and which one is in use; opening a register reads them, so requests
made under any of them are judged and shown by their own version, and new
requests are stamped with the one in use.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..domain.checklist import register
from ..domain.checklist_file import ChecklistError, checklist_from_toml
from .errors import CorruptDatabaseError


def put_checklists_in_use(
    location: Path | str, installed: Mapping[str, str], in_use: str | None
) -> None:
    """Parse every installed checklist and put ``in_use`` in use (None: the built-in one)."""
    checklists = []
    for version, text in installed.items():
        try:
            checklist = checklist_from_toml(text, source=f"installed checklist {version}")
        except ChecklistError as error:
            raise CorruptDatabaseError(Path(location), str(error)) from None
        checklists.append(checklist)
    if in_use is not None and in_use not in installed:
        raise CorruptDatabaseError(
            Path(location), f"its checklist in use, version {in_use}, is not installed in it"
        )
    register(checklists, in_use)
