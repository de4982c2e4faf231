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
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Header, Input, Label, Static

from ..domain.dates import format_date
from ..domain.report import ReportData, build_report, report_period
from ..domain.wording import plural
from ..export import ExportError, PackExistsError
from ..export.document import Chart
from ..export.report import REPORT_FORMATS, ReportFormat, write_report
from ..export.report_document import report_document
from ..widgets.answer import ShortAnswer
from ..widgets.chart_view import ChartView, caption
from ..widgets.choice import Choice
from ..widgets.footer import KeysFooter
from .base import VigModal, VigScreen
from .export_dialog import FOLDER_MAX_LENGTH, ConfirmReplace, default_folder

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


class ReportWriteDialog(VigModal[Path | None]):
    """Choose the format and the folder; the report is written in a worker."""

    CSS_PATH = ["decision.tcss", "export_dialog.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="report-write.close", tooltip="Close this dialog"),
        Binding(
            "ctrl+s",
            "write",
            "Write report",
            id="report-write.write",
            tooltip="Write the report to the folder",
            priority=True,
        ),
    ]

    class Written(Message):
        def __init__(self, path: Path) -> None:
            self.path = path
            super().__init__()

    class Exists(Message):
        def __init__(self, fmt: str, path: Path) -> None:
            self.fmt, self.path = fmt, path
            super().__init__()

    class Failed(Message):
        def __init__(self, message: str) -> None:
            self.message = message
            super().__init__()

    def __init__(self, data: ReportData) -> None:
        super().__init__()
        self.data = data
        self.written: Path | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Label("Write the service report", classes="dialog-title")
            yield Static(
                f"{format_date(self.data.start)} to {format_date(self.data.end)}, as on the "
                "screen. "
                "Requests appear by reference only.",
                classes="dialog-lead",
                markup=False,
            )
            yield Label("Format", classes="field-label")
            yield Choice(
                [(_FORMAT_HELP[f.key], f.key) for f in _ordered()], "pdf", id="field-format"
            )
            yield Label("Folder", classes="field-label")
            yield Static("", id="error-folder", classes="field-error")
            yield ShortAnswer(
                str(default_folder()), id="field-folder", max_length=FOLDER_MAX_LENGTH
            )
            yield Static("", id="write-result", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Write report", variant="primary", id="confirm")
                yield Button("Close", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Choice).focus()

    def action_close(self) -> None:
        self.dismiss(self.written)

    @on(Button.Pressed, "#cancel")
    def _close_pressed(self) -> None:
        self.action_close()

    @on(Button.Pressed, "#confirm")
    @on(Input.Submitted, "#field-folder")
    def action_write(self) -> None:
        self._show_error("")
        folder = self.query_one("#field-folder", Input).value.strip()
        if not folder:
            self._show_error("Enter the folder to write the report to")
            return
        fmt = self.query_one(Choice).selected or "pdf"
        try:
            target = Path(folder).expanduser()
        except RuntimeError:  # "~name" for someone with no home folder here
            self._show_error(f"There is no home folder for {folder.split('/')[0]}")
            return
        self._write(fmt, target)

    @work(thread=True, exclusive=True, group="report-write", exit_on_error=False)
    def _write(self, fmt: str, folder: Path, path: Path | None = None) -> None:
        try:
            written = write_report(self.data, fmt, path, folder, force=path is not None)
        except PackExistsError as error:
            self.post_message(self.Exists(fmt, error.path))
        except ExportError as error:
            self.post_message(self.Failed(str(error)))
        except (OSError, ValueError) as error:  # a folder name the system refuses
            self.post_message(self.Failed(f"The report could not be written to {folder}: {error}"))
        else:
            self.post_message(self.Written(written))

    @on(Exists)
    def _exists(self, message: Exists) -> None:
        def answered(replace: bool | None) -> None:
            if replace:
                self._write(message.fmt, message.path.parent, message.path)

        self.app.push_screen(ConfirmReplace(message.path), answered)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._show_error(message.message)

    @on(Written)
    def _written(self, message: Written) -> None:
        self.written = message.path
        result = self.query_one("#write-result", Static)
        result.update(f"The report was written to\n{message.path}")
        self.query_one("#cancel", Button).focus()
        self.notify(str(message.path), title="Report written")

    def _show_error(self, message: str) -> None:
        error = self.query_one("#error-folder", Static)
        error.update(message)
        error.set_class(bool(message), "shown")


def _ordered() -> list[ReportFormat]:
    """PDF and Word first: what a manager opens."""
    order = ["pdf", "docx", "html", "md", "csv"]
    return sorted(REPORT_FORMATS, key=lambda f: order.index(f.key))
