"""Kinds of register and sending by file (issue #11 §1, §2), through the real command line:
real databases, real keys, real sealed files opened again with the service's key."""

from __future__ import annotations

import io
import json
import os
import stat
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import TEST_MACHINE
from vig_tui.cli import main
from vig_tui.domain.history import Action, Actor
from vig_tui.domain.local_numbers import machine_tag, next_local_number
from vig_tui.domain.models import LOCAL_NUMBER_PATTERN, RequestStatus, VigRequest
from vig_tui.domain.summary import RequestSummary
from vig_tui.exchange.keys import load_service_identity, service_key_path
from vig_tui.exchange.payloads import RequestFile, read_document
from vig_tui.exchange.sealing import unseal
from vig_tui.preferences import load_preferences
from vig_tui.service import start_request
from vig_tui.store import Store
from vig_tui.tools.gallery import example_request

REFERENCE_PATTERN = r"^VIG-\d{4}-\d{4,}$"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def service(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """The service's register (its key beside it) and the public key file it hands out."""
    register, key_file = tmp_path / "service" / "register.json", tmp_path / "service-key.json"
    register.parent.mkdir()
    code, _out, err = run(
        capsys, "service-key", "create", "-o", str(key_file), "--db", str(register)
    )
    assert code == 0, err
    return register, key_file


@pytest.fixture
def referrer(
    service: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], actor: Actor
) -> Path:
    """A referrer's database with one complete draft, the service's key installed."""
    code, _, err = run(capsys, "service-key", "install", str(service[1]))
    assert code == 0, err
    laptop = tmp_path / "laptop" / "vig-tui.json"
    laptop.parent.mkdir()
    with Store.open(laptop) as store:
        store.save(draft(actor), base_version=0)
    return laptop


def draft(actor: Actor, **changes: object) -> VigRequest:
    request = start_request(actor)
    complete = example_request()
    for name in ("referrer", "route", "child", "carers", "case_holder", "evidence"):
        setattr(request, name, getattr(complete, name))
    for name in ("considerations", "difficulty_identified_on", "interpreter_needed"):
        setattr(request, name, getattr(complete, name))
    request.carer_agrees = complete.carer_agrees
    for name, value in changes.items():
        setattr(request, name, value)
    return request


def only_request(path: Path) -> VigRequest:
    with Store.open(path, read_only=True) as store:
        (request,) = store.requests()
    return request


def opened(file: Path, register: Path) -> RequestFile:
    document = unseal(file.read_bytes(), [load_service_identity(register)], name=file.name)
    result = read_document(document, name=file.name)
    assert isinstance(result, RequestFile)
    return result


# The service's register ------------------------------------------------------------


def test_service_key_create_makes_the_register_and_a_key_file_with_the_services_details(
    service: tuple[Path, Path],
) -> None:
    register, key_file = service
    assert mode(service_key_path(register)) == 0o600
    assert mode(key_file) == 0o600
    details = json.loads(key_file.read_text())
    assert details["kind"] == "vig-service-public-key"
    assert details["email"] == "vigservice@cornwall.gov.uk"
    assert details["service_name"] == "Video Interaction Guidance (VIG) Service"
    assert details["public_key"] == str(load_service_identity(register).to_public())


def test_a_second_create_keeps_the_first_key(
    service: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    register, _ = service
    before = service_key_path(register).read_bytes()
    again = tmp_path / "again.json"
    code, _, err = run(capsys, "service-key", "create", "-o", str(again), "--db", str(register))
    assert code == 1
    assert "already holds the service's key" in err
    assert service_key_path(register).read_bytes() == before
    assert not again.exists()


def test_a_passphrase_from_stdin_protects_the_key_and_show_needs_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    register, key_file = tmp_path / "register.json", tmp_path / "key.json"
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    code, _, err = run(
        capsys,
        "service-key",
        "create",
        "--passphrase-stdin",
        "-o",
        str(key_file),
        "--db",
        str(register),
    )
    assert code == 0, err
    assert service_key_path(register).read_bytes().startswith(b"age-encryption.org/v1\n")
    code, _, err = run(capsys, "service-key", "show", "--db", str(register))
    assert code == 1
    assert "protected by a passphrase" in err
    monkeypatch.setenv("VIG_TUI_KEY_PASSPHRASE", "correct horse battery")
    code, out, err = run(capsys, "service-key", "show", "--db", str(register))
    assert code == 0, err
    assert json.loads(out) == json.loads(key_file.read_text())


# A referrer's machine ----------------------------------------------------------------


def test_install_puts_the_key_in_the_profile_and_profile_shows_it(
    service: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "service-key", "install", str(service[1]))
    assert code == 0, err
    assert "vigservice@cornwall.gov.uk" in out
    settings = Path(os.environ["VIG_TUI_CONFIG"])
    assert mode(settings) == 0o600
    installed = load_preferences().service_key
    assert installed is not None
    assert installed.public_key == json.loads(service[1].read_text())["public_key"]
    assert load_preferences().profile is not None  # the rest of the settings kept
    code, out, _ = run(capsys, "profile")
    assert "Service: Video Interaction Guidance (VIG) Service, vigservice@cornwall.gov.uk" in out
    code, out, _ = run(capsys, "profile", "--json")
    assert json.loads(out)["service_key"]["email"] == "vigservice@cornwall.gov.uk"
    code, out, _ = run(capsys, "service-key", "remove")
    assert code == 0
    assert load_preferences().service_key is None


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json",
        b'{"kind": "vig-service-public-key"}',
        b"\xff\xfe",
        b'{"kind": "x"}',
        b"[" * 100_000,
        b" " * 1_000_000,
    ],
)
def test_a_bad_key_file_is_refused_and_nothing_is_installed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    settings = Path(os.environ["VIG_TUI_CONFIG"])
    before = settings.read_bytes()
    bad = tmp_path / "key.json"
    bad.write_bytes(content)
    code, _, err = run(capsys, "service-key", "install", str(bad))
    assert code == 2
    assert str(bad) in err
    assert settings.read_bytes() == before


def test_send_writes_one_sealed_file_that_reveals_nothing_and_the_service_opens_it_whole(
    referrer: Path, service: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    request = only_request(referrer)
    out_file = tmp_path / "to-send" / "request.age"
    code, out, err = run(
        capsys, "send", str(request.id)[:8], "-o", str(out_file), "--db", str(referrer)
    )
    assert code == 0, err
    number = f"DRAFT-{TEST_MACHINE[:4]}-0001"
    assert number in out
    assert f"Wrote {out_file.absolute()}" in out
    assert "attach it to a secure email to vigservice@cornwall.gov.uk" in out
    assert mode(out_file) == 0o600
    assert mode(out_file.parent) == 0o700
    data = out_file.read_bytes()
    secrets = [
        request.child.name,
        *request.child.name.split(),
        request.referrer.name,
        request.child.date_of_birth.isoformat(),  # type: ignore[union-attr]
        request.child.postcode,
        "Tess Tester",  # the sender's profile
    ]
    for secret in secrets:
        for form in (secret, secret.upper(), secret.lower()):
            assert form.encode() not in data, secret
            assert form.encode("utf-16-le") not in data, secret

    stored = only_request(referrer)
    assert stored.status is RequestStatus.SUBMITTED
    assert stored.local_number == number
    assert stored.reference is None and stored.meeting is None
    assert stored.sent_by_file is not None and stored.sent_by_file.on == date.today()
    assert stored.sent_by_file.to == "vigservice@cornwall.gov.uk"
    sent_entry = stored.history[-1]
    assert sent_entry.action == Action.SENT
    assert "vigservice@cornwall.gov.uk" in sent_entry.summary and number in sent_entry.summary
    assert sent_entry.who.name == "Tess Tester"
    assert len(stored.history) == len(request.history) + 1

    document = opened(out_file, service[0])
    assert document.requests == [stored]  # the very copy stored, history and all
    assert document.sender.name == "Tess Tester"
    assert document.sender.machine == TEST_MACHINE
    assert document.sender_key.startswith("age1")
    assert run(capsys, "audit", "verify", "--db", str(referrer))[0] == 0


def test_list_and_audit_know_a_request_by_its_local_number(
    referrer: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    request = only_request(referrer)
    run(capsys, "send", str(request.id), "-o", str(tmp_path / "a.age"), "--db", str(referrer))
    number = f"DRAFT-{TEST_MACHINE[:4]}-0001"
    code, out, _ = run(capsys, "list", "--db", str(referrer))
    assert out.splitlines()[1].startswith(number)  # under the heading
    code, out, _ = run(capsys, "list", "--json", "--db", str(referrer))
    (row,) = json.loads(out)
    assert (row["local_number"], row["reference"], row["sent_by_file_on"]) == (
        number,
        None,
        date.today().isoformat(),
    )
    code, out, _ = run(capsys, "audit", "show", number.lower(), "--db", str(referrer))
    assert code == 0
    assert "Sent by file to the VIG service" in out


def test_numbers_count_on_and_a_request_sent_before_can_be_sent_again(
    referrer: Path, service: tuple[Path, Path], tmp_path: Path, capsys, actor: Actor
) -> None:
    first = only_request(referrer)
    run(capsys, "send", str(first.id), "-o", str(tmp_path / "1.age"), "--db", str(referrer))
    with Store.open(referrer) as store:
        second = store.save(draft(actor), base_version=0)
    folder = tmp_path / "outbox"
    code, _out, err = run(
        capsys,
        "send",
        str(second.id),
        f"DRAFT-{TEST_MACHINE[:4]}-0001",
        "-o",
        f"{folder}/",
        "--db",
        str(referrer),
    )
    assert code == 0, err
    (written,) = folder.iterdir()
    assert mode(folder) == 0o700
    assert written.name == f"vig-request-DRAFT-{TEST_MACHINE[:4]}-0002-and-1-more.age"
    numbers = [r.local_number for r in opened(written, service[0]).requests]
    assert numbers == [f"DRAFT-{TEST_MACHINE[:4]}-0002", f"DRAFT-{TEST_MACHINE[:4]}-0001"]
    with Store.open(referrer, read_only=True) as store:
        again = store.get(first.id)
    assert again.history[-1].summary.startswith("Sent again by file")
    assert again.local_number == f"DRAFT-{TEST_MACHINE[:4]}-0001"


def test_a_request_that_cannot_go_stops_the_whole_send(
    referrer: Path, tmp_path: Path, capsys, actor: Actor
) -> None:
    with Store.open(referrer) as store:
        unfinished = store.save(start_request(actor), base_version=0)
    ready = next(
        r for r in Store.open(referrer, read_only=True).requests() if r.id != unfinished.id
    )
    before = referrer.read_bytes()
    out_file = tmp_path / "x.age"
    code, _, err = run(
        capsys,
        "send",
        str(ready.id),
        str(unfinished.id),
        "-o",
        str(out_file),
        "--db",
        str(referrer),
    )
    assert code == 1
    assert "Nothing was sent" in err and "Enter the child" in err
    assert not out_file.exists()
    assert referrer.read_bytes() == before


def test_an_existing_file_is_never_replaced_and_nothing_is_recorded(
    referrer: Path, tmp_path: Path, capsys
) -> None:
    out_file = tmp_path / "taken.age"
    out_file.write_text("someone's file")
    before = referrer.read_bytes()
    request = only_request(referrer)
    code, _, err = run(capsys, "send", str(request.id), "-o", str(out_file), "--db", str(referrer))
    assert code == 2
    assert "already exists" in err and "Nothing was sent" in err
    assert out_file.read_text() == "someone's file"
    assert referrer.read_bytes() == before


def test_unknown_names_are_listed_and_nothing_is_sent(referrer: Path, tmp_path, capsys) -> None:
    code, _, err = run(
        capsys,
        "send",
        "DRAFT-0000-0099",
        "VIG-2026-0001",
        "-o",
        str(tmp_path / "x.age"),
        "--db",
        str(referrer),
    )
    assert code == 1
    assert "DRAFT-0000-0099: there is no such request" in err
    assert "VIG-2026-0001: there is no such request" in err
    assert not (tmp_path / "x.age").exists()


def test_send_without_a_service_key_says_how_to_install_one(
    db_path: Path, tmp_path: Path, capsys, actor: Actor
) -> None:
    with Store.open(db_path) as store:
        request = store.save(draft(actor), base_version=0)
    code, _, err = run(
        capsys, "send", str(request.id), "-o", str(tmp_path / "x.age"), "--db", str(db_path)
    )
    assert code == 2
    assert "vig-tui service-key install FILE" in err
    assert only_request(db_path).status is RequestStatus.DRAFT


def test_the_services_own_register_does_not_send_by_file(
    service: tuple[Path, Path], tmp_path: Path, capsys, actor: Actor
) -> None:
    register, key_file = service
    run(capsys, "service-key", "install", str(key_file))
    with Store.open(register) as store:
        request = store.save(draft(actor), base_version=0)
    code, _, err = run(
        capsys, "send", str(request.id), "-o", str(tmp_path / "x.age"), "--db", str(register)
    )
    assert code == 2
    assert "the service's own register" in err


# Local numbers ------------------------------------------------------------------------


def test_local_numbers_use_the_machine_id_and_count_on_from_the_highest() -> None:
    machine = "7f3a9c00-0000-4000-8000-000000000000"
    assert machine_tag(machine) == "7F3A"
    assert next_local_number([], machine) == "DRAFT-7F3A-0001"
    taken = ["DRAFT-7F3A-0009", "DRAFT-1234-0050", None, "DRAFT-7F3A-0002"]
    assert next_local_number(taken, machine) == "DRAFT-7F3A-0010"
    assert next_local_number(["DRAFT-7F3A-9999"], machine) == "DRAFT-7F3A-10000"


@given(machine=st.text(max_size=60), count=st.integers(min_value=0, max_value=20_000))
def test_a_local_number_is_never_a_reference(machine: str, count: int) -> None:
    import re

    taken = [f"DRAFT-{machine_tag(machine)}-{count:04d}"]
    number = next_local_number(taken, machine)
    assert re.match(LOCAL_NUMBER_PATTERN, number)
    assert not re.match(REFERENCE_PATTERN, number)
    assert VigRequest(local_number=number).local_number == number
    with pytest.raises(ValueError):
        VigRequest(reference=number)
    with pytest.raises(ValueError):
        VigRequest(local_number="VIG-2026-0001")


def test_the_summary_carries_the_local_number_and_the_day_sent() -> None:
    request = example_request()
    request.local_number = "DRAFT-7F3A-0001"
    summary = RequestSummary.of(request)
    assert summary.number == "DRAFT-7F3A-0001"
    assert summary.sent_by_file_on is None


def test_a_save_refused_after_the_file_was_written_removes_the_file(
    referrer: Path, tmp_path: Path, actor: Actor
) -> None:
    from vig_tui.preferences import preferences_path
    from vig_tui.service import CommandError
    from vig_tui.service.sending import send_by_file, sender_of

    preferences = load_preferences()
    assert preferences.service_key is not None
    sender, sender_key = sender_of(preferences, preferences_path().parent)
    stale = only_request(referrer)
    with Store.open(referrer) as store:
        newer = stale.model_copy(deep=True)
        newer.notes = "Changed by someone else meanwhile"
        store.save(newer, base_version=stale.version)
        out_file = tmp_path / "x.age"
        with pytest.raises(CommandError, match=r"was removed\. Nothing was recorded as sent"):
            send_by_file(
                store,
                actor,
                [stale],
                on=date.today(),
                service=preferences.service_key,
                sender=sender,
                sender_key=sender_key,
                machine_id=preferences.machine_id,
                output=out_file,
            )
    assert not out_file.exists()
    assert only_request(referrer).status is RequestStatus.DRAFT


def test_the_installed_key_survives_other_settings_being_saved(
    service: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from vig_tui.preferences import save_preferences

    run(capsys, "service-key", "install", str(service[1]))
    preferences = load_preferences()
    preferences.theme = "textual-light"
    save_preferences(preferences)
    again = load_preferences()
    assert again.service_key == preferences.service_key and again.theme == "textual-light"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.lists(st.text(min_size=1, max_size=60), min_size=1, max_size=3))
def test_any_names_given_to_send_are_refused_clearly_and_nothing_is_written(
    referrer: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], names: list[str]
) -> None:
    request = only_request(referrer)
    names = [n for n in names if n.strip() and not str(request.id).startswith(n.strip().lower())]
    if not names or any(n.startswith("-") for n in names):
        return
    before = referrer.read_bytes()
    out_file = tmp_path / "never.age"
    code, _, err = run(capsys, "send", *names, "-o", str(out_file), "--db", str(referrer))
    assert code == 1, err
    assert "Nothing was sent" in err
    assert not out_file.exists()
    assert referrer.read_bytes() == before
