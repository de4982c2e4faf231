"""``vig-tui export --request``: one request's summary (issue #11 §5).

Kept beside :mod:`vig_tui.cli`, whose ``export`` command hands over here when
``--request`` is given instead of ``--meeting``.
"""

from __future__ import annotations

import argparse
from datetime import date

from .cli import EXIT_OK, CommandError, _open_store, write_export


def cmd_export_request(args: argparse.Namespace) -> int:
    from .cli_exchange import find_requests
    from .export.request_summary import build_summary, write_summary
    from .export.write import format_name

    if args.record:
        raise CommandError(
            "--record writes a meeting's record: give it with --meeting, not --request"
        )
    with _open_store(args, read_only=True) as store:
        (request,) = find_requests(store, [args.request], doing="was exported")
    summary = build_summary(request, date.today(), redact=args.redact)
    written = write_export(
        args, lambda name, folder: write_summary(summary, args.fmt, name, folder, force=args.force)
    )
    redacted = " redacted" if args.redact else ""
    print(f"Wrote the{redacted} {format_name(args.fmt)} summary of {summary.number} to {written}")
    return EXIT_OK
