"""A request file as it leaves a referrer's machine: built, checked whole, sealed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ..domain.models import VigRequest
from .payloads import RequestFile, Sender
from .sealing import seal


def sealed_request_file(
    requests: Sequence[VigRequest],
    *,
    sender: Sender,
    sender_key: str,
    recipient: str,
    sent_at: datetime,
) -> bytes:
    """The requests (with their histories), the sender and the sender's public key,
    as a :class:`RequestFile` sealed so only ``recipient``'s private key opens it.

    The document is validated as the receiving side validates it, so a file that
    would be refused there is never written here.
    """
    document = RequestFile(
        sent_at=sent_at, sender=sender, sender_key=sender_key, requests=list(requests)
    )
    checked = RequestFile.model_validate(document.model_dump(mode="json"))
    return seal(checked.model_dump(mode="json"), recipient)
