"""A :class:`~vig_tui.export.document.Document` as a Word file, with python-docx.

A4 pages with the protective marking and the running head in the page header
and "Page n of N" (Word fields, so Word keeps them right after editing) in
the footer; headings use Word's own Heading styles, so the navigation pane
and a table of contents work; charts are PNG pictures drawn by matplotlib.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

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

_BODY_PT = 10
_TABLE_PT = 9
_SIDE_MM = 18


def render_docx(document: Document, chart_png: Callable[[Chart], bytes] | None = None) -> bytes:
    """The document as .docx bytes; ``chart_png`` draws charts (matplotlib's by default)."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    draw = chart_png or charts.chart_png

    word = docx.Document()
    word.core_properties.title = printable(document.title)
    word.core_properties.author = "vig-tui"
    word.core_properties.keywords = MARKING
    normal = word.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(_BODY_PT)
    page_width, page_height = (Mm(297), Mm(210)) if document.landscape else (Mm(210), Mm(297))
    section = word.sections[0]
    section.page_width, section.page_height = page_width, page_height
    if document.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
    section.left_margin = section.right_margin = Mm(_SIDE_MM)
    section.top_margin = section.bottom_margin = Mm(16)
    width = Mm(page_width.mm - 2 * _SIDE_MM)
    _header_and_footer(section, document.running_head, width)

    word.add_heading(printable(document.title), level=0)
    for block in document.blocks:
        _block(word, block, draw, width, document.landscape)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _block(
    word: Any, block: Block, chart_png: Callable[[Chart], bytes], width: int, landscape: bool
) -> None:
    from docx.shared import Pt

    if isinstance(block, Heading):
        word.add_heading(printable(block.text), level=min(block.level, 9))
    elif isinstance(block, Paragraph):
        paragraph = word.add_paragraph()
        run = paragraph.add_run(printable(block.text))
        run.bold = block.strong
        paragraph.paragraph_format.space_after = Pt(4)
    elif isinstance(block, Table):
        _table(word, block, landscape)
    elif isinstance(block, Chart):
        if not block.empty:
            word.add_picture(io.BytesIO(chart_png(block)), width=width)
            word.paragraphs[-1].runs[-1]._r.xpath("./w:drawing//wp:docPr")[0].set(
                "descr", printable(block.title)
            )
    elif isinstance(block, PageBreak):
        word.add_page_break()


def _table(word: Any, table: Table, landscape: bool) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm, Pt

    header = 0 if table.labelled else 1
    grid = word.add_table(rows=header + len(table.rows), cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    if header:
        for position, text in enumerate(table.columns):
            _cell(grid.cell(0, position), text, bold=True, right=table.numeric and position > 0)
        _repeat_as_header(grid.rows[0])
    for index, cells in enumerate(table.rows):
        row = grid.rows[header + index]
        if table.write_on:
            row.height = Mm(9)
        for position, cell in enumerate(cells):
            _cell(
                row.cells[position],
                cell or "",
                bold=index in table.warnings or (table.labelled and position == 0),
                right=table.numeric and position > 0,
            )
    for row in grid.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
                for run in paragraph.runs:
                    run.font.size = Pt(_TABLE_PT)
    if table.widths:
        text_width = (297 if landscape else 210) - 2 * _SIDE_MM
        total = sum(table.widths)
        for position, share in enumerate(table.widths):
            for cell in grid.columns[position].cells:
                cell.width = Mm(text_width * share / total)
    word.add_paragraph()


def _cell(cell: Any, text: str, *, bold: bool, right: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(printable(text))
    run.bold = bold
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _repeat_as_header(row: Any) -> None:
    """The header row is printed again at the top of every page the table runs onto."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def _header_and_footer(section: Any, running_head: str, width: int) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT

    head = section.header.paragraphs[0]
    head.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    head.add_run(MARKING).bold = True
    head.add_run(f"\t{printable(running_head)}")
    foot = section.footer.paragraphs[0]
    foot.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    foot.add_run(MARKING).bold = True
    foot.add_run("\tPage ")
    _field(foot, "PAGE")
    foot.add_run(" of ")
    _field(foot, "NUMPAGES")


def _field(paragraph: Any, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in as it lays out the pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = code
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate, shown, end):
        run._r.append(element)
