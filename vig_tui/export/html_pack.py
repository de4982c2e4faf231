"""The meeting pack as one self-contained HTML page, made for printing.

One file with its styles inline: no scripts, fonts, images or links to load,
and a Content-Security-Policy that forbids them anyway, so the pack opens the
same on an offline laptop and cannot call out. It opens with one printed
page: its protective marking (as every document has), the agenda, a table of
every request with an empty Decision
column to write on. The requests follow without forced page breaks (35 of
them used to print on over 100 pages). Every piece of text goes through
:func:`html.escape`.
"""

from __future__ import annotations

from html import escape

from .content import (
    REDACTION_NOTICE,
    Item,
    Part,
    cover_lines,
    entry_heading,
    entry_parts,
    title,
)
from .document import MARKING
from .pack import MeetingPack
from .pack_document import AGENDA_COLUMNS, agenda_row

_CSS = """
:root { color-scheme: light; }
body { font: 11pt/1.45 system-ui, "Segoe UI", Arial, sans-serif; color: #0b0c0c;
  max-width: 50rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 1rem; }
.marking { font-weight: bold; letter-spacing: .05em; margin: 0 0 .5rem; }
h2 { font-size: 1.3rem; margin: 0 0 .75rem; border-bottom: 2px solid #0b0c0c; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .4rem; }
.cover p { margin: .3rem 0; }
.cover .redacted { font-weight: bold; }
table.agenda { table-layout: fixed; }
table.agenda th, table.agenda td { border: 1px solid #0b0c0c; padding: .2rem .3rem;
  font-size: 9.5pt; width: auto; }
table.agenda td { white-space: nowrap; overflow: hidden; overflow-wrap: normal; }
table.agenda td:nth-child(5) { white-space: normal; }
table.agenda th:nth-child(1) { width: 4%; } table.agenda th:nth-child(2) { width: 14%; }
table.agenda th:nth-child(3) { width: 6%; } table.agenda th:nth-child(4) { width: 16%; }
table.agenda th:nth-child(5) { width: 22%; } table.agenda th:nth-child(6) { width: 10%; }
table.agenda th:nth-child(7) { width: 11%; } table.agenda th:nth-child(8) { width: 17%; }
section.request { margin-top: 2.5rem; border-top: 3px solid #0b0c0c; padding-top: .4rem; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem .3rem 0;
  border-bottom: 1px solid #b1b4b6; }
th { width: 34%; font-weight: 600; }
td { white-space: pre-wrap; overflow-wrap: anywhere; }
td.blank { height: 2.2rem; border-bottom: 1px solid #0b0c0c; }
tr.warning th, tr.warning td { color: #942514; font-weight: bold; }
p.empty { margin: .3rem 0; color: #505a5f; }
@page { size: A4; margin: 12mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 8.5pt; line-height: 1.3; }
  h1 { font-size: 14pt; margin: 0 0 .4rem; }
  h2 { font-size: 11.5pt; margin: .2rem 0 .3rem; }
  h3 { font-size: 9.5pt; margin: .5rem 0 .15rem; }
  th, td { padding: .1rem .4rem .1rem 0; }
  td.blank { height: 1.3rem; }
  .cover p { margin: .1rem 0; }
  table.agenda th, table.agenda td { font-size: 8pt; padding: .1rem .25rem; }
  table.agenda td { height: 1.1rem; }
  header.cover { page-break-after: always; break-after: page; }
  section.request { margin-top: 1.2rem; }
  h2 { page-break-after: avoid; break-after: avoid; }
  tr, h3 { page-break-inside: avoid; break-inside: avoid; }
  h3 { page-break-after: avoid; break-after: avoid; }
}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def _e(text: str) -> str:
    return escape(text, quote=True)


def render_html(pack: MeetingPack) -> str:
    heading = _e(title(pack))
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(_CSP)}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="robots" content="noindex, nofollow">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{heading}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        '<header class="cover">',
        f'<p class="marking">{MARKING}</p>',
        f"<h1>{heading}</h1>",
    ]
    out += [f"<p>{_e(line)}</p>" for line in cover_lines(pack)]
    if pack.redacted:
        out.append(f'<p class="redacted">{_e(REDACTION_NOTICE)}</p>')
    out.append("<h2>Agenda, in the suggested order</h2>")
    if pack.entries:
        out += _agenda(pack)
    else:
        out.append('<p class="empty">No requests for this meeting.</p>')
    out.append("</header>")
    for number, entry in enumerate(pack.entries, start=1):
        out.append(f'<section class="request" id="request-{number}">')
        out.append(f"<h2>{_e(entry_heading(number, entry))}</h2>")
        for part in entry_parts(pack, entry):
            out += _part(part)
        out.append("</section>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def _agenda(pack: MeetingPack) -> list[str]:
    out = ['<table class="agenda">', "<thead><tr>"]
    out += [f'<th scope="col">{_e(column)}</th>' for column in AGENDA_COLUMNS]
    out += ["</tr></thead>", "<tbody>"]
    for number, entry in enumerate(pack.entries, start=1):
        cells = [
            '<td class="write-on"></td>' if cell is None else f"<td>{_e(cell)}</td>"
            for cell in agenda_row(number, entry)
        ]
        out.append(f"<tr>{''.join(cells)}</tr>")
    out += ["</tbody>", "</table>"]
    return out


def _part(part: Part) -> list[str]:
    out = [f"<h3>{_e(part.heading)}</h3>"]
    if not part.items:
        return [*out, f'<p class="empty">{_e(part.empty)}</p>']
    out.append("<table>")
    out += [_row(item) for item in part.items]
    out.append("</table>")
    return out


def _row(item: Item) -> str:
    label = f'<th scope="row">{_e(item.label)}</th>'
    if item.blank:
        return f'<tr>{label}<td class="blank"></td></tr>'
    css = ' class="warning"' if item.warning else ""
    return f"<tr{css}>{label}<td>{_e(item.text.strip())}</td></tr>"
