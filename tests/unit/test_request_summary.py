"""One request's summary (issue #11 §5): every answer, the findings and the suggested
priority in six formats, redacted through the pack's own path, written by the real
command line; the PDF is looked at as pictures, the Word file read back."""

from __future__ import annotations

import csv
import io
import json
import stat
from datetime import date
from pathlib import Path

import docx
import pytest

from tests.unit.test_documents import needs_poppler, pdf_picture, pdf_text
from vig_tui.cli import main
from vig_tui.domain.checklist import ConsiderationId
from vig_tui.domain.models import VigRequest
from vig_tui.export.request_summary import (
    SUMMARY_FORMATS,
    build_summary,
    render_summary,
    render_summary_csv,
)
from vig_tui.store import Store
from vig_tui.tools.gallery import example_request

ON = date(2026, 11, 30)
#: What a redacted summary must never hold, in any format.
IDENTIFYING = (
    "Amelia",
    "Tregear",
    "Kerenza",
    "Penrose",
    "Hocking",
    "TR15",
    "EHH-2026-3141",
    "sam.penrose@example.org",
    "01632 960 001",
    "3 December 2024",
    "2024-12-03",
)


def request() -> VigRequest:
    sent = example_request()
    sent.local_number = "DRAFT-7F3A-0001"
    return sent


def text_of(data: bytes, fmt: str, folder: Path) -> str:
    if fmt == "pdf":
        path = folder / "summary.pdf"
        path.write_bytes(data)
        return pdf_text(path, 1) + pdf_text(path, 2)
    if fmt == "docx":
        document = docx.Document(io.BytesIO(data))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    return data.decode("utf-8-sig")


def test_the_summary_holds_every_answer_the_findings_and_the_priority_with_reasons() -> None:
    summary = build_summary(request(), ON)
    text = render_summary(summary, "md").decode()
    example = request()
    for expected in (
        "VIG request summary: DRAFT-7F3A-0001",
        "Amelia Tregear",
        "3 December 2024",
        "Sam Penrose",
        "Camborne Early Help",
        "EHH-2026-3141",
        "Jan Hocking",
        "rarely holds her face to face",
        "Baby massage (Solihull Approach)",
        example.answer(ConsiderationId.ASSESSMENT).explanation,
        "No findings",
        "Suggested priority",
        "Child is 1 year 11 months old",
        "Age on 30 November 2026",
        "Early Help Hub's general request form",
    ):
        assert expected in text, expected
    headings = [part.heading for part in summary.parts]
    assert headings[:2] == ["The request", "The child and family"]
    assert "Decision at this meeting" not in headings  # a summary has no meeting to write on


def test_findings_say_what_is_missing_and_decisions_so_far_are_listed() -> None:
    incomplete = request()
    incomplete.carer_agrees = None
    incomplete.child.date_of_birth = None
    text = render_summary(build_summary(incomplete, ON), "md").decode()
    assert "Blocking" in text
    assert "date of birth" in text.lower()


@pytest.mark.parametrize("fmt", SUMMARY_FORMATS)
def test_redacted_summaries_hold_nothing_that_identifies_the_family(
    fmt: str, tmp_path: Path
) -> None:
    if fmt == "pdf":
        pytest.importorskip("fpdf")
    data = render_summary(build_summary(request(), ON, redact=True), fmt)
    text = text_of(data, fmt, tmp_path)
    assert "A.T." in text
    for secret in IDENTIFYING:
        assert secret not in text, (fmt, secret)
    full = text_of(render_summary(build_summary(request(), ON), fmt), fmt, tmp_path)
    assert "Amelia Tregear" in full


def test_html_escapes_what_it_embeds_and_csv_neutralises_formulas() -> None:
    hostile = request()
    hostile.child.name = "<script>alert(1)</script> Zoë"
    hostile.notes = '=HYPERLINK("http://evil")'
    summary = build_summary(hostile, ON)
    html = render_summary(summary, "html").decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    rows = list(csv.reader(io.StringIO(render_summary_csv(summary))))
    assert rows[0] == ["Part", "Question", "Answer"]
    notes = next(row for row in rows if row[1] == "Notes")
    assert notes[2].startswith("'=")
    document = json.loads(render_summary(summary, "json"))
    assert document["kind"] == "vig-request-summary"
    assert document["parts"][0]["heading"] == "The request"


@needs_poppler
def test_the_pdf_is_a4_pages_with_ink_and_says_what_the_markdown_says(tmp_path: Path) -> None:
    data = render_summary(build_summary(request(), ON), "pdf")
    path = tmp_path / "summary.pdf"
    path.write_bytes(data)
    pdf_picture(path, 1, tmp_path)
    first = pdf_text(path, 1)
    assert "OFFICIAL-SENSITIVE" in first
    assert "VIG request summary: DRAFT-7F3A-0001" in first
    assert "Amelia Tregear" in first


# The command line ---------------------------------------------------------------------


@pytest.fixture
def stored(db_path: Path) -> VigRequest:
    with Store.open(db_path) as store:
        return store.save(request(), base_version=0)


def test_export_request_writes_an_owner_only_file_named_by_number(
    stored: VigRequest, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    code = main(
        [
            "export",
            "--request",
            "draft-7f3a-0001",
            "--format",
            "docx",
            "-o",
            str(out),
            "--db",
            str(db_path),
        ]
    )
    output, err = capsys.readouterr()
    assert code == 0, err
    written = out / "vig-request-summary-DRAFT-7F3A-0001.docx"
    assert f"Wrote the Word summary of DRAFT-7F3A-0001 to {written}" in output
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert "Amelia Tregear" in text_of(written.read_bytes(), "docx", tmp_path)
    code = main(
        [
            "export",
            "--request",
            str(stored.id)[:8],
            "--format",
            "md",
            "--redact",
            "-o",
            str(out),
            "--db",
            str(db_path),
        ]
    )
    output, err = capsys.readouterr()
    assert code == 0, err
    assert "Wrote the redacted Markdown summary of DRAFT-7F3A-0001" in output
    redacted = (out / "vig-request-summary-DRAFT-7F3A-0001-redacted.md").read_text()
    assert "Tregear" not in redacted and "A.T." in redacted
    code = main(
        [
            "export",
            "--request",
            str(stored.id),
            "--format",
            "md",
            "--redact",
            "-o",
            str(out),
            "--db",
            str(db_path),
        ]
    )
    assert code == 1
    assert "already exists" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "code", "words"),
    [
        (["--request", "DRAFT-0000-0042", "--format", "md"], 1, "no such request"),
        (["--format", "md"], 2, "--meeting DATE"),
        (["--request", "DRAFT-7F3A-0001", "--format", "md", "--record"], 2, "--record"),
    ],
)
def test_export_request_refusals_are_one_clear_line(
    stored: VigRequest,
    db_path: Path,
    tmp_path: Path,
    capsys,
    argv: list[str],
    code: int,
    words: str,
) -> None:
    assert main(["export", *argv, "-o", str(tmp_path), "--db", str(db_path)]) == code
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert list(tmp_path.glob("vig-request-summary*")) == []


def test_a_redacted_request_sent_by_file_keeps_no_email_address() -> None:
    from vig_tui.domain.models import FileSending
    from vig_tui.export.redact import redact_request

    sent = request()
    sent.sent_by_file = FileSending(on=ON, to="vigservice@cornwall.gov.uk", service_name="VIG")
    redacted = redact_request(sent)
    assert redacted.sent_by_file is not None and redacted.sent_by_file.to == ""
    assert redacted.local_number == "DRAFT-7F3A-0001"
    assert (
        "vigservice@" not in render_summary(build_summary(sent, ON, redact=True), "json").decode()
    )
