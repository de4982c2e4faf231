"""The record of a meeting: kept per meeting in the database, and written after it."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import docx
import pytest

from tests.db_files import read_tables, write_tables
from vig_tui.cli import main
from vig_tui.domain.models import (
    Decision,
    DecisionOutcome,
    MeetingRecord,
    NotAcceptedReason,
    Priority,
    RequestStatus,
)
from vig_tui.export.record import build_minutes, render_record
from vig_tui.store import CorruptDatabaseError, Store

from .test_documents import needs_poppler, pdf_pages, pdf_text
from .test_export import MEETING, ON, make_request

DEC = date(2026, 12, 3)


def test_a_meeting_record_is_kept_and_replaced_per_meeting(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    with Store.open(db) as store:
        empty = store.meeting_record(DEC)
        assert (empty.meeting, empty.attendees, empty.apologies, empty.actions) == (DEC, [], [], "")
        store.save_meeting_record(
            MeetingRecord(meeting=DEC, attendees=["Ann Coordinator"], actions="Ring the HV")
        )
        store.save_meeting_record(
            MeetingRecord(
                meeting=DEC,
                attendees=["Ann Coordinator", "Ben Practitioner"],
                apologies=["Cat Manager"],
                actions="Ring the HV",
            )
        )
        store.save_meeting_record(MeetingRecord(meeting=MEETING, attendees=["Someone Else"]))
    with Store.open(db, read_only=True) as store:
        kept = store.meeting_record(DEC)
        assert kept.attendees == ["Ann Coordinator", "Ben Practitioner"]
        assert kept.apologies == ["Cat Manager"] and kept.actions == "Ring the HV"
        assert store.meeting_record(MEETING).attendees == ["Someone Else"]
    tables = json.loads(db.read_text())
    assert len(tables["meeting_records"]) == 2


def test_a_damaged_meeting_record_is_reported_not_overwritten(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    with Store.open(db) as store:
        store.save_meeting_record(MeetingRecord(meeting=DEC, attendees=["Ann"]))
    tables = read_tables(db)
    tables["meeting_records"]["1"]["attendees"] = "not a list"
    write_tables(db, tables)
    before = db.read_bytes()
    with pytest.raises(CorruptDatabaseError, match="meeting_records"):
        Store.open(db)
    assert db.read_bytes() == before


def decided_requests() -> list:
    allocated = make_request(
        1,
        child="Zoë O’Connor",
        status=RequestStatus.ALLOCATED,
        decisions=[
            Decision(
                meeting=MEETING,
                outcome=DecisionOutcome.ALLOCATED,
                practitioner_name="Tamsin Rowe",
                priority=Priority.HIGH,
            )
        ],
    )
    refused = make_request(
        2,
        child="Jago Penrose",
        carer="Morwenna Penrose",
        status=RequestStatus.NOT_ACCEPTED,
        decisions=[
            Decision(
                meeting=MEETING,
                outcome=DecisionOutcome.NOT_ACCEPTED,
                not_accepted_reason=NotAcceptedReason.ANOTHER_SERVICE,
                note="Family support team better placed",
            )
        ],
    )
    return [allocated, refused, make_request(3, child="Tegen Hall")]


RECORD = MeetingRecord(
    meeting=MEETING,
    attendees=["Ann Coordinator", "Ben Practitioner"],
    apologies=["Cat Manager"],
    actions="Ann to tell Morwenna Penrose about the family support team\nReview Tegen in January",
)


def test_the_record_names_who_came_each_decision_and_the_actions() -> None:
    text = render_record(build_minutes(decided_requests(), MEETING, ON, RECORD), "md").decode()
    assert "Record of the VIG allocation meeting: Thursday 5 March 2026" in text
    assert "Ann Coordinator\n\nBen Practitioner" in text and "Cat Manager" in text
    assert "| 1 | VIG-2026-0001 | Z.O. | Allocated | Tamsin Rowe | High |" in text
    assert "Another service is better placed" in text
    assert "Family support team better placed" in text
    assert "Not decided yet" in text
    assert "1. Ann to tell Morwenna Penrose" in text and "2. Review Tegen in January" in text
    word = docx.Document(
        io.BytesIO(render_record(build_minutes(decided_requests(), MEETING, ON, RECORD), "docx"))
    )
    decisions = word.tables[0]
    assert [c.text for c in decisions.rows[1].cells][1:5] == [
        "VIG-2026-0001",
        "Z.O.",
        "Allocated",
        "Tamsin Rowe",
    ]


def test_each_person_present_is_their_own_line_so_a_role_after_a_comma_stays_theirs() -> None:
    # Entered one a line, "with their role if you like": joined with commas, this read
    # as three people.
    record = MeetingRecord(
        meeting=MEETING,
        attendees=["Cora Ordinator, VIG coordinator", "Ian Sample"],
        apologies=["Owen Fiction, team manager", "Pat Ref"],
    )
    minutes = build_minutes(decided_requests(), MEETING, ON, record)
    text = render_record(minutes, "md").decode()
    present = text.split("## Present", 1)[1].split("## Apologies", 1)[0]
    assert [line for line in present.splitlines() if line] == [
        "Cora Ordinator, VIG coordinator",
        "Ian Sample",
    ]
    word = docx.Document(io.BytesIO(render_record(minutes, "docx")))
    paragraphs = [p.text for p in word.paragraphs]
    start = paragraphs.index("Apologies")
    assert paragraphs[start + 1 : start + 3] == ["Owen Fiction, team manager", "Pat Ref"]
    nobody = render_record(build_minutes([], MEETING, ON, MeetingRecord(meeting=MEETING)), "md")
    assert nobody.decode().count("None recorded") == 3  # present, apologies, actions


def test_a_redacted_record_redacts_the_actions_too() -> None:
    minutes = build_minutes(decided_requests(), MEETING, ON, RECORD, redact=True)
    text = render_record(minutes, "html").decode()
    for secret in ("Morwenna", "Penrose", "Zoë", "Tegen"):
        assert secret not in text, secret
    assert "Ann Coordinator" in text


@needs_poppler
def test_record_command_writes_a_pdf_after_the_meeting(capsys, tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    with Store.open(db) as store:
        store.import_requests(decided_requests())
        store.save_meeting_record(RECORD)
    target = tmp_path / "record.pdf"
    code = main(
        [
            "export",
            "--db",
            str(db),
            "--meeting",
            "2026-03-05",
            "--format",
            "pdf",
            "--record",
            "-o",
            str(target),
        ]
    )
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), err
    assert "2 of 3 decided" in out
    assert pdf_pages(target) == 1
    page = pdf_text(target, 1)
    assert "OFFICIAL-SENSITIVE" in page and "Page 1 of 1" in page
    assert "Ann Coordinator\nBen Practitioner" in page and "Tamsin Rowe" in page
    code = main(
        ["export", "--db", str(db), "--meeting", "2026-03-05", "--format", "csv", "--record"]
    )
    err = capsys.readouterr().err
    assert code == 2 and "written as Markdown, HTML, PDF or Word, not CSV" in err
