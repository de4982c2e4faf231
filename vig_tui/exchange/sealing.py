"""Seal a JSON document to a recipient's public key, and open it again: all or nothing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pyrage
from pyrage import x25519

#: A sealed file larger than this is refused before any work is done on it.
MAX_SEALED_BYTES = 64 * 1024 * 1024
_AGE_MAGIC = b"age-encryption.org/v1\n"


class ExchangeError(Exception):
    """A file that cannot be sent or received; ``str()`` is a message for the person."""


def seal(document: dict[str, Any], recipient: str) -> bytes:
    """``document`` as JSON, sealed so that only ``recipient``'s private key opens it."""
    try:
        key = x25519.Recipient.from_str(recipient)
    except Exception as error:  # pyrage raises its own RecipientError, or ValueError
        raise ExchangeError(f"{recipient[:20]}… is not a public key ({error})") from None
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return bytes(pyrage.encrypt(payload, [key]))


def unseal(data: bytes, identities: Sequence[x25519.Identity], *, name: str) -> dict[str, Any]:
    """The JSON document sealed in ``data``; :class:`ExchangeError` saying why not."""
    if len(data) > MAX_SEALED_BYTES:
        raise ExchangeError(
            f"{name} is {len(data):,} bytes, larger than any file vig-tui sends; it was not opened."
        )
    if not data.startswith(_AGE_MAGIC):
        raise ExchangeError(f"{name} is not a sealed vig-tui file.")
    try:
        payload = bytes(pyrage.decrypt(data, list(identities)))
    except pyrage.DecryptError:
        raise ExchangeError(
            f"{name} cannot be opened: it was sealed for another key, or it was cut short "
            "or changed on the way. Nothing from it was used; ask for it to be sent again."
        ) from None
    except Exception as error:  # a header pyrage cannot parse
        raise ExchangeError(f"{name} is damaged and cannot be opened ({error}).") from None
    try:
        document = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ExchangeError(
            f"{name} opened, but what it holds is not readable ({error})."
        ) from None
    if not isinstance(document, dict):
        raise ExchangeError(f"{name} opened, but it holds no vig-tui document.")
    return document
