"""A report chart drawn in the terminal with plotext, in the app theme's colours.

It draws the same :class:`~vig_tui.export.document.Chart` the printed report
does, so the screen and the paper agree. Series take the theme's own colours
($primary, $accent, $success, $error, ...), so the
high-contrast theme's strong colours are used there, and every bar's figure
is written in the caption below, not left to colour alone.
"""

from __future__ import annotations

from typing import Any

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
        colours = self._colours()
        series_colours = [colours[i % len(colours)] for i in range(len(chart.series))]
        names = [s.name for s in chart.series]
        values = [list(s.values) for s in chart.series]
        if chart.kind == "line":
            for index, series in enumerate(chart.series):
                plt.plot(
                    list(range(1, len(categories) + 1)),
                    list(series.values),
                    label=series.name,
                    color=series_colours[index],
                    marker="braille" if index % 2 else "hd",
                )
            plt.xticks(list(range(1, len(categories) + 1)), categories)
        elif chart.kind == "stacked" and len(values) > 1:
            plt.stacked_bar(categories, values, labels=names, color=series_colours, width=0.6)
        elif len(values) > 1:
            plt.multiple_bar(
                categories,
                values,
                labels=names,
                color=series_colours,
                orientation="horizontal" if chart.kind == "barh" else "vertical",
            )
        else:
            plt.bar(categories, values[0], color=series_colours[0], width=0.6)
        where = f" ({self.position}: [ and ] for the others)" if self.position else ""
        plt.title(f"{chart.title}{where}")
        self.refresh()


def caption(chart: Chart) -> str:
    """The chart's figures in words, one series a line: the terminal cannot hatch."""
    lines = []
    for series in chart.series:
        figures = ", ".join(
            f"{short_category(c, True)}: {v:g}"
            for c, v in zip(chart.categories, series.values, strict=True)
        )
        name = series.name if len(series.name) <= 24 else f"{series.name[:23]}…"
        lines.append(f"{name}: {figures}")
    return "\n".join(lines)
