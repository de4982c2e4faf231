"""The `vig-tui` command: the app, and the headless commands around it.

The common options (``--db``, ``--read-only``, ``--wait``) mean the same
before or after the subcommand. Commands that only read open the database
read-only, so they work while the app has it open, and refuse a database that
does not exist rather than make one. No bad input or bad environment (a
damaged file, a full disk, a folder that cannot be written) ends in a
traceback: each is one line naming the file and the problem, and an exit code.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .cli_parser import VigArgumentParser
from .domain.dates import DateError, parse_date
from .domain.vocabulary import RequestStatus
from .domain.wording import plural

if TYPE_CHECKING:
    from .domain.history import Actor
    from .domain.meetings import Meeting
    from .domain.models import MeetingRecord, VigRequest
    from .domain.summary import RequestSummary
    from .store import ImportReport, Repository

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


def _db_argument(text: str) -> str | Path:
    """A database file's path, or a shared register's postgresql:// URL as written."""
    if text.lower().startswith(("postgresql://", "postgres://")):
        return text
    return Path(text).expanduser()


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a number of seconds") from None
    if not 0 <= value <= 3600:
        raise argparse.ArgumentTypeError("must be from 0 to 3600 seconds")
    return value


#: The options every command takes, before or after its name, and their values
#: when not given. Their parsers' defaults are SUPPRESS: a subcommand's parser
#: would otherwise write its default over what was given before the subcommand.
COMMON_DEFAULTS: dict[str, object] = {"db": None, "read_only": False, "wait": 0.0}

#: Commands that use no database of their own (by their words), and what they are given
#: instead: the common options are refused there, before the command's name or after it
#: alike. Each one's parser takes the common options and ``set_defaults(no_database=WORDS)``.
NO_DATABASE = {
    "profile": "your profile is kept in your settings, not in a database",
    "server init": "give the server's postgresql:// URL",
    "server add-user": "give the server's postgresql:// URL",
    "copy": "give the registers with --from and --to",
    "service-key install": "the service's key is kept in your settings",
    "service-key remove": "the service's key is kept in your settings",
    "benchmark": "it makes its own fictional databases",
}


def _common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        type=_db_argument,
        metavar="PATH|URL",
        default=argparse.SUPPRESS,
        help="the database file, or a shared register's postgresql:// URL "
        "(default: $VIG_TUI_DB, or vig-tui.json in your data folder)",
    )
    common.add_argument(
        "--read-only",
        action="store_true",
        default=argparse.SUPPRESS,
        help="never change the database (commands that would change it refuse)",
    )
    common.add_argument(
        "--wait",
        type=_seconds,
        metavar="SECONDS",
        default=argparse.SUPPRESS,
        help="if another copy is changing the database, wait up to this long for it "
        "(default: give up at once)",
    )
    return common


def parse_arguments(arguments: Sequence[str]) -> argparse.Namespace:
    """The parsed command line, with the common options filled in wherever they were given
    (refused, wherever they were given, by a command that uses no database)."""
    parser = build_parser()
    args = parser.parse_args(arguments)
    given = [name for name in COMMON_DEFAULTS if hasattr(args, name)]
    words = getattr(args, "no_database", None)
    if given and words is not None:
        parser.error(_no_database(words, given))
    for name, default in COMMON_DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, default)
    return args


def _no_database(command: str, given: Sequence[str]) -> str:
    options = ", ".join("--" + name.replace("_", "-") for name in given)
    return f"{command} uses no database ({NO_DATABASE[command]}): leave out {options}"


def build_parser() -> argparse.ArgumentParser:
    db = _common_options()
    parser: argparse.ArgumentParser = VigArgumentParser(
        prog="vig-tui",
        description="Make, check and allocate Video Interaction Guidance (VIG) requests.",
        parents=[db],
    )
    parser.add_argument("--version", action="version", version=f"vig-tui {__version__}")
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
    importer.add_argument(
        "--merge",
        action="store_true",
        help="merge copies of requests held here answer by answer, as `receive` does "
        "(answers changed on both sides wait in the Inbox)",
    )
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
        "export",
        parents=[db],
        help="write the meeting pack for an allocation meeting, or one request's summary",
    )
    export.add_argument("--meeting", type=_date_argument, metavar="DATE")
    export.add_argument(
        "--request",
        metavar="REFERENCE_OR_ID",
        help="instead of a meeting's pack, one request's summary (a reference, a local "
        "number or an id) to attach to the Early Help Hub's form or a manager's decision",
    )
    export.add_argument(
        "--format", dest="fmt", choices=["md", "html", "csv", "json", "pdf", "docx"], required=True
    )
    export.add_argument("-o", "--output", type=Path, metavar="PATH", help="file or folder")
    export.add_argument(
        "--redact", action="store_true", help="initials only; no addresses, phones or emails"
    )
    export.add_argument("--force", action="store_true", help="overwrite an existing file")
    export.add_argument(
        "--record",
        action="store_true",
        help="after the meeting: write its record (present, apologies, decisions, actions) "
        "instead of the pack (md, html, pdf or docx)",
    )
    export.set_defaults(handler=cmd_export)

    report = commands.add_parser(
        "report",
        parents=[db],
        help="write the service report: requests, decisions, waiting times, consent, work, "
        "caseloads, charts",
        description="Figures for managers over a period: requests received each month, "
        "decisions at each meeting, how long families wait, the waiting list now, the "
        "children's ages, the criteria evidenced, consent given for the requests allocated, "
        "the work with families and practitioners' caseloads.",
    )
    report.add_argument(
        "--from",
        dest="start",
        type=_date_argument,
        metavar="DATE",
        help="start of the period (default: twelve months back, or the first request sent)",
    )
    report.add_argument(
        "--to", dest="end", type=_date_argument, metavar="DATE", help="end (default: today)"
    )
    report.add_argument(
        "--format", dest="fmt", choices=["md", "html", "csv", "pdf", "docx"], required=True
    )
    report.add_argument("-o", "--output", type=Path, metavar="PATH", help="file or folder")
    report.add_argument("--force", action="store_true", help="overwrite an existing file")
    report.set_defaults(handler=cmd_report)

    restore = commands.add_parser(
        "restore",
        parents=[db],
        help="put back an earlier copy of the database (the last 3 are kept beside it)",
        description="Every save keeps the file it replaces: the last 3 are kept beside the "
        "database as NAME.1 (newest) to NAME.3. This checks them and puts the newest good one "
        "(or copy N) back; the file it replaces is kept as NAME.replaced-DATE-TIME.",
    )
    restore.add_argument(
        "--list", action="store_true", help="list the kept copies and whether each is good"
    )
    restore.add_argument(
        "--generation",
        type=_positive,
        metavar="N",
        help="put back copy N (1 is the newest; default: the newest good copy)",
    )
    restore.set_defaults(handler=cmd_restore)

    shots = commands.add_parser(
        "screenshots", parents=[db], help="regenerate the SVG gallery of every screen"
    )
    shots.add_argument("--out", type=Path, default=Path("screens"), metavar="DIR")
    shots.set_defaults(handler=cmd_screenshots)

    from .cli_history import add_commands as add_history_commands

    add_history_commands(commands, db)

    from .cli_lifecycle import add_commands as add_lifecycle_commands

    add_lifecycle_commands(commands, db)

    from .checklist_cli import add_checklist_commands
    from .server_cli import add_server_commands

    add_server_commands(commands, [db])
    add_checklist_commands(commands, [db])

    from .cli_exchange import add_exchange_commands
    from .cli_receive import add_receive_commands

    add_exchange_commands(commands, db)
    add_receive_commands(commands, db)
    commands.add_parser(
        "benchmark",
        add_help=False,
        help="time the app and its store on fictional databases (see `vig-tui benchmark --help`)",
    )
    return parser


def _benchmark_arguments(arguments: list[str]) -> list[str] | None:
    """What follows ``benchmark`` when it is the subcommand (it parses its own options,
    and refuses the common ones there; before its name they are refused here)."""
    position = 0
    while position < len(arguments):
        word = arguments[position]
        if word == "benchmark":
            common = {"--" + name.replace("_", "-") for name in COMMON_DEFAULTS}
            named = (w.split("=")[0] for w in arguments)
            given = [w[2:].replace("-", "_") for w in named if w in common]
            if given:
                print(f"vig-tui: error: {_no_database('benchmark', given)}", file=sys.stderr)
                raise SystemExit(2)
            return arguments[position + 1 :]
        if word in ("--db", "--wait"):
            position += 2
        elif word.startswith("-"):
            position += 1
        else:
            return None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    benchmark_arguments = _benchmark_arguments(arguments)
    if benchmark_arguments is not None:
        from .tools.bench import main as benchmark

        return benchmark(benchmark_arguments, prog="vig-tui benchmark")
    args = parse_arguments(arguments)
    handler: Callable[[argparse.Namespace], int] = getattr(args, "handler", cmd_app)
    try:
        return handler(args)
    except CommandError as error:
        return _fail(str(error), error.code)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (for example `vig-tui list | head`): not an error.
        sys.stderr.close()
        return EXIT_OK
    except Exception as error:
        # The guard for what the specific handling below missed: a bad file or a bad
        # environment is a message and an exit code, never a traceback.
        message = _environment_problem(error)
        if message is None:
            raise
        return _fail(message, EXIT_DATABASE)


def _fail(message: str, code: int) -> int:
    print(f"vig-tui: {message}", file=sys.stderr)
    return code


def _environment_problem(error: Exception) -> str | None:
    """A one-line message for a failure caused by files or the machine, else None."""
    from .store import StoreError

    if isinstance(error, StoreError):
        return str(error)
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror or error}. Nothing more was changed."
    if isinstance(error, RecursionError):
        return "the input is nested too deeply to read. Nothing was changed."
    return None


def _db_path(args: argparse.Namespace) -> str | Path:
    from .store import default_db_target

    return args.db if args.db else default_db_target()


def _missing(path: str | Path) -> bool:
    """True when there is no file at ``path`` (nor where a link there points); other
    problems, such as a loop of links, are left for opening to explain. A server's
    URL is never missing here: opening it says whether it answers."""
    if isinstance(path, str):
        return False
    try:
        os.stat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False


def _refuse_missing(path: str | Path) -> None:
    if _missing(path):
        raise CommandError(
            f"{path}: there is no database here, so there is nothing to read "
            "(nothing was created). Check the path given with --db, or start the "
            "database by running `vig-tui` once.",
            EXIT_DATABASE,
        )


def _refuse_read_only(args: argparse.Namespace) -> None:
    if args.read_only:
        raise CommandError(
            f"`vig-tui {args.command}` changes the database, and --read-only was given: "
            "nothing was changed."
        )


def _open_store(args: argparse.Namespace, *, read_only: bool = False) -> Repository:
    """Open the store, turning its errors into messages (never touching a bad file).

    Read-only (every command that only reads) refuses a database that does
    not exist; otherwise the database may be created, waiting ``--wait``
    seconds for another copy's lock.
    """
    from .store import StoreError, open_repository

    path = _db_path(args)
    if read_only:
        _refuse_missing(path)
    else:
        _refuse_read_only(args)
    try:
        return open_repository(path, read_only=read_only, wait=args.wait)
    except StoreError as error:
        raise CommandError(str(error), EXIT_DATABASE) from None


def cmd_app(args: argparse.Namespace) -> int:
    """Open the app at once; it opens the database in the background and
    explains, on screen, a file that is in use or damaged."""
    from .app import VigApp

    # The default path is worked out by the app's opening worker: finding it
    # here would import the store (pydantic, TinyDB) before the first frame.
    db_path = args.db or None
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


def _actor() -> Actor:
    """Who a command's changes are attributed to: the profile, the OS login, the machine."""
    from .preferences import load_preferences
    from .profile import actor

    return actor(load_preferences())


def cmd_move_meeting(args: argparse.Namespace) -> int:
    from .service import move_meeting

    with _open_store(args) as store:
        try:
            move_meeting(store, _actor(), args.scheduled, args.moved_to, args.reason)
        except ValueError as error:
            raise CommandError(str(error)) from None
        moved = store.calendar().meeting_in(args.scheduled.year, args.scheduled.month)
    print(
        f"The meeting scheduled for {args.scheduled.isoformat()} is now held on "
        f"{moved.date.isoformat()}."
    )
    return EXIT_OK


def cmd_settings(args: argparse.Namespace) -> int:
    from .service import change_settings

    with _open_store(args, read_only=args.cutoff_days is None) as store:
        if args.cutoff_days is not None:
            from pydantic import ValidationError

            try:
                change_settings(store, _actor(), cutoff_days=args.cutoff_days)
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
    requests, problems = parse_request_file(
        path, error_code=error_code, allow_redacted=allow_redacted
    )
    if problems:
        raise CommandError(_problem_list(path, problems, "nothing was checked"), error_code)
    return requests


def parse_request_file(
    path: Path, *, error_code: int = EXIT_BAD_INPUT, allow_redacted: bool = False
) -> tuple[list[VigRequest], list[str]]:
    """The requests in a JSON file that are sound, and a line for each problem in the others.

    A file that cannot be read as a list of requests at all (or a redacted
    meeting pack, unless ``allow_redacted``) raises :class:`CommandError`
    (with ``error_code``) naming the file and the problem.
    """
    from pydantic import ValidationError

    from .domain.models import VigRequest

    raw = _read_json(path, error_code)
    if isinstance(raw, dict) and raw.get("redacted") is True:
        if not allow_redacted:
            raise CommandError(
                f"{path}: this is a redacted meeting pack. Its names, dates of birth and "
                "contact details were removed, so it cannot be imported: import the full pack.",
                error_code,
            )
        print(
            f"{path} is a redacted meeting pack: names, dates of birth and contact details were "
            "removed, so findings about them say nothing about the real requests.",
            file=sys.stderr,
        )
        records = raw.get("requests")
        if isinstance(records, list):
            raw = [r.get("request") if isinstance(r, dict) else r for r in records]
        else:
            raw = records
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        raise CommandError(f"{path}: expected a JSON list of requests", error_code)
    problems: list[str] = []
    requests: list[VigRequest] = []
    for position, record in enumerate(raw, start=1):
        try:
            requests.append(VigRequest.model_validate(record))
        except ValidationError as error:
            for issue in error.errors():
                field = ".".join(str(part) for part in issue["loc"]) or "(the record)"
                problems.append(f"record {position}: {field}: {issue['msg']}")
    return requests, problems


def _read_json(path: Path, error_code: int) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file", error_code) from None
    except IsADirectoryError:
        raise CommandError(f"{path}: is a folder, not a file", error_code) from None
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else None
        raise CommandError(f"{path}: cannot be read ({reason or error})", error_code) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(
            f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})",
            error_code,
        ) from None
    except RecursionError:
        raise CommandError(f"{path}: nested too deeply to read", error_code) from None
    except ValueError:  # Python refuses to read numbers of more than 4,300 digits
        raise CommandError(
            f"{path}: holds a number too long to read (more than 4,300 digits)", error_code
        ) from None


def _problem_list(path: Path, problems: list[str], outcome: str) -> str:
    listing = "\n  ".join(problems)
    return f"{path}: {plural(len(problems), 'problem')}, {outcome}:\n  {listing}"


def cmd_import(args: argparse.Namespace) -> int:
    """All or nothing: every problem in the file and every conflict with the
    database is listed, and if there is any, nothing is written."""
    from .service import import_requests
    from .store import Store

    requests, problems = parse_request_file(args.file, error_code=EXIT_FINDINGS)
    _refuse_read_only(args)
    if args.merge:
        from .cli_receive import import_merging

        return import_merging(args, requests, problems)
    target = _db_path(args)
    if isinstance(target, Path) and _missing(target):
        # Checked against an empty database first: a refused import creates nothing.
        with Store.open(target, read_only=True) as empty:
            problems += empty.import_conflicts(requests)
        if problems:
            raise CommandError(
                _problem_list(args.file, problems, "nothing was imported"), EXIT_FINDINGS
            )
    appended = None if problems else _import_appending(target, requests, args)
    if appended is not None:
        print(_imported(*appended))
        return EXIT_OK
    with _open_store(args) as store:
        if problems:
            problems += store.import_conflicts(requests)
            raise CommandError(
                _problem_list(args.file, problems, "nothing was imported"), EXIT_FINDINGS
            )
        report = import_requests(store, _actor(), requests)
    if report.conflicts:
        raise CommandError(
            _problem_list(args.file, report.conflicts, "nothing was imported"), EXIT_FINDINGS
        )
    print(_imported(report, store.location))
    return EXIT_OK


def _imported(report: ImportReport, location: str) -> str:
    count = report.added + report.updated
    return (
        f"Imported {report.added} new and {report.updated} updated "
        f"{'request' if count == 1 else 'requests'} into {location}"
    )


def _import_appending(
    target: object, requests: list[VigRequest], args: argparse.Namespace
) -> tuple[ImportReport, str] | None:
    """New requests added to a file vig-tui last wrote, without parsing it
    (:mod:`vig_tui.store.appending`); None: open the store and import as before."""
    if not isinstance(target, Path):
        return None
    from .store import StoreError
    from .store.appending import import_new_requests
    from .store.listing import database_file

    try:
        report = import_new_requests(target, requests, who=_actor(), wait=args.wait)
        return None if report is None else (report, str(database_file(target)))
    except StoreError as error:
        raise CommandError(str(error), EXIT_DATABASE) from None


def cmd_check(args: argparse.Namespace) -> int:
    from .domain.rules import evaluate

    if args.db is not None:
        _refuse_missing(_db_path(args))
    if not _missing(_db_path(args)):
        # Opening the register puts its checklists in use: each request is judged by the
        # version it was made under, and one that names none by the service's current one.
        _open_store(args, read_only=True).close()
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
    """Every request, by reference (drafts last): read as summaries, one request at a
    time, so a large register lists as quickly as a plain TinyDB script reads it."""
    import orjson

    from .store import StoreError, read_summaries

    path = _db_path(args)
    _refuse_missing(path)
    try:
        rows = read_summaries(path)
    except StoreError as error:
        raise CommandError(str(error), EXIT_DATABASE) from None
    if args.status:
        status = RequestStatus(args.status)
        rows = [row for row in rows if row.status is status]
    rows.sort(key=lambda r: (r.number or "~", r.created_at))
    if args.json:
        _write_out(orjson.dumps([_list_row(r) for r in rows], option=orjson.OPT_INDENT_2) + b"\n")
        return EXIT_OK
    if not rows:
        print("No requests.")
        return EXIT_OK
    # A heading, and each status in the words the app shows (``--json`` keeps the codes).
    lines = [f"{'Reference':15} {'Status':13} {'Meeting':10}  Child\n"]
    lines += [
        f"{row.number or 'draft':15} {row.status.label:13} "
        f"{row.meeting.isoformat() if row.meeting else '-':10}  "
        f"{row.child_name or '(child not named)'}\n"
        for row in rows
    ]
    _write_out("".join(lines).encode("utf-8"))
    return EXIT_OK


def _write_out(data: bytes) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _list_row(row: RequestSummary) -> dict[str, object]:
    return {
        "id": str(row.id),
        "reference": row.reference,
        "local_number": row.local_number,
        "sent_by_file_on": row.sent_by_file_on.isoformat() if row.sent_by_file_on else None,
        "status": row.status.value,
        "meeting": row.meeting.isoformat() if row.meeting else None,
        "child_name": row.child_name,
        "child_date_of_birth": row.child_dob.isoformat() if row.child_dob else None,
        "referrer_role": row.referrer_role.value if row.referrer_role else None,
        "submitted_on": row.submitted_on.isoformat() if row.submitted_on else None,
        "updated_at": row.updated_at.isoformat(),
        "decision": row.latest_outcome.value if row.latest_outcome else None,
    }


def cmd_demo(args: argparse.Namespace) -> int:
    from .tools.demo import fill_database

    path: str | Path
    if args.db:
        path = args.db
    else:
        folder = Path(tempfile.mkdtemp(prefix="vig-tui-demo-"))
        path = folder / "vig-tui-demo.json"
    _refuse_read_only(args)
    with _open_store(argparse.Namespace(**{**vars(args), "db": path})) as store:
        if store.count():
            raise CommandError(
                f"{path} already holds {plural(store.count(), 'request')}; demo data goes "
                "only into an empty database",
            )
        fill_database(store, args.requests, today=date.today(), seed=args.seed)
    print(path)
    if args.no_app:
        return EXIT_OK
    return cmd_app(argparse.Namespace(**{**vars(args), "db": path}))


def write_export(args: argparse.Namespace, write: Callable[[Path | None, Path], Path]) -> Path:
    """Write an export where ``-o`` says (a file, or a folder for the default name; else
    here) with ``write(name, folder)``, as ``--force`` says; its failure, said plainly."""
    from .export import ExportError

    output: Path | None = args.output
    directory = Path.cwd()
    if output is not None and output.is_dir():
        directory, output = output, None
    try:
        return write(output, directory)
    except ExportError as error:
        raise CommandError(str(error), EXIT_FINDINGS) from None


def cmd_export(args: argparse.Namespace) -> int:
    from .export import build_pack, write_pack
    from .export.write import format_name

    if args.request is not None:
        if args.meeting is not None:
            raise CommandError("Give --meeting DATE or --request REFERENCE_OR_ID, not both")
        from .cli_summary import cmd_export_request

        return cmd_export_request(args)
    if args.meeting is None:
        raise CommandError(
            "Give --meeting DATE (that meeting's pack) or --request REFERENCE_OR_ID "
            "(one request's summary)"
        )
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
        if args.record:
            return _export_record(args, requests, meeting, store.meeting_record(meeting.date))
    pack = build_pack(requests, meeting, date.today(), redact=args.redact)
    written = write_export(
        args, lambda name, folder: write_pack(pack, args.fmt, name, folder, force=args.force)
    )
    print(
        f"Wrote the {format_name(args.fmt)} meeting pack for {meeting.date.isoformat()} "
        f"({plural(len(requests), 'request')}) to {written}"
    )
    return EXIT_OK


def _export_record(
    args: argparse.Namespace, requests: list[VigRequest], meeting: Meeting, record: MeetingRecord
) -> int:
    from .export.record import RECORD_FORMATS, build_minutes, write_record
    from .export.write import format_name, format_names

    if args.fmt not in RECORD_FORMATS:
        raise CommandError(
            f"A meeting record is written as {format_names(RECORD_FORMATS)}, "
            f"not {format_name(args.fmt)}"
        )
    minutes = build_minutes(requests, meeting, date.today(), record, redact=args.redact)
    written = write_export(
        args, lambda name, folder: write_record(minutes, args.fmt, name, folder, force=args.force)
    )
    print(
        f"Wrote the {format_name(args.fmt)} record of the meeting on {meeting.date.isoformat()} "
        f"({minutes.pack.decided} of {len(requests)} decided) to {written}"
    )
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from .domain.report import build_report, report_period
    from .export.report import write_report
    from .export.write import format_name

    today = date.today()
    with _open_store(args, read_only=True) as store:
        requests = store.requests()
        practitioners = store.practitioners()
    try:
        start, end = report_period(requests, today, start=args.start, end=args.end)
    except ValueError as error:
        raise CommandError(str(error)) from None
    data = build_report(requests, start=start, end=end, made_on=today, practitioners=practitioners)
    written = write_export(
        args, lambda name, folder: write_report(data, args.fmt, name, folder, force=args.force)
    )
    print(
        f"Wrote the {format_name(args.fmt)} service report for {start.isoformat()} "
        f"to {end.isoformat()} "
        f"({plural(data.received, 'request')} received) to {written}"
    )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from .store import StoreError
    from .store.restore import kept_copies, restore

    path = _db_path(args)
    if not isinstance(path, Path):
        raise CommandError(
            "vig-tui restore puts back earlier copies of a database file; a shared register "
            "on a server is restored from the server's own backups."
        )
    if args.list:
        copies = kept_copies(path)
        if not copies:
            print(f"No earlier copies of {path} are kept.")
        for copy in copies:
            state = (
                f"{plural(copy.requests or 0, 'request')}, good"
                if copy.good
                else f"damaged: {copy.problem}"
            )
            print(
                f"{copy.number}  saved {copy.saved_at:%d %b %Y %H:%M:%S}  "
                f"{copy.size:>10,} bytes  {state}"
            )
        return EXIT_OK
    _refuse_read_only(args)
    try:
        restored = restore(path, args.generation, wait=args.wait)
    except StoreError as error:
        raise CommandError(str(error), EXIT_DATABASE) from None
    copy = restored.copy
    print(
        f"Put copy {copy.number} (saved {copy.saved_at:%d %b %Y %H:%M:%S}, "
        f"{plural(copy.requests or 0, 'request')}) back as {path}."
    )
    if restored.set_aside is not None:
        print(f"The file it replaced is kept as {restored.set_aside}.")
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
