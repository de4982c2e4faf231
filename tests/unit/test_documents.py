"""PDF, Word and HTML documents read back as a reader would get them.

PDF pages are turned into pictures and text with poppler's pdftoppm and
pdftotext (`.ci/run` installs poppler-utils); Word files are opened with
python-docx; HTML is parsed. The packs and reports are real ones, built from
fictional requests through the same path the command line takes.
"""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest

from vig_tui.domain.report import build_report
from vig_tui.export import build_pack, write_pack
from vig_tui.export.charts import chart_png, chart_svg
from vig_tui.export.document import Chart, Document, Paragraph, Series, printable
from vig_tui.export.pack_document import AGENDA_COLUMNS
from vig_tui.export.pdf import render_pdf
from vig_tui.export.report import render_report
from vig_tui.export.word import render_docx
from vig_tui.tools.demo import generate_requests

from .test_export import MEETING, ON, make_request

POPPLER = shutil.which("pdftoppm") and shutil.which("pdftotext") and shutil.which("pdfinfo")
needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="poppler-utils (pdftoppm, pdftotext) is not installed; .ci/run installs it"
)
TODAY = date(2026, 11, 30)


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    line = next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))
    return int(line.split()[1])


def pdf_text(path: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def pdf_picture(path: Path, page: int, folder: Path) -> Path:
    """Page ``page`` as a PNG, checked to be a real A4 picture with ink on it."""
    from PIL import Image

    stem = folder / f"page-{page}"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "40",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(path),
            str(stem),
        ],
        check=True,
    )
    picture = stem.with_suffix(".png")
    with Image.open(picture) as image:
        width, height = image.size
        assert abs(height / width - 297 / 210) < 0.02  # A4 portrait
        grey = image.convert("L")
        dark = sum(grey.histogram()[:128])
        assert dark > 0.005 * width * height  # not a blank page
    return picture


@pytest.fixture(scope="module")
def pack_of_35() -> object:
    """35 fictional, complete requests (evidence and all) for one meeting."""
    requests = [r for r in generate_requests(120, today=TODAY, seed=11) if r.submitted_on][:35]
    assert len(requests) == 35
    return build_pack(requests, MEETING, ON)


@needs_poppler
def test_pack_of_35_prints_on_at_most_55_pages_with_the_agenda_on_page_1(
    pack_of_35, tmp_path: Path
) -> None:
    path = write_pack(pack_of_35, "pdf", None, tmp_path)
    assert path.name == "vig-meeting-pack-2026-03-05.pdf"
    assert path.stat().st_mode & 0o777 == 0o600
    pages = pdf_pages(path)
    assert 35 < pages <= 55
    first = pdf_text(path, 1)
    assert "OFFICIAL-SENSITIVE" in first
    assert "Thursday 5 March 2026" in first
    assert "Agenda" in first and "Decision" in first
    assert f"Page 1 of {pages}" in first
    for entry in pack_of_35.entries:
        assert entry.request.reference in first
    assert "1. VIG-" not in first  # the requests start after the agenda page
    pdf_picture(path, 1, tmp_path)
    last = pdf_text(path, pages)
    assert f"Page {pages} of {pages}" in last and "OFFICIAL-SENSITIVE" in last
    pdf_picture(path, pages, tmp_path)


@needs_poppler
def test_pdf_prints_accents_and_curly_quotes_and_redacts(tmp_path: Path) -> None:
    request = make_request(
        9,
        child="Zoë O’Connor-Łukasz",
        carer="Siân “Sunny” Müller",
        evidence="Siân says “she won’t settle” — Zoë cries at pick-up.",
    )
    full = write_pack(build_pack([request], MEETING, ON), "pdf", tmp_path / "full.pdf", tmp_path)
    text = "".join(pdf_text(full, page) for page in range(1, pdf_pages(full) + 1))
    assert "Zoë O’Connor-Łukasz" in text
    assert "“she won’t settle” — Zoë" in text

    redacted = write_pack(
        build_pack([request], MEETING, ON, redact=True), "pdf", tmp_path / "r.pdf", tmp_path
    )
    text = "".join(pdf_text(redacted, page) for page in range(1, pdf_pages(redacted) + 1))
    assert "Z.O." in text
    for secret in ("Zoë", "O’Connor", "Siân", "Müller", "07700 900123", "kerensa.t@example.org"):
        assert secret not in text
    assert "(redacted)" in pdf_text(redacted, 1)


def test_word_pack_reads_back_with_agenda_header_and_page_numbers(pack_of_35) -> None:
    data = render_pack_docx(pack_of_35)
    word = docx.Document(io.BytesIO(data))
    section = word.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    header = section.header.paragraphs[0].text
    assert "OFFICIAL-SENSITIVE" in header and "Thursday 5 March 2026" in header
    footer_xml = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    agenda = word.tables[0]
    assert tuple(cell.text for cell in agenda.rows[0].cells) == AGENDA_COLUMNS
    assert len(agenda.rows) == 36
    assert [row.cells[1].text for row in agenda.rows[1:]] == [
        e.request.reference for e in pack_of_35.entries
    ]
    assert all(row.cells[-1].text == "" for row in agenda.rows[1:])
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading 1")]
    assert len(headings) == 1 + 35


def render_pack_docx(pack: object) -> bytes:
    from vig_tui.export import render

    data = render(pack, "docx")  # type: ignore[arg-type]
    assert isinstance(data, bytes)
    return data


def test_word_redacts_through_the_same_path() -> None:
    request = make_request(9, child="Zoë O’Connor", carer="Siân Müller")
    data = render_pack_docx(build_pack([request], MEETING, ON, redact=True))
    word = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in word.paragraphs) + "\n".join(
        cell.text for table in word.tables for row in table.rows for cell in row.cells
    )
    assert "Z.O." in text
    for secret in ("Zoë", "O’Connor", "Siân", "Müller", "07700 900123", "TR15 2AB"):
        assert secret not in text


def test_control_characters_never_break_a_word_or_pdf_file() -> None:
    hostile = "Tab\there, bell\x07, null\x00, escape\x1b[31m, lone \ud800 surrogate"
    document = Document("Title \x0b", "Head", (Paragraph(hostile),))
    word = docx.Document(io.BytesIO(render_docx(document)))
    assert "bell, null, escape[31m" in word.paragraphs[1].text
    assert render_pdf(document).startswith(b"%PDF")
    assert printable("a\r\nb\x00c") == "a\nbc"


# --- HTML ------------------------------------------------------------------------------


class Page(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def count(self, tag: str) -> int:
        return sum(1 for name, _ in self.tags if name == tag)


def test_html_pack_opens_with_the_agenda_and_forces_no_page_per_request(pack_of_35) -> None:
    from vig_tui.export import render_html

    html = render_html(pack_of_35)
    page = Page(html)
    agenda = html.index('<table class="agenda">')
    assert html.index("<h2>Agenda") < agenda < html.index('<section class="request"')
    assert html.count('<td class="write-on"></td>') == 35
    assert "page-break-before" not in html and "break-before: page" not in html
    assert page.count("section") == 35


def test_html_report_has_black_and_white_charts_and_no_scripts() -> None:
    from .test_report import END, MADE_ON, START, fixture_requests

    data = build_report(fixture_requests(), start=START, end=END, made_on=MADE_ON)
    html = render_report(data, "html").decode()
    page = Page(html)
    assert page.count("script") == 0 and page.count("img") == 0
    assert page.count("svg") >= 4 and page.count("figure") == page.count("svg")
    assert "OFFICIAL-SENSITIVE" in "".join(page.text)
    assert all("href" not in attrs and "src" not in attrs for _, attrs in page.tags if _ != "use")


def test_charts_tell_series_apart_without_colour() -> None:
    chart = Chart(
        "Requests",
        ("Jan 2026", "Feb 2026"),
        (Series("Early Help Hub", (3.0, 4.0)), Series("Case management", (1.0, 2.0))),
    )
    svg = chart_svg(chart)
    assert "<pattern" in svg  # hatching, not colour alone
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert {"4", "6"} <= set(labels[labels.index("Requests") + 1 :])  # totals written on
    assert {"Early Help Hub", "Case management"} <= set(labels)  # and a legend
    png = chart_png(chart, dpi=50)
    assert png.startswith(b"\x89PNG")


@needs_poppler
def test_report_pdf_from_300_demo_requests_reads_as_a_report(tmp_path: Path) -> None:
    requests = generate_requests(300, today=TODAY, seed=5)
    data = build_report(requests, start=date(2026, 6, 1), end=TODAY, made_on=TODAY)
    path = tmp_path / "report.pdf"
    path.write_bytes(render_report(data, "pdf"))
    pages = pdf_pages(path)
    assert 3 <= pages <= 15
    first = pdf_text(path, 1)
    assert "VIG service report: 1 June 2026 to 30 November 2026" in first
    assert f"{data.received} requests received" in first
    assert "OFFICIAL-SENSITIVE" in first and f"Page 1 of {pages}" in first
    pdf_picture(path, 1, tmp_path)
    word = docx.Document(io.BytesIO(render_report(data, "docx")))
    assert len(word.inline_shapes) >= 5  # the charts
    assert word.paragraphs[0].text.startswith("VIG service report")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@needs_poppler
@pytest.mark.skipif(
    not CHROMIUM, reason="no Chromium to print the HTML with (checked by hand; see the README)"
)
def test_html_pack_of_35_printed_by_a_browser_fits_55_pages(pack_of_35, tmp_path: Path) -> None:
    from vig_tui.export import render_html

    page = tmp_path / "pack.html"
    page.write_text(render_html(pack_of_35), encoding="utf-8")
    printed = tmp_path / "pack.pdf"
    subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={printed}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert pdf_pages(printed) <= 55
    first = pdf_text(printed, 1)
    assert all(entry.request.reference in first for entry in pack_of_35.entries)


def _word_gaps(path: Path) -> list[float]:
    """The gaps (in points) between neighbouring words on each line of page 1's body
    (below the running head, above the foot)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    words = [
        (float(y), float(x0), float(x1))
        for x0, y, x1 in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"', html)
        if 45 < float(y) < 780
    ]
    gaps = []
    for (y, _, end), (next_y, start, _) in itertools.pairwise(words):
        if abs(y - next_y) < 1:  # the same line
            gaps.append(start - end)
    return gaps


@needs_poppler
def test_pdf_titles_and_paragraphs_are_ranged_left_not_justified(tmp_path: Path) -> None:
    # A wrapped title was justified (fpdf2's default): "Record   of   the   VIG ...".
    title = "Record of the VIG allocation meeting: Thursday 3 December 2026 and more"
    text = " ".join(["Every answer the family gave, and the service's checks."] * 6)
    path = tmp_path / "doc.pdf"
    path.write_bytes(render_pdf(Document(title, "Running head", (Paragraph(text),))))
    gaps = _word_gaps(path)
    assert len(gaps) > 20
    assert max(gaps) < 6, gaps  # a space is about 3-5 points at these sizes
