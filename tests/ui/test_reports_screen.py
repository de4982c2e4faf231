"""The Reports screen: the figures and charts from Home, at 80x24, in every theme."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from tests.ui.keys import settle
from vig_tui.app import VigApp
from vig_tui.domain.models import ConsentTopic
from vig_tui.domain.report import ReportData, build_report, report_period
from vig_tui.domain.report_work import WORK_STARTED
from vig_tui.screens.reports import ReportsScreen, ReportWriteDialog
from vig_tui.store import Store
from vig_tui.tools.demo import fill_database
from vig_tui.widgets.chart_view import ChartView, bars_fit_under, short_category, whole_ticks

TODAY = date(2026, 11, 24)


def demo_store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "demo.json")
    fill_database(store, 150, today=TODAY, seed=3)
    return store


def expected_report(store: Store) -> ReportData:
    """The report the Reports screen shows for ``store`` on TODAY, made directly."""
    return build_report(
        store.requests(),
        start=report_period(store.requests(), TODAY)[0],
        end=TODAY,
        made_on=TODAY,
        practitioners=store.practitioners(),
    )


async def reports_from_home(pilot: Pilot[None]) -> ReportsScreen:
    """Home, then ``s``: the Reports screen, settled."""
    await settle(pilot, 30)
    await pilot.press("s")
    await settle(pilot, 30)
    screen = pilot.app.screen
    assert isinstance(screen, ReportsScreen)
    return screen


async def test_reports_open_from_home_with_the_figures_and_step_through_charts(
    tmp_path: Path,
) -> None:
    store = demo_store(tmp_path)
    expected = expected_report(store)
    app = VigApp(store, today=TODAY)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await reports_from_home(pilot)
            summary = str(screen.query_one("#summary").render())
            assert f"{expected.received} requests received" in summary
            assert f"{expected.decisions} decisions at {len(expected.meetings)} meetings" in summary
            assert f"{len(expected.waiting_list)} waiting now" in summary
            charts = screen.charts
            assert len(charts) >= 5
            view = screen.query_one(ChartView)
            assert view.chart == charts[0]
            assert view.position == f"1 of {len(charts)}"
            label, counts = expected.by_route.rows[0]
            shown = str(screen.query_one("#caption").render())
            # Each series' line starts with a block of its colour: the chart's key.
            assert shown.startswith(f"■ {label[:20]}") and f"Nov: {counts[-1]}" in shown
            app.save_screenshot(str(tmp_path / "reports.svg"))
            await pilot.press("right_square_bracket")
            assert view.chart == charts[1]
            await pilot.press("left_square_bracket", "left_square_bracket")
            assert view.chart == charts[-1]
            app.theme = "vig-high-contrast"
            await pilot.pause()
            app.save_screenshot(str(tmp_path / "reports-contrast.svg"))
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, ReportsScreen)
    finally:
        store.close()


async def test_write_dialog_writes_the_report_as_pdf(tmp_path: Path) -> None:
    store = demo_store(tmp_path)
    app = VigApp(store, today=TODAY)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await app.push_screen(ReportsScreen())
            await settle(pilot, 30)
            await pilot.press("w")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, ReportWriteDialog)
            folder = dialog.query_one("#field-folder", Input)
            folder.value = str(tmp_path)
            folder.focus()
            await pilot.press("enter")
            # Charts and PDF take seconds, longer on a machine busy with other tests.
            await settle(pilot, seconds=180)
            assert dialog.written is not None
            assert dialog.written.suffix == ".pdf"
            assert dialog.written.read_bytes().startswith(b"%PDF")
            assert dialog.written.stat().st_mode & 0o777 == 0o600
            folder.value = str(tmp_path / "not-there")
            folder.focus()
            await pilot.press("enter")
            await settle(pilot, 30)
            assert "does not exist" in str(dialog.query_one("#error-folder").render())
    finally:
        store.close()


async def test_terminal_charts_label_every_category_in_whole_numbers(tmp_path: Path) -> None:
    """At 80x24 the age chart dropped "8 to 11 years", counts were marked 8.3, and the
    legend lay over the bars: now every label shows, ticks are whole, the key is below."""
    store = demo_store(tmp_path)
    app = VigApp(store, today=TODAY)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await app.push_screen(ReportsScreen())
            await settle(pilot, 30)
            screen = app.screen
            assert isinstance(screen, ReportsScreen)
            view = screen.query_one(ChartView)
            for index, chart in enumerate(screen.charts):
                if index:
                    await pilot.press("right_square_bracket")
                    await pilot.pause()
                assert view.chart is chart
                drawn = view.render().plain
                if chart.empty:
                    continue
                if chart.kind != "line":
                    for category in chart.categories:
                        label = short_category(category, len(chart.categories) > 6)
                        assert label in drawn, f"{chart.title}: {label!r} not shown"
                ticks = re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])", drawn.splitlines()[-1])
                if chart.kind == "line" or not any(c.isalpha() for c in drawn.splitlines()[-1]):
                    assert all("." not in tick for tick in ticks), f"{chart.title}: {ticks}"
                for line in drawn.splitlines():
                    if "┤" in line or "│" in line:
                        assert not any(
                            s.name in line for s in chart.series if len(chart.series) > 1
                        )
                assert chart.title in drawn.splitlines()[0]
            # The key to the colours is the caption, a coloured block per series.
            many = next(i for i, c in enumerate(screen.charts) if len(c.series) > 1)
            await pilot.press(*["right_square_bracket"] * (many + 1))  # round to it
            await pilot.pause()
            assert view.chart is screen.charts[many]
            caption = screen.query_one("#caption").render()
            assert str(caption).count("■") == len(screen.charts[many].series)
    finally:
        store.close()


def test_count_axes_are_marked_in_whole_numbers() -> None:
    assert whole_ticks(10) == [0, 2, 4, 6, 8, 10]
    assert whole_ticks(11) == [0, 3, 6, 9, 12]
    assert whole_ticks(0.4) == [0, 1]
    assert whole_ticks(3, most=6) == [0, 1, 2, 3]
    for top in range(0, 200, 7):
        ticks = whole_ticks(top)
        assert ticks[-1] >= top and len(ticks) <= 6 and ticks[0] == 0


def test_bars_lie_on_their_side_when_labels_do_not_fit() -> None:
    ages = ["Under 1", "1 year", "2 years", "3 years", "4 to 7 years", "8 to 11 years", "12+"]
    assert not bars_fit_under(ages, 78)
    assert bars_fit_under(["Jun 2026", "Jul 2026", "Aug 2026"], 78)


async def test_the_consent_and_work_charts_are_on_the_screen(tmp_path: Path) -> None:
    """The report's consent and work figures reach the screen as charts of their own."""
    store = demo_store(tmp_path)
    expected = expected_report(store)
    app = VigApp(store, today=TODAY)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await reports_from_home(pilot)
            titles = [chart.title for chart in screen.charts]
            view = screen.query_one(ChartView)
            filming = expected.consent.topic(ConsentTopic.FILMING).count("Given")
            started = expected.work.row(WORK_STARTED)
            for title, words in (
                ("Consent for the requests allocated in the period", f"Filming: {filming}"),
                ("The work each month", f"Nov: {started[-1]}"),
            ):
                while view.chart.title != title:
                    assert view.chart.title in titles
                    await pilot.press("right_square_bracket")
                await pilot.pause()
                caption = str(screen.query_one("#caption").render())
                assert words in caption, caption
                app.save_screenshot(str(tmp_path / f"{title.split()[1]}.svg"))
    finally:
        store.close()
