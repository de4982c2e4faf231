"""The service's key pair and each worker's own: made once, kept owner-only.

* The service's register in a file holds the service's private key beside its
  database (``<database>.service-key``, 0600, optionally sealed with a passphrase
  by age's scrypt); the public half goes to referrers in a small "service key
  file" with the service's name and address.
* The service's register on a server keeps only the public key (``vig.service_key``);
  the private key stays on the coordinator's computer, in the data folder
  (``service-keys/register-<sha256 of the public key>.service-key``, 0600, the
  same passphrase protection), so nobody reading the server's tables can open a
  request sealed to the service.
* A worker's machine makes its own key pair the first time it sends a request
  (in the worker's settings folder, 0600) and sends the public half with the
  request, so the service can seal the decisions back to it.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from pyrage import passphrase, x25519

from ..atomic import write_atomically
from ..private_folders import ensure_private_folder
from ..store.paths import APP_NAME
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


def _write_private(path: Path, identity: x25519.Identity, secret: str | None) -> None:
    """Write ``identity`` to a new file ``path`` (0600), sealed by ``secret`` if given."""
    data = str(identity).encode("ascii")
    if secret:
        data = bytes(passphrase.encrypt(data, secret))
    write_atomically(path, data, overwrite=False)


class PassphraseNeeded(ExchangeError):
    """The key file is protected by a passphrase, and none was given or not that one."""


def identity_from(data: bytes, secret: str | None, *, name: str) -> x25519.Identity:
    """The private key held by a key file's bytes (opened with ``secret`` if it has a
    passphrase); :class:`ExchangeError` if locked or damaged."""
    if data.startswith(_PASSPHRASE_MAGIC):
        if not secret:
            raise PassphraseNeeded(
                f"The service's key {name} is protected by a passphrase: give it "
                "(--passphrase-stdin, or VIG_TUI_KEY_PASSPHRASE)."
            )
        try:
            data = bytes(passphrase.decrypt(data, secret))
        except Exception:
            raise PassphraseNeeded(f"That passphrase does not open {name}.") from None
    try:
        return x25519.Identity.from_str(data.decode("ascii").strip())
    except Exception:
        raise ExchangeError(f"{name} does not hold a usable key.") from None


def _read_key_file(path: Path, secret: str | None, *, missing: str) -> x25519.Identity:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ExchangeError(missing) from None
    except OSError as error:
        raise ExchangeError(f"{path} cannot be read ({error.strerror}).") from None
    return identity_from(data, secret, name=str(path))


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
    _write_private(path, identity, secret)
    return str(identity.to_public())


def load_service_identity(db_path: Path, secret: str | None = None) -> x25519.Identity:
    """The service's private key; :class:`ExchangeError` if missing, locked or damaged."""
    path = service_key_path(db_path)
    missing = (
        f"This register has no service key ({path}): make one with "
        "`vig-tui service-key create -o FILE`."
    )
    return _read_key_file(path, secret, missing=missing)


# A register on a server: the server keeps the public key, the coordinator's own computer
# the private key, in the data folder, named for the key it belongs to.


def service_keys_folder() -> Path:
    """Where a coordinator's computer keeps the private keys of registers on servers."""
    return platformdirs.user_data_path(APP_NAME) / "service-keys"


def register_key_path(public_key: str, folder: Path | None = None) -> Path:
    """The private key file of the server register whose public key is ``public_key``:
    named by the first 16 hex characters of the key's SHA-256, so two registers' keys
    never mix, and the name follows the register if it moves to another server."""
    digest = hashlib.sha256(public_key.encode("ascii")).hexdigest()[:16]
    return (folder or service_keys_folder()) / f"register-{digest}.service-key"


def create_register_key(secret: str | None = None, folder: Path | None = None) -> tuple[str, Path]:
    """A new key pair for a register on a server: the private half in ``folder`` (0700,
    the file 0600, behind ``secret`` if given). Returns the public key and the file."""
    folder = folder or service_keys_folder()
    ensure_private_folder(folder)
    identity = x25519.Identity.generate()
    path = register_key_path(str(identity.to_public()), folder)
    _write_private(path, identity, secret)
    return str(identity.to_public()), path


def load_register_identity(
    public_key: str, secret: str | None = None, folder: Path | None = None
) -> x25519.Identity:
    """The private key of the server register whose public key is ``public_key``;
    :class:`ExchangeError` if this computer does not hold it, or it is locked or damaged."""
    path = register_key_path(public_key, folder)
    missing = (
        f"This computer does not hold the private key of the service's register (it would be "
        f"{path}). On the coordinator's computer that made it, it is a file of the same name: "
        "copy it here by a safe route (not email) and run "
        "`vig-tui service-key install-private FILE --db URL`."
    )
    identity = _read_key_file(path, secret, missing=missing)
    if str(identity.to_public()) != public_key:
        raise ExchangeError(f"{path} holds another register's key, not this one's.")
    return identity


def install_register_key(
    data: bytes, secret: str | None, *, name: str, folder: Path | None = None
) -> tuple[str, Path]:
    """Keep a copy of a register's private key file (as it is: a passphrase stays) in
    ``folder``; the public key and where it went. :class:`ExchangeError` if it does not
    hold a usable key."""
    identity = identity_from(data, secret, name=name)
    public_key = str(identity.to_public())
    folder = folder or service_keys_folder()
    ensure_private_folder(folder)
    path = register_key_path(public_key, folder)
    if not path.exists():
        write_atomically(path, data, overwrite=False)
    return public_key, path


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
