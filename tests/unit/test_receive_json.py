"""`vig-tui receive` takes the JSON pack form (issue #11 §3): the JSON a standalone
register's `export --format json` (a meeting pack) or `export --request REF --format json`
writes. Taken as a sealed file is: new requests numbered by the service, the same file
twice changing nothing, a copy of a request held here merged three-way, a damaged or
wrong-shape file refused whole with one clear line (nothing written), exit codes 0/1/2.
A redacted pack is refused, saying why."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vig_tui.domain.history import Action
from vig_tui.domain.models import RequestStatus, VigRequest
from vig_tui.exchange.keys import create_service_key
from vig_tui.service import send
from vig_tui.store import open_repository

from .test_cli_receive import run, sealed
from .test_receiving import ANN, COORDINATOR, corrected, request_file, sent_copy

TODAY = date.today()


@pytest.fixture
def service_register(tmp_path: Path) -> tuple[Path, str]:
    """The service's register (an empty database with its service key) and its public key."""
    db = tmp_path / "service" / "register.json"
    db.parent.mkdir(mode=0o700)
    public = create_service_key(db)
    open_repository(db).close()
    return db, public


def standalone(tmp_path: Path, *children: str) -> tuple[Path, list[VigRequest]]:
    """A standalone register (a team's own database) where requests were made and sent:
    it numbers them VIG-YYYY-0001 on, as the service's register does."""
    db = tmp_path / "team" / "team.json"
    db.parent.mkdir(mode=0o700)
    made = []
    with open_repository(db) as store:
        for child in children:
            request = sent_copy(name=child)
            request.status = RequestStatus.DRAFT
            request.history, request.history_head = [], None
            request.record(ANN, Action.CREATED, "Request started")
            draft = store.save(request, base_version=None)
            made.append(send(store, ANN, draft, TODAY))
    return db, made


def exported(capsys: pytest.CaptureFixture[str], db: Path, out: Path, *how: str) -> Path:
    code, _, err = run(capsys, "export", *how, "--format", "json", "-o", str(out), "--db", str(db))
    assert code == 0, err
    return out


def test_a_meeting_pack_and_a_summary_are_received_once_with_the_service_s_references(
    service_register: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    service, public = service_register
    team, made = standalone(tmp_path, "Zennor Rowse", "Jory Pascoe")
    year = TODAY.year
    assert [r.reference for r in made] == [f"VIG-{year}-0001", f"VIG-{year}-0002"]
    # The service's register already gave VIG-YYYY-0001 to a request sent by file.
    first = sealed(tmp_path / "first.age", request_file(sent_copy()), public)
    assert run(capsys, "receive", str(first), "--db", str(service))[0] == 0
    assert made[0].meeting is not None
    pack = exported(capsys, team, tmp_path / "pack.json", "--meeting", made[0].meeting.isoformat())
    summary = exported(capsys, team, tmp_path / "one.json", "--request", f"VIG-{year}-0002")

    code, out, err = run(capsys, "receive", str(pack), "--db", str(service))
    assert (code, err) == (0, "")
    assert f"2 new requests: VIG-{year}-0002, VIG-{year}-0003" in out
    before = service.read_bytes()
    for again in (pack, summary):
        code, out, err = run(capsys, "receive", str(again), "--db", str(service))
        assert (code, err) == (0, ""), err
        assert "already received; nothing changed" in out
    assert service.read_bytes() == before
    with open_repository(service, read_only=True) as store:
        taken = {r.child.name: store.get(r.id) for r in made}
    zennor = taken["Zennor Rowse"]
    assert zennor.reference == f"VIG-{year}-0002"
    assert zennor.received is not None and zennor.received.sender_name == made[0].referrer.name
    assert zennor.history[: len(made[0].history)] == made[0].history
    code, out, _ = run(capsys, "audit", "verify", "--db", str(service))
    assert code == 0, out


def test_a_request_summary_alone_is_received_and_no_service_key_is_needed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team, made = standalone(tmp_path, "Jory Pascoe")
    summary = exported(capsys, team, tmp_path / "one.json", "--request", str(made[0].id))
    assert json.loads(summary.read_text())["request"]["id"] == str(made[0].id)
    plain = tmp_path / "plain.json"
    code, out, err = run(capsys, "receive", str(summary), "--db", str(plain))
    assert (code, err) == (0, "") and "1 new request" in out


@pytest.mark.parametrize("redact", ["--meeting", "--request"])
def test_a_redacted_pack_or_summary_is_refused_saying_why(
    service_register: tuple[Path, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    redact: str,
) -> None:
    service, _ = service_register
    team, made = standalone(tmp_path, "Jory Pascoe")
    which = made[0].meeting.isoformat() if redact == "--meeting" else str(made[0].reference)
    out = tmp_path / "redacted.json"
    code, _, err = run(
        capsys,
        "export",
        redact,
        which,
        "--format",
        "json",
        "--redact",
        "-o",
        str(out),
        "--db",
        str(team),
    )
    assert code == 0, err
    before = service.read_bytes()
    code, printed, err = run(capsys, "receive", str(out), "--db", str(service))
    assert code == 1 and printed == ""
    assert "is redacted" in err and "names, dates of birth" in err and "Nothing" in err
    assert err.count("\n") == 1
    assert service.read_bytes() == before


def test_a_copy_in_a_json_pack_is_merged_three_way_and_keeps_the_sender_s_key(
    service_register: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    service, public = service_register
    original = sent_copy()
    run(
        capsys,
        "receive",
        str(sealed(tmp_path / "a.age", request_file(original), public)),
        "--db",
        str(service),
    )
    with open_repository(service) as store:
        ours = store.get(original.id)
        key = ours.received.sender_key if ours.received else ""
        store.save(corrected(ours, COORDINATOR, postcode="TR1 1AA"), base_version=ours.version)
    # The referrer changed the same answer and one the service did not touch.
    theirs = corrected(original, ANN, postcode="TR15 9ZZ", setting="Pool Nursery")
    pack = tmp_path / "pack.json"
    pack.write_text(json.dumps([theirs.model_dump(mode="json")]))
    code, out, err = run(capsys, "receive", str(pack), "--db", str(service))
    assert code == 2, err
    assert "1 answer changed on both sides waits" in out
    with open_repository(service, read_only=True) as store:
        merged = store.get(original.id)
    assert merged.child.setting == "Pool Nursery" and merged.child.postcode == "TR1 1AA"
    assert [c.path for c in merged.conflicts] == ["child.postcode"]
    assert merged.received is not None and merged.received.sender_key == key != ""
    before = service.read_bytes()
    code, out, _ = run(capsys, "receive", str(pack), "--db", str(service))
    assert code == 0 and "nothing changed" in out and service.read_bytes() == before


def _record(request: VigRequest) -> dict[str, object]:
    return request.model_dump(mode="json")


def _bad_packs() -> dict[str, bytes]:
    good = sent_copy()
    altered = _record(good)
    altered["history"][0]["summary"] = "Someone else started it"  # type: ignore[index]
    draft = _record(good)
    draft["status"] = "draft"
    return {
        "not JSON": b"{ not json",
        "cut short": json.dumps([_record(good)]).encode()[:-30],
        "empty list": b"[]",
        "an object of another kind": b'{"kind": "vig-decision-notice"}',
        "a number in the list": b"[1]",
        "a record of the wrong shape": b'[{"id": "x", "history": []}]',
        "one good and one bad": json.dumps([_record(good), {"history": 5}]).encode(),
        "the same request twice": json.dumps([_record(good), _record(good)]).encode(),
        "history not whole": json.dumps([altered]).encode(),
        "a draft never sent": json.dumps([draft]).encode(),
        "not UTF-8": b"[\xff\xfe]",
        "nested too deep": b"[" * 100_000,
    }


@pytest.mark.parametrize("shape", list(_bad_packs()))
def test_a_damaged_or_wrong_shape_json_is_refused_whole_in_one_line(
    service_register: tuple[Path, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    shape: str,
) -> None:
    service, _ = service_register
    bad = tmp_path / "bad.json"
    bad.write_bytes(_bad_packs()[shape])
    before = service.read_bytes()
    code, out, err = run(capsys, "receive", str(bad), "--db", str(service))
    assert (code, out) == (1, ""), shape
    assert err.startswith(f"vig-tui: {bad}") and err.count("\n") == 1, err
    assert "Nothing" in err and "Traceback" not in err
    assert service.read_bytes() == before


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=30,
    )
)
def test_any_json_is_refused_cleanly_or_taken(
    service_register: tuple[Path, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    value: object,
) -> None:
    service, _ = service_register
    bad = tmp_path / "any.json"
    bad.write_text(json.dumps(value))
    before = service.read_bytes()
    code, out, err = run(capsys, "receive", str(bad), "--db", str(service))
    assert code == 1 and out == "" and "Traceback" not in err
    assert service.read_bytes() == before
