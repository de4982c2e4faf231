"""A printable document as plain blocks: headings, paragraphs, tables, charts.

The service report, the meeting pack's PDF and Word forms and the meeting
record are each built once as a :class:`Document`; the Markdown, HTML, PDF
and Word writers lay out the same blocks, so the formats cannot disagree.
All text is plain: each writer escapes it for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

#: The protective marking every printed page carries (Government Security Classifications).
MARKING = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class Heading:
    text: str
    #: 1 for the document's sections, 2 below them, 3 below those.
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    strong: bool = False


@dataclass(frozen=True)
class Table:
    """Rows of cells under a header row; a cell that is ``None`` is left to write on."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]
    #: Relative widths of the columns (equal when empty).
    widths: tuple[float, ...] = ()
    #: Right-align every column but the first (tables of counts).
    numeric: bool = False
    #: Label-and-answer rows (no header row printed; the first column in bold).
    labelled: bool = False
    #: Indexes of rows to show as warnings (bold).
    warnings: frozenset[int] = frozenset()
    #: A taller row for writing on (the agenda's Decision column).
    write_on: bool = False
    #: Small type and tight rows, so a long table fits one page (the agenda).
    compact: bool = False


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Chart:
    """Figures to draw: bars (stacked or side by side) or lines, one value per category."""

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    kind: Literal["stacked", "grouped", "line", "barh"] = "stacked"
    value_label: str = "Requests"

    @property
    def empty(self) -> bool:
        return not self.categories or not any(any(s.values) for s in self.series)


@dataclass(frozen=True)
class PageBreak:
    """Only after the agenda page: the rest of a document flows on."""


Block = Heading | Paragraph | Table | Chart | PageBreak


@dataclass(frozen=True)
class Document:
    title: str
    #: Printed in every page's header beside the marking: the meeting date or the period.
    running_head: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    #: Landscape pages (wide tables of months).
    landscape: bool = False


_UNPRINTABLE = dict.fromkeys(
    [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0), 0xFFFE, 0xFFFF]
)


def printable(text: str) -> str:
    """``text`` without control characters, which Word files cannot hold and PDF
    fonts have no shapes for (tabs and line breaks stay); lone surrogates become '?'."""
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").translate(_UNPRINTABLE)
    return cleaned.encode("utf-8", "replace").decode("utf-8")
