"""Issue #11 §6, end to end on three real databases: two referrers' laptops and the
coordinator's register, each with its own settings (profile, machine id, own key).

Both referrers send by sealed file; the coordinator receives both files twice (each
request once, distinct references, histories intact); a correction on a laptop and a
note on the register are merged with both kept; one answer changed on both sides waits,
is shown and settled with both values in the history; the decisions go back and each
laptop's `list --json` shows them. `audit verify` passes on all three throughout.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest

from vig_tui.cli import main
from vig_tui.domain.history import Action, Actor
from vig_tui.domain.models import (
    Decision,
    DecisionOutcome,
    Practitioner,
    Priority,
    VigRequest,
)
from vig_tui.domain.receiving import Choice
from vig_tui.preferences import load_preferences
from vig_tui.profile import actor
from vig_tui.service import correct, decide, save_practitioner
from vig_tui.service.receiving import resolve_conflict
from vig_tui.store import open_repository
from vig_tui.tools.gallery import example_request


@dataclass(frozen=True)
class Machine:
    name: str
    settings: Path
    db: Path

    def use(self, monkeypatch: pytest.MonkeyPatch) -> Actor:
        monkeypatch.setenv("VIG_TUI_CONFIG", str(self.settings))
        return actor(load_preferences())


def machine(tmp_path: Path, name: str, person: str, role: str) -> Machine:
    folder = tmp_path / name
    (folder / "config").mkdir(parents=True, mode=0o700)
    settings = folder / "config" / "settings.json"
    settings.write_text(
        json.dumps(
            {"profile": {"name": person, "role": role}, "machine_id": f"{name}-machine-id-0000"}
        )
    )
    os.chmod(settings, 0o600)
    return Machine(name, settings, folder / "vig-tui.json")


def vig(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def verified(capsys: pytest.CaptureFixture[str], *machines: Machine) -> None:
    for each in machines:
        code, out, err = vig(capsys, "audit", "verify", "--db", str(each.db))
        assert code == 0, (each.name, out, err)


def make_draft(who: Actor, laptop: Machine, child: str) -> VigRequest:
    """A complete request made on a laptop, not yet sent."""
    request = example_request()
    request.history, request.history_head = [], None
    request.child.name = child
    request.record(who, Action.CREATED, "Request started")
    with open_repository(laptop.db) as store:
        return store.save(request, base_version=None)


def send(
    capsys: pytest.CaptureFixture[str], laptop: Machine, request: VigRequest, out: Path
) -> Path:
    """`vig-tui send` on the laptop: the request, sealed to the service, in ``out``."""
    code, printed, err = vig(
        capsys, "send", str(request.id), "-o", str(out), "--db", str(laptop.db)
    )
    assert (code, err) == (0, ""), err
    assert str(out) in printed
    return out


def change_child(db: Path, who: Actor, request_id: object, reason: str, **child: str) -> None:
    with open_repository(db) as store:
        before = store.get(request_id)  # type: ignore[arg-type]
        after = before.model_copy(deep=True)
        for name, value in child.items():
            setattr(after.child, name, value)
        correct(store, who, before, after, reason)


def decide_both(register: str | Path, cara: Actor, allocated: UUID, more: UUID) -> date:
    """The meeting, by the coordinator ``cara``: ``allocated`` is allocated to a new
    practitioner, ``more`` waits for more information. Returns the meeting's date."""
    with open_repository(register) as store:
        practitioner = Practitioner(name="Morwenna Hicks")
        save_practitioner(store, cara, practitioner)
        first = store.get(allocated)
        assert first.meeting is not None
        meeting = first.meeting
        decide(
            store,
            cara,
            first,
            Decision(
                meeting=meeting,
                outcome=DecisionOutcome.ALLOCATED,
                practitioner_id=practitioner.id,
                practitioner_name=practitioner.name,
                priority=Priority.HIGH,
            ),
            store.calendar(),
        )
        decide(
            store,
            cara,
            store.get(more),
            Decision(
                meeting=meeting,
                outcome=DecisionOutcome.MORE_INFORMATION,
                information_needed="The Early Help assessment",
                information_from="Ben Rowe",
            ),
            store.calendar(),
        )
    return meeting


def test_two_laptops_and_the_register(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ann = machine(tmp_path, "ann", "Ann Kitto", "health_visitor")
    ben = machine(tmp_path, "ben", "Ben Rowe", "social_worker")
    office = machine(tmp_path, "office", "Cara Coordinator", "")
    office.use(monkeypatch)
    key_file = tmp_path / "vig-service-key.json"
    code, _, err = vig(capsys, "service-key", "create", "-o", str(key_file), "--db", str(office.db))
    assert (code, err) == (0, ""), err

    # Both laptops install the service's key, make their first request and send it by file.
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
    # Neither laptop gave a service reference: each has its own local number.
    assert ann_request.reference is None and ann_request.local_number
    assert ben_request.reference is None and ben_request.local_number
    assert b"Amelia" not in ann_file.read_bytes()

    # The coordinator receives both files, twice.
    cara = office.use(monkeypatch)
    code, out, err = vig(capsys, "receive", str(ann_file), str(ben_file), "--db", str(office.db))
    assert (code, err) == (0, ""), err
    code, out, err = vig(capsys, "receive", str(ann_file), str(ben_file), "--db", str(office.db))
    assert code == 0 and out.count("already received; nothing changed") == 2
    code, out, _ = vig(capsys, "list", "--json", "--db", str(office.db))
    rows = json.loads(out)
    assert sorted(r["reference"] for r in rows) == ["VIG-2026-0001", "VIG-2026-0002"]
    assert sorted(r["child_name"] for r in rows) == ["Amelia Tregear", "Jory Pascoe"]
    with open_repository(office.db, read_only=True) as store:
        for sent in (ann_request, ben_request):
            held = store.get(sent.id)
            assert [e.hash for e in held.history[: len(sent.history)]] == [
                e.hash for e in sent.history
            ]
            assert held.history[-1].action == Action.RECEIVED and held.history[-1].who == cara
            # The sender's own number is kept, and named in the "received" entry.
            assert held.local_number == sent.local_number
            assert f"their number {sent.local_number}" in held.history[-1].summary
    verified(capsys, ann, ben, office)

    # Ann corrects the postcode on her laptop; the coordinator adds a note meanwhile.
    ann_who = ann.use(monkeypatch)
    change_child(ann.db, ann_who, ann_request.id, "Family moved", postcode="TR15 9ZZ")
    cara = office.use(monkeypatch)
    with open_repository(office.db) as store:
        before = store.get(ann_request.id)
        after = before.model_copy(deep=True)
        after.notes = "Mornings suit the family best."
        correct(store, cara, before, after, "Coordinator's note")
    ann.use(monkeypatch)
    ann_file = send(capsys, ann, ann_request, tmp_path / "ann-2.age")
    cara = office.use(monkeypatch)
    code, out, err = vig(capsys, "receive", str(ann_file), "--db", str(office.db))
    assert (code, err) == (0, ""), err
    with open_repository(office.db, read_only=True) as store:
        merged = store.get(ann_request.id)
    assert merged.child.postcode == "TR15 9ZZ" and merged.notes == "Mornings suit the family best."

    # Ben and the coordinator both change the child's first language.
    ben_who = ben.use(monkeypatch)
    change_child(
        ben.db, ben_who, ben_request.id, "Checked with the family", first_language="Polish"
    )
    cara = office.use(monkeypatch)
    change_child(
        office.db, cara, ben_request.id, "From the hub form", first_language="Polish, English"
    )
    ben.use(monkeypatch)
    ben_file = send(capsys, ben, ben_request, tmp_path / "ben-2.age")
    cara = office.use(monkeypatch)
    code, out, _ = vig(capsys, "receive", str(ben_file), "--db", str(office.db))
    assert code == 2
    code, out, _ = vig(capsys, "inbox", "--json", "--db", str(office.db))
    [waiting] = json.loads(out)
    assert (waiting["ours"], waiting["theirs"]) == ("Polish, English", "Polish")
    assert waiting["theirs_by"].startswith("Ben Rowe")
    with open_repository(office.db) as store:
        held = store.get(ben_request.id)
        settled = resolve_conflict(store, cara, held, waiting["path"], Choice.TAKE)
    entry = settled.history[-1]
    assert entry.action == Action.CONFLICT_RESOLVED
    assert "Polish, English" in (entry.reason or "") and "Polish" in (entry.reason or "")
    code, out, _ = vig(capsys, "inbox", "--json", "--db", str(office.db))
    assert json.loads(out) == []
    verified(capsys, ann, ben, office)

    # The meeting decides both; the notices go back and each laptop takes its own.
    meeting = decide_both(office.db, cara, ann_request.id, ben_request.id)
    notices = tmp_path / "notices"
    code, out, err = vig(
        capsys,
        "notices",
        "--meeting",
        meeting.isoformat(),
        "-o",
        str(notices),
        "--db",
        str(office.db),
    )
    assert (code, err) == (0, ""), err
    sealed = sorted(notices.glob("*.age"))
    assert len(sealed) == 2 and len(sorted(notices.glob("*.md"))) == 2

    expected = {
        ann: ("VIG-2026-0001", "allocated", "allocated"),
        ben: ("VIG-2026-0002", "submitted", "more_information"),
    }
    for laptop, (reference, status, decision) in expected.items():
        laptop.use(monkeypatch)
        code, out, err = vig(capsys, "receive", *map(str, sealed), "--db", str(laptop.db))
        # Each laptop opens only the notice sealed to its own key; the other is refused.
        assert code == 1 and f"Decision received on {reference}" in out
        code, out, _ = vig(capsys, "list", "--json", "--db", str(laptop.db))
        [row] = json.loads(out)
        assert (row["reference"], row["status"], row["decision"]) == (reference, status, decision)
    verified(capsys, ann, ben, office)
