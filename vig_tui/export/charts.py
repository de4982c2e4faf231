"""Charts for the printed report, drawn by matplotlib (Agg: no display needed).

They must read in black and white: each series has its own grey and its own
hatching (bars) or marker and line style (lines), and the totals are written
on the bars, so nothing depends on colour. matplotlib is imported here and
only when a chart is drawn: never on the app's start path.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from .document import Chart

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_GREYS = ("#1f1f1f", "#9a9a9a", "#ffffff", "#5e5e5e", "#d0d0d0", "#3c3c3c")
_HATCHES = ("", "//", "..", "xx", "\\\\", "++")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
_LINES = ("-", "--", "-.", ":")
_FONT = "DejaVu Sans"


def chart_height_inches(chart: Chart) -> float:
    """Charts are 7 inches wide; this tall (the legend sits below the plot)."""
    return 2.6 if chart.kind == "barh" else 3.4


def _figure(chart: Chart) -> Figure:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.0, chart_height_inches(chart)), dpi=100)
    axes = figure.add_subplot()
    positions = list(range(len(chart.categories)))
    if chart.kind == "line":
        _lines(axes, chart, positions)
    elif chart.kind == "barh":
        _horizontal(axes, chart, positions)
    else:
        _bars(axes, chart, positions)
    axes.set_title(chart.title, fontsize=10, loc="left", fontfamily=_FONT)
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=8)
    if len(chart.series) > 1:
        axes.legend(
            fontsize=7,
            frameon=False,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.2 if chart.kind != "barh" else -0.25),
            ncol=min(len(chart.series), 2 if chart.kind != "line" else 4),
            handleheight=1.4,
        )
    figure.tight_layout()
    return figure


def _bars(axes: Any, chart: Chart, positions: list[int]) -> None:
    count = len(chart.series)
    stacked = chart.kind == "stacked"
    width = 0.7 if stacked else 0.8 / count
    bottoms = [0.0] * len(positions)
    for index, series in enumerate(chart.series):
        offset = 0.0 if stacked else (index - (count - 1) / 2) * width
        bars = axes.bar(
            [p + offset for p in positions],
            series.values,
            width,
            bottom=bottoms if stacked else None,
            label=series.name,
            color=_GREYS[index % len(_GREYS)],
            edgecolor="black",
            linewidth=0.6,
            hatch=_HATCHES[index % len(_HATCHES)],
        )
        if not stacked:
            axes.bar_label(bars, fmt="%g", fontsize=7, padding=1)
        if stacked:
            bottoms = [b + v for b, v in zip(bottoms, series.values, strict=True)]
    if stacked:
        for position, total in zip(positions, bottoms, strict=True):
            axes.annotate(
                f"{total:g}",
                (position, total),
                ha="center",
                va="bottom",
                fontsize=7,
                xytext=(0, 1),
                textcoords="offset points",
            )
    axes.set_xticks(positions, chart.categories)
    axes.set_ylabel(chart.value_label, fontsize=8)
    axes.margins(y=0.15)
    if stacked and max(bottoms, default=0) > 0:
        # A zero-high top segment makes the total a sticky edge that margins() cannot
        # pass: the totals then ran into the title. Leave room above them by hand.
        axes.set_ylim(0, max(bottoms) * 1.15)


def _horizontal(axes: Any, chart: Chart, positions: list[int]) -> None:
    count = len(chart.series)
    height = 0.8 / count
    for index, series in enumerate(chart.series):
        offset = (index - (count - 1) / 2) * height
        bars = axes.barh(
            [p + offset for p in positions],
            series.values,
            height,
            label=series.name,
            color=_GREYS[index % len(_GREYS)],
            edgecolor="black",
            linewidth=0.6,
            hatch=_HATCHES[index % len(_HATCHES)],
        )
        axes.bar_label(bars, fmt="%g", fontsize=7, padding=2)
    axes.set_yticks(positions, chart.categories)
    axes.invert_yaxis()
    axes.set_xlabel(chart.value_label, fontsize=8)
    axes.margins(x=0.15)


def _lines(axes: Any, chart: Chart, positions: list[int]) -> None:
    for index, series in enumerate(chart.series):
        axes.plot(
            positions,
            series.values,
            label=series.name,
            color="black",
            linestyle=_LINES[index % len(_LINES)],
            marker=_MARKERS[index % len(_MARKERS)],
            markersize=4,
            markerfacecolor="white" if index % 2 else "black",
            linewidth=1,
        )
    axes.set_xticks(positions, chart.categories)
    axes.set_ylabel(chart.value_label, fontsize=8)
    axes.set_ylim(bottom=0)


def chart_svg(chart: Chart) -> str:
    """The chart as an SVG element to put inside an HTML page (text kept as text)."""
    import matplotlib

    figure = _figure(chart)
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "vig-tui"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def chart_png(chart: Chart, dpi: int = 150) -> bytes:
    """The chart as a PNG image for PDF and Word."""
    figure = _figure(chart)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()
