"""A small disk that a test fills and frees for real (ENOSPC), for failed writes.

A 512 KiB tmpfs mounted on a folder of the test's; where mounting is not
allowed, a folder made read-only for a user who is not root (root ignores that,
so the test is skipped, saying why). Nothing is replaced or mocked.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


class Disk:
    """A folder whose disk can be filled and freed for real."""

    def __init__(self, folder: Path, *, mounted: bool) -> None:
        self.folder = folder
        self.mounted = mounted
        self._filler = folder / "filler.bin"

    def fill(self) -> None:
        if not self.mounted:
            self.folder.chmod(0o500)  # not root: writes are refused (EACCES)
            return
        filler = os.open(self._filler, os.O_WRONLY | os.O_CREAT, 0o600)
        block = b"\0" * 4096
        try:
            with contextlib.suppress(OSError):
                while True:
                    os.write(filler, block)
        finally:
            os.close(filler)
        # Proof the disk is full: not a block more fits.
        probe = os.open(self.folder / "probe", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            with pytest.raises(OSError) as full:
                os.write(probe, block)
        finally:
            os.close(probe)
        assert full.value.errno == errno.ENOSPC

    def free(self) -> None:
        if not self.mounted:
            self.folder.chmod(0o700)
            return
        self._filler.unlink(missing_ok=True)
        (self.folder / "probe").unlink(missing_ok=True)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Disk]:
    folder = tmp_path / "small-disk"
    folder.mkdir()
    mounted = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", str(folder)],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    if not mounted and os.geteuid() == 0:
        pytest.skip("cannot mount a small tmpfs, and root ignores a read-only folder")
    yield Disk(folder, mounted=mounted)
    if mounted:
        subprocess.run(["umount", "-l", str(folder)], check=False)
    else:
        folder.chmod(0o700)
