"""`vig-tui server ...`: setting up a shared register on a PostgreSQL server.

Kept apart from :mod:`vig_tui.cli` so that psycopg is imported only when one
of these commands runs (the optional extra ``vig-tui[postgres]``).
"""

from __future__ import annotations

import argparse
from typing import Any

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


def add_server_commands(commands: Any) -> None:
    """Add ``server init`` and ``server add-user`` to the top-level subcommands."""
    server = commands.add_parser(
        "server",
        help="set up a shared register on a PostgreSQL server",
        description="Create or upgrade the register's tables on a PostgreSQL server, and add "
        "the people who use it. Run these as the database's owner.",
    )
    actions = server.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init",
        help="create or upgrade the register (safe to run again)",
        description="Applies the register's migrations that the database does not have yet, "
        "and creates the two roles vig_coordinator and vig_referrer.",
    )
    init.add_argument("url", type=_url, metavar="URL")
    init.set_defaults(handler=cmd_server_init)
    add_user = actions.add_parser(
        "add-user",
        help="create a login for a coordinator or a referrer",
        description="Creates a PostgreSQL login in the coordinator's or the referrers' role "
        "(or moves an existing login to that role). Referrers see only their own requests.",
    )
    add_user.add_argument("login", metavar="LOGIN")
    add_user.add_argument("--role", choices=["coordinator", "referrer"], required=True)
    add_user.add_argument("--name", required=True, help='the person\'s full name, "Sam Patel"')
    add_user.add_argument("url", type=_url, metavar="URL")
    add_user.set_defaults(handler=cmd_server_add_user)


def _report(error: Exception) -> int:
    import sys

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
        created = add_user(args.url, args.login, args.role, args.name)
    except ValueError as error:
        import sys

        print(f"vig-tui: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except StoreError as error:
        return _report(error)
    done = "Created the login" if created else "Moved the existing login"
    print(
        f"{done} {args.login} ({args.name.strip()}) to the {args.role} role at "
        f"{location(args.url)}. They open the register with "
        f"VIG_TUI_DB=postgresql://{args.login}@HOST/DATABASE vig-tui."
    )
    return EXIT_OK
