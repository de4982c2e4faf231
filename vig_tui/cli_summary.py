"""``vig-tui export --request``: one request's summary (issue #11 §5).

Kept beside :mod:`vig_tui.cli`, whose ``export`` command hands over here when
``--request`` is given instead of ``--meeting``.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from .cli import EXIT_FINDINGS, EXIT_OK, CommandError, _open_store


def cmd_export_request(args: argparse.Namespace) -> int:
    from .cli_exchange import find_requests
    from .export import ExportError
    from .export.request_summary import build_summary, write_summary

    if args.record:
        raise CommandError(
            "--record writes a meeting's record: give it with --meeting, not --request"
        )
    with _open_store(args, read_only=True) as store:
        (request,) = find_requests(store, [args.request], doing="was exported")
    summary = build_summary(request, date.today(), redact=args.redact)
    output: Path | None = args.output
    directory = Path.cwd()
    if output is not None and output.is_dir():
        directory, output = output, None
    try:
        written = write_summary(summary, args.fmt, output, directory, force=args.force)
    except ExportError as error:
        raise CommandError(str(error), EXIT_FINDINGS) from None
    redacted = " redacted" if args.redact else ""
    print(f"Wrote the{redacted} {args.fmt} summary of {summary.number} to {written}")
    return EXIT_OK
