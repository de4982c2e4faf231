"""The service report's consent and work figures: counted by hand on requests taken
through the real steps (domain.work: consent, start, cycles, closing), then found in
every format the report is written in."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from docx import Document as WordDocument

from vig_tui.domain.history import UNKNOWN_ACTOR, Action
from vig_tui.domain.models import (
    ClosureReason,
    ConsentMethod,
    ConsentRecord,
    ConsentTopic,
    Decision,
    DecisionOutcome,
    RequestStatus,
    VigCycle,
    VigRequest,
)
from vig_tui.domain.report import ReportData, build_report
from vig_tui.domain.report_work import (
    CONSENT_STATES,
    FILMED,
    NO_OUTCOME,
    REVIEWED,
    WORK_CLOSED,
    WORK_STARTED,
)
from vig_tui.domain.work import (
    close_work,
    record_consent,
    record_cycle,
    start_work,
    withdraw_consent,
)
from vig_tui.export.charts import _figure, chart_png
from vig_tui.export.document import Chart, Series
from vig_tui.export.report import render_report
from vig_tui.export.report_document import report_document

START, END, MADE_ON = date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 10)
DEC, FEB, MAR, APR = date(2025, 12, 3), date(2026, 2, 5), date(2026, 3, 5), date(2026, 4, 2)


def _allocated(number: int, meeting: date) -> VigRequest:
    return VigRequest(
        reference=f"VIG-2026-{number:04d}",
        status=RequestStatus.ALLOCATED,
        submitted_on=date(2025, 11, 20),
        decisions=[Decision(meeting=meeting, outcome=DecisionOutcome.ALLOCATED)],
    )


def _consent(
    request: VigRequest, topic: ConsentTopic, on: date, *, given: bool = True
) -> VigRequest:
    record = ConsentRecord(
        topic=topic,
        given=given,
        on=on,
        obtained_by="Tamsin Rowe",
        how=ConsentMethod.WRITTEN,
        keep_clips_months=12 if topic is ConsentTopic.KEEPING_CLIPS else None,
    )
    return record_consent(request, record, today=MADE_ON)


def _cycle(request: VigRequest, filmed: date, review: date | None) -> VigRequest:
    return record_cycle(request, VigCycle(filmed_on=filmed, shared_review_on=review), today=MADE_ON)


def work_requests() -> list[VigRequest]:
    """Seven requests; the figures below are worked out from them by hand."""
    # 1: allocated in February, every consent asked (training refused), two cycles,
    # the second's review after the period: in progress.
    one = _allocated(1, FEB)
    for topic in (
        ConsentTopic.REQUEST,
        ConsentTopic.FILMING,
        ConsentTopic.KEEPING_CLIPS,
        ConsentTopic.SHARING,
    ):
        one = _consent(one, topic, date(2026, 2, 10))
    one = _consent(one, ConsentTopic.TRAINING, date(2026, 2, 10), given=False)
    one = start_work(one, date(2026, 2, 20), ["Enjoy bath time together"], today=MADE_ON)
    one = _cycle(one, date(2026, 2, 25), date(2026, 3, 3))
    one = _cycle(one, date(2026, 3, 20), APR)
    # 2: allocated in March, filming agreed then withdrawn: not started.
    two = _consent(_allocated(2, MAR), ConsentTopic.REQUEST, date(2026, 3, 10))
    two = _consent(two, ConsentTopic.FILMING, date(2026, 3, 10))
    two = withdraw_consent(two, ConsentTopic.FILMING, date(2026, 3, 20), today=MADE_ON)
    # 3: allocated in February, one cycle, closed completed in March.
    three = _consent(_allocated(3, FEB), ConsentTopic.FILMING, date(2026, 2, 6))
    three = start_work(three, date(2026, 2, 10), ["Play"], today=MADE_ON)
    three = _cycle(three, date(2026, 2, 15), date(2026, 2, 22))
    three = close_work(
        three, date(2026, 3, 25), ClosureReason.COMPLETED, "Goals met", today=MADE_ON
    )
    # 4: allocated in December (before the period), started and closed in January.
    four = _consent(_allocated(4, DEC), ConsentTopic.FILMING, date(2025, 12, 10))
    four = start_work(four, date(2026, 1, 5), ["Talk"], today=MADE_ON)
    four = close_work(
        four, date(2026, 1, 30), ClosureReason.FAMILY_WITHDREW, "Moved on", today=MADE_ON
    )
    # 5: allocated in April, after the period: not in the consent figures; not started.
    five = _allocated(5, APR)
    # 6: allocated in February and closed in March without the work's closing step.
    six = _allocated(6, FEB)
    six.change_status(
        RequestStatus.CLOSED,
        UNKNOWN_ACTOR,
        Action.CLOSED,
        reason="Closed",
        at=datetime(2026, 3, 15, 10, tzinfo=UTC),
    )
    # 7: sent, not yet decided.
    seven = VigRequest(
        reference="VIG-2026-0007", status=RequestStatus.SUBMITTED, submitted_on=date(2026, 3, 1)
    )
    return [one, two, three, four, five, six, seven]


@pytest.fixture
def report() -> ReportData:
    return build_report(work_requests(), start=START, end=END, made_on=MADE_ON)


def test_consent_of_the_requests_allocated_in_the_period(report: ReportData) -> None:
    consent = report.consent
    assert consent.allocated == 4  # 1, 2, 3 and 6: not 4 (December) or 5 (April)
    by_topic = {t.topic: dict(zip(CONSENT_STATES, t.counts, strict=True)) for t in consent.topics}
    assert by_topic[ConsentTopic.REQUEST] == {
        "Given": 2,
        "Refused": 0,
        "Withdrawn": 0,
        "Not recorded": 2,
    }
    assert by_topic[ConsentTopic.FILMING] == {
        "Given": 2,
        "Refused": 0,
        "Withdrawn": 1,
        "Not recorded": 1,
    }
    assert by_topic[ConsentTopic.KEEPING_CLIPS]["Given"] == 1
    assert by_topic[ConsentTopic.TRAINING] == {
        "Given": 0,
        "Refused": 1,
        "Withdrawn": 0,
        "Not recorded": 3,
    }
    assert all(sum(t.counts) == 4 for t in consent.topics)


def test_the_work_each_month_now_and_closed_by_outcome(report: ReportData) -> None:
    work = report.work
    assert work.row(WORK_STARTED) == (1, 2, 0)  # 4 in Jan; 3 and 1 in Feb
    assert work.row(FILMED) == (0, 2, 1)  # 3 and 1 in Feb; 1 in Mar
    assert work.row(REVIEWED) == (0, 1, 1)  # 3 in Feb; 1 in Mar (its April one is after)
    assert work.row(WORK_CLOSED) == (1, 0, 2)  # 4 in Jan; 6 and 3 in Mar
    assert (work.in_progress, work.not_started) == (1, 2)  # 1; 2 and 5
    assert dict(work.closed_by_reason) == {
        ClosureReason.COMPLETED.label: 1,
        ClosureReason.FAMILY_WITHDREW.label: 1,
        ClosureReason.MOVED_AWAY.label: 0,
        ClosureReason.REFERRED_ELSEWHERE.label: 0,
        ClosureReason.OTHER.label: 0,
        NO_OUTCOME: 1,
    }
    assert work.closed == 3
    # Allocation to start: 4 (3 Dec -> 5 Jan), 3 (5 Feb -> 10 Feb), 1 (5 Feb -> 20 Feb).
    assert sorted(work.to_start.days) == [5, 15, 33]
    assert (work.to_start.median, work.to_start.percentile_90) == (15, 33)
    assert work.to_start.longest[0].reference == "VIG-2026-0004"


def test_a_period_with_no_allocation_says_so() -> None:
    data = build_report(
        work_requests(), start=date(2025, 6, 1), end=date(2025, 6, 30), made_on=MADE_ON
    )
    assert data.consent.allocated == 0
    assert data.work.closed == 0 and data.work.to_start.count == 0
    text = render_report(data, "md").decode()
    assert "No request was allocated in the period." in text
    assert "No work closed in the period." in text


def test_every_format_carries_the_consent_and_work_figures(report: ReportData) -> None:
    markdown = render_report(report, "md").decode()
    assert "## Consent" in markdown and "## The work with families" in markdown
    assert "| Being filmed | 2 | 0 | 1 | 1 |" in markdown
    assert "| Work closed | 1 | 0 | 2 | 3 |" in markdown
    assert "| No outcome recorded | 1 |" in markdown
    assert "Without consent to being filmed now (not recorded, refused or withdrawn): 2 of 4." in (
        markdown
    )
    html = render_report(report, "html").decode()
    assert "Being filmed" in html and "Work closed, by outcome" in html
    rows = list(csv.DictReader(io.StringIO(render_report(report, "csv").decode("utf-8-sig"))))
    consent = {(r["Row"], r["Column"]): r["Value"] for r in rows if r["Section"] == "Consent"}
    assert consent[ConsentTopic.FILMING.label, "Withdrawn"] == "1"
    work = {
        (r["Table"], r["Row"], r["Column"]): r["Value"]
        for r in rows
        if r["Section"] == "The work with families"
    }
    assert work["Each month", WORK_STARTED, "Feb 2026"] == "2"
    assert work["Work closed, by outcome", ClosureReason.COMPLETED.label, "Families"] == "1"
    assert render_report(report, "pdf").startswith(b"%PDF")
    word = WordDocument(io.BytesIO(render_report(report, "docx")))
    cells = {cell.text for table in word.tables for row in table.rows for cell in row.cells}
    assert {"Being filmed", "Work started", NO_OUTCOME} <= cells


def test_the_consent_and_work_charts_are_drawn(report: ReportData) -> None:
    charts = {
        block.title: block for block in report_document(report).blocks if isinstance(block, Chart)
    }
    for title in ("Consent for the requests allocated in the period", "The work each month"):
        assert not charts[title].empty
        assert chart_png(charts[title], dpi=50).startswith(b"\x89PNG")


def test_stacked_totals_have_room_under_the_title() -> None:
    # Every bar as tall as the others, with an empty segment on top (nothing withdrawn):
    # that total was a sticky edge, the axis stopped at it and the totals ran into the
    # chart's title.
    chart = Chart(
        "Consent for the requests allocated in the period",
        ("Request", "Filming"),
        (
            Series("Given", (76.0, 74.0)),
            Series("Refused", (0.0, 2.0)),
            Series("Withdrawn", (0.0, 0.0)),
        ),
    )
    [axes] = _figure(chart).axes
    assert axes.get_ylim()[1] >= 76 * 1.1
