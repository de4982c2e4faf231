"""Taking the files that come by email, for `vig-tui receive` and the Inbox's ``r``.

Sealed request files and JSON packs (the service), decision notices (a referrer):
every file is read and checked whole before anything is written (a file refused
writes nothing), then each good file is taken in one write by
:mod:`vig_tui.service.receiving`. The keys are found only when a sealed file needs
them, so a passphrase is asked for only then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.history import Actor
from ..domain.models import VigRequest
from ..domain.wording import plural
from ..exchange.keys import PassphraseNeeded
from ..exchange.payloads import DecisionNotice, RequestFile
from ..exchange.sealing import MAX_SEALED_BYTES, ExchangeError
from .receiving import (
    JsonPack,
    Received,
    is_json,
    open_json_pack,
    open_sealed,
    receive_pack,
    receive_requests,
    take_notice,
)

if TYPE_CHECKING:
    from pyrage import x25519

    from ..store import Repository


class NotTheCoordinator(ExchangeError):
    """A referrer's login to a register on a server: files are the coordinator's to take."""


@dataclass(frozen=True)
class OpenedFile:
    """A file read whole and checked: what it holds."""

    path: Path
    document: RequestFile | DecisionNotice | JsonPack


@dataclass
class Taken:
    """What taking some files did: lines a person reads, the refusals, the conflicts."""

    lines: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    conflicts: int = 0


def keys_here(
    register: Repository | Path, settings_folder: Path, passphrase: str | None
) -> list[x25519.Identity]:
    """The keys that may open a file taken into ``register`` (an open register, or a
    database file's path, which need not be opened for this): the register's service key
    (beside a database file; for a register on a server, the private key this computer
    holds for the public key the server keeps) and this computer's own key, whichever
    exist. None is made. :class:`ExchangeError` (or :class:`NotTheCoordinator`) says why
    a key that exists cannot be used."""
    from ..exchange.keys import (
        load_register_identity,
        load_service_identity,
        own_identity,
        service_key_path,
    )
    from ..store import SharedRegister

    found = []
    if not isinstance(register, Path) and isinstance(register, SharedRegister):
        store = register
        if not store.is_coordinator():
            raise NotTheCoordinator(
                f"Only the service's coordinator receives files into the register at "
                f"{store.location}: this login is a referrer's. Decisions on your requests "
                "show in the app as soon as they are recorded. Nothing was received."
            )
        public_key = store.service_public_key()
        if public_key is None:
            raise ExchangeError(
                f"The register at {store.location} is not the service's register yet, so no "
                "request file is sealed to it: the coordinator makes it so once with "
                "`vig-tui service-key create -o FILE --db URL` and hands FILE to referrers. "
                "Nothing was received."
            )
        found.append(load_register_identity(public_key, passphrase))
    else:
        database = register if isinstance(register, Path) else Path(register.location)
        if service_key_path(database).exists():
            found.append(load_service_identity(database, passphrase))
    if (settings_folder / "own-key").exists():
        found.append(own_identity(settings_folder))
    return found


def open_files(
    paths: Iterable[Path],
    keys: Callable[[], list[x25519.Identity]],
    *,
    named: Callable[[Path], str] = str,
) -> tuple[list[OpenedFile], list[str]]:
    """Each file read and checked whole (nothing written): those that open, and a
    sentence for each refused, naming the file as ``named`` does. ``keys`` is called
    once, when a sealed file first needs them; an :class:`ExchangeError` it raises
    refuses that file and every sealed one (:class:`NotTheCoordinator` and
    :class:`~vig_tui.exchange.keys.PassphraseNeeded` stop it all)."""
    opened: list[OpenedFile] = []
    refused: list[str] = []
    identities: list[x25519.Identity] | None = None
    no_keys: ExchangeError | None = None
    for path in paths:
        name = named(path)
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_SEALED_BYTES + 1)
        except IsADirectoryError:
            refused.append(f"{name} is a folder: choose the files in it.")
            continue
        except OSError as error:
            refused.append(f"{name}: {error.strerror or error}; nothing from it was used.")
            continue
        try:
            if is_json(data):
                opened.append(OpenedFile(path, open_json_pack(data, name=name)))
                continue
            if no_keys is not None:
                raise no_keys
            if identities is None:
                try:
                    identities = keys()
                except ExchangeError as error:
                    no_keys = error
                    raise
            opened.append(OpenedFile(path, open_sealed(data, identities, name=name)))
        except (NotTheCoordinator, PassphraseNeeded):
            raise
        except ExchangeError as error:
            refused.append(str(error))
    return opened, refused


def take_files(
    store: Repository,
    who: Actor,
    opened: Sequence[OpenedFile],
    *,
    on: date,
    named: Callable[[Path], str] = str,
) -> Taken:
    """Take each opened file into ``store`` in one write of its own."""
    from ..store import StoreError, VersionConflict

    taken = Taken()
    for item in opened:
        name = named(item.path)
        try:
            if isinstance(item.document, RequestFile):
                result = receive_requests(store, who, item.document, on=on)
            elif isinstance(item.document, JsonPack):
                result = receive_pack(store, who, item.document, on=on)
            else:
                result = take_notice(store, who, item.document)
        except (ExchangeError, VersionConflict, StoreError) as error:
            taken.refused.append(f"{name}: {error} Nothing from it was written.")
            continue
        taken.conflicts += len(result.conflicts)
        taken.lines.extend(describe(name, result))
    return taken


def files_in(paths: Iterable[Path]) -> list[Path]:
    """The paths given, a folder standing for the files directly in it (sorted; hidden
    files left out), as a person choosing "the files in this folder" means."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
            )
        else:
            found.append(path)
    return found


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
