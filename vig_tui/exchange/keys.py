"""The service's key pair and each worker's own: made once, kept owner-only.

* The service's register holds the service's private key beside its database
  (``<database>.service-key``, 0600, optionally sealed with a passphrase by
  age's scrypt); the public half goes to referrers in a small "service key
  file" with the service's name and address.
* A worker's machine makes its own key pair the first time it sends a request
  (in the worker's settings folder, 0600) and sends the public half with the
  request, so the service can seal the decisions back to it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from pyrage import passphrase, x25519

from ..atomic import write_atomically
from .sealing import ExchangeError

KEY_FILE_KIND = "vig-service-public-key"
_PASSPHRASE_MAGIC = b"age-encryption.org/v1\n"


@dataclass(frozen=True)
class ServicePublicKey:
    """What a referrer needs to send to the service: its key, name and address."""

    public_key: str
    service_name: str
    email: str
    phone: str

    def to_json(self) -> str:
        return (
            json.dumps(
                {
                    "kind": KEY_FILE_KIND,
                    "public_key": self.public_key,
                    "service_name": self.service_name,
                    "email": self.email,
                    "phone": self.phone,
                },
                indent=2,
            )
            + "\n"
        )

    @classmethod
    def from_json(cls, text: str, *, name: str) -> ServicePublicKey:
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            raise ExchangeError(f"{name} is not a service key file (it is not JSON).") from None
        if not isinstance(data, dict) or data.get("kind") != KEY_FILE_KIND:
            raise ExchangeError(f"{name} is not a service key file made by vig-tui.")
        key = data.get("public_key")
        if not isinstance(key, str):
            raise ExchangeError(f"{name} holds no public key.")
        try:
            x25519.Recipient.from_str(key)
        except Exception:
            raise ExchangeError(f"{name}: its public key is damaged.") from None
        fields = [data.get(k, "") for k in ("service_name", "email", "phone")]
        if not all(isinstance(value, str) for value in fields):
            raise ExchangeError(f"{name}: the service's name, email and phone must be text.")
        return cls(key, *fields)


def service_key_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".service-key")


def create_service_key(db_path: Path, secret: str | None = None) -> str:
    """Make the service's key pair beside ``db_path``; returns the public key.

    Refuses to replace a key that exists: requests already sealed to it could no
    longer be opened.
    """
    path = service_key_path(db_path)
    if path.exists():
        raise ExchangeError(
            f"{path} already holds the service's key; replacing it would lose every request "
            "sealed to it. Hand out its public key again with `vig-tui service-key show`."
        )
    identity = x25519.Identity.generate()
    data = str(identity).encode("ascii")
    if secret:
        data = bytes(passphrase.encrypt(data, secret))
    write_atomically(path, data, overwrite=False)
    return str(identity.to_public())


def load_service_identity(db_path: Path, secret: str | None = None) -> x25519.Identity:
    """The service's private key; :class:`ExchangeError` if missing, locked or damaged."""
    path = service_key_path(db_path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ExchangeError(
            f"This register has no service key ({path}): make one with "
            "`vig-tui service-key create -o FILE`."
        ) from None
    except OSError as error:
        raise ExchangeError(f"{path} cannot be read ({error.strerror}).") from None
    if data.startswith(_PASSPHRASE_MAGIC):
        if not secret:
            raise ExchangeError(
                f"The service's key {path} is protected by a passphrase: give it "
                "(--passphrase-file FILE, or VIG_TUI_KEY_PASSPHRASE)."
            )
        try:
            data = bytes(passphrase.decrypt(data, secret))
        except Exception:
            raise ExchangeError(f"That passphrase does not open {path}.") from None
    try:
        return x25519.Identity.from_str(data.decode("ascii").strip())
    except Exception:
        raise ExchangeError(f"{path} does not hold a usable key.") from None


def own_identity(folder: Path) -> x25519.Identity:
    """This worker's own key pair (made on first use), for decisions sealed back to them."""
    path = folder / "own-key"
    try:
        return x25519.Identity.from_str(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        identity = x25519.Identity.generate()
        os.makedirs(folder, mode=0o700, exist_ok=True)
        write_atomically(path, str(identity).encode("ascii"), overwrite=False)
        return identity
    except Exception:
        raise ExchangeError(f"{path} does not hold a usable key.") from None
