"""`vig-tui retention` and `vig-tui sar`: keeping records no longer than needed, and
everything held about one child.

Kept beside :mod:`vig_tui.cli`, which adds these subcommands to its parser
(:func:`add_commands`) and reports their :class:`~vig_tui.cli.CommandError`s.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .domain.retention import RetentionDue


def add_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    db: argparse.ArgumentParser,
) -> None:
    from .cli import _date_argument

    retention = commands.add_parser(
        "retention",
        parents=[db],
        help="list (--dry-run) or delete (--apply) the records the retention rules say are due",
        description=(
            "Records are kept no longer than the checklist each request was made under says: "
            "not accepted, withdrawn and closed requests a number of years after they ended, "
            "drafts a number of months after their last change. --dry-run lists what is due "
            "and under which rule (and drafts near it); --apply deletes what is due, leaving "
            "in the ledger the reference, when, by whom and the rule, so `vig-tui audit "
            "verify` still passes."
        ),
    )
    what = retention.add_mutually_exclusive_group(required=True)
    what.add_argument("--dry-run", action="store_true", help="list what is due; change nothing")
    what.add_argument("--apply", action="store_true", help="delete what is due, for good")
    retention.add_argument("--json", action="store_true", help="one JSON object per request")
    retention.add_argument(
        "--on", type=_date_argument, metavar="DATE", help="judge on this date (default: today)"
    )
    retention.set_defaults(handler=cmd_retention)

    sar = commands.add_parser(
        "sar",
        parents=[db],
        help="everything held about one child, for a subject access request",
        description=(
            "Write everything the service holds about one child (every request whose child "
            "has this name and date of birth: answers, decisions, consents, work and full "
            "history) as a readable file (.md, .html, .pdf or .docx, by the name given) and "
            "beside it the same as JSON (.json). Both are readable by you alone."
        ),
    )
    sar.add_argument("--child", required=True, metavar="NAME", help="the child's full name")
    sar.add_argument(
        "--dob", required=True, type=_date_argument, metavar="DATE", help="date of birth"
    )
    sar.add_argument(
        "-o", "--output", required=True, type=Path, metavar="FILE", help="for example amy.md"
    )
    sar.add_argument("--force", action="store_true", help="replace files already there")
    sar.set_defaults(handler=cmd_sar)


def _due_json(due: RetentionDue) -> str:
    return json.dumps(
        {
            "reference": due.request.reference,
            "id": str(due.request.id),
            "status": due.request.status.value,
            "rule": due.rule.value,
            "period": due.period,
            "since": due.since.isoformat(),
            "due_on": due.due_on.isoformat(),
            "due": due.due,
        },
        ensure_ascii=False,
    )


def _due_line(due: RetentionDue) -> str:
    from .domain.dates import format_date

    when = "due now" if due.due else f"due on {format_date(due.due_on)}"
    return f"{due.reference}  {due.why} ({when})"


def cmd_retention(args: argparse.Namespace) -> int:
    from .cli import EXIT_FINDINGS, EXIT_OK, _actor, _open_store
    from .domain.wording import plural
    from .service.retention import apply_retention, find_due, rule_words

    today = args.on or date.today()
    if args.dry_run:
        with _open_store(args, read_only=True) as store:
            found = find_due(store, today)
        due = [d for d in found if d.due]
        soon = [d for d in found if not d.due]
        if args.json:
            for item in found:
                print(_due_json(item))
            return EXIT_OK
        if not found:
            print("Nothing is due to be deleted under the retention rules.")
            return EXIT_OK
        if due:
            print(f"Due to be deleted: {plural(len(due), 'request')}")
            for item in due:
                print(f"  {_due_line(item)}")
        if soon:
            print(f"Drafts to be deleted soon: {plural(len(soon), 'draft')}")
            for item in soon:
                print(f"  {_due_line(item)}")
        if due:
            print("Nothing was deleted. `vig-tui retention --apply` deletes those due now.")
        return EXIT_OK

    with _open_store(args) as store:
        result = apply_retention(store, _actor(), today)
    for item in result.deleted:
        if args.json:
            print(_due_json(item))
        else:
            print(f"Deleted {item.reference} ({rule_words(item)})")
    for item, why in result.left:
        print(f"Left {item.reference}: {why}")
    if not args.json:
        print(
            f"{plural(len(result.deleted), 'request')} deleted; the ledger keeps each "
            "reference, when, by whom and the rule."
        )
    return EXIT_FINDINGS if result.left else EXIT_OK


def cmd_sar(args: argparse.Namespace) -> int:
    from .cli import EXIT_FINDINGS, EXIT_OK, CommandError, _open_store
    from .export.subject_access import (
        FORMATS,
        about_child,
        render_subject_access,
        subject_access_document,
        subject_access_json,
    )
    from .export.write import ExportError, PackExistsError, write_file

    target: Path = args.output.expanduser()
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise CommandError(
            f"{target}: name the file .md, .html, .pdf or .docx (the JSON is written beside it)"
        )
    if not args.child.strip():
        raise CommandError("enter the child's name with --child")
    with _open_store(args, read_only=True) as store:
        found = about_child(store.requests(), args.child, args.dob)
    if not found:
        raise CommandError(
            f"no request in {store.location} is about a child called {args.child.strip()} "
            f"born {args.dob:%d/%m/%Y}. Nothing was written. Check the spelling and the date "
            "of birth (`vig-tui list` shows the requests).",
            EXIT_FINDINGS,
        )
    today = date.today()
    document = subject_access_document(found, args.child, args.dob, today)
    beside = target.with_suffix(".json")
    for path in (target, beside):
        if path.exists() and not args.force:
            raise CommandError(
                f"{path} already exists: choose another name, or add --force to replace it. "
                "Nothing was written.",
                EXIT_FINDINGS,
            )
    try:
        written = [
            write_file(
                render_subject_access(document, suffix), target, force=args.force, what="file"
            ),
            write_file(
                subject_access_json(found, args.child, args.dob, today),
                beside,
                force=args.force,
                what="file",
            ),
        ]
    except PackExistsError as error:
        raise CommandError(
            f"{error.path} already exists: choose another name, or add --force to replace it.",
            EXIT_FINDINGS,
        ) from None
    except ExportError as error:
        raise CommandError(str(error), 3) from None
    count = len(found)
    print(f"{count} request{'s' if count != 1 else ''} about {args.child.strip()}:")
    for path in written:
        print(f"  {path}")
    return EXIT_OK
