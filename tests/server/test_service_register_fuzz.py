"""Hostile request files received into the service's register on a server: cut short,
bit-flipped, sealed to another key, the wrong shape, or noise. Each is refused with one
clear line and exit code 1, and the server's tables are exactly as they were."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyrage import x25519

from tests.postgres_server import with_url
from tests.server.test_service_register import _stored_text
from tests.unit.test_receiving import request_file, sent_copy
from tests.unit.test_three_databases import vig
from vig_tui.exchange.sealing import seal
from vig_tui.store.postgres import add_user

_STRANGER = str(x25519.Identity.generate().to_public())


@pytest.fixture
def register(pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    """The coordinator's URL to a service's register on the server, and its public key."""
    login = f"cara_{uuid4().hex[:8]}"
    add_user(pg_url, login, "coordinator", "Cara Example")
    url = with_url(pg_url, user=login)
    key_file = tmp_path / "key.json"
    code, _, err = vig(capsys, "service-key", "create", "-o", str(key_file), "--db", url)
    assert code == 0, err
    return url, json.loads(key_file.read_text())["public_key"]


def _hostile(good: bytes, public_key: str) -> st.SearchStrategy[bytes]:
    document = request_file(sent_copy()).model_dump(mode="json")
    return st.one_of(
        st.integers(0, len(good) - 1).map(lambda n: good[:n]),
        st.tuples(st.integers(0, len(good) - 1), st.integers(0, 7)).map(
            lambda at: good[: at[0]] + bytes([good[at[0]] ^ (1 << at[1])]) + good[at[0] + 1 :]
        ),
        st.just(seal(document, _STRANGER)),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(st.text(max_size=8), inner, max_size=4)
            ),
            max_leaves=12,
        ).map(lambda value: seal(value, public_key)),
        st.binary(max_size=2000),
    )


def test_hostile_files_are_refused_whole(
    register: tuple[str, str],
    pg_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, public_key = register
    good = seal(request_file(sent_copy()).model_dump(mode="json"), public_key)
    before = _stored_text(pg_url)
    path = tmp_path / "hostile.age"

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=_hostile(good, public_key))
    def refused(data: bytes) -> None:
        path.write_bytes(data)
        code, out, err = vig(capsys, "receive", str(path), "--db", url)
        assert code == 1 and out == "", (out, err)
        assert err.count("\n") == 1 and err.startswith("vig-tui: ") and str(path) in err
        assert "Traceback" not in err

    refused()
    assert _stored_text(pg_url) == before
