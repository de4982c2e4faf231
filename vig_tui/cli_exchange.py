"""``vig-tui service-key`` and ``vig-tui send``: the kinds of register, and sending by file.

* Standalone (no key either way, today's behaviour and the demo's): requests are
  made and decided in one database, which gives references itself.
* The service's register: ``service-key create`` makes the service's key pair
  (the private key beside a database file; for a register on a server, in the
  coordinator's data folder, the server keeping only the public key) and writes
  the public half, with the service's name and secure email address, to a file
  handed to referrers. ``service-key install-private`` gives another
  coordinator's computer a copy of a server register's private key.
* A referrer's machine: ``service-key install FILE`` keeps that key in the
  worker's settings; from then on requests are sent as sealed files
  (``vig-tui send``, or Send in the app), to attach to a secure email.

Kept beside :mod:`vig_tui.cli`, which adds these subcommands to its parser.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cli import (
    EXIT_BAD_INPUT,
    EXIT_DATABASE,
    EXIT_FINDINGS,
    EXIT_OK,
    CommandError,
    _actor,
    _db_path,
    _open_store,
)

if TYPE_CHECKING:
    from .domain.models import VigRequest
    from .store import Repository, SharedRegister

#: The environment variable that may hold the service key's passphrase.
PASSPHRASE_ENV = "VIG_TUI_KEY_PASSPHRASE"
_ID_PREFIX = re.compile(r"^[0-9a-f-]{8,36}$")
#: A service key file is a few hundred bytes; anything much larger is something else.
_KEY_FILE_MAX = 64 * 1024


def add_exchange_commands(commands: Any, db: argparse.ArgumentParser) -> None:
    """Add ``service-key create|show|install|remove`` and ``send``."""
    key = commands.add_parser(
        "service-key",
        help="make a database the service's register, or install the service's key here",
        description="The service's register holds the service's private key beside its "
        "database; referrers install its public key (a small file the service hands out) so "
        "that the requests they send can be opened by the service only.",
    )
    actions = key.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    create = actions.add_parser(
        "create",
        parents=[db],
        help="make this database the service's register: its key pair, and the public key file",
        description="Makes the service's key pair: the private key stays beside a database "
        "file (DATABASE.service-key, owner-only) or, for a register on a server, on this "
        "computer in your data folder (the server keeps only the public key; the coordinator's "
        "login only); the public key goes to FILE with the service's name and secure email "
        "address (from the checklist), to hand to referrers.",
    )
    create.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    create.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help="protect the private key with a passphrase read from the first line of stdin",
    )
    create.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    create.set_defaults(handler=cmd_key_create)
    show = actions.add_parser(
        "show",
        parents=[db],
        help="write the register's public key file again (to hand to referrers)",
    )
    show.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: print it")
    show.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help=f"read the key's passphrase from stdin (or set {PASSPHRASE_ENV})",
    )
    show.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    show.set_defaults(handler=cmd_key_show)
    private = actions.add_parser(
        "install-private",
        parents=[db],
        help="on another coordinator's computer: install the private key of the register "
        "on a server",
        description="The service's register on a server keeps only the public key; the "
        "private key is a file in the data folder of the computer that made it (`service-key "
        "create` said where). Copy that file by a safe route (not email) and install it here "
        "with the register's --db URL: it must be that register's key (a register on a server "
        "with no key yet takes this one as its own: a register moved from a file brings "
        "DATABASE.service-key). A passphrase stays on the copy.",
    )
    private.add_argument("file", type=Path, metavar="FILE")
    private.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help=f"read the key's passphrase from stdin (or set {PASSPHRASE_ENV})",
    )
    private.set_defaults(handler=cmd_key_install_private)
    install = actions.add_parser(
        "install",
        parents=[db],
        help="install the service's public key file: requests made here are then sent by file",
    )
    install.add_argument("file", type=Path, metavar="FILE")
    install.set_defaults(handler=cmd_key_install, no_database="service-key install")
    remove = actions.add_parser(
        "remove",
        parents=[db],
        help="forget the installed service key: requests are sent to this database again",
    )
    remove.set_defaults(handler=cmd_key_remove, no_database="service-key remove")

    send = commands.add_parser(
        "send",
        parents=[db],
        help="send requests to the VIG service as one sealed file, to attach to an email",
        description="On a referrer's machine (the service's key installed): checks each "
        "request, gives each draft a local number (DRAFT-XXXX-NNNN), and writes one file "
        "sealed to the service's key, holding the requests with their histories, your "
        "profile and your own public key (for the decisions sent back). Requests sent by "
        "file before may be sent again with their changes.",
    )
    send.add_argument(
        "requests",
        nargs="+",
        metavar="REFERENCE_OR_ID",
        help="a local number (DRAFT-7F3A-0001), a reference, or a request's id (its first "
        "8 characters will do: see `vig-tui list --json`)",
    )
    send.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="the file, or a folder to name it in (a name ending in / is a folder, made "
        "owner-only if missing)",
    )
    send.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    send.set_defaults(handler=cmd_send)


# The service's register ---------------------------------------------------------------


def _shared_register(store: Repository) -> SharedRegister:
    from .store import SharedRegister

    if not isinstance(store, SharedRegister):
        raise CommandError(f"{store.location} is not a register on a server.")
    return store


def _coordinator_only(register: SharedRegister, doing: str) -> None:
    if not register.is_coordinator():
        raise CommandError(
            f"Only the service's coordinator can {doing}: this login is not the "
            "coordinator's (the server's administrator adds one with `vig-tui server add-user "
            "LOGIN --role coordinator`). Nothing was changed.",
            EXIT_FINDINGS,
        )


def _passphrase(args: argparse.Namespace, *, new: bool) -> str | None:
    if not args.passphrase_stdin:
        return None if new else os.environ.get(PASSPHRASE_ENV) or None
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise CommandError("--passphrase-stdin was given, but the first line of stdin is empty")
    return line


def _public_key_file(public_key: str) -> str:
    from .domain.checklist import checklist_in_use
    from .exchange.keys import ServicePublicKey

    checklist = checklist_in_use()
    return ServicePublicKey(
        public_key=public_key,
        service_name=checklist.service_name,
        email=checklist.service_email,
        phone=checklist.service_phone,
    ).to_json()


def _write_key_file(path: Path, text: str, *, force: bool) -> None:
    from .atomic import write_atomically

    try:
        write_atomically(path, text.encode("utf-8"), overwrite=force)
    except FileExistsError:
        raise CommandError(f"{path} already exists: choose another name, or give --force") from None
    except OSError as error:
        raise CommandError(
            f"{path}: cannot be written ({error.strerror or error})", EXIT_DATABASE
        ) from None


def cmd_key_create(args: argparse.Namespace) -> int:
    from .exchange.keys import create_service_key, service_key_path
    from .exchange.sealing import ExchangeError

    path = _db_path(args)
    secret = _passphrase(args, new=True)
    if args.output.exists() and not args.force:
        raise CommandError(f"{args.output} already exists: choose another name, or give --force")
    if not isinstance(path, Path):
        return _create_on_server(args, secret)
    # Opening puts the register's checklist in use: the service's details come from it.
    with _open_store(args):
        try:
            public_key = create_service_key(path, secret)
        except ExchangeError as error:
            raise CommandError(str(error), EXIT_FINDINGS) from None
        except OSError as error:
            raise CommandError(
                f"{service_key_path(path)}: cannot be written ({error.strerror or error}). "
                "Nothing was changed.",
                EXIT_DATABASE,
            ) from None
        text = _public_key_file(public_key)
    _write_key_file(args.output, text, force=args.force)
    protected = " (protected by your passphrase)" if secret else ""
    print(f"{path} is now the VIG service's register.")
    print(f"Its private key is {service_key_path(path)}{protected}: keep it, and back it up")
    print("with the database; requests sent to the service can be opened only with it.")
    print(f"Hand {args.output} to referrers: they run `vig-tui service-key install FILE`.")
    return EXIT_OK


def _create_on_server(args: argparse.Namespace, secret: str | None) -> int:
    """The register on a server keeps the public key; the private key stays here."""
    from .exchange.keys import create_register_key

    with _open_store(args) as store:
        register = _shared_register(store)
        _coordinator_only(register, "make the register the service's")
        if register.service_public_key() is not None:
            raise CommandError(
                f"The register at {store.location} is the service's already; replacing its "
                "key would lose every request sealed to it. Hand out its public key again with "
                "`vig-tui service-key show -o FILE`; on another coordinator's computer, "
                "install its private key with `vig-tui service-key install-private FILE`.",
                EXIT_FINDINGS,
            )
        try:
            public_key, path = create_register_key(secret)
        except OSError as error:
            raise CommandError(
                f"{error.filename or 'the key file'}: cannot be written "
                f"({error.strerror or error}). Nothing was changed.",
                EXIT_DATABASE,
            ) from None
        try:
            register.keep_service_public_key(public_key)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        text = _public_key_file(public_key)
    try:
        _write_key_file(args.output, text, force=args.force)
    except CommandError as error:
        raise CommandError(
            f"{error}. The register is the service's now all the same (its private key is "
            f"{path}): write the public key file with `vig-tui service-key show -o FILE`.",
            error.code,
        ) from None
    protected = " (protected by your passphrase)" if secret else ""
    print(f"The register at {store.location} is now the VIG service's register.")
    print("The server keeps only its public key. Its private key is on this computer:")
    print(f"  {path}{protected}")
    print("Back it up somewhere safe that is not the server: requests sent to the service")
    print("can be opened only with it. On another coordinator's computer, install a copy")
    print("with `vig-tui service-key install-private FILE --db URL`.")
    print(f"Hand {args.output} to referrers: they run `vig-tui service-key install FILE`.")
    return EXIT_OK


def cmd_key_show(args: argparse.Namespace) -> int:
    from .exchange.keys import load_service_identity
    from .exchange.sealing import ExchangeError

    path = _db_path(args)
    if not isinstance(path, Path):
        with _open_store(args, read_only=True) as store:
            public_key = _shared_register(store).service_public_key()
            if public_key is None:
                raise CommandError(
                    f"The register at {store.location} is not the service's register yet: "
                    "the coordinator makes it so with `vig-tui service-key create -o FILE`.",
                    EXIT_FINDINGS,
                )
            text = _public_key_file(public_key)
    else:
        secret = _passphrase(args, new=False)
        with _open_store(args, read_only=True):
            try:
                identity = load_service_identity(path, secret)
            except ExchangeError as error:
                raise CommandError(str(error), EXIT_FINDINGS) from None
            text = _public_key_file(str(identity.to_public()))
    if args.output is None:
        print(text, end="")
        return EXIT_OK
    _write_key_file(args.output, text, force=args.force)
    print(f"Wrote the service's public key file to {args.output}")
    return EXIT_OK


def cmd_key_install_private(args: argparse.Namespace) -> int:
    from .exchange.keys import identity_from, install_register_key
    from .exchange.sealing import ExchangeError

    if isinstance(_db_path(args), Path):
        raise CommandError(
            "A register in a file keeps its private key beside it (DATABASE.service-key): "
            "copy that file with the database. install-private is for a register on a "
            "server: give its --db postgresql://... URL."
        )
    name = str(args.file)
    data = _read_small_file(args.file)
    secret = _passphrase(args, new=False)
    with _open_store(args) as store:
        register = _shared_register(store)
        _coordinator_only(register, "hold the service's private key")
        try:
            identity = identity_from(data, secret, name=name)
        except ExchangeError as error:
            raise CommandError(str(error), EXIT_FINDINGS) from None
        held = register.service_public_key()
        public_key = str(identity.to_public())
        if held is not None and held != public_key:
            raise CommandError(
                f"{name} is not the private key of the register at {store.location} (it "
                "belongs to another register). Nothing was installed.",
                EXIT_FINDINGS,
            )
        try:
            _, path = install_register_key(data, secret, name=name)
        except ExchangeError as error:
            raise CommandError(str(error), EXIT_FINDINGS) from None
        if held is None:
            register.keep_service_public_key(public_key)
            print(f"The register at {store.location} is now the VIG service's register,")
            print("with this key (hand out its public key with `vig-tui service-key show`).")
    print(f"Installed the service's private key on this computer: {path}")
    print("Request files sent to the service can be received here (`vig-tui receive`).")
    return EXIT_OK


def _read_small_file(path: Path) -> bytes:
    name = str(path)
    try:
        if path.is_file() and path.stat().st_size > _KEY_FILE_MAX:
            raise CommandError(f"{name} is not a key file (it is far too large)")
        return path.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise CommandError(f"{name}: is a folder, not a file") from None
    except OSError as error:
        raise CommandError(f"{name}: cannot be read ({error.strerror or error})") from None


# A referrer's machine ------------------------------------------------------------------


def _save_settings(preferences: Any) -> None:
    from .preferences import preferences_path, save_preferences

    try:
        save_preferences(preferences)
    except OSError as error:
        raise CommandError(
            f"your settings could not be saved to {preferences_path()}: "
            f"{error.strerror or error}. Nothing was changed.",
            EXIT_DATABASE,
        ) from None


def cmd_key_install(args: argparse.Namespace) -> int:
    from .exchange.keys import ServicePublicKey
    from .exchange.sealing import ExchangeError
    from .preferences import load_preferences
    from .profile import InstalledServiceKey

    name = str(args.file)
    try:
        if args.file.is_file() and args.file.stat().st_size > _KEY_FILE_MAX:
            raise CommandError(f"{name} is not a service key file (it is far too large)")
        text = args.file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise CommandError(f"{name}: is a folder, not a file") from None
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not text"
        raise CommandError(f"{name}: cannot be read ({reason})") from None
    try:
        key = ServicePublicKey.from_json(text, name=name)
    except ExchangeError as error:
        raise CommandError(str(error), EXIT_BAD_INPUT) from None
    if not key.email.strip():
        raise CommandError(
            f"{name} gives no email address for the service: ask the service for its key "
            "file again (it is made with `vig-tui service-key create`)"
        )
    preferences = load_preferences()
    preferences.service_key = InstalledServiceKey(
        public_key=key.public_key,
        service_name=key.service_name[:200],
        email=key.email[:200],
        phone=key.phone[:200],
        installed_on=date.today().isoformat(),
    )
    _save_settings(preferences)
    print(f"Installed the key of {key.service_name or 'the VIG service'}.")
    print(
        "Requests you send are now written as sealed files, to attach to a secure email "
        f"to {key.email}."
    )
    return EXIT_OK


def cmd_key_remove(args: argparse.Namespace) -> int:
    from .preferences import load_preferences

    preferences = load_preferences()
    if preferences.service_key is None:
        print("No service key is installed: requests are sent to this database.")
        return EXIT_OK
    preferences.service_key = None
    _save_settings(preferences)
    print("Removed the service's key: requests sent from now on go to this database.")
    return EXIT_OK


def find_requests(
    store: Repository, wanted: list[str], *, doing: str = "was sent"
) -> list[VigRequest]:
    """The requests named by local number, reference or id (8 or more of its first
    characters); every name that matches none, or more than one, in one error."""
    summaries = store.summaries()
    by_number = {s.local_number: s.id for s in summaries if s.local_number}
    problems: list[str] = []
    found: list[VigRequest] = []
    for name in wanted:
        text = name.strip()
        upper = text.upper()
        if upper in by_number:
            found.append(store.get(by_number[upper]))
            continue
        if upper.startswith("VIG-"):
            request = store.find_reference(upper)
            if request is not None:
                found.append(request)
                continue
        elif _ID_PREFIX.match(text.lower()):
            matches = [s.id for s in summaries if str(s.id).startswith(text.lower())]
            if len(matches) == 1:
                found.append(store.get(matches[0]))
                continue
            if len(matches) > 1:
                problems.append(f"{text}: more than one request's id starts so: give more of it")
                continue
        problems.append(f"{text}: there is no such request in {store.location}")
    if problems:
        raise CommandError(
            f"Nothing {doing}:\n  " + "\n  ".join(problems) + "\n(`vig-tui list` lists them)",
            EXIT_FINDINGS,
        )
    return found


def _own_register(where: object) -> str:
    return (
        f"{where} is the service's own register: requests made here are sent in the app "
        "and get their reference at once, with no file to send."
    )


def cmd_send(args: argparse.Namespace) -> int:
    from .preferences import load_preferences, preferences_path
    from .service import CommandError as Refused
    from .service.sending import send_by_file, sender_of, sends_by_file

    preferences = load_preferences()
    target = _db_path(args)
    if preferences.service_key is None:
        raise CommandError(
            "No service key is installed, so requests made here go to this database itself "
            "(standalone). To send them to the VIG service by file, install the key file the "
            "service gave you: `vig-tui service-key install FILE`."
        )
    if isinstance(target, Path) and not sends_by_file(preferences.service_key, target):
        raise CommandError(_own_register(target))
    try:
        sender, sender_key = sender_of(preferences, preferences_path().parent)
    except Refused as error:
        raise CommandError(str(error)) from None
    with _open_store(args) as store:
        if not sends_by_file(preferences.service_key, target, store):
            raise CommandError(_own_register(store.location))
        requests = find_requests(store, args.requests)
        try:
            sent = send_by_file(
                store,
                _actor(),
                requests,
                on=date.today(),
                service=preferences.service_key,
                sender=sender,
                sender_key=sender_key,
                machine_id=preferences.machine_id,
                output=Path(args.output).expanduser(),
                folder=args.output.endswith(("/", os.sep)),
                force=args.force,
            )
        except Refused as error:
            raise CommandError(str(error), EXIT_FINDINGS) from None
        except FileExistsError as error:
            raise CommandError(
                f"{error.filename} already exists: choose another name, or give --force. "
                "Nothing was sent."
            ) from None
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            raise CommandError(
                f"{where}the file cannot be written ({error.strerror or error}). Nothing was sent.",
                EXIT_DATABASE,
            ) from None
    service = sent.service
    print(f"Wrote {sent.path.absolute()}")
    print(f"holding {', '.join(sent.numbers)}, sealed for {service.service_name}.")
    print(f"Next: attach it to a secure email to {service.email}.")
    print("The service gives each request its reference when it receives the file.")
    return EXIT_OK
