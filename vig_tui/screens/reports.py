"""The service report on screen: the figures in brief and their charts, one at a time.

The figures come from :func:`vig_tui.domain.report.build_report` over the
default period (the twelve months to today, or from the first request sent),
worked out in a worker; the charts are the printed report's own, drawn with
plotext in the theme's colours. `w` writes the whole report to a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Header, Static

from ..domain.dates import format_date
from ..domain.report import ReportData, build_report, report_period
from ..domain.wording import plural
from ..export.document import Chart
from ..export.report import REPORT_FORMATS, ReportFormat, default_report_filename, write_report
from ..export.report_document import report_document
from ..widgets.chart_view import ChartView, caption
from ..widgets.footer import KeysFooter
from .base import VigScreen
from .write_dialog import WriteChoices, WriteDialog, write_bindings

_FORMAT_HELP = {
    "pdf": "PDF: A4 pages to print or send",
    "docx": "Word: a document to edit and circulate",
    "html": "HTML: a page to open in a browser",
    "md": "Markdown: plain text for an email or Teams",
    "csv": "CSV: one row per figure, for a spreadsheet",
}


def in_brief(data: ReportData) -> str:
    """The report's headline figures in two lines."""
    waiting, flagged = len(data.waiting_list), len(data.flagged)
    return (
        f"Service report, {format_date(data.start)} to {format_date(data.end)}: "
        f"{plural(data.received, 'request')} received, {plural(data.decisions, 'decision')} "
        f"at {plural(len(data.meetings), 'meeting')}, {waiting:,} waiting now "
        f"({flagged or 'none'} deferred twice or more)."
    )


class ReportsScreen(VigScreen[None]):
    HELP_TITLE = "Reports"
    CSS_PATH = "reports.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="reports.back", tooltip="Back to the home page"),
        Binding(
            "left_square_bracket",
            "step(-1)",
            "Previous chart",
            key_display="[",
            id="reports.previous",
            tooltip="Show the chart before this one",
        ),
        Binding(
            "right_square_bracket",
            "step(1)",
            "Next chart",
            key_display="]",
            id="reports.next",
            tooltip="Show the chart after this one",
        ),
        Binding(
            "w",
            "write",
            "Write report",
            id="reports.write",
            tooltip="Write the service report as PDF, Word, HTML, Markdown or CSV",
            priority=True,
        ),
    ]

    class Loaded(Message):
        def __init__(self, data: ReportData) -> None:
            self.data = data
            super().__init__()

    class Failed(Message):
        def __init__(self, message: str) -> None:
            self.message = message
            super().__init__()

    def __init__(self) -> None:
        super().__init__()
        self.data: ReportData | None = None
        self.charts: list[Chart] = []
        self.index = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="page"):
            yield Static("Service report: working out the figures…", id="summary", markup=False)
            yield ChartView(id="chart")
            yield Static("", id="caption", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(ChartView).loading = True
        self._load()

    @work(thread=True, exclusive=True, group="reports-load")
    def _load(self) -> None:
        store, today = self.vig.store, self.vig.today
        try:
            requests = store.requests()
            practitioners = store.practitioners()
        except Exception as error:  # StoreError: said on the screen
            self.post_message(self.Failed(str(error)))
            return
        start, end = report_period(requests, today)
        data = build_report(
            requests, start=start, end=end, made_on=today, practitioners=practitioners
        )
        self.post_message(self.Loaded(data))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.data = message.data
        self.charts = [
            block
            for block in report_document(message.data).blocks
            if isinstance(block, Chart) and not block.empty
        ]
        self.query_one("#summary", Static).update(in_brief(message.data))
        self.query_one(ChartView).loading = False
        self._show(0)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one(ChartView).loading = False
        self.query_one("#summary", Static).update(
            f"The figures could not be read: {message.message}"
        )

    def _show(self, index: int) -> None:
        if not self.charts:
            self.query_one("#caption", Static).update("No figures for this period yet.")
            return
        self.index = index % len(self.charts)
        chart = self.charts[self.index]
        view = self.query_one(ChartView)
        view.show(chart, f"{self.index + 1} of {len(self.charts)}")
        self.query_one("#caption", Static).update(caption(chart, view.series_colours()))

    def action_step(self, step: int) -> None:
        self._show(self.index + step)

    def action_write(self) -> None:
        if self.data is None:
            self.notify("The figures are still being worked out.", timeout=3)
            return
        self.app.push_screen(ReportWriteDialog(self.data))

    def action_back(self) -> None:
        self.dismiss()


class ReportWriteDialog(WriteDialog):
    """Choose the format and the folder; the report is written in a worker."""

    HELP_TITLE = "Write the service report"
    WHAT = "report"
    WRITE_LABEL = "Write report"
    BINDINGS = write_bindings("report-write", WRITE_LABEL, "Write the report to the folder")

    def __init__(self, data: ReportData) -> None:
        super().__init__()
        self.data = data

    def heading(self) -> str:
        return "Write the service report"

    def lead(self) -> str:
        return (
            f"{format_date(self.data.start)} to {format_date(self.data.end)}, as on the "
            "screen. Requests appear by reference only."
        )

    def compose_choices(self) -> ComposeResult:
        formats = [(_FORMAT_HELP[f.key], f.key) for f in _ordered()]
        return self.format_and_redaction(formats, redact=None)

    def choices(self) -> WriteChoices:
        return self.format_chosen("pdf")

    def file_name(self, choices: WriteChoices) -> str:
        return default_report_filename(self.data, choices.fmt)

    def write(self, choices: WriteChoices, target: Path, *, force: bool) -> Path:
        return write_report(self.data, choices.fmt, Path(target.name), target.parent, force=force)


def _ordered() -> list[ReportFormat]:
    """PDF and Word first: what a manager opens."""
    order = ["pdf", "docx", "html", "md", "csv"]
    return sorted(REPORT_FORMATS, key=lambda f: order.index(f.key))
