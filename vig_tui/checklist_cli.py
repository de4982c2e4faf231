"""``vig-tui checklist show|check|install``: the service's checklist as a file it edits."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .cli import EXIT_FINDINGS, EXIT_OK, CommandError, _actor, _db_path, _missing, _open_store


def add_checklist_commands(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``checklist show``, ``checklist check`` and ``checklist install``."""
    checklist = commands.add_parser(
        "checklist",
        parents=parents,
        help="show, check or install the service's checklist (a TOML file)",
        description="The checklist is what a request must show (the six criteria and four "
        "considerations, with their wording), who may ask (the health visitors' age limit), "
        "when the allocation meeting is held, the service's contact details and how long "
        "records are kept. Start from `vig-tui checklist show > ours.toml`.",
    )
    actions = checklist.add_subparsers(dest="checklist_command", metavar="ACTION", required=True)
    show = actions.add_parser("show", parents=parents, help="print the checklist in use, as TOML")
    show.add_argument(
        "--version",
        dest="checklist_version",
        metavar="VERSION",
        help="an installed version instead of the one in use",
    )
    show.set_defaults(handler=cmd_checklist_show)
    check = actions.add_parser(
        "check", parents=parents, help="check a checklist file: every problem, by line and key"
    )
    check.add_argument("file", type=Path, metavar="FILE")
    check.set_defaults(handler=cmd_checklist_check)
    install = actions.add_parser(
        "install",
        parents=parents,
        help="put a checklist file in use for new requests (checked first)",
    )
    install.add_argument("file", type=Path, metavar="FILE")
    install.set_defaults(handler=cmd_checklist_install)


def _read(path: Path) -> Any:
    from .domain.checklist_file import ChecklistError, checklist_from_toml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{path}: cannot be read ({error})") from None
    try:
        return text, checklist_from_toml(text, source=str(path))
    except ChecklistError as error:
        raise CommandError(str(error), EXIT_FINDINGS) from None


def cmd_checklist_show(args: argparse.Namespace) -> int:
    from .domain.checklist import checklist_for, checklist_in_use
    from .domain.checklist_file import checklist_to_toml

    if not _missing(_db_path(args)):
        with _open_store(args, read_only=True) as store:
            installed = store.installed_checklists()
    else:
        installed = {}
    wanted = args.checklist_version
    if wanted is None:
        print(checklist_to_toml(checklist_in_use()), end="")
        return EXIT_OK
    if wanted not in installed and checklist_for(wanted).version != wanted:
        known = ", ".join(sorted(installed)) or "none"
        raise CommandError(f"No checklist version {wanted} is installed (installed: {known}).")
    print(installed.get(wanted) or checklist_to_toml(checklist_for(wanted)), end="")
    return EXIT_OK


def cmd_checklist_check(args: argparse.Namespace) -> int:
    from .domain.checklist_file import WEEKDAYS

    _text, checklist = _read(args.file)
    limit = checklist.health_visitor_max_age_years
    week = ("first", "second", "third", "fourth")[checklist.meeting_week_of_month - 1]
    print(
        f"{args.file}: a checklist the app can use, version {checklist.version}: health "
        f"visitors may ask for children aged {limit} and under; meetings on the {week} "
        f"{WEEKDAYS[checklist.meeting_weekday]} of the month."
    )
    return EXIT_OK


def cmd_checklist_install(args: argparse.Namespace) -> int:
    """Install through the service command: the ledger records the version and who."""
    from .service import install_checklist
    from .store import StoreError

    text, checklist = _read(args.file)
    with _open_store(args) as store:
        try:
            install_checklist(store, _actor(), checklist.version, text)
        except StoreError as error:
            raise CommandError(str(error), EXIT_FINDINGS) from None
        where = store.location
    print(
        f"Checklist version {checklist.version} is in use in {where}: new requests are made "
        "under it; requests made before keep the version they were made under."
    )
    return EXIT_OK
