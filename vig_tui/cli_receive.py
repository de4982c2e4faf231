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
from dataclasses import dataclass
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
    from .exchange.payloads import DecisionNotice, RequestFile
    from .service.receiving import JsonPack, Received

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
    """The keys that may open a file here: the register's service key (beside a database
    file; for a register on a server, the private key this computer holds for the public
    key the server keeps) and this computer's own key, whichever exist. None is made."""
    from .exchange.keys import load_service_identity, own_identity, service_key_path
    from .exchange.sealing import ExchangeError

    found = []
    target = _db_path(args)
    try:
        if isinstance(target, Path):
            if service_key_path(target).exists():
                found.append(load_service_identity(target, _passphrase(args)))
        else:
            found.extend(_server_identity(args))
    except ExchangeError as error:
        raise CommandError(str(error), EXIT_FINDINGS) from None
    folder = _settings_folder()
    if (folder / "own-key").exists():
        try:
            found.append(own_identity(folder))
        except ExchangeError as error:
            raise CommandError(str(error), EXIT_FINDINGS) from None
    return found


def _server_identity(args: argparse.Namespace) -> list[x25519.Identity]:
    """The private key of the register on a server, held on this computer (the
    coordinator's only)."""
    from .exchange.keys import load_register_identity
    from .store import SharedRegister

    with _open_store(args, read_only=True) as store:
        if not isinstance(store, SharedRegister):
            return []
        if not store.is_coordinator():
            raise CommandError(
                f"Only the service's coordinator receives files into the register at "
                f"{store.location}: this login is a referrer's. Decisions on your requests "
                "show in the app as soon as they are recorded. Nothing was received.",
                EXIT_FINDINGS,
            )
        public_key = store.service_public_key()
        if public_key is None:
            raise CommandError(
                f"The register at {store.location} is not the service's register yet, so no "
                "request file is sealed to it: the coordinator makes it so once with "
                "`vig-tui service-key create -o FILE --db URL` and hands FILE to referrers. "
                "Nothing was received.",
                EXIT_FINDINGS,
            )
    return [load_register_identity(public_key, _passphrase(args))]


@dataclass
class _Opened:
    path: Path
    document: RequestFile | DecisionNotice | JsonPack


def _open_files(args: argparse.Namespace) -> tuple[list[_Opened], list[str]]:
    from .exchange.sealing import MAX_SEALED_BYTES, ExchangeError
    from .service.receiving import is_json, open_json_pack, open_sealed

    # Keys are loaded (a passphrase asked for) only when a sealed file needs them.
    keys: list[x25519.Identity] | None = None
    opened: list[_Opened] = []
    refused: list[str] = []
    for path in args.files:
        name = str(path)
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_SEALED_BYTES + 1)
        except OSError as error:
            refused.append(f"{name}: {error.strerror or error}; nothing from it was used.")
            continue
        try:
            if is_json(data):
                opened.append(_Opened(path, open_json_pack(data, name=name)))
                continue
            if keys is None:
                keys = identities(args)
            opened.append(_Opened(path, open_sealed(data, keys, name=name)))
        except ExchangeError as error:
            refused.append(str(error))
    return opened, refused


def cmd_receive(args: argparse.Namespace) -> int:
    from .exchange.payloads import RequestFile
    from .exchange.sealing import ExchangeError
    from .service.receiving import JsonPack, receive_pack, receive_requests, take_notice
    from .store import StoreError, VersionConflict

    _refuse_read_only(args)
    opened, refused = _open_files(args)
    for message in refused:
        print(f"vig-tui: {message}", file=sys.stderr)
    conflicts = 0
    if opened:
        who = _actor()
        with _open_store(args) as store:
            for item in opened:
                name = str(item.path)
                try:
                    if isinstance(item.document, RequestFile):
                        result = receive_requests(store, who, item.document, on=date.today())
                    elif isinstance(item.document, JsonPack):
                        result = receive_pack(store, who, item.document, on=date.today())
                    else:
                        result = take_notice(store, who, item.document)
                except (ExchangeError, VersionConflict, StoreError) as error:
                    print(f"vig-tui: {name}: {error} Nothing from it was written.", file=sys.stderr)
                    refused.append(name)
                    continue
                conflicts += len(result.conflicts)
                for line in describe(name, result):
                    print(line)
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


def _named(request: VigRequest) -> str:
    local = request.local_number
    theirs = f" (their number {local})" if local else ""
    return f"{request.reference or 'a draft'}{theirs}"


def describe(name: str, result: Received) -> list[str]:
    """What taking one file did, in lines a person reads."""
    lines = []
    if result.new:
        new = ", ".join(_named(r) for r in result.new)
        lines.append(f"{name}: {plural(len(result.new), 'new request')}: {new}")
    if result.merged:
        merged = ", ".join(_named(r) for r in result.merged)
        lines.append(f"{name}: {plural(len(result.merged), 'request')} updated: {merged}")
    if result.decided:
        decided = ", ".join(r.reference or "a request" for r in result.decided)
        lines.append(f"{name}: Decision received on {decided}")
    if result.not_here:
        lines.append(f"{name}: not on this computer (nothing done): {', '.join(result.not_here)}")
    if not result.changed:
        lines.append(f"{name}: already received; nothing changed.")
    return lines


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
