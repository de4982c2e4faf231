"""Issue #11 with the service's register on a PostgreSQL server (#11 §6 on a real server).

Two referrers' laptops (file databases, both numbering DRAFT-...) send by sealed file;
the coordinator receives both files twice into the server; a one-sided change merges, a
two-sided change waits in the Inbox and is settled through the service command,
attributed to the coordinator's login; the notices flow back and each laptop's
`list --json` shows its decision. `audit verify` passes on the server and both files.

The server keeps only the service's public key (migration 7); the private key is a
file on the coordinator's computer (0600, in the data folder), which a referrer's login
can neither make, nor read through the server, nor use to receive.
"""

from __future__ import annotations

import io
import json
import os
import stat
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest
from pyrage import x25519

from tests.postgres_server import with_url
from tests.unit.test_three_databases import (
    change_child,
    decide_both,
    machine,
    make_draft,
    send,
    vig,
)
from vig_tui.domain.history import Action
from vig_tui.domain.receiving import Choice
from vig_tui.exchange.keys import register_key_path, service_keys_folder
from vig_tui.exchange.sealing import seal
from vig_tui.service import correct
from vig_tui.service.receiving import resolve_conflict
from vig_tui.store import open_repository
from vig_tui.store.postgres import add_user

from ..unit.test_receiving import request_file, sent_copy

_STRANGER = str(x25519.Identity.generate().to_public())


@pytest.fixture
def logins(pg_url: str) -> dict[str, str]:
    """The coordinator's and a referrer's logins on the register, and their URLs."""
    urls = {}
    for who, role in (("cara", "coordinator"), ("rob", "referrer")):
        login = f"{who}_{uuid4().hex[:8]}"
        add_user(pg_url, login, role, f"{who.title()} Example")
        urls[who] = with_url(pg_url, user=login)
    return urls


def _stored_text(admin_url: str) -> str:
    """Every row of every table of the register, as text (what a DB admin can read)."""
    with psycopg.connect(admin_url) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'vig'"
            )
        ]
        return "\n".join(
            str(row[0])
            for table in tables
            for row in connection.execute(f"SELECT to_jsonb(t)::text FROM vig.{table} t")
        )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_referrer_cannot_make_the_register_the_services(
    logins: dict[str, str], pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "key.json"
    code, out, err = vig(
        capsys, "service-key", "create", "-o", str(key_file), "--db", logins["rob"]
    )
    assert code == 1 and out == ""
    assert "Only the service's coordinator can make the register the service's" in err
    assert "Traceback" not in err
    assert not key_file.exists() and not service_keys_folder().exists()
    # PostgreSQL itself refuses a referrer's login the key's table, whatever the app does.
    with (
        psycopg.connect(logins["rob"], autocommit=True) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        connection.execute(
            "INSERT INTO vig.service_key (public_key) VALUES (%s)",
            (str(x25519.Identity.generate().to_public()),),
        )
    code, _, err = vig(capsys, "service-key", "show", "--db", logins["rob"])
    assert code == 1 and "is not the service's register yet" in err


def test_the_key_is_made_once_and_kept_as_made(
    logins: dict[str, str], pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "key.json"
    code, out, err = vig(
        capsys, "service-key", "create", "-o", str(key_file), "--db", logins["cara"]
    )
    assert (code, err) == (0, ""), err
    public_key = json.loads(key_file.read_text())["public_key"]
    private = register_key_path(public_key)
    assert str(private) in out and "The server keeps only its public key" in out
    assert _mode(private) == 0o600 and _mode(private.parent) == 0o700
    secret = private.read_text().strip()
    assert secret.startswith("AGE-SECRET-KEY-")
    # Nothing on the server holds the private key: only the public one.
    stored = _stored_text(pg_url)
    assert public_key in stored and secret not in stored and secret.lower() not in stored
    # Anyone may write the public key file again; a second key is refused.
    code, shown, _ = vig(capsys, "service-key", "show", "--db", logins["rob"])
    assert code == 0 and json.loads(shown) == json.loads(key_file.read_text())
    again = tmp_path / "again.json"
    code, _, err = vig(capsys, "service-key", "create", "-o", str(again), "--db", logins["cara"])
    assert code == 1 and "is the service's already" in err
    assert sorted(service_keys_folder().iterdir()) == [private]
    # Not even the coordinator's login can change or remove it.
    with psycopg.connect(logins["cara"], autocommit=True) as connection:
        for statement in (
            "UPDATE vig.service_key SET public_key = public_key",
            "DELETE FROM vig.service_key",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)


def test_a_public_key_file_that_cannot_be_written_says_how_to_write_it_again(
    logins: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a-file").write_text("")
    nowhere = tmp_path / "a-file" / "key.json"
    code, out, err = vig(
        capsys, "service-key", "create", "-o", str(nowhere), "--db", logins["cara"]
    )
    assert code == 3 and out == "" and "Traceback" not in err
    assert "cannot be written" in err and "service-key show -o FILE" in err
    code, shown, _ = vig(capsys, "service-key", "show", "--db", logins["cara"])
    assert code == 0 and register_key_path(json.loads(shown)["public_key"]).exists()


def test_a_passphrase_protects_the_key_and_receive_asks_for_it(
    logins: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key_file = tmp_path / "key.json"
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    code, out, err = vig(
        capsys,
        "service-key",
        "create",
        "-o",
        str(key_file),
        "--passphrase-stdin",
        "--db",
        logins["cara"],
    )
    assert (code, err) == (0, ""), err
    assert "protected by your passphrase" in out
    public_key = json.loads(key_file.read_text())["public_key"]
    assert register_key_path(public_key).read_bytes().startswith(b"age-encryption.org/v1\n")
    sealed = tmp_path / "one.age"
    sealed.write_bytes(seal(request_file(sent_copy()).model_dump(mode="json"), public_key))
    code, out, err = vig(capsys, "receive", str(sealed), "--db", logins["cara"])
    assert code == 1 and "protected by a passphrase" in err and out == ""
    monkeypatch.setenv("VIG_TUI_KEY_PASSPHRASE", "wrong")
    code, _, err = vig(capsys, "receive", str(sealed), "--db", logins["cara"])
    assert code == 1 and "That passphrase does not open" in err
    monkeypatch.setenv("VIG_TUI_KEY_PASSPHRASE", "correct horse battery")
    code, out, err = vig(capsys, "receive", str(sealed), "--db", logins["cara"])
    assert (code, err) == (0, ""), err
    assert "1 new request: VIG-2026-0001" in out


def test_another_coordinators_computer_installs_the_private_key(
    logins: dict[str, str],
    pg_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key_file = tmp_path / "key.json"
    assert vig(capsys, "service-key", "create", "-o", str(key_file), "--db", logins["cara"])[0] == 0
    public_key = json.loads(key_file.read_text())["public_key"]
    carried = tmp_path / "usb-stick" / "register.service-key"
    carried.parent.mkdir()
    carried.write_bytes(register_key_path(public_key).read_bytes())
    sealed = tmp_path / "one.age"
    sealed.write_bytes(seal(request_file(sent_copy()).model_dump(mode="json"), public_key))

    # The second computer: a data folder of its own, no key yet.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "second-computer"))
    code, out, err = vig(capsys, "receive", str(sealed), "--db", logins["cara"])
    assert code == 1 and out == ""
    assert "does not hold the private key" in err and "install-private" in err
    stranger = tmp_path / "stranger.service-key"
    stranger.write_text(str(x25519.Identity.generate()))
    code, _, err = vig(
        capsys, "service-key", "install-private", str(stranger), "--db", logins["cara"]
    )
    assert code == 1 and "belongs to another register" in err
    assert not service_keys_folder().exists()
    code, _, err = vig(
        capsys, "service-key", "install-private", str(carried), "--db", logins["rob"]
    )
    assert code == 1 and "Only the service's coordinator" in err
    code, out, err = vig(
        capsys, "service-key", "install-private", str(carried), "--db", logins["cara"]
    )
    assert (code, err) == (0, ""), err
    assert _mode(register_key_path(public_key)) == 0o600
    code, out, err = vig(capsys, "receive", str(sealed), "--db", logins["cara"])
    assert (code, err) == (0, ""), err
    # A register in a file keeps its key beside it: install-private says so.
    code, _, err = vig(
        capsys, "service-key", "install-private", str(carried), "--db", str(tmp_path / "r.json")
    )
    assert code == 2 and "beside it" in err


def test_a_register_moved_from_a_file_keeps_its_key(
    logins: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    register = tmp_path / "register.json"
    key_file = tmp_path / "key.json"
    assert vig(capsys, "service-key", "create", "-o", str(key_file), "--db", str(register))[0] == 0
    beside = Path(f"{register}.service-key")
    code, out, err = vig(
        capsys, "service-key", "install-private", str(beside), "--db", logins["cara"]
    )
    assert (code, err) == (0, ""), err
    assert "is now the VIG service's register" in out
    code, shown, _ = vig(capsys, "service-key", "show", "--db", logins["rob"])
    assert json.loads(shown)["public_key"] == json.loads(key_file.read_text())["public_key"]


def test_a_register_that_is_not_the_services_says_so(
    logins: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sealed = tmp_path / "one.age"
    sealed.write_bytes(seal(request_file(sent_copy()).model_dump(mode="json"), _STRANGER))
    code, out, err = vig(capsys, "receive", str(sealed), "--db", logins["cara"])
    assert code == 1 and out == ""
    assert "is not the service's register yet" in err and "service-key create" in err


def test_a_referrer_cannot_receive(
    logins: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "key.json"
    assert vig(capsys, "service-key", "create", "-o", str(key_file), "--db", logins["cara"])[0] == 0
    public_key = json.loads(key_file.read_text())["public_key"]
    sealed = tmp_path / "one.age"
    sealed.write_bytes(seal(request_file(sent_copy()).model_dump(mode="json"), public_key))
    code, out, err = vig(capsys, "receive", str(sealed), "--db", logins["rob"])
    assert code == 1 and out == ""
    assert "Only the service's coordinator receives files" in err
    code, out, _ = vig(capsys, "list", "--json", "--db", logins["cara"])
    assert json.loads(out) == []


def test_damaged_or_wrongly_sealed_files_write_nothing_on_the_server(
    logins: dict[str, str], pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "key.json"
    assert vig(capsys, "service-key", "create", "-o", str(key_file), "--db", logins["cara"])[0] == 0
    public_key = json.loads(key_file.read_text())["public_key"]
    good = tmp_path / "good.age"
    good.write_bytes(seal(request_file(sent_copy()).model_dump(mode="json"), public_key))
    cut = tmp_path / "cut.age"
    cut.write_bytes(good.read_bytes()[:-40])
    flipped = bytearray(good.read_bytes())
    flipped[len(flipped) // 2] ^= 0x01
    altered = tmp_path / "altered.age"
    altered.write_bytes(bytes(flipped))
    stranger = tmp_path / "stranger.age"
    stranger.write_bytes(
        seal(
            request_file(sent_copy()).model_dump(mode="json"),
            str(x25519.Identity.generate().to_public()),
        )
    )
    wrong_shape = tmp_path / "shape.age"
    wrong_shape.write_bytes(seal({"kind": "vig-request-file", "requests": 3}, public_key))
    before = _stored_text(pg_url)
    for bad in (cut, altered, stranger, wrong_shape):
        code, out, err = vig(capsys, "receive", str(bad), "--db", logins["cara"])
        assert code == 1 and out == "", (bad, out)
        assert err.count("\n") == 1 and str(bad) in err and "Traceback" not in err
    assert _stored_text(pg_url) == before


def test_two_laptops_and_the_register_on_a_server(
    logins: dict[str, str],
    pg_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ann = machine(tmp_path, "ann", "Ann Kitto", "health_visitor")
    ben = machine(tmp_path, "ben", "Ben Rowe", "social_worker")
    office = machine(tmp_path, "office", "Cara Coordinator", "")  # its register: the server
    register = logins["cara"]
    cara_login = psycopg.conninfo.conninfo_to_dict(register)["user"]

    def verified() -> None:
        for where in (str(ann.db), str(ben.db), register):
            code, out, err = vig(capsys, "audit", "verify", "--db", where)
            assert code == 0, (where, out, err)

    office.use(monkeypatch)
    key_file = tmp_path / "vig-service-key.json"
    code, _, err = vig(capsys, "service-key", "create", "-o", str(key_file), "--db", register)
    assert (code, err) == (0, ""), err
    public_key = json.loads(key_file.read_text())["public_key"]
    assert _mode(register_key_path(public_key)) == 0o600

    # Both laptops install the key, make their first request and send it by file.
    ann_who = ann.use(monkeypatch)
    assert vig(capsys, "service-key", "install", str(key_file))[0] == 0
    ann_request = make_draft(ann_who, ann, "Amelia Tregear")
    ann_file = send(capsys, ann, ann_request, tmp_path / "ann-1.age")
    ben_who = ben.use(monkeypatch)
    assert vig(capsys, "service-key", "install", str(key_file))[0] == 0
    ben_request = make_draft(ben_who, ben, "Jory Pascoe")
    ben_file = send(capsys, ben, ben_request, tmp_path / "ben-1.age")
    with open_repository(ann.db, read_only=True) as store:
        ann_request = store.get(ann_request.id)
    with open_repository(ben.db, read_only=True) as store:
        ben_request = store.get(ben_request.id)
    assert ann_request.local_number and ben_request.local_number
    assert ann_request.local_number.startswith("DRAFT-") and ben_request.reference is None

    # The coordinator receives both files, twice, into the server.
    cara = office.use(monkeypatch)
    code, out, err = vig(capsys, "receive", str(ann_file), str(ben_file), "--db", register)
    assert (code, err) == (0, ""), err
    code, out, err = vig(capsys, "receive", str(ann_file), str(ben_file), "--db", register)
    assert code == 0 and out.count("already received; nothing changed") == 2
    code, out, _ = vig(capsys, "list", "--json", "--db", register)
    rows = json.loads(out)
    assert sorted(r["reference"] for r in rows) == ["VIG-2026-0001", "VIG-2026-0002"]
    assert sorted(r["child_name"] for r in rows) == ["Amelia Tregear", "Jory Pascoe"]
    with open_repository(register, read_only=True) as store:
        for sent in (ann_request, ben_request):
            held = store.get(sent.id)
            assert [e.hash for e in held.history[: len(sent.history)]] == [
                e.hash for e in sent.history
            ]
            assert held.history[-1].action == Action.RECEIVED and held.history[-1].who == cara
            assert held.local_number == sent.local_number
    verified()

    # Ann corrects the postcode on her laptop; the coordinator adds a note meanwhile.
    ann_who = ann.use(monkeypatch)
    change_child(ann.db, ann_who, ann_request.id, "Family moved", postcode="TR15 9ZZ")
    cara = office.use(monkeypatch)
    with open_repository(register) as store:
        before = store.get(ann_request.id)
        after = before.model_copy(deep=True)
        after.notes = "Mornings suit the family best."
        correct(store, cara, before, after, "Coordinator's note")
    ann.use(monkeypatch)
    ann_file = send(capsys, ann, ann_request, tmp_path / "ann-2.age")
    office.use(monkeypatch)
    code, out, err = vig(capsys, "receive", str(ann_file), "--db", register)
    assert (code, err) == (0, ""), err
    with open_repository(register, read_only=True) as store:
        merged = store.get(ann_request.id)
    assert merged.child.postcode == "TR15 9ZZ" and merged.notes == "Mornings suit the family best."

    # Ben and the coordinator both change the child's first language: one conflict.
    ben_who = ben.use(monkeypatch)
    change_child(ben.db, ben_who, ben_request.id, "Checked", first_language="Polish")
    cara = office.use(monkeypatch)
    with open_repository(register) as store:
        before = store.get(ben_request.id)
        after = before.model_copy(deep=True)
        after.child.first_language = "Polish, English"
        correct(store, cara, before, after, "From the hub form")
    ben.use(monkeypatch)
    ben_file = send(capsys, ben, ben_request, tmp_path / "ben-2.age")
    cara = office.use(monkeypatch)
    code, out, _ = vig(capsys, "receive", str(ben_file), "--db", register)
    assert code == 2 and "1 answer changed on both sides waits" in out
    code, out, _ = vig(capsys, "inbox", "--json", "--db", register)
    [waiting] = json.loads(out)
    assert (waiting["ours"], waiting["theirs"]) == ("Polish, English", "Polish")
    assert waiting["theirs_by"].startswith("Ben Rowe")
    with open_repository(register) as store:
        held = store.get(ben_request.id)
        settled = resolve_conflict(store, cara, held, waiting["path"], Choice.TAKE)
    entry = settled.history[-1]
    assert entry.action == Action.CONFLICT_RESOLVED and entry.who == cara
    assert "Polish, English" in (entry.reason or "") and "Polish" in (entry.reason or "")
    with psycopg.connect(pg_url) as admin:
        written_by = admin.execute(
            "SELECT written_by FROM vig.history WHERE request_id = %s AND entry->>'hash' = %s",
            (ben_request.id, entry.hash),
        ).fetchone()
    assert written_by == (cara_login,)
    code, out, _ = vig(capsys, "inbox", "--json", "--db", register)
    assert json.loads(out) == []
    verified()

    # The meeting decides both; the notices go back and each laptop takes its own.
    meeting = decide_both(register, cara, ann_request.id, ben_request.id)
    notices = tmp_path / "notices"
    code, out, err = vig(
        capsys, "notices", "--meeting", meeting.isoformat(), "-o", str(notices), "--db", register
    )
    assert (code, err) == (0, ""), err
    sealed = sorted(notices.glob("*.age"))
    assert len(sealed) == 2 and len(sorted(notices.glob("*.md"))) == 2
    assert all(_mode(path) == 0o600 for path in notices.iterdir())
    expected = {
        ann: ("VIG-2026-0001", "allocated", "allocated"),
        ben: ("VIG-2026-0002", "submitted", "more_information"),
    }
    for laptop, (reference, status, decision) in expected.items():
        laptop.use(monkeypatch)
        code, out, err = vig(capsys, "receive", *map(str, sealed), "--db", str(laptop.db))
        assert code == 1 and f"Decision received on {reference}" in out
        code, out, _ = vig(capsys, "list", "--json", "--db", str(laptop.db))
        [row] = json.loads(out)
        assert (row["reference"], row["status"], row["decision"]) == (reference, status, decision)
    office.use(monkeypatch)
    verified()


def test_a_referrer_logged_in_to_the_services_register_sends_straight_to_it(
    logins: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The key installed in a referrer's profile, but logged in to the service's own
    register: a request goes straight in (no file), as the app's Send does."""
    from vig_tui.preferences import load_preferences
    from vig_tui.service.sending import sends_by_file

    key_file = tmp_path / "key.json"
    assert vig(capsys, "service-key", "create", "-o", str(key_file), "--db", logins["cara"])[0] == 0
    assert vig(capsys, "service-key", "install", str(key_file))[0] == 0
    installed = load_preferences().service_key
    with open_repository(logins["rob"]) as store:
        assert not sends_by_file(installed, logins["rob"], store)
    code, _, err = vig(
        capsys, "send", "DRAFT-0000-0001", "-o", str(tmp_path), "--db", logins["rob"]
    )
    assert code == 2 and "is the service's own register" in err
    assert os.listdir(tmp_path) == ["key.json"]
