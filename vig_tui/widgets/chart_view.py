"""A report chart drawn in the terminal with plotext, in the app theme's colours.

It draws the same :class:`~vig_tui.export.document.Chart` the printed report
does, so the screen and the paper agree. Series take the theme's own colours
($primary, $accent, $success, $error, ...), so the
high-contrast theme's strong colours are used there, and every bar's figure
is written in the caption below, not left to colour alone.

A terminal is small: counts are marked in whole numbers (a count of 8.3
requests means nothing), the bars lie on their side when their labels would
not all fit under them (plotext drops the ones that overlap), and the key to
the colours is the caption below the chart (a legend inside it covered bars).
"""

from __future__ import annotations

import math
from typing import Any

from rich.text import Text
from textual.color import Color
from textual_plotext import PlotextPlot

from ..export.document import Chart

#: Theme colours in the order series take them, each used once (the high-contrast
#: theme's primary and accent are the same yellow; some themes' primary and
#: secondary are both blue, so secondary comes late).
_THEME_COLOURS = ("primary", "accent", "success", "error", "secondary", "warning")


def short_category(text: str, many: bool) -> str:
    """A category's label for a terminal axis: 'Jun 2026' (or 'Jun' when there are many)."""
    first, _, rest = text.partition("\n")
    return first if many or not rest else f"{first} {rest}"


def whole_ticks(top: float, most: int = 6) -> list[int]:
    """Tick marks for a count axis: whole numbers from 0 to at least ``top``, at most
    ``most`` of them, evenly spaced."""
    ceiling = max(1, math.ceil(top))
    step = max(1, math.ceil(ceiling / (most - 1)))
    return list(range(0, ceiling + step, step))


def bars_fit_under(categories: list[str], width: int) -> bool:
    """Whether every category's label fits under its bar across ``width`` cells
    (with the count axis at the left and a space between labels)."""
    room = max(width - 8, 1) / max(len(categories), 1)
    return all(len(label) + 1 <= room for label in categories)


def _top(chart: Chart) -> float:
    """The largest figure the count axis must reach (a stacked bar's total)."""
    columns = list(zip(*(s.values for s in chart.series), strict=True))
    if chart.kind == "stacked":
        return max((sum(column) for column in columns), default=0)
    return max((max(column) for column in columns), default=0)


class ChartView(PlotextPlot):
    """One chart at a time; :meth:`show` replaces it."""

    DEFAULT_CSS = """
    ChartView {
        height: 1fr;
        min-height: 10;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.chart: Chart | None = None
        self.position = ""

    def series_colours(self) -> list[tuple[int, int, int]]:
        """Each series' colour, in order (for the key in the caption)."""
        chart = self.chart
        colours = self._colours()
        count = len(chart.series) if chart else 0
        return [colours[i % len(colours)] for i in range(count)]

    def _colours(self) -> list[tuple[int, int, int]]:
        variables = self.app.theme_variables
        colours = []
        for name in _THEME_COLOURS:
            value = variables.get(name)
            if value and Color.parse(value).rgb not in colours:
                colours.append(Color.parse(value).rgb)
        return colours or [(255, 255, 255)]

    def show(self, chart: Chart, position: str = "") -> None:
        """Draw ``chart``; ``position`` ("2 of 6") goes in its title."""
        self.chart, self.position = chart, position
        self.replot()

    def on_mount(self) -> None:
        super().on_mount()
        self.app.theme_changed_signal.subscribe(self, lambda _: self.replot())

    def replot(self) -> None:
        # textual-plotext's type hints say one colour and one label per call; plotext
        # itself takes lists for its multiple and stacked bars, as used here.
        plt: Any = self.plt
        plt.clear_figure()
        chart = self.chart
        if chart is None or chart.empty:
            plt.title("Nothing to show for this period")
            self.refresh()
            return
        many = len(chart.categories) > 6
        categories = [short_category(c, many) for c in chart.categories]
        series_colours = self.series_colours()
        values = [list(s.values) for s in chart.series]
        ticks = whole_ticks(_top(chart), most=max(3, min(6, (self.size.height or 16) // 3)))
        if chart.kind == "line":
            for index, series in enumerate(chart.series):
                plt.plot(
                    list(range(1, len(categories) + 1)),
                    list(series.values),
                    color=series_colours[index],
                    marker="braille" if index % 2 else "hd",
                )
            plt.xticks(list(range(1, len(categories) + 1)), categories)
            plt.yticks(ticks)
            plt.ylim(0, ticks[-1])
            plt.title(self._title())
            self.refresh()
            return
        sideways = chart.kind == "barh" or not bars_fit_under(categories, self.size.width or 80)
        orientation = "horizontal" if sideways else "vertical"
        if chart.kind == "stacked" and len(values) > 1:
            plt.stacked_bar(
                categories, values, color=series_colours, width=0.6, orientation=orientation
            )
        elif len(values) > 1:
            plt.multiple_bar(categories, values, color=series_colours, orientation=orientation)
        else:
            plt.bar(
                categories, values[0], color=series_colours[0], width=0.6, orientation=orientation
            )
        if sideways:
            plt.xticks(ticks)
            plt.xlim(0, ticks[-1])
        else:
            plt.yticks(ticks)
            plt.ylim(0, ticks[-1])
        plt.title(self._title())
        self.refresh()

    def _title(self) -> str:
        title = self.chart.title if self.chart else ""
        # Short: plotext leaves out a title wider than the plot (the footer says [ and ]).
        where = f" ({self.position})" if self.position else ""
        return f"{title}{where}"


def caption(chart: Chart, colours: list[tuple[int, int, int]] | None = None) -> Text:
    """The chart's figures in words, one series a line: the terminal cannot hatch.

    With ``colours`` (each series' own), a line starts with a block of its colour:
    the chart's key, kept out of the chart where it would cover bars."""
    text = Text()
    for index, series in enumerate(chart.series):
        figures = ", ".join(
            f"{short_category(c, True)}: {v:g}"
            for c, v in zip(chart.categories, series.values, strict=True)
        )
        name = series.name if len(series.name) <= 24 else f"{series.name[:23]}…"
        if index:
            text.append("\n")
        if colours and len(chart.series) > 1:
            red, green, blue = colours[index % len(colours)]
            text.append("■ ", style=f"rgb({red},{green},{blue})")
        text.append(f"{name}: {figures}")
    return text
