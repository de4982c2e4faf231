"""`vig-tui profile` and `vig-tui audit`: who the worker is, and whether the record is whole.

Kept beside :mod:`vig_tui.cli`, which adds these subcommands to its parser
(:func:`add_commands`) and reports their :class:`~vig_tui.cli.CommandError`s.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .domain.history import HistoryEntry

_PROFILE_FIELDS = ("name", "role", "team", "phone", "email")


def add_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    db: argparse.ArgumentParser,
) -> None:
    from .domain.vocabulary import WorkerRole

    profile = commands.add_parser(
        "profile",
        parents=[db],
        help="show or set who you are (stamped on every change you make)",
        description=(
            "Show your profile, or change it with the options given. Your name and role are "
            "recorded with every change you make; your details fill in “About you” on new "
            "requests."
        ),
    )
    profile.add_argument("--name", help="your name")
    profile.add_argument(
        "--role",
        choices=[role.value for role in WorkerRole],
        help="your role",
    )
    profile.add_argument("--team", help="your team (optional)")
    profile.add_argument("--phone", help="your phone number (optional)")
    profile.add_argument("--email", help="your email address (optional)")
    profile.add_argument("--json", action="store_true", help="print the profile as JSON")
    profile.set_defaults(handler=cmd_profile, no_database="profile")

    audit = commands.add_parser(
        "audit",
        help="show a request's history, or check that no history was changed",
    )
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    show = actions.add_parser(
        "show", parents=[db], help="every change to one request: when, who, old and new, why"
    )
    show.add_argument(
        "reference",
        metavar="REFERENCE",
        help="for example VIG-2026-0042 (or a local number, DRAFT-7F3A-0001)",
    )
    show.add_argument("--json", action="store_true", help="one JSON object per entry, in order")
    show.set_defaults(handler=cmd_audit_show)
    verify = actions.add_parser(
        "verify",
        parents=[db],
        help="check every history and the ledger of requests (exit 1 if anything was changed)",
    )
    verify.set_defaults(handler=cmd_audit_verify)


def cmd_profile(args: argparse.Namespace) -> int:
    from .cli import EXIT_OK, CommandError
    from .preferences import load_preferences, preferences_path, save_preferences
    from .profile import Profile, os_login, profile_problems

    preferences = load_preferences()
    given = {name: getattr(args, name) for name in _PROFILE_FIELDS if getattr(args, name)}
    if given:
        current = preferences.profile or Profile()
        changed = Profile(**{**current.to_json(), **{k: v.strip() for k, v in given.items()}})
        if problems := profile_problems(changed):
            listing = "\n  ".join(problems.values())
            raise CommandError(f"your profile was not changed:\n  {listing}")
        preferences.profile = changed
        try:
            save_preferences(preferences)
        except OSError as error:
            raise CommandError(
                f"your profile could not be saved to {preferences_path()}: {error}", 3
            ) from None
    profile = preferences.profile
    if args.json:
        shown = {
            "profile": profile.to_json() if profile is not None else None,
            "user": os_login(),
            "machine": preferences.machine_id,
            "service_key": (
                preferences.service_key.to_json() if preferences.service_key is not None else None
            ),
        }
        print(json.dumps(shown, indent=2, ensure_ascii=False))
        return EXIT_OK
    if profile is None:
        print("No profile yet. Set one with: vig-tui profile --name NAME --role ROLE")
    else:
        print(f"Name:    {profile.name}")
        print(f"Role:    {profile.role_label}")
        print(f"Team:    {profile.team or 'Not provided'}")
        print(f"Phone:   {profile.phone or 'Not provided'}")
        print(f"Email:   {profile.email or 'Not provided'}")
    print(f"Login:   {os_login()}")
    print(f"Machine: {preferences.machine_id}")
    key = preferences.service_key
    if key is None:
        print("Service: none installed (requests made here go to this database)")
    else:
        print(f"Service: {key.service_name}, {key.email}")
        installed = f", key installed {key.installed_on}" if key.installed_on else ""
        print(f"         requests are sent to it by file{installed}")
    return EXIT_OK


def _entry_json(entry: HistoryEntry) -> str:
    content = entry.model_dump(mode="json")
    return json.dumps(content, ensure_ascii=False)


def cmd_audit_show(args: argparse.Namespace) -> int:
    from .cli import EXIT_FINDINGS, EXIT_OK, CommandError, _open_store
    from .domain.changes import describe_entry, month_only_flags

    with _open_store(args, read_only=True) as store:
        request = store.find_reference(args.reference)
        if request is None:
            # A request sent by file from this machine is known by its local number.
            wanted = args.reference.strip().upper()
            local = next((s.id for s in store.summaries() if s.local_number == wanted), None)
            request = store.get(local) if local is not None else None
    if request is None:
        wanted = args.reference.strip().upper()
        raise CommandError(f"there is no request {wanted} in {store.location}", EXIT_FINDINGS)
    flags = month_only_flags(request)
    for number, (entry, month_only) in enumerate(zip(request.history, flags, strict=True), 1):
        if args.json:
            print(_entry_json(entry))
        else:
            first, *rest = describe_entry(entry, month_only)
            print(f"{number}. {first}")
            for line in rest:
                print(f"  {line}")
    return EXIT_OK


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from .cli import EXIT_FINDINGS, EXIT_OK, _open_store
    from .service import verify

    with _open_store(args, read_only=True) as store:
        report = verify(store)
    print(report.summary())
    return EXIT_OK if report.whole else EXIT_FINDINGS
