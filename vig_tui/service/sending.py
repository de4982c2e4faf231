"""Sending requests to the VIG service as one sealed file, from a referrer's own machine.

A referrer's machine has the service's public key installed (``vig-tui
service-key install``) and holds no register of the service's: a request sent
there gets a local number (:mod:`vig_tui.domain.local_numbers`), status
Submitted with no reference and no meeting (the service gives both at
receipt), and one "sent" history entry saying where it goes. The file holds
the requests with their histories, the sender and the sender's own public key
(for the decisions sent back), sealed to the service's key.

Order, so nothing is half done: every request is checked first (nothing is
written if one cannot go); the file is written next (an existing file is never
replaced unless asked, so a wrong path changes nothing); then each request is
saved as sent. If a save fails, the file is removed again and the message
says which requests were recorded as sent (they can be sent again).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import write_atomically
from ..domain.changes import answer_changes
from ..domain.history import Action, Actor
from ..domain.local_numbers import next_local_number
from ..domain.models import FileSending, RequestStatus, VigRequest
from ..domain.rules import blocking, evaluate
from ..domain.wording import plural
from ..private_folders import ensure_private_folder
from .commands import CommandError

if TYPE_CHECKING:
    from ..exchange.payloads import Sender
    from ..preferences import Preferences
    from ..profile import InstalledServiceKey
    from ..store import Repository

#: What a sent request file's name ends with (age's own extension: the standard
#: ``age`` tool opens it too, given the service's key).
FILE_SUFFIX = ".age"


@dataclass(frozen=True)
class SentFile:
    """A request file written, and the requests as stored after sending."""

    path: Path
    requests: list[VigRequest]
    service: InstalledServiceKey

    @property
    def numbers(self) -> list[str]:
        return [r.reference or r.local_number or str(r.id) for r in self.requests]


#: Names another folder for the app's request files (a team's agreed place).
OUTBOX_ENV = "VIG_TUI_OUTBOX"


def outbox_folder() -> Path:
    """Where the app puts request files to attach to an email: ``$VIG_TUI_OUTBOX``, or a
    folder of their own (0700) in ~/Documents, or in the home folder when there is no
    Documents."""
    if override := os.environ.get(OUTBOX_ENV):
        return Path(override).expanduser().absolute()
    documents = Path.home() / "Documents"
    base = documents if documents.is_dir() else Path.home()
    return base / "VIG requests to send"


def file_name(requests: Sequence[VigRequest]) -> str:
    """A name that says what the file is and never whose: the numbers, not the names."""
    first = requests[0].reference or requests[0].local_number or str(requests[0].id)[:8]
    more = f"-and-{len(requests) - 1}-more" if len(requests) > 1 else ""
    return f"vig-request-{first}{more}{FILE_SUFFIX}"


def _free_name(folder: Path, name: str) -> Path:
    """``name`` in ``folder``, or ``NAME-2.age``, ``-3`` ... when it is taken (a request
    sent again): a file made earlier is never replaced."""
    stem = name.removesuffix(FILE_SUFFIX)
    candidate, count = folder / name, 1
    while candidate.exists() or candidate.is_symlink():
        count += 1
        candidate = folder / f"{stem}-{count}{FILE_SUFFIX}"
    return candidate


def label(request: VigRequest) -> str:
    """How a request is named in messages: its number, else its id's first characters."""
    return request.reference or request.local_number or f"draft {str(request.id)[:8]}"


def refusals(request: VigRequest, on: date) -> list[str]:
    """Why ``request`` cannot be sent by file now (empty when it can)."""
    if request.status is RequestStatus.DRAFT:
        problems = blocking(evaluate(request, on))
        return [f"{label(request)}: {finding.message}" for finding in problems]
    if request.sent_by_file is None:
        return [
            f"{label(request)} was sent to this database's own register, not by file: "
            "it is already with the service."
        ]
    return []


def send_by_file(
    store: Repository,
    who: Actor,
    requests: Sequence[VigRequest],
    *,
    on: date,
    service: InstalledServiceKey,
    sender: Sender,
    sender_key: str,
    machine_id: str,
    output: Path,
    folder: bool = False,
    force: bool = False,
) -> SentFile:
    """Send ``requests`` (drafts, or requests sent by file before, sent again with their
    changes) in one sealed file at ``output``: a file, or a folder to name it in
    (``folder``: made 0700 if missing, as the app's outbox is).

    Raises :class:`CommandError` (nothing written) when any cannot go; ``OSError``
    or ``FileExistsError`` when the file cannot be written (nothing recorded);
    :class:`CommandError` too if recording them fails (the file is removed then).
    """
    from ..exchange.outgoing import sealed_request_file
    from ..store import StoreError

    unique = list({request.id: request for request in requests}.values())
    if not unique:
        raise CommandError("Name at least one request to send")
    problems = [problem for request in unique for problem in refusals(request, on)]
    if problems:
        raise CommandError(
            f"Nothing was sent: {plural(len(problems), 'problem')}:\n  " + "\n  ".join(problems)
        )
    taken = [summary.local_number for summary in store.summaries()]
    at = datetime.now(UTC)
    going: list[VigRequest] = []
    for request in unique:
        sent = request.model_copy(deep=True)
        sent.sent_by_file = FileSending(on=on, to=service.email, service_name=service.service_name)
        if request.status is RequestStatus.DRAFT:
            sent.local_number = next_local_number(taken, machine_id)
            taken.append(sent.local_number)
            sent.submitted_on = on
            sent.change_status(
                RequestStatus.SUBMITTED,
                who,
                Action.SENT,
                f"Sent by file to the VIG service ({service.email}) as {sent.local_number}: "
                "waiting for the service's reference",
                changes=answer_changes(request, sent, ("local_number", "submitted_on")),
                at=at,
            )
        else:
            sent.record(
                who,
                Action.SENT,
                f"Sent again by file to the VIG service ({service.email}), with the changes "
                "made since",
                at=at,
            )
        going.append(sent)
    # The copies in the file are the copies stored below (the store only moves the version on).
    in_file = [r.model_copy(update={"version": r.version + 1}) for r in going]
    data = sealed_request_file(
        in_file, sender=sender, sender_key=sender_key, recipient=service.public_key, sent_at=at
    )
    if folder:
        ensure_private_folder(output)
    path = _free_name(output, file_name(going)) if output.is_dir() else output
    ensure_private_folder(path.parent)
    write_atomically(path, data, overwrite=force)
    stored: list[VigRequest] = []
    try:
        for request, sent in zip(unique, going, strict=True):
            stored.append(store.save(sent, base_version=request.version, ledger=Action.SENT))
    except StoreError as error:
        with contextlib.suppress(OSError):
            os.remove(path)
        recorded = (
            f" {', '.join(label(r) for r in stored)} {'was' if len(stored) == 1 else 'were'} "
            "recorded as sent: send again to make a new file."
            if stored
            else " Nothing was recorded as sent."
        )
        raise CommandError(f"{error} The file {path} was removed.{recorded}") from error
    return SentFile(path=path, requests=stored, service=service)


def sends_by_file(
    service_key: InstalledServiceKey | None,
    database: str | Path,
    store: Repository | None = None,
) -> bool:
    """True on a referrer's machine: the service's key is installed in the worker's
    settings, and the database is not itself the service's register (a file with the
    service's private key beside it; a register on a server, ``store``, holding the
    service's public key), which gives references as it always has."""
    from ..exchange.keys import service_key_path
    from ..store import SharedRegister

    if service_key is None:
        return False
    if isinstance(database, Path):
        return not service_key_path(database).exists()
    return not (isinstance(store, SharedRegister) and store.service_public_key() is not None)


def sender_of(preferences: Preferences, settings_folder: Path) -> tuple[Sender, str]:
    """Who is sending (from the profile) and their own public key, made on first use in
    ``settings_folder`` (0600): the service seals the decisions back to it."""
    from ..exchange.keys import own_identity
    from ..exchange.payloads import Sender
    from ..profile import os_login

    profile = preferences.profile
    if profile is None:
        raise CommandError(
            "Set your profile first (`vig-tui profile --name NAME --role ROLE`): the "
            "service needs to know who sent the requests"
        )
    sender = Sender(
        name=profile.name,
        role=profile.role_label,
        team=profile.team,
        phone=profile.phone,
        email=profile.email,
        user=os_login()[:200],
        machine=preferences.machine_id[:200],
    )
    return sender, str(own_identity(settings_folder).to_public())
