"""Connections to the register's server, and its failures in words a worker can act on."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

import psycopg
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict

from ..errors import RegisterUnreachable, StoreError

__all__ = [
    "AccessRefused",
    "RegisterUnreachable",
    "connect",
    "is_postgres_url",
    "location",
    "server_error",
]

_SCHEMES = ("postgresql://", "postgres://")
#: Seconds to wait for the server to answer a new connection.
CONNECT_TIMEOUT = 5


def is_postgres_url(target: object) -> bool:
    return isinstance(target, str) and target.lower().startswith(_SCHEMES)


def location(url: str) -> str:
    """The URL to show in messages: never its password, and readable: a socket folder
    given as the host (``%2Ftmp%2Fpg``) is shown as the folder it names, and the host's
    letters keep their case."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "the register's server"
    userinfo, _, hostport = parts.netloc.rpartition("@")
    login = unquote(userinfo.partition(":")[0])
    host = unquote(hostport)
    query = unquote(
        "&".join(
            pair for pair in parts.query.split("&") if not pair.lower().startswith("password=")
        )
    )
    path = unquote(parts.path)
    socket = host if host.startswith("/") else ""  # a Unix socket folder
    netloc = (f"{login}@" if login else "") + ("localhost" if socket else host)
    shown = f"{parts.scheme}://{netloc}{path}{'?' + query if query else ''}"
    return f"{shown} (socket folder {socket})" if socket else shown


def login_of(url: str) -> str:
    """The login a URL connects as (empty: the server decides, from the OS user)."""
    try:
        return str(conninfo_to_dict(url).get("user") or "")
    except psycopg.ProgrammingError:
        return ""


class AccessRefused(StoreError):
    """The server refused: this login may not see or change that."""


def connect(url: str, *, autocommit: bool = False) -> psycopg.Connection:
    """A connection to ``url``, or :class:`RegisterUnreachable` / :class:`StoreError`."""
    try:
        return psycopg.connect(
            url,
            autocommit=autocommit,
            connect_timeout=CONNECT_TIMEOUT,
            application_name="vig-tui",
        )
    except psycopg.ProgrammingError as error:
        raise StoreError(
            f"{location(url)} is not a database address vig-tui can use: {error}"
        ) from None
    except psycopg.OperationalError as error:
        refused = _password_refused(url, str(error))
        if refused is not None:
            raise refused from None
        raise RegisterUnreachable(location(url), _first_line(error)) from None


def _password_refused(url: str, text: str) -> StoreError | None:
    """The server answered but wants a password, or did not accept the one given: not a
    register that cannot be reached, and trying again will not help."""
    login = login_of(url) or "your login"
    if "no password supplied" in text:
        return StoreError(
            f"The register at {location(url)} asks for the password of {login}, and none was "
            "given. Keep it in your own ~/.pgpass file (readable by you only), as the README's "
            '"Running it for a team" shows; never in the address.'
        )
    if "password authentication failed" in text:
        return StoreError(
            f"The register at {location(url)} did not accept the password for {login}. Check "
            "its line in your ~/.pgpass file, or ask whoever runs the server to set it again "
            "(vig-tui server add-user ... --password)."
        )
    return None


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


@contextlib.contextmanager
def server_error(url: str) -> Iterator[None]:
    """Turn what the server (or the lack of one) says into a :class:`StoreError`."""
    try:
        yield
    except StoreError:
        raise
    except pg_errors.InsufficientPrivilege as error:
        detail = error.diag.message_primary or _first_line(error)
        if detail.startswith("permission denied") or detail.startswith("new row violates"):
            detail = f"your login may not do this ({detail})"
        raise AccessRefused(detail) from None
    except pg_errors.UndefinedTable:
        raise StoreError(
            f"{location(url)} has no vig-tui register yet (or an older one): "
            "ask whoever runs the server to run `vig-tui server init` on it."
        ) from None
    except (psycopg.OperationalError, psycopg.InterfaceError) as error:
        raise RegisterUnreachable(location(url), _first_line(error)) from None
    except psycopg.Error as error:
        raise StoreError(f"The register at {location(url)} refused: {_first_line(error)}") from None
