"""A :class:`~vig_tui.export.document.Document` as Markdown or as one HTML page.

Markdown escapes every piece of text (see :mod:`vig_tui.export.markdown_pack`)
and gives tables as pipe tables; charts are left out, as their figures are in
the tables beside them. The HTML page is self-contained like the meeting
pack's: inline styles, charts as inline SVG drawn by matplotlib, no scripts,
and a Content-Security-Policy that forbids loading anything.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from . import charts
from .document import MARKING, Block, Chart, Document, Heading, PageBreak, Paragraph, Table
from .markdown_pack import escape as md_escape

_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

_CSS = """
:root { color-scheme: light; }
body { font: 11pt/1.45 system-ui, "Segoe UI", Arial, sans-serif; color: #0b0c0c;
  max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
.marking { font-weight: bold; letter-spacing: .05em; margin: 0 0 .5rem; }
h1 { font-size: 1.6rem; margin: 0 0 1rem; }
h2 { font-size: 1.3rem; margin: 1.8rem 0 .6rem; border-bottom: 2px solid #0b0c0c; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
p { margin: .3rem 0; }
p.strong { font-weight: bold; }
table { width: 100%; border-collapse: collapse; margin: .4rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .25rem .4rem;
  border-bottom: 1px solid #b1b4b6; }
thead th { border-bottom: 2px solid #0b0c0c; }
td { white-space: pre-wrap; overflow-wrap: anywhere; }
table.numeric td:not(:first-child), table.numeric th:not(:first-child) { text-align: right; }
table.labelled th { width: 32%; }
tr.warning td { font-weight: bold; }
td.write-on { height: 1.6rem; min-width: 8rem; }
figure { margin: .6rem 0 1rem; }
figure svg { max-width: 100%; height: auto; }
@page { size: A4; margin: 14mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; }
  .agenda { break-after: page; page-break-after: always; }
  tr, figure { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
}
"""


def render_document_markdown(document: Document) -> str:
    out = [f"**{MARKING}**", "", f"# {md_escape(document.title)}", ""]
    for block in document.blocks:
        out += _markdown_block(block)
    return "\n".join(out).rstrip() + "\n"


def _markdown_block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return [f"{'#' * (block.level + 1)} {md_escape(block.text)}", ""]
    if isinstance(block, Paragraph):
        text = md_escape(block.text)
        return [f"**{text}**" if block.strong else text, ""]
    if isinstance(block, Table):
        return _markdown_table(block)
    if isinstance(block, PageBreak):
        return ["---", ""]
    return []


def _markdown_table(table: Table) -> list[str]:
    def cells(row: tuple[str | None, ...]) -> str:
        return "| " + " | ".join(md_escape(cell or "") for cell in row) + " |"

    header = table.columns if not table.labelled else ("", "")
    align = ["---:" if table.numeric and index else "---" for index in range(len(table.columns))]
    return [cells(header), "| " + " | ".join(align) + " |", *map(cells, table.rows), ""]


def render_document_html(
    document: Document, chart_svg: Callable[[Chart], str] | None = None
) -> str:
    """The page; ``chart_svg`` draws charts (matplotlib's, unless a test passes another)."""
    draw = chart_svg or charts.chart_svg
    title = escape(document.title)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{escape(_CSP)}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="robots" content="noindex, nofollow">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f'<p class="marking">{MARKING}</p>',
        f"<h1>{title}</h1>",
    ]
    section_open = False
    for index, block in enumerate(document.blocks):
        if isinstance(block, PageBreak):
            continue
        if index + 1 < len(document.blocks) and isinstance(document.blocks[index + 1], PageBreak):
            out.append('<div class="agenda">')
            out += _html_block(block, draw)
            out.append("</div>")
            continue
        if isinstance(block, Heading) and block.level == 1:
            if section_open:
                out.append("</section>")
            out.append("<section>")
            section_open = True
        out += _html_block(block, draw)
    if section_open:
        out.append("</section>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def _html_block(block: Block, chart_svg: Callable[[Chart], str]) -> list[str]:
    if isinstance(block, Heading):
        level = min(block.level + 1, 6)
        return [f"<h{level}>{escape(block.text)}</h{level}>"]
    if isinstance(block, Paragraph):
        css = ' class="strong"' if block.strong else ""
        return [f"<p{css}>{escape(block.text)}</p>"]
    if isinstance(block, Table):
        return _html_table(block)
    if isinstance(block, Chart):
        if block.empty:
            return []
        return [
            f'<figure role="img" aria-label="{escape(block.title)}">',
            chart_svg(block),
            "</figure>",
        ]
    return []


def _html_table(table: Table) -> list[str]:
    classes = [
        name for name, on in (("numeric", table.numeric), ("labelled", table.labelled)) if on
    ]
    css = f' class="{" ".join(classes)}"' if classes else ""
    out = [f"<table{css}>"]
    if not table.labelled:
        out.append(
            "<thead><tr>"
            + "".join(f'<th scope="col">{escape(c)}</th>' for c in table.columns)
            + "</tr></thead>"
        )
    out.append("<tbody>")
    for index, row in enumerate(table.rows):
        row_css = ' class="warning"' if index in table.warnings else ""
        cells = []
        for position, cell in enumerate(row):
            if table.labelled and position == 0:
                cells.append(f'<th scope="row">{escape(cell or "")}</th>')
            elif cell is None:
                cells.append('<td class="write-on"></td>')
            else:
                cells.append(f"<td>{escape(cell)}</td>")
        out.append(f"<tr{row_css}>{''.join(cells)}</tr>")
    out += ["</tbody>", "</table>"]
    return out
