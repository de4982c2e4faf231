"""`vig-tui receive`, `vig-tui inbox` and `vig-tui notices`: the service's side of
sending by file (issue #11 §3, §4), and a referrer's side of decisions sent back.

Every file is opened and checked whole before the database is opened, so a file
refused (cut short, altered, sealed for another key, the wrong shape) writes
nothing; each good file is taken in one write.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cli import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_OK,
    CommandError,
    _actor,
    _date_argument,
    _db_path,
    _open_store,
    _refuse_read_only,
)
from .domain.wording import plural

if TYPE_CHECKING:
    from pyrage import x25519

    from .domain.models import VigRequest, WaitingConflict

#: Received, and answers changed on both sides wait in the Inbox.
EXIT_CONFLICTS = 2
#: The environment variable that may hold the service key's passphrase.
PASSPHRASE_ENV = "VIG_TUI_KEY_PASSPHRASE"


def add_receive_commands(commands: Any, db: argparse.ArgumentParser) -> None:
    """Add ``receive``, ``inbox`` and ``notices``."""
    receive = commands.add_parser(
        "receive",
        parents=[db],
        help="take sealed request files or JSON packs (the service), or decision notices "
        "(a referrer)",
        description="The service's register takes request files sealed to its key, and "
        "the JSON that `export --format json` (a meeting pack) or `export --request REF "
        "--format json` writes (not a redacted one): new requests get the service's "
        "reference; copies of requests it holds are merged answer by answer, and answers "
        "changed on both sides wait in the Inbox. A "
        "referrer's machine takes the decision notices sealed to its own key. Exit codes: "
        "0 received, 1 a file refused (nothing from it written), 2 received with "
        "conflicts waiting (`vig-tui inbox`).",
    )
    receive.add_argument("files", type=Path, nargs="+", metavar="FILE")
    receive.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help=f"read the service key's passphrase from stdin (or set {PASSPHRASE_ENV})",
    )
    receive.set_defaults(handler=cmd_receive)

    inbox = commands.add_parser(
        "inbox", parents=[db], help="list the answers both sides changed, waiting for a choice"
    )
    inbox.add_argument("--json", action="store_true", help="print a JSON array")
    inbox.set_defaults(handler=cmd_inbox)

    notices = commands.add_parser(
        "notices",
        parents=[db],
        help="write a meeting's decisions back to each referrer (sealed, with a letter)",
    )
    notices.add_argument(
        "--meeting", type=_date_argument, required=True, metavar="DATE", help="the meeting held"
    )
    notices.add_argument(
        "-o", "--output", type=Path, required=True, metavar="DIR", help="the folder to write to"
    )
    notices.set_defaults(handler=cmd_notices)


def _settings_folder() -> Path:
    from .preferences import preferences_path

    return preferences_path().parent


def _passphrase(args: argparse.Namespace) -> str | None:
    if not args.passphrase_stdin:
        return os.environ.get(PASSPHRASE_ENV) or None
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise CommandError("--passphrase-stdin was given, but the first line of stdin is empty")
    return line


def identities(args: argparse.Namespace) -> list[x25519.Identity]:
    """The keys that may open a file here (:func:`~vig_tui.service.taking_files.keys_here`):
    a database file is not opened for them; a register on a server is, read-only."""
    from .exchange.sealing import ExchangeError
    from .service.taking_files import keys_here

    target = _db_path(args)
    try:
        if isinstance(target, Path):
            return keys_here(target, _settings_folder(), _passphrase(args))
        with _open_store(args, read_only=True) as store:
            return keys_here(store, _settings_folder(), _passphrase(args))
    except ExchangeError as error:
        raise CommandError(str(error), EXIT_FINDINGS) from None


def cmd_receive(args: argparse.Namespace) -> int:
    from .service.taking_files import open_files, take_files

    _refuse_read_only(args)
    opened, refused = open_files(args.files, lambda: identities(args))
    for message in refused:
        print(f"vig-tui: {message}", file=sys.stderr)
    conflicts = 0
    if opened:
        with _open_store(args) as store:
            taken = take_files(store, _actor(), opened, on=date.today())
        for line in taken.lines:
            print(line)
        for message in taken.refused:
            print(f"vig-tui: {message}", file=sys.stderr)
        refused += taken.refused
        conflicts = taken.conflicts
    if refused:
        return EXIT_FINDINGS
    if conflicts:
        print(
            f"{plural(conflicts, 'answer')} changed on both sides "
            f"{'waits' if conflicts == 1 else 'wait'} for your choice: `vig-tui inbox` lists "
            "them; settle them in the app's Inbox (i on Home)."
        )
        return EXIT_CONFLICTS
    return EXIT_OK


def _conflict_json(request: VigRequest, conflict: WaitingConflict) -> dict[str, Any]:
    return {
        "request_id": str(request.id),
        "reference": request.reference,
        "local_number": request.local_number,
        "path": conflict.path,
        "label": conflict.label,
        "base": conflict.base,
        "ours": conflict.ours,
        "ours_by": conflict.ours_by,
        "ours_at": conflict.ours_at.isoformat() if conflict.ours_at else None,
        "theirs": conflict.theirs,
        "theirs_by": conflict.theirs_by,
        "theirs_at": conflict.theirs_at.isoformat() if conflict.theirs_at else None,
        "received_at": conflict.received_at.isoformat(),
    }


def cmd_inbox(args: argparse.Namespace) -> int:
    from .domain.receiving import describe_side
    from .service.receiving import waiting_conflicts

    with _open_store(args, read_only=True) as store:
        waiting = waiting_conflicts(store)
    if args.json:
        print(json.dumps([_conflict_json(r, c) for r, c in waiting], indent=2))
        return EXIT_OK
    if not waiting:
        print("Nothing waits in the Inbox.")
        return EXIT_OK
    print(f"{plural(len(waiting), 'answer')} changed on both sides, waiting for your choice:")
    for request, conflict in waiting:
        sender = request.received.sender_name if request.received else "the sender"
        print(f"{request.reference}  {conflict.label}")
        ours, theirs = (describe_side(conflict.path, v) for v in (conflict.ours, conflict.theirs))
        print(f"    the service's: {ours}  ({conflict.ours_by or '?'})")
        print(f"    {sender}'s: {theirs}  ({conflict.theirs_by or '?'})")
    return EXIT_OK


def cmd_notices(args: argparse.Namespace) -> int:
    from .service.notices import meeting_notices, write_notices

    with _open_store(args, read_only=True) as store:
        notices = meeting_notices(store, args.meeting, sent_at=datetime.now(UTC))
    for request in notices.not_by_file:
        print(
            f"{request.reference}: not received by file, so there is no key to send its "
            "decision to: tell the referrer another way."
        )
    if not notices.notices:
        raise CommandError(
            f"No decisions of the meeting on {args.meeting.isoformat()} on requests "
            "received by file: nothing was written.",
            EXIT_FINDINGS if notices.not_by_file else EXIT_BAD_INPUT,
        )
    try:
        written = write_notices(notices, args.output)
    except OSError as error:
        raise CommandError(
            f"{error.filename or args.output}: {error.strerror or error}. "
            "The notices were not all written; run the command again.",
            EXIT_FINDINGS,
        ) from None
    for notice, sealed, letter in written:
        count = plural(len(notice.document.decisions), "decision")
        to = f" <{notice.sender_email}>" if notice.sender_email else ""
        print(f"{notice.sender_name}{to}: {count}: {sealed} and the letter {letter}")
    print("Attach each pair to a secure email to the referrer named.")
    return EXIT_OK


def import_merging(
    args: argparse.Namespace, requests: list[VigRequest], problems: list[str]
) -> int:
    """``vig-tui import --merge``: all or nothing as without it (a file with any problem
    writes nothing); each request held here is merged answer by answer, as `receive`
    merges, and answers changed on both sides wait in the Inbox."""
    from .cli import _problem_list
    from .service.receiving import merge_requests
    from .service.taking_files import describe
    from .store import VersionConflict

    if problems:
        raise CommandError(
            _problem_list(args.file, problems, "nothing was imported"), EXIT_FINDINGS
        )
    seen: set[object] = set()
    for request in requests:
        if request.id in seen:
            raise CommandError(
                _problem_list(
                    args.file,
                    [f"{request.reference or request.id}: appears more than once in the import."],
                    "nothing was imported",
                ),
                EXIT_FINDINGS,
            )
        seen.add(request.id)
    with _open_store(args) as store:
        try:
            result = merge_requests(store, _actor(), requests, on=date.today())
        except VersionConflict as error:
            raise CommandError(
                f"{args.file}: {error} Nothing was imported.", EXIT_FINDINGS
            ) from None
    for line in describe(str(args.file), result):
        print(line)
    if result.conflicts:
        print(
            f"{plural(len(result.conflicts), 'answer')} changed on both sides "
            "wait for your choice: `vig-tui inbox` lists them."
        )
        return EXIT_CONFLICTS
    return EXIT_OK
