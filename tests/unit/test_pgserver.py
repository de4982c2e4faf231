"""The throwaway server's finder says why there is no server, rather than failing oddly."""

from __future__ import annotations

from pathlib import Path

import pytest

from vig_tui.tools import pgserver


def test_no_binaries_is_a_reason_to_show(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pgserver, "_SEARCH", (str(tmp_path / "nowhere" / "*"),))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(pgserver.ServerUnavailable, match="apt-get install postgresql-15"):
        pgserver.find_binaries()


def test_the_url_names_the_socket_folder_and_never_a_network_host() -> None:
    url = pgserver.socket_url(Path("/tmp/vig pg"), user="alice")
    assert url == "postgresql://alice@%2Ftmp%2Fvig%20pg/vig"


def test_messages_show_a_socket_folder_as_a_folder_and_never_a_password() -> None:
    from vig_tui.store.postgres.connection import location

    assert location("postgresql://alice@%2Ftmp%2Fvig%20pg/vig") == (
        "postgresql://alice@localhost/vig (socket folder /tmp/vig pg)"
    )
    assert location("postgresql://sam:secret@DBHost:5433/vig?sslmode=require&password=x") == (
        "postgresql://sam@DBHost:5433/vig?sslmode=require"
    )
