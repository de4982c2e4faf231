"""What vig-tui last wrote to a database file, so opening it need not check every record again.

Opening a file validates every request with pydantic: seconds at 50,000. But
vig-tui writes only records that validate, so a file that is byte for byte what
it last wrote needs no second check. After each write the writer notes, beside
the database (``NAME.written``, owner-only), the checksum it sealed the file with
(:mod:`~vig_tui.store.checksum`) and a fingerprint of the rules records are
validated by (the request model's JSON schema). Opening trusts the records only
when the file's checksum matches (the file is intact) *and* equals the noted one
(vig-tui wrote it) *and* the rules are the same (this release would have accepted
what that one wrote). Anything else, such as a file edited by hand and resealed,
a copy from elsewhere, or a note lost in a crash, is validated as before.

The note is a cache, never a record: it is written without waiting for the disk
(the database itself already has been), and a note that cannot be written or read
only means the next open checks every record.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

from ..atomic import TEMP_SUFFIX, temp_prefix

log = logging.getLogger(__name__)

SUFFIX = ".written"


def note_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + SUFFIX)


@functools.cache
def rules() -> str:
    """A fingerprint of what a stored request must be to validate."""
    from ..domain.models import VigRequest

    schema = json.dumps(VigRequest.model_json_schema(), sort_keys=True)
    return hashlib.sha256(schema.encode("utf-8")).hexdigest()


def replace_cache_file(target: Path, content: bytes) -> None:
    """Replace ``target`` (owner-only) with ``content`` in one rename, without waiting
    for the disk: for the caches beside a database (this note, the index), whose loss
    costs only speed. Raises :class:`OSError`; leaves no temporary file behind."""
    fd, temp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=TEMP_SUFFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def note(db_path: Path, digest: str) -> None:
    """Record that vig-tui wrote ``db_path`` sealed with ``digest`` (never fails)."""
    content = json.dumps({"checksum": digest, "rules": rules()}).encode("utf-8")
    try:
        replace_cache_file(note_path(db_path), content)
    except OSError as error:
        log.info("could not note what was written to %s: %s", db_path, error)


def forget(db_path: Path) -> None:
    """Drop the note (the file is about to be replaced by something vig-tui did not seal)."""
    with contextlib.suppress(OSError):
        os.unlink(note_path(db_path))


def wrote(db_path: Path, digest: str) -> bool:
    """True when the note says vig-tui last wrote ``db_path`` sealed with ``digest``,
    under the rules this release validates by."""
    try:
        noted = json.loads(note_path(db_path).read_bytes())
    except (OSError, ValueError):
        return False
    return (
        isinstance(noted, dict)
        and noted.get("checksum") == digest
        and noted.get("rules") == rules()
    )
