"""`vig-tui server ...`: setting up a shared register on a PostgreSQL server.

Kept apart from :mod:`vig_tui.cli` so that psycopg is imported only when one
of these commands runs (the optional extra ``vig-tui[postgres]``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .domain.wording import plural

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_DATABASE = 3
_NEEDS_EXTRA = (
    "the PostgreSQL driver is not installed; install it with: pip install 'vig-tui[postgres]'"
)


def _url(text: str) -> str:
    if not text.lower().startswith(("postgresql://", "postgres://")):
        raise argparse.ArgumentTypeError(
            "give the server's address as postgresql://LOGIN@HOST/DATABASE "
            "(a Unix socket folder as the host, %2F for each /)"
        )
    return text


def add_server_commands(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``server init``, ``server add-user`` and ``copy`` to the top-level subcommands
    (``parents``: the common options, parsed anywhere and refused by the command line)."""
    server = commands.add_parser(
        "server",
        help="set up a shared register on a PostgreSQL server",
        description="Create or upgrade the register's tables on a PostgreSQL server, and add "
        "the people who use it. Run these as the database's owner.",
    )
    actions = server.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init",
        parents=parents,
        help="create or upgrade the register (safe to run again)",
        description="Applies the register's migrations that the database does not have yet, "
        "and creates the two roles vig_coordinator and vig_referrer.",
    )
    init.add_argument("url", type=_url, metavar="URL")
    init.set_defaults(handler=cmd_server_init, no_database="server init")
    add_user = actions.add_parser(
        "add-user",
        parents=parents,
        help="create a login for a coordinator or a referrer",
        description="Creates a PostgreSQL login in the coordinator's or the referrers' role "
        "(or moves an existing login to that role). Referrers see only their own requests.",
    )
    add_user.add_argument("login", metavar="LOGIN")
    add_user.add_argument("--role", choices=["coordinator", "referrer"], required=True)
    add_user.add_argument("--name", required=True, help='the person\'s full name, "Sam Patel"')
    secret = add_user.add_mutually_exclusive_group()
    secret.add_argument(
        "--password",
        action="store_true",
        help="ask for the login's password (twice, not shown), for workers who log in "
        "from other machines",
    )
    secret.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the login's password from the first line of standard input (for scripts)",
    )
    add_user.add_argument("url", type=_url, metavar="URL")
    add_user.set_defaults(handler=cmd_server_add_user, no_database="server add-user")

    copy = commands.add_parser(
        "copy",
        parents=parents,
        help="copy a whole register between a file and a server",
        description="Copies every request with its history, the roster, moved meetings and "
        "settings from SOURCE into the empty register TARGET (each a database file's path or "
        "a postgresql:// URL). The source is only read.",
    )
    copy.add_argument("--from", dest="source", required=True, metavar="SOURCE")
    copy.add_argument("--to", dest="target", required=True, metavar="TARGET")
    copy.set_defaults(handler=cmd_copy, no_database="copy")


def _report(error: Exception) -> int:
    print(f"vig-tui: {error}", file=sys.stderr)
    return EXIT_DATABASE


def cmd_server_init(args: argparse.Namespace) -> int:
    try:
        from .store.postgres import latest_version, location, migrate
    except ImportError:
        return _report(Exception(_NEEDS_EXTRA))
    from .store.errors import StoreError

    try:
        applied = migrate(args.url)
    except StoreError as error:
        return _report(error)
    where = location(args.url)
    if applied:
        names = ", ".join(f"{m.version} ({m.name.replace('_', ' ')})" for m in applied)
        print(f"The register at {where} is at version {latest_version()}: applied {names}.")
    else:
        print(f"The register at {where} is already at version {latest_version()}.")
    return EXIT_OK


def cmd_server_add_user(args: argparse.Namespace) -> int:
    try:
        from .store.postgres import add_user, location
    except ImportError:
        return _report(Exception(_NEEDS_EXTRA))
    from .store.errors import StoreError

    try:
        password = _password(args)
        created = add_user(args.url, args.login, args.role, args.name, password=password)
    except ValueError as error:
        print(f"vig-tui: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except StoreError as error:
        return _report(error)
    done = "Created the login" if created else "Moved the existing login"
    print(
        f"{done} {args.login} ({args.name.strip()}) to the {args.role} role at "
        f"{location(args.url)}{', with the password given' if password else ''}. They open "
        f"the register with VIG_TUI_DB=postgresql://{args.login}@HOST/DATABASE vig-tui."
    )
    return EXIT_OK


def _password(args: argparse.Namespace) -> str | None:
    """The password asked for (``--password``) or read (``--password-stdin``), if any;
    ValueError saying what is wrong with it."""
    if args.password_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        password = password.removesuffix("\r")
    elif args.password:
        import getpass

        password = getpass.getpass(f"Password for {args.login}: ")
        if getpass.getpass("The same password again: ") != password:
            raise ValueError("the two passwords are not the same; nothing was changed")
    else:
        return None
    if not password:
        raise ValueError("the password is empty; nothing was changed")
    return password


def _target(text: str) -> str | Path:
    is_url = text.lower().startswith(("postgresql://", "postgres://"))
    return text if is_url else Path(text).expanduser()


def cmd_copy(args: argparse.Namespace) -> int:
    from .preferences import load_preferences
    from .profile import actor
    from .store import StoreError, open_repository
    from .store.copy import copy_register

    source_target, target_target = _target(args.source), _target(args.target)
    if source_target == target_target:
        print("vig-tui: --from and --to are the same register", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        with (
            open_repository(source_target, read_only=True) as source,
            open_repository(target_target) as target,
        ):
            report = copy_register(source, target, who=actor(load_preferences()))
            where = target.location
    except StoreError as error:
        return _report(error)
    except ImportError:
        return _report(Exception(_NEEDS_EXTRA))
    print(
        f"Copied {plural(report.requests, 'request')}, "
        f"{plural(report.practitioners, 'practitioner')}, "
        f"{plural(report.meeting_moves, 'moved meeting')} and "
        f"{plural(report.meeting_records, 'meeting record')} to {where}."
    )
    return EXIT_OK
