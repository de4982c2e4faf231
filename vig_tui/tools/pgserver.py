"""A throwaway PostgreSQL server for tests, CI and the benchmark.

It runs the distribution's server binaries (Debian's ``postgresql-15`` puts
them in ``/usr/lib/postgresql/15/bin``) on a Unix socket in a temporary folder
with ``listen_addresses=''``: nothing listens on the network. As root, the
binaries run as the ``postgres`` user through ``runuser`` (``initdb`` refuses
to run as root). Local connections are trusted, so the tests can log in as
each role they create; this server is never for real records.

Command line (used by ``.ci/run``)::

    python -m vig_tui.tools.pgserver start FOLDER   # prints the URL of database "vig"
    python -m vig_tui.tools.pgserver stop FOLDER
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

__all__ = ["ServerUnavailable", "ThrowawayServer", "find_binaries", "main"]

_SEARCH = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/usr/pgsql-*/bin")
_RUN_AS = "postgres"
DATABASE = "vig"
SUPERUSER = "postgres"


class ServerUnavailable(Exception):
    """No server can be started here; ``str()`` says why (for a skip message)."""


def find_binaries() -> Path:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres`` (newest version first)."""
    on_path = shutil.which("pg_ctl")
    candidates = [Path(on_path).parent] if on_path else []
    for pattern in _SEARCH:
        found = sorted(glob.glob(pattern), key=_version_key, reverse=True)
        candidates.extend(Path(folder) for folder in found)
    for folder in candidates:
        if all((folder / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    raise ServerUnavailable(
        "PostgreSQL's server binaries (initdb, pg_ctl) are not installed here "
        "(Debian: apt-get install postgresql-15)"
    )


def _version_key(folder: str) -> tuple[int, ...]:
    digits = [part for part in Path(folder).parts if part.isdigit()]
    return tuple(int(part) for part in digits)


def _as_server_user() -> list[str]:
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    if runuser is None:
        raise ServerUnavailable("running as root, and runuser is not installed to drop to postgres")
    try:
        import pwd

        pwd.getpwnam(_RUN_AS)
    except KeyError:
        raise ServerUnavailable(
            "running as root, and there is no 'postgres' user to run the server as"
        ) from None
    return [runuser, "-u", _RUN_AS, "--"]


def socket_url(socket_dir: Path, *, user: str = SUPERUSER, database: str = DATABASE) -> str:
    """A ``postgresql://`` URL for a server listening only on a socket in ``socket_dir``."""
    return f"postgresql://{quote(user, safe='')}@{quote(str(socket_dir), safe='')}/{database}"


@dataclass
class ThrowawayServer:
    """One server in ``folder`` (data in ``folder/data``, its socket in ``folder``)."""

    folder: Path
    durable: bool = False

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def url(self, user: str = SUPERUSER, database: str = DATABASE) -> str:
        return socket_url(self.folder, user=user, database=database)

    def _run(self, *command: str | Path) -> None:
        prefix = _as_server_user()
        result = subprocess.run(
            [*prefix, *(str(part) for part in command)],
            capture_output=True,
            text=True,
            cwd="/",
            check=False,
        )
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise ServerUnavailable(
                f"{Path(str(command[0])).name} failed: {' / '.join(detail) or result.returncode}"
            )

    def start(self) -> str:
        """initdb, start, create database ``vig``; returns its URL for the superuser."""
        binaries = find_binaries()
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, _RUN_AS, _RUN_AS)
        os.chmod(self.folder, 0o755)
        self._run(
            binaries / "initdb",
            "-D",
            self.data,
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        options = [
            "-c listen_addresses=''",
            f"-c unix_socket_directories='{self.folder}'",
            "-c max_connections=120",
            "-c shared_buffers=64MB",
        ]
        if not self.durable:
            # A test server: losing it in a power cut loses nothing of value.
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        self._run(
            binaries / "pg_ctl",
            "-D",
            self.data,
            "-l",
            self.log,
            "-o",
            " ".join(options),
            "-w",
            "-t",
            "30",
            "start",
        )
        self._run(
            binaries / "psql" if (binaries / "psql").exists() else "psql",
            "-h",
            self.folder,
            "-U",
            SUPERUSER,
            "-d",
            "postgres",
            "-q",
            "-c",
            f"CREATE DATABASE {DATABASE}",
        )
        return self.url()

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove its folder."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(find_binaries() / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_temporary(*, durable: bool = False) -> ThrowawayServer:
    """A server in a fresh temporary folder, started; stop it with ``.stop()``."""
    server = ThrowawayServer(Path(tempfile.mkdtemp(prefix="vig-pg-")), durable=durable)
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vig_tui.tools.pgserver")
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    server = ThrowawayServer(args.folder.resolve())
    try:
        if args.action == "start":
            print(server.start())
        else:
            server.stop()
    except ServerUnavailable as error:
        print(f"pgserver: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
