"""The `vig-tui` command: the app, and the headless commands around it.

Every subcommand takes ``--db`` (default: ``$VIG_TUI_DB`` or the user's data
folder). Commands that only read open the database read-only, so they work
while the app has it open.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .domain.dates import DateError, parse_date
from .domain.vocabulary import RequestStatus
from .domain.wording import plural

if TYPE_CHECKING:
    from .domain.models import VigRequest
    from .store import Store

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_DATABASE = 3


class CommandError(Exception):
    """A problem to report on stderr, with the exit code to leave with."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.code = code


def _date_argument(text: str) -> date:
    try:
        return parse_date(text, label="Date")
    except DateError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="the database file (default: $VIG_TUI_DB, or vig-tui.json in your data folder)",
    )
    parser = argparse.ArgumentParser(
        prog="vig-tui",
        description="Make, check and allocate Video Interaction Guidance (VIG) requests.",
        parents=[db],
    )
    parser.add_argument("--version", action="version", version=f"vig-tui {__version__}")
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="open the database without changing it (for example while another copy has it)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    meetings = commands.add_parser(
        "meetings", parents=[db], help="list the coming allocation meetings"
    )
    meetings.add_argument(
        "--from", dest="start", type=_date_argument, metavar="DATE", help="default: today"
    )
    meetings.add_argument("--count", type=_positive, default=6, metavar="N", help="default: 6")
    meetings.set_defaults(handler=cmd_meetings)

    move = commands.add_parser(
        "move-meeting",
        parents=[db],
        help="hold one month's allocation meeting on another day",
        description="Moves one meeting (for example off a bank holiday); requests due at it "
        "move with it, and the move is used from then on.",
    )
    move.add_argument("scheduled", type=_date_argument, metavar="FIRST_THURSDAY")
    move.add_argument("moved_to", type=_date_argument, metavar="NEW_DATE")
    move.add_argument("--reason", default="", help="why it moved (kept in each request's history)")
    move.set_defaults(handler=cmd_move_meeting)

    settings = commands.add_parser(
        "settings", parents=[db], help="show or change the service's settings"
    )
    settings.add_argument(
        "--cutoff-days",
        type=int,
        metavar="N",
        help="a request must be sent at least N days before a meeting to go to it (default 1)",
    )
    settings.set_defaults(handler=cmd_settings)

    schema = commands.add_parser("schema", parents=[db], help="print the JSON Schema of a request")
    schema.set_defaults(handler=cmd_schema)

    importer = commands.add_parser(
        "import", parents=[db], help="add requests from a JSON file (all or nothing)"
    )
    importer.add_argument("file", type=Path, metavar="FILE")
    importer.set_defaults(handler=cmd_import)

    check = commands.add_parser(
        "check", parents=[db], help="run the service's rules on the requests in a JSON file"
    )
    check.add_argument("file", type=Path, metavar="FILE")
    check.add_argument(
        "--on", type=_date_argument, metavar="DATE", help="judge on this date (default: today)"
    )
    check.add_argument("--json", action="store_true", help="print the findings as JSON")
    check.set_defaults(handler=cmd_check)

    lister = commands.add_parser("list", parents=[db], help="list the requests")
    lister.add_argument("--status", choices=[s.value for s in RequestStatus])
    lister.add_argument("--json", action="store_true", help="print a JSON array")
    lister.set_defaults(handler=cmd_list)

    demo = commands.add_parser(
        "demo",
        parents=[db],
        help="fill a database with fictional requests and open the app on it",
        description="Fills a fresh temporary database (or the one --db names) with "
        "clearly fictional requests, then opens the app on it.",
    )
    demo.add_argument("--requests", type=_positive, default=120, metavar="N", help="default: 120")
    demo.add_argument(
        "--no-app", action="store_true", help="only fill the database; print its path"
    )
    demo.add_argument("--seed", type=int, default=2026, help=argparse.SUPPRESS)
    demo.set_defaults(handler=cmd_demo)

    export = commands.add_parser(
        "export", parents=[db], help="write the meeting pack for an allocation meeting"
    )
    export.add_argument("--meeting", type=_date_argument, required=True, metavar="DATE")
    export.add_argument(
        "--format", dest="fmt", choices=["md", "html", "csv", "json"], required=True
    )
    export.add_argument("-o", "--output", type=Path, metavar="PATH", help="file or folder")
    export.add_argument(
        "--redact", action="store_true", help="initials only; no addresses, phones or emails"
    )
    export.add_argument("--force", action="store_true", help="overwrite an existing file")
    export.set_defaults(handler=cmd_export)

    shots = commands.add_parser(
        "screenshots", parents=[db], help="regenerate the SVG gallery of every screen"
    )
    shots.add_argument("--out", type=Path, default=Path("screens"), metavar="DIR")
    shots.set_defaults(handler=cmd_screenshots)

    from .server_cli import add_server_commands

    add_server_commands(commands)
    commands.add_parser(
        "benchmark",
        add_help=False,
        help="time the app and its store on fictional databases (see `vig-tui benchmark --help`)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["benchmark"]:
        from .tools.bench import main as benchmark

        return benchmark(arguments[1:], prog="vig-tui benchmark")
    parser = build_parser()
    args = parser.parse_args(arguments)
    handler: Callable[[argparse.Namespace], int] = getattr(args, "handler", cmd_app)
    try:
        return handler(args)
    except CommandError as error:
        print(f"vig-tui: {error}", file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (for example `vig-tui list | head`): not an error.
        sys.stderr.close()
        return EXIT_OK


def _db_path(args: argparse.Namespace) -> Path:
    from .store import default_db_path

    return args.db.expanduser() if args.db else default_db_path()


def _open_store(args: argparse.Namespace, *, read_only: bool = False) -> Store:
    """Open the store, turning its errors into messages (never touching a bad file)."""
    from .store import DatabaseLockedError, Store, StoreError

    path = _db_path(args)
    try:
        return Store.open(path, read_only=read_only)
    except DatabaseLockedError as error:
        raise CommandError(str(error), EXIT_DATABASE) from None
    except StoreError as error:
        raise CommandError(str(error), EXIT_DATABASE) from None


def cmd_app(args: argparse.Namespace) -> int:
    """Open the app at once; it opens the database in the background and
    explains, on screen, a file that is in use or damaged."""
    from .app import VigApp

    # The default path is worked out by the app's opening worker: finding it
    # here would import the store (pydantic, TinyDB) before the first frame.
    db_path = args.db.expanduser() if args.db else None
    app = VigApp(db_path=db_path, read_only=bool(args.read_only))
    try:
        app.run()
    finally:
        store = app.opened_store
        if store is not None:
            store.close()
    return app.return_code or EXIT_OK


def cmd_meetings(args: argparse.Namespace) -> int:
    start = args.start or date.today()
    with _open_store(args, read_only=True) as store:
        calendar = store.calendar()
    for meeting in calendar.upcoming(start, args.count):
        notes = []
        if meeting.moved:
            notes.append(f"moved from {meeting.scheduled.isoformat()}")
        if meeting.bank_holiday:
            proposed = meeting.proposed.isoformat() if meeting.proposed else "another day"
            notes.append(f"bank holiday ({meeting.bank_holiday}): proposed {proposed}")
        suffix = f"  [{'; '.join(notes)}]" if notes else ""
        print(f"{meeting.date.isoformat()}  {meeting.date:%A %-d %B %Y}{suffix}")
    return EXIT_OK


def cmd_move_meeting(args: argparse.Namespace) -> int:
    with _open_store(args) as store:
        try:
            store.move_meeting(args.scheduled, args.moved_to, args.reason)
        except ValueError as error:
            raise CommandError(str(error)) from None
        moved = store.calendar().meeting_in(args.scheduled.year, args.scheduled.month)
    print(
        f"The meeting scheduled for {args.scheduled.isoformat()} is now held on "
        f"{moved.date.isoformat()}."
    )
    return EXIT_OK


def cmd_settings(args: argparse.Namespace) -> int:
    with _open_store(args, read_only=args.cutoff_days is None) as store:
        if args.cutoff_days is not None:
            from pydantic import ValidationError

            try:
                store.cutoff_days = args.cutoff_days
            except ValidationError:
                raise CommandError("--cutoff-days must be a whole number from 0 to 60") from None
        print(f"cutoff-days: {store.cutoff_days}")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from .domain.models import VigRequest

    print(json.dumps(VigRequest.model_json_schema(), indent=2))
    return EXIT_OK


def read_request_file(
    path: Path, *, error_code: int = EXIT_BAD_INPUT, allow_redacted: bool = False
) -> list[VigRequest]:
    """Requests from a JSON file in the import form; every problem in one error.

    A redacted meeting pack is refused unless ``allow_redacted`` (``check`` reads
    one, and says what it is)."""
    try:
        return _read_request_file(path, allow_redacted=allow_redacted)
    except CommandError as error:
        raise CommandError(str(error), error_code) from None


def _read_request_file(path: Path, *, allow_redacted: bool = False) -> list[VigRequest]:
    from pydantic import ValidationError

    from .domain.models import VigRequest

    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{path}: cannot be read ({error})") from None
    except json.JSONDecodeError as error:
        raise CommandError(
            f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    if isinstance(raw, dict) and raw.get("redacted") is True:
        if not allow_redacted:
            raise CommandError(
                f"{path}: this is a redacted meeting pack. Its names, dates of birth and "
                "contact details were removed, so it cannot be imported: import the full pack."
            )
        print(
            f"{path} is a redacted meeting pack: names, dates of birth and contact details were "
            "removed, so findings about them say nothing about the real requests.",
            file=sys.stderr,
        )
        records = raw.get("requests")
        raw = [r.get("request") if isinstance(r, dict) else r for r in records or ()]
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        raise CommandError(f"{path}: expected a JSON list of requests")
    problems: list[str] = []
    requests: list[VigRequest] = []
    for position, record in enumerate(raw, start=1):
        try:
            requests.append(VigRequest.model_validate(record))
        except ValidationError as error:
            for issue in error.errors():
                field = ".".join(str(part) for part in issue["loc"]) or "(the record)"
                problems.append(f"record {position}: {field}: {issue['msg']}")
    if problems:
        listing = "\n  ".join(problems)
        raise CommandError(
            f"{path}: {plural(len(problems), 'problem')}, nothing was imported:\n  {listing}"
        )
    return requests


def cmd_import(args: argparse.Namespace) -> int:
    requests = read_request_file(args.file, error_code=EXIT_FINDINGS)
    with _open_store(args) as store:
        report = store.import_requests(requests)
    if report.conflicts:
        listing = "\n  ".join(report.conflicts)
        raise CommandError(
            f"{args.file}: {plural(len(report.conflicts), 'conflict')}, nothing was imported:"
            f"\n  {listing}",
            EXIT_FINDINGS,
        )
    print(
        f"Imported {report.added} new and {report.updated} updated "
        f"{'request' if report.added + report.updated == 1 else 'requests'} into {store.path}"
    )
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from .domain.rules import evaluate

    requests = read_request_file(args.file, allow_redacted=True)
    on = args.on or date.today()
    results = []
    any_blocking = False
    for position, request in enumerate(requests, start=1):
        findings = evaluate(request, on)
        any_blocking = any_blocking or any(f.blocking for f in findings)
        results.append((position, request, findings))
    if args.json:
        payload = [
            {
                "position": position,
                "id": str(request.id),
                "reference": request.reference,
                "blocking": any(f.blocking for f in findings),
                "findings": [
                    {
                        "code": f.code,
                        "severity": f.severity.value,
                        "section": f.section.value,
                        "field": f.field,
                        "message": f.message,
                    }
                    for f in findings
                ],
            }
            for position, request, findings in results
        ]
        print(json.dumps(payload, indent=2))
    else:
        for position, request, findings in results:
            label = request.reference or f"draft {str(request.id)[:8]}"
            name = request.child.name or "child not named"
            verdict = "cannot be sent" if any(f.blocking for f in findings) else "ready to send"
            print(f"Request {position} ({label}, {name}): {verdict}")
            for finding in findings:
                print(f"  {finding.severity.value.upper():9} {finding.message}")
    return EXIT_FINDINGS if any_blocking else EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    status = RequestStatus(args.status) if args.status else None
    with _open_store(args, read_only=True) as store:
        requests = store.requests(status=status)
    requests.sort(key=lambda r: (r.reference or "~", r.created_at))
    if args.json:
        print(json.dumps([_list_row(r) for r in requests], indent=2))
        return EXIT_OK
    if not requests:
        print("No requests.")
        return EXIT_OK
    for request in requests:
        meeting = request.meeting.isoformat() if request.meeting else "-"
        print(
            f"{request.reference or 'draft':14} {request.status.value:13} {meeting:10}  "
            f"{request.child.name or '(child not named)'}"
        )
    return EXIT_OK


def _list_row(request: VigRequest) -> dict[str, object]:
    return {
        "id": str(request.id),
        "reference": request.reference,
        "status": request.status.value,
        "meeting": request.meeting.isoformat() if request.meeting else None,
        "child_name": request.child.name,
        "child_date_of_birth": (
            request.child.date_of_birth.isoformat() if request.child.date_of_birth else None
        ),
        "referrer_role": request.referrer.role.value if request.referrer.role else None,
        "submitted_on": request.submitted_on.isoformat() if request.submitted_on else None,
        "updated_at": request.updated_at.isoformat(),
    }


def cmd_demo(args: argparse.Namespace) -> int:
    from .tools.demo import fill_database

    if args.db:
        path = args.db.expanduser()
    else:
        folder = Path(tempfile.mkdtemp(prefix="vig-tui-demo-"))
        path = folder / "vig-tui-demo.json"
    with _open_store(argparse.Namespace(db=path)) as store:
        if store.count():
            raise CommandError(
                f"{path} already holds {plural(store.count(), 'request')}; demo data goes "
                "only into an empty database",
            )
        fill_database(store, args.requests, today=date.today(), seed=args.seed)
    print(path)
    if args.no_app:
        return EXIT_OK
    return cmd_app(argparse.Namespace(db=path, read_only=False))


def cmd_export(args: argparse.Namespace) -> int:
    from .export import ExportError, build_pack, write_pack

    with _open_store(args, read_only=True) as store:
        calendar = store.calendar()
        meeting = next(
            (m for m in calendar.upcoming(args.meeting, 1) if m.date == args.meeting), None
        )
        if meeting is None:
            raise CommandError(
                f"{args.meeting.isoformat()} is not an allocation meeting date; "
                "see `vig-tui meetings` for the dates"
            )
        requests = store.agenda(meeting)
    pack = build_pack(requests, meeting, date.today(), redact=args.redact)
    output: Path | None = args.output
    directory = Path.cwd()
    if output is not None and output.is_dir():
        directory, output = output, None
    try:
        written = write_pack(pack, args.fmt, output, directory, force=args.force)
    except ExportError as error:
        raise CommandError(str(error), EXIT_FINDINGS) from None
    print(
        f"Wrote the {args.fmt} meeting pack for {meeting.date.isoformat()} "
        f"({plural(len(requests), 'request')}) to {written}"
    )
    return EXIT_OK


def cmd_screenshots(args: argparse.Namespace) -> int:
    import asyncio

    from .tools.gallery import generate_gallery

    written = asyncio.run(generate_gallery(args.out))
    for path in written:
        print(path)
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
