"""Sealed files: only the intended key opens them, nothing readable leaks, and any damage,
wrong key or wrong shape is refused whole with a message, never a traceback."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyrage import x25519

from vig_tui.exchange.keys import (
    ServicePublicKey,
    create_service_key,
    load_service_identity,
    own_identity,
    service_key_path,
)
from vig_tui.exchange.payloads import RequestFile, Sender, read_document
from vig_tui.exchange.sealing import ExchangeError, seal, unseal
from vig_tui.tools.gallery import example_request

SERVICE = x25519.Identity.generate()
REFERRER = x25519.Identity.generate()
STRANGER = x25519.Identity.generate()


def request_file() -> RequestFile:
    return RequestFile(
        sent_at=datetime(2026, 11, 30, 9, tzinfo=UTC),
        sender=Sender(name="Ann Kitto", role="Health visitor", team="Redruth HV"),
        sender_key=str(REFERRER.to_public()),
        requests=[example_request()],
    )


FILE = request_file()
SEALED = seal(FILE.model_dump(mode="json"), str(SERVICE.to_public()))


def open_file(data: bytes, identity: x25519.Identity = SERVICE) -> RequestFile:
    document = read_document(unseal(data, [identity], name="request.vig"), name="request.vig")
    assert isinstance(document, RequestFile)
    return document


def test_the_service_opens_what_was_sealed_to_it_whole() -> None:
    assert open_file(SEALED) == FILE


def test_nothing_readable_is_in_the_sealed_bytes() -> None:
    request = example_request()
    for secret in (request.child.name, request.child.postcode, "Ann Kitto", "Tregear"):
        assert secret.encode() not in SEALED
        assert secret.lower().encode() not in SEALED


def test_the_wrong_key_cannot_open_it() -> None:
    with pytest.raises(ExchangeError, match="sealed for another key"):
        open_file(SEALED, STRANGER)


def test_the_service_key_is_owner_only_and_optionally_needs_its_passphrase(
    tmp_path: Path,
) -> None:
    db = tmp_path / "service.json"
    public = create_service_key(db, secret="correct horse")
    path = service_key_path(db)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert b"AGE-SECRET-KEY" not in path.read_bytes()  # sealed by the passphrase
    with pytest.raises(ExchangeError, match="protected by a passphrase"):
        load_service_identity(db)
    with pytest.raises(ExchangeError, match="does not open"):
        load_service_identity(db, "wrong")
    identity = load_service_identity(db, "correct horse")
    assert str(identity.to_public()) == public
    with pytest.raises(ExchangeError, match="already holds the service's key"):
        create_service_key(db)


def test_a_worker_keeps_one_key_of_their_own(tmp_path: Path) -> None:
    first = own_identity(tmp_path / "config")
    assert str(own_identity(tmp_path / "config")) == str(first)
    assert stat.S_IMODE(os.stat(tmp_path / "config" / "own-key").st_mode) == 0o600


def test_the_service_key_file_round_trips_and_rejects_what_it_is_not() -> None:
    key = ServicePublicKey(str(SERVICE.to_public()), "VIG Service", "vig@example.org", "01209")
    assert ServicePublicKey.from_json(key.to_json(), name="k") == key
    for text, message in (
        ("not json", "not JSON"),
        ("[]", "not a service key file"),
        (json.dumps({"kind": "vig-service-public-key"}), "no public key"),
        (json.dumps({"kind": "vig-service-public-key", "public_key": "age1xyz"}), "damaged"),
    ):
        with pytest.raises(ExchangeError, match=message):
            ServicePublicKey.from_json(text, name="k")


def _damaged(data: bytes, how: str, where: int, bit: int) -> bytes:
    spot = where % len(data)
    if how == "truncate":
        return data[:spot]
    if how == "flip":
        return data[:spot] + bytes([data[spot] ^ (1 << bit)]) + data[spot + 1 :]
    if how == "append":
        return data + bytes([bit]) * (where % 64 + 1)
    return data[:spot] + data[spot + 1 :]  # drop a byte


_WRONG_SHAPES = st.one_of(
    st.just({"kind": "vig-request-file"}),
    st.just({"kind": "vig-request-file", "format": 2}),
    st.just({"kind": "something else", "requests": []}),
    st.dictionaries(st.text(max_size=8), st.integers() | st.text(max_size=8), max_size=5),
    st.builds(
        lambda n: {**request_file().model_dump(mode="json"), "requests": [{"id": n}]},
        st.integers(),
    ),
)


@settings(max_examples=700, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    how=st.sampled_from(["truncate", "flip", "append", "drop"]),
    where=st.integers(min_value=0, max_value=10_000),
    bit=st.integers(min_value=0, max_value=7),
)
def test_a_damaged_file_is_refused_whole_with_a_message(how: str, where: int, bit: int) -> None:
    damaged = _damaged(SEALED, how, where, bit)
    if damaged == SEALED:
        return
    with pytest.raises(ExchangeError) as caught:
        open_file(damaged)
    assert "request.vig" in str(caught.value)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=_WRONG_SHAPES)
def test_a_well_sealed_file_of_the_wrong_shape_is_refused(document: dict[str, object]) -> None:
    data = seal(document, str(SERVICE.to_public()))
    with pytest.raises(ExchangeError, match=r"request\.vig"):
        open_file(data)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(junk=st.binary(max_size=2_000))
def test_anything_else_is_refused(junk: bytes) -> None:
    with pytest.raises(ExchangeError):
        open_file(junk)


def test_a_huge_file_is_refused_before_it_is_opened() -> None:
    huge = b"age-encryption.org/v1\n" + b"\0" * (64 * 1024 * 1024 + 1)
    with pytest.raises(ExchangeError, match="larger than any file"):
        open_file(huge)


def test_resealed_to_another_key_it_is_refused() -> None:
    other = seal(request_file().model_dump(mode="json"), str(STRANGER.to_public()))
    with pytest.raises(ExchangeError, match="sealed for another key"):
        open_file(other)
