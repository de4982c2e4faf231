"""`vig-tui receive`, `inbox`, `notices` and `import --merge` as a person runs them:
real databases, real keys, real sealed files; exit codes 0 / 1 / 2; a refused file
writes nothing; a bad file is one clear line, never a traceback."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyrage import x25519

from vig_tui.cli import main
from vig_tui.domain.models import Decision, DecisionOutcome
from vig_tui.exchange.keys import create_service_key, own_identity, service_key_path
from vig_tui.exchange.payloads import RequestFile
from vig_tui.exchange.sealing import seal
from vig_tui.service import decide
from vig_tui.store import open_repository

from .test_receiving import ANN, COORDINATOR, corrected, request_file, sent_copy


@pytest.fixture
def register(tmp_path: Path) -> tuple[Path, str]:
    """The service's register (an empty database with its service key) and its public key."""
    db = tmp_path / "service" / "register.json"
    db.parent.mkdir(mode=0o700)
    public = create_service_key(db)
    open_repository(db).close()
    return db, public


def sealed(path: Path, document: RequestFile, public: str) -> Path:
    path.write_bytes(seal(document.model_dump(mode="json"), public))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_receive_new_then_the_same_file_again(
    register: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, public = register
    one = sealed(tmp_path / "one.age", request_file(sent_copy()), public)
    code, out, err = run(capsys, "receive", str(one), "--db", str(db))
    assert (code, err) == (0, "")
    assert "1 new request: VIG-2026-0001" in out
    before = db.read_bytes()
    code, out, err = run(capsys, "--db", str(db), "receive", str(one))
    assert code == 0 and "already received; nothing changed" in out
    assert db.read_bytes() == before
    code, out, _ = run(capsys, "audit", "verify", "--db", str(db))
    assert code == 0, out


def test_a_conflict_exits_2_and_waits_in_the_inbox(
    register: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, public = register
    original = sent_copy()
    run(
        capsys,
        "receive",
        str(sealed(tmp_path / "a.age", request_file(original), public)),
        "--db",
        str(db),
    )
    with open_repository(db) as store:
        ours = store.get(original.id)
        store.save(corrected(ours, COORDINATOR, postcode="TR1 1AA"), base_version=ours.version)
    later = sealed(
        tmp_path / "b.age", request_file(corrected(original, ANN, postcode="TR15 9ZZ")), public
    )
    code, out, _ = run(capsys, "receive", str(later), "--db", str(db))
    assert code == 2
    assert "1 answer changed on both sides waits" in out
    code, out, _ = run(capsys, "inbox", "--json", "--db", str(db))
    [waiting] = json.loads(out)
    assert (waiting["reference"], waiting["path"], waiting["ours"], waiting["theirs"]) == (
        "VIG-2026-0001",
        "child.postcode",
        "TR1 1AA",
        "TR15 9ZZ",
    )
    assert waiting["theirs_by"].startswith("Ann Kitto")
    code, out, _ = run(capsys, "inbox", "--db", str(db))
    assert code == 0 and "VIG-2026-0001" in out and "TR15 9ZZ" in out and "TR1 1AA" in out


def test_a_refused_file_writes_nothing_and_says_why_in_one_line(
    register: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, public = register
    good = sealed(tmp_path / "good.age", request_file(sent_copy()), public)
    cut = tmp_path / "cut.age"
    cut.write_bytes(good.read_bytes()[:-40])
    stranger = sealed(
        tmp_path / "stranger.age",
        request_file(sent_copy()),
        str(x25519.Identity.generate().to_public()),
    )
    before = db.read_bytes()
    for bad in (cut, stranger, tmp_path / "missing.age"):
        code, out, err = run(capsys, "receive", str(bad), "--db", str(db))
        assert code == 1 and out == ""
        assert err.count("\n") == 1 and err.startswith("vig-tui: ") and str(bad) in err
        assert "Traceback" not in err
    assert db.read_bytes() == before
    # One good file beside a bad one: the good one is taken, the exit says a file was refused.
    code, out, err = run(capsys, "receive", str(good), str(cut), "--db", str(db))
    assert code == 1 and "VIG-2026-0001" in out and str(cut) in err


def test_nothing_is_created_when_every_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "nowhere" / "db.json"
    junk = tmp_path / "junk.age"
    junk.write_bytes(b"not a sealed file")
    code, _, err = run(capsys, "receive", str(junk), "--db", str(db))
    assert code == 1 and "junk.age" in err
    assert not db.exists()


def test_notices_go_back_and_the_referrer_sees_the_decision(
    register: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, public = register
    settings_folder = Path(os.environ["VIG_TUI_CONFIG"]).parent
    referrer_key = own_identity(settings_folder)  # the referrer's own key, on "their" machine
    laptop = tmp_path / "laptop.json"
    original = sent_copy()
    with open_repository(laptop) as store:
        store.save(original, base_version=None)
    document = request_file(original).model_copy(
        update={"sender_key": str(referrer_key.to_public())}
    )
    run(capsys, "receive", str(sealed(tmp_path / "r.age", document, public)), "--db", str(db))
    with open_repository(db) as store:
        ours = store.get(original.id)
        assert ours.meeting is not None
        meeting = ours.meeting
        decide(
            store,
            COORDINATOR,
            ours,
            Decision(
                meeting=meeting,
                outcome=DecisionOutcome.DEFERRED,
                reason="Waiting for the Early Help assessment.",
            ),
            store.calendar(),
        )
    out_dir = tmp_path / "notices"
    code, out, err = run(
        capsys, "notices", "--meeting", meeting.isoformat(), "-o", str(out_dir), "--db", str(db)
    )
    assert (code, err) == (0, "")
    [notice] = sorted(out_dir.glob("*.age"))
    [letter] = sorted(out_dir.glob("*.md"))
    assert stat.S_IMODE(out_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(notice.stat().st_mode) == 0o600
    assert b"Amelia" not in notice.read_bytes()
    text = letter.read_text()
    assert "VIG-2026-0001" in text and "Early Help assessment" in text
    assert "Amelia Tregear" not in text and "A.T." in text

    code, out, err = run(capsys, "receive", str(notice), "--db", str(laptop))
    assert (code, err) == (0, ""), err
    assert "Decision received on VIG-2026-0001" in out
    code, out, _ = run(capsys, "list", "--json", "--db", str(laptop))
    [row] = json.loads(out)
    assert (row["reference"], row["status"], row["decision"]) == (
        "VIG-2026-0001",
        "deferred",
        "deferred",
    )
    code, out, _ = run(capsys, "receive", str(notice), "--db", str(laptop))
    assert code == 0 and "already received" in out
    assert run(capsys, "audit", "verify", "--db", str(laptop))[0] == 0


def test_notices_for_a_meeting_with_no_decisions_by_file(
    register: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = register
    code, _, err = run(
        capsys, "notices", "--meeting", "2026-12-03", "-o", str(tmp_path / "n"), "--db", str(db)
    )
    assert code == 2 and "nothing was written" in err
    assert not (tmp_path / "n").exists()


def test_import_merge_goes_through_the_same_merge(
    register: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, public = register
    original = sent_copy()
    run(
        capsys,
        "receive",
        str(sealed(tmp_path / "a.age", request_file(original), public)),
        "--db",
        str(db),
    )
    theirs = corrected(original, ANN, first_language="Cornish")
    pack = tmp_path / "requests.json"
    pack.write_text(json.dumps([theirs.model_dump(mode="json")]))
    # Without --merge the import stays all or nothing and refuses a copy held here.
    code, _, err = run(capsys, "import", str(pack), "--db", str(db))
    assert code == 1 and "nothing was imported" in err
    code, _, err = run(capsys, "import", "--merge", str(pack), "--db", str(db))
    assert (code, err) == (0, ""), err
    with open_repository(db, read_only=True) as store:
        merged = store.get(original.id)
    assert merged.child.first_language == "Cornish" and merged.reference == "VIG-2026-0001"


def test_receive_is_listed_with_its_options_either_side(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["receive", "--help"])
    assert exited.value.code == 0
    assert "--passphrase-stdin" in capsys.readouterr().out


_GOOD = request_file(sent_copy()).model_dump(mode="json")
_FUZZ_SERVICE = x25519.Identity.generate()


def _bad_files(public: str) -> st.SearchStrategy[bytes]:
    """Files the register must refuse whole: cut short, a bit flipped, well sealed but the
    wrong shape, a good file with one part replaced, sealed for another key, any bytes."""
    sealed_good = seal(_GOOD, public)
    cut = st.integers(0, len(sealed_good) - 1).map(lambda n: sealed_good[:n])
    flipped = st.tuples(st.integers(0, len(sealed_good) - 1), st.integers(0, 7)).map(
        lambda at: (
            sealed_good[: at[0]]
            + bytes([sealed_good[at[0]] ^ (1 << at[1])])
            + sealed_good[at[0] + 1 :]
        )
    )
    json_values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=20,
    )
    wrong_shape = json_values.map(
        lambda value: seal(
            {"kind": "vig-request-file", "requests": value}
            if not isinstance(value, dict)
            else value,
            public,
        )
    )
    # A number is a good format (1) or a good time (seconds since 1970): not a bad file.
    mangled = (
        st.tuples(st.sampled_from(["sender_key", "sent_at", "requests", "format"]), json_values)
        .filter(lambda change: not isinstance(change[1], int | float))
        .map(lambda change: seal({**_GOOD, change[0]: change[1]}, public))
    )
    other_key = st.just(seal(_GOOD, str(x25519.Identity.generate().to_public())))
    return st.one_of(cut, flipped, wrong_shape, mangled, other_key, st.binary(max_size=200))


BAD_FILES = _bad_files(str(_FUZZ_SERVICE.to_public()))


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(bad=BAD_FILES)
def test_many_bad_files_no_traceback_no_partial_write(
    bad: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "service" / "register.json"
    if not db.exists():
        db.parent.mkdir(mode=0o700)
        service_key_path(db).write_text(str(_FUZZ_SERVICE))
        os.chmod(service_key_path(db), 0o600)
        open_repository(db).close()
    path = tmp_path / "bad.age"
    path.write_bytes(bad)
    before = db.read_bytes()
    code = main(["receive", str(path), "--db", str(db)])
    out, err = capsys.readouterr()
    assert code == 1, out
    assert out == "" and err.startswith("vig-tui: ") and err.count("\n") == 1
    assert "Traceback" not in err
    assert db.read_bytes() == before


def test_a_request_whose_history_was_changed_on_the_way_is_refused(
    register: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, public = register
    document = request_file(sent_copy()).model_dump(mode="json")
    document["requests"][0]["history"][0]["summary"] = "Something else"
    path = tmp_path / "edited.age"
    path.write_bytes(seal(document, public))
    before = db.read_bytes()
    code, out, err = run(capsys, "receive", str(path), "--db", str(db))
    assert code == 1 and out == "" and "history is not whole" in err
    assert db.read_bytes() == before
