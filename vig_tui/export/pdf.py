"""A :class:`~vig_tui.export.document.Document` as an A4 PDF, with fpdf2.

Every page has the protective marking and the document's running head (the
meeting date or the report's period) at the top, and the marking and "Page n
of N" at the foot. Text is set in DejaVu Sans, embedded, so names with
accents and curly quotes print as typed; the font files are the ones
matplotlib ships (a dependency already, for the charts), so nothing depends
on the fonts a machine happens to have. Tables flow on over pages with their
header row repeated; long answers are paragraphs, which may break anywhere.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

from . import charts
from .document import (
    MARKING,
    Block,
    Chart,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Table,
    printable,
)

FONT = "DejaVu"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
_SYSTEM_FONTS = Path("/usr/share/fonts/truetype/dejavu")
_BODY_PT = 8.5
_HEADING_PT = {0: 15.0, 1: 12.0, 2: 10.5, 3: 9.0}
_LINE_MM = 3.9
_COMPACT_PT = 7.5
_COMPACT_LINE_MM = 3.2
#: Start a heading on a new page rather than leave it alone at the foot of one.
_KEEP_WITH_NEXT_MM = 28.0


class FontMissingError(RuntimeError):
    """Neither matplotlib's DejaVu fonts nor the system's are there."""


def font_folder() -> Path:
    """Where the DejaVu Sans files are: matplotlib's copy, else Debian's fonts-dejavu-core."""
    spec = importlib.util.find_spec("matplotlib")
    for location in spec.submodule_search_locations or () if spec else ():
        folder = Path(location) / "mpl-data" / "fonts" / "ttf"
        if all((folder / name).is_file() for name in _FONT_FILES.values()):
            return folder
    if all((_SYSTEM_FONTS / name).is_file() for name in _FONT_FILES.values()):
        return _SYSTEM_FONTS
    raise FontMissingError(
        "The DejaVu Sans font is not installed (it comes with matplotlib); "
        "reinstall vig-tui to write PDF files"
    )


def render_pdf(document: Document, chart_png: Callable[[Chart], bytes] | None = None) -> bytes:
    """The document as PDF bytes; ``chart_png`` draws charts (matplotlib's by default)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    draw = chart_png or charts.chart_png

    folder = font_folder()

    class _Pages(FPDF):
        def header(self) -> None:
            self.set_font(FONT, "B", 8)
            self.cell(self.epw / 2, 5, MARKING, new_x="RIGHT", new_y="TOP")
            self.set_font(FONT, "", 8)
            self.cell(self.epw / 2, 5, printable(document.running_head), align="R")
            self.ln(5)
            self.set_draw_color(0)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.ln(3)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FONT, "B", 8)
            self.cell(self.epw / 2, 5, MARKING, new_x="RIGHT", new_y="TOP")
            self.set_font(FONT, "", 8)
            self.cell(self.epw / 2, 5, f"Page {self.page_no()} of {{nb}}", align="R")

    pdf = _Pages(orientation="L" if document.landscape else "P", unit="mm", format="A4")
    for style, name in _FONT_FILES.items():
        pdf.add_font(FONT, style, str(folder / name))
    pdf.set_margins(15, 12, 15)
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_title(printable(document.title))
    pdf.set_creator("vig-tui")
    pdf.set_lang("en-GB")
    pdf.add_page()
    _heading(pdf, document.title, 0)
    bold = FontFace(emphasis="BOLD")
    blocks = document.blocks
    for index, block in enumerate(blocks):
        if isinstance(block, Heading):
            following = list(blocks[index + 1 : index + 3])
            if following and not isinstance(following[0], Paragraph):
                following = following[:1]
            _keep_with(pdf, following)
        _block(pdf, block, draw, bold)
    return bytes(pdf.output())


def _block(pdf: object, block: Block, chart_png: Callable[[Chart], bytes], bold: object) -> None:
    from fpdf import FPDF

    assert isinstance(pdf, FPDF)
    if isinstance(block, Heading):
        _heading(pdf, block.text, block.level)
    elif isinstance(block, Paragraph):
        pdf.set_font(FONT, "B" if block.strong else "", _BODY_PT)
        pdf.multi_cell(0, _LINE_MM, printable(block.text), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.8)
    elif isinstance(block, Table):
        _table(pdf, block, bold)
    elif isinstance(block, Chart):
        if block.empty:
            return
        width = pdf.epw
        height = _chart_height(pdf, block)
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
        pdf.image(chart_png(block), w=width, h=height, alt_text=printable(block.title))
        pdf.ln(2)
    elif isinstance(block, PageBreak):
        pdf.add_page()


def _chart_height(pdf: object, chart: Chart) -> float:
    from fpdf import FPDF

    assert isinstance(pdf, FPDF)
    return pdf.epw * charts.chart_height_inches(chart) / 7.0


def _keep_with(pdf: object, following: list[Block]) -> None:
    """A new page for a heading that would stand alone at the foot of this one, or
    apart from the chart it introduces (``following``: the next block or two)."""
    from fpdf import FPDF

    assert isinstance(pdf, FPDF)
    needed = _KEEP_WITH_NEXT_MM
    charts = [b for b in following if isinstance(b, Chart) and not b.empty][:1]
    if charts:
        needed = 12 + 12 * (len(following) - 1) + _chart_height(pdf, charts[0])
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()


def _heading(pdf: object, text: str, level: int) -> None:
    from fpdf import FPDF

    assert isinstance(pdf, FPDF)
    size = _HEADING_PT.get(level, _BODY_PT)
    pdf.ln({0: 0, 1: 2.5, 2: 1.5}.get(level, 0.8))
    pdf.set_font(FONT, "B", size)
    # Ranged left, as GOV.UK sets text: fpdf2 justifies by default, which spread a
    # wrapped title's words across the page.
    pdf.multi_cell(0, size * 0.45, printable(text), align="L", new_x="LMARGIN", new_y="NEXT")
    if level <= 1:
        pdf.set_draw_color(0)
        pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.w - pdf.r_margin, pdf.get_y() + 0.5)
    pdf.ln(1.0)


def _table(pdf: object, table: Table, bold: object) -> None:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    assert isinstance(pdf, FPDF)
    assert isinstance(bold, FontFace)
    count = len(table.columns)
    widths = table.widths or tuple(1.0 for _ in range(count))
    align = tuple("RIGHT" if table.numeric and index else "LEFT" for index in range(count))
    size, line = (_COMPACT_PT, _COMPACT_LINE_MM) if table.compact else (_BODY_PT, _LINE_MM)
    pdf.set_font(FONT, "", size - (0.5 if count > 8 else 0))
    with pdf.table(
        col_widths=widths,
        text_align=align,
        first_row_as_headings=not table.labelled,
        repeat_headings=1,
        borders_layout="HORIZONTAL_LINES",
        line_height=line,
        padding=(0.5, 1.0),
        v_align="TOP",
        width=pdf.epw,
    ) as grid:
        if not table.labelled:
            grid.row([printable(c) for c in table.columns])
        for index, cells in enumerate(table.rows):
            warning = index in table.warnings
            row = grid.row(min_height=(5.6 if table.compact else 8.0) if table.write_on else None)
            for position, cell in enumerate(cells):
                strong = warning or (table.labelled and position == 0)
                row.cell(printable(cell or ""), style=bold if strong else None)
    pdf.ln(2)
