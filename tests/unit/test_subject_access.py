"""Subject access: everything about one child (name in any case or spacing, and date of
birth), answers to history, readable and as JSON, owner-only; no other child's data."""

from __future__ import annotations

import json
import stat
from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from vig_tui.cli import main
from vig_tui.domain.history import Actor
from vig_tui.domain.models import (
    ConsentMethod,
    ConsentRecord,
    ConsentTopic,
    Decision,
    DecisionOutcome,
    Practitioner,
    Priority,
)
from vig_tui.export.subject_access import same_name
from vig_tui.service import decide, record_consent, send
from vig_tui.store import Store
from vig_tui.tools.gallery import example_request

WHO = Actor(name="Bob Hosken", role="VIG coordinator", user="bob", machine="m-b")
BORN = date(2024, 3, 15)


def _register(path: Path) -> None:
    with Store.open(path) as store:
        first = example_request()
        first.child.name = "Amy O’Neill"
        first.child.date_of_birth = BORN
        sent = send(store, WHO, first, date(2026, 10, 1))
        practitioner = Practitioner(name="Ian Sample")
        allocated = decide(
            store,
            WHO,
            sent,
            Decision(
                meeting=sent.meeting or date(2026, 11, 5),
                outcome=DecisionOutcome.ALLOCATED,
                practitioner_id=practitioner.id,
                practitioner_name=practitioner.name,
                priority=Priority.HIGH,
            ),
            store.calendar(),
        )
        record_consent(
            store,
            WHO,
            allocated,
            ConsentRecord(
                topic=ConsentTopic.FILMING,
                given=True,
                on=date(2026, 11, 10),
                obtained_by="Ian Sample",
                how=ConsentMethod.WRITTEN,
            ),
            today=date(2026, 11, 20),
        )
        again = example_request()
        again.child.name = "amy  o'neill"
        again.child.date_of_birth = BORN
        store.save(again, base_version=None)  # a draft about her too
        # Same name, another child (another date of birth), and another child entirely.
        namesake = example_request()
        namesake.child.name = "Amy O'Neill"
        namesake.child.date_of_birth = date(2023, 1, 2)
        namesake.notes = "NAMESAKE-NOTE"
        store.save(namesake, base_version=None)
        other = example_request()
        other.child.name = "Zac Polglase"
        store.save(other, base_version=None)


def test_names_match_as_a_person_would() -> None:
    assert same_name("Amy  O’Neill", "amy o'neill")
    assert not same_name("Amy O'Neil", "Amy O'Neill")
    assert not same_name("", "")


def test_everything_about_one_child_readable_and_json_owner_only(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _register(db_path)
    out = tmp_path / "out" / "amy.md"
    out.parent.mkdir()
    code = main(
        [
            "sar",
            "--child",
            "AMY O'NEILL",
            "--dob",
            "15/3/2024",
            "-o",
            str(out),
            "--db",
            str(db_path),
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert "2 requests about AMY O'NEILL" in capsys.readouterr().out
    text = out.read_text()
    held = json.loads(out.with_suffix(".json").read_text())
    for path in (out, out.with_suffix(".json")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert held["subject_access"]["requests"] == 2
    assert sorted(r["child"]["name"] for r in held["requests"]) == ["Amy O’Neill", "amy  o'neill"]
    sent = next(r for r in held["requests"] if r["reference"])
    assert [e["action"] for e in sent["history"]][-1] == "consent recorded"
    assert sent["consents"][0]["obtained_by"] == "Ian Sample"
    # The readable file: answers, the decision, consents, work and history with who.
    for words in ("Allocated", "Being filmed", "Ian Sample", "Helping questions",
                  "Bob Hosken, VIG coordinator (bob on m-b)",
                  "The child and family", "Draft request (not sent)"):  # fmt: skip
        assert words in text, words
    held_text = out.with_suffix(".json").read_text()
    # Neither the other child nor the namesake born on 2 January 2023 (written as a
    # date, never a bare "2023", which a hash may happen to contain).
    for other in ("Zac Polglase", "NAMESAKE-NOTE", "2023-01-02", "2 January 2023",
                  "02/01/2023", "2/1/2023"):  # fmt: skip
        assert other not in text, other
        assert other not in held_text, other


def test_html_pdf_and_word_too(db_path: Path, tmp_path: Path) -> None:
    _register(db_path)
    for suffix in (".html", ".pdf", ".docx"):
        out = tmp_path / f"amy-{suffix[1:]}{suffix}"
        args = ["sar", "--child", "Amy O'Neill", "--dob", "2024-03-15", "-o", str(out)]
        assert main([*args, "--db", str(db_path)]) == 0
        assert out.stat().st_size > 1000
    assert b"<script" not in (tmp_path / "amy-html.html").read_bytes()


def test_no_match_says_so_and_writes_nothing(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _register(db_path)
    out = tmp_path / "nobody.md"
    code = main(["sar", "--child", "Amy O'Neill", "--dob", "16/3/2024", "-o", str(out),
                 "--db", str(db_path)])  # fmt: skip
    assert code == 1
    assert "no request" in capsys.readouterr().err
    assert not out.exists() and not out.with_suffix(".json").exists()


def test_an_existing_file_is_kept_unless_forced(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _register(db_path)
    out = tmp_path / "amy.md"
    out.with_suffix(".json").write_text("mine")
    args = [
        "sar",
        "--child",
        "Amy O'Neill",
        "--dob",
        "15/3/2024",
        "-o",
        str(out),
        "--db",
        str(db_path),
    ]
    assert main(args) == 1
    assert "already exists" in capsys.readouterr().err
    assert not out.exists() and out.with_suffix(".json").read_text() == "mine"
    assert main([*args, "--force"]) == 0
    assert json.loads(out.with_suffix(".json").read_text())["subject_access"]["requests"] == 2
    assert main(["sar", "--child", "x", "--dob", "1/1/2020", "-o", str(tmp_path / "a.txt"),
                 "--db", str(db_path)]) == 2  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(name=st.text(max_size=60), noise=st.sampled_from(["", " ", "  ", "\t", "\n"]))
@example(name="\u03b0", noise="")  # "ΰ", whose capital "Ϋ́" folds to its accents' other order
def test_any_name_matches_itself_however_spaced_or_cased_and_nothing_else(
    name: str, noise: str
) -> None:
    spaced = noise + " ".join(name.split()).upper() + noise
    if name.strip():
        assert same_name(name, spaced) == same_name(name, name.casefold())
    assert not same_name(name, name + "x") or not name.strip()


def test_names_with_accents_match_in_capitals_and_in_either_encoding() -> None:
    assert same_name("Zoë Ύψιλον-Ϋ́", "ZOË ΎΨΙΛΟΝ-ΰ")
    assert same_name("Zoe\u0308", "zo\u00eb")  # an e and its diaeresis, or one ë
    assert same_name("Straße", "STRASSE")
    assert not same_name("Zoë", "Zoe")
