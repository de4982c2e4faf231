"""The service report as a :class:`~vig_tui.export.document.Document`.

The figures come from :func:`vig_tui.domain.report.build_report`; this module
only words them and decides which are tables and which are also pictures.
The report names no child, carer or referrer: requests appear by reference.
"""

from __future__ import annotations

from datetime import date

from ..domain.dates import format_date
from ..domain.models import ConsentTopic, NotAcceptedReason
from ..domain.report import DEFERRALS_FLAGGED, Breakdown, ReportData, WaitStatistic
from ..domain.report_work import CONSENT_STATES, FILMED, REVIEWED, WORK_STARTED
from ..domain.wording import plural
from ..domain.work import SHORT_NAMES
from .document import Block, Chart, Document, Heading, Paragraph, Series, Table


def month_label(month: date) -> str:
    return f"{month:%b %Y}"


def month_tick(month: date) -> str:
    """A chart's label under a month's bar: 'Jun' over '2026'."""
    return f"{month:%b}\n{month:%Y}"


def period_text(data: ReportData) -> str:
    return f"{format_date(data.start)} to {format_date(data.end)}"


def report_title(data: ReportData) -> str:
    return f"VIG service report: {period_text(data)}"


def summary_lines(data: ReportData) -> list[str]:
    meetings = len(data.meetings)
    waiting = len(data.waiting_list)
    flagged = len(data.flagged)
    return [
        f"{plural(data.received, 'request')} received from {period_text(data)}.",
        f"{plural(data.decisions, 'decision')} made at {plural(meetings, 'allocation meeting')}.",
        f"{plural(waiting, 'request')} on the waiting list on "
        f"{format_date(data.made_on)}; {flagged or 'none'} of them deferred twice or more.",
        f"Made on {format_date(data.made_on)}. Requests are shown by reference only.",
    ]


def _days(value: float | None) -> str:
    if value is None:
        return "None"
    return f"{value:g}"


def breakdown_table(breakdown: Breakdown) -> Table:
    columns = ("", *(month_label(m) for m in breakdown.months), "Total")
    rows: list[tuple[str | None, ...]] = [
        (label, *(str(c) for c in counts), str(sum(counts))) for label, counts in breakdown.rows
    ]
    rows.append(("Total", *(str(c) for c in breakdown.month_totals), str(breakdown.total)))
    widths = (3.0, *(1.0 for _ in breakdown.months), 1.0)
    return Table(columns, tuple(rows), widths=widths, numeric=True)


def caseload_table(breakdown: Breakdown) -> Table:
    columns = ("Practitioner", *(month_label(m) for m in breakdown.months))
    rows = tuple((label, *(str(c) for c in counts)) for label, counts in breakdown.rows)
    return Table(columns, rows, widths=(3.0, *(1.0 for _ in breakdown.months)), numeric=True)


def breakdown_chart(title: str, breakdown: Breakdown) -> Chart:
    return Chart(
        title,
        tuple(month_tick(m) for m in breakdown.months),
        tuple(Series(label, tuple(map(float, counts))) for label, counts in breakdown.rows),
    )


def received_blocks(data: ReportData) -> list[Block]:
    return [
        Heading("Requests received"),
        Paragraph(f"Requests sent to the service each month: {data.received} in all."),
        Heading("By route", 2),
        breakdown_chart("Requests received each month, by route", data.by_route),
        breakdown_table(data.by_route),
        Heading("By referrer's role", 2),
        breakdown_chart("Requests received each month, by referrer's role", data.by_role),
        breakdown_table(data.by_role),
        Heading("By team", 2),
        breakdown_table(data.by_team),
    ]


def decisions_blocks(data: ReportData) -> list[Block]:
    blocks: list[Block] = [Heading("Decisions at each meeting")]
    if not data.meetings:
        return [*blocks, Paragraph("No meeting in the period recorded a decision.")]
    dates = tuple(f"{m.meeting.day} {m.meeting:%b}\n{m.meeting:%Y}" for m in data.meetings)
    blocks.append(
        Chart(
            "Decisions at each meeting, by outcome",
            dates,
            (
                Series("Allocated", tuple(float(m.allocated) for m in data.meetings)),
                Series("Not accepted", tuple(float(m.not_accepted_total) for m in data.meetings)),
                Series("Deferred", tuple(float(m.deferred) for m in data.meetings)),
                Series(
                    "More information needed",
                    tuple(float(m.more_information) for m in data.meetings),
                ),
            ),
            value_label="Decisions",
        )
    )
    rows: list[tuple[str | None, ...]] = [
        (
            format_date(m.meeting),
            str(m.allocated),
            str(m.not_accepted_total),
            str(m.deferred),
            str(m.more_information),
            str(m.total),
        )
        for m in data.meetings
    ]
    rows.append(
        (
            "Total",
            str(sum(m.allocated for m in data.meetings)),
            str(sum(m.not_accepted_total for m in data.meetings)),
            str(sum(m.deferred for m in data.meetings)),
            str(sum(m.more_information for m in data.meetings)),
            str(data.decisions),
        )
    )
    blocks.append(
        Table(
            ("Meeting", "Allocated", "Not accepted", "Deferred", "More information", "Total"),
            tuple(rows),
            widths=(2.2, 1, 1, 1, 1.2, 1),
            numeric=True,
        )
    )
    reasons = [
        r for r in NotAcceptedReason if any(dict(m.not_accepted).get(r) for m in data.meetings)
    ]
    blocks.append(Heading("Not accepted, by reason", 2))
    if not reasons:
        blocks.append(Paragraph("No request was turned down in the period."))
        return blocks
    blocks.append(
        Table(
            ("Reason", "Requests"),
            tuple(
                (r.label, str(sum(dict(m.not_accepted).get(r, 0) for m in data.meetings)))
                for r in reasons
            ),
            widths=(4, 1),
            numeric=True,
        )
    )
    return blocks


def _longest(statistic: WaitStatistic) -> str:
    return ", ".join(f"{w.reference} ({w.days} days)" for w in statistic.longest) or "None"


def waiting_blocks(data: ReportData) -> list[Block]:
    blocks: list[Block] = [
        Heading("How long families wait"),
        Paragraph(
            "Days from sending a request to the first meeting that considered it, to the "
            "decision that settled it (allocated or not accepted) and to allocation, for "
            "meetings in the period. The 90th percentile: nine in ten waited this long or less."
        ),
    ]
    with_days = [w for w in data.waits if w.count]
    if with_days:
        blocks.append(
            Chart(
                "Days waited: median and 90th percentile",
                tuple(w.label for w in with_days),
                (
                    Series("Median", tuple(float(w.median or 0) for w in with_days)),
                    Series(
                        "90th percentile", tuple(float(w.percentile_90 or 0) for w in with_days)
                    ),
                ),
                kind="barh",
                value_label="Days",
            )
        )
    blocks.append(
        Table(
            ("Step", "Requests", "Median days", "90th percentile", "Longest waits"),
            tuple(
                (
                    w.label,
                    str(w.count),
                    _days(w.median),
                    _days(w.percentile_90),
                    _longest(w),
                )
                for w in data.waits
            ),
            widths=(2, 1.2, 1, 1.2, 4.5),
        )
    )
    blocks.append(Heading("The waiting list now", 2))
    if not data.waiting_list:
        blocks.append(Paragraph("No request is waiting for a decision."))
        return blocks
    blocks.append(
        Paragraph(
            f"{len(data.waiting_list)} sent and not yet decided on {format_date(data.made_on)}. "
            f"Requests deferred {DEFERRALS_FLAGGED} times or more are marked."
        )
    )
    blocks.append(
        Table(
            ("Reference", "Sent", "Meeting", "Days waiting", "Times deferred", "Note"),
            tuple(
                (
                    w.reference,
                    format_date(w.sent),
                    format_date(w.meeting, missing="None"),
                    str(w.days_waiting),
                    str(w.times_deferred),
                    f"Deferred {w.times_deferred} times" if w.flagged else "",
                )
                for w in data.waiting_list
            ),
            widths=(2, 1.8, 1.8, 1.1, 1.3, 2),
            warnings=frozenset(i for i, w in enumerate(data.waiting_list) if w.flagged),
        )
    )
    return blocks


def children_blocks(data: ReportData) -> list[Block]:
    received = data.received
    evidenced = Table(
        ("Criterion", "Requests", "Share"),
        tuple(
            (title, str(count), f"{round(100 * count / received)}%" if received else "None")
            for title, count in data.criteria
        ),
        widths=(6, 1, 1),
        numeric=True,
    )
    return [
        Heading("The children"),
        Heading("Age when the request was sent", 2),
        Chart(
            "Child's age when the request was sent",
            tuple(label for label, _ in data.ages),
            (Series("Requests", tuple(float(count) for _, count in data.ages)),),
            kind="grouped",
        ),
        Table(
            ("Age", "Requests"),
            tuple((label, str(count)) for label, count in data.ages),
            widths=(3, 1),
            numeric=True,
        ),
        Heading("Criteria evidenced", 2),
        Paragraph(
            "How many of the requests received evidence each of the service's six criteria "
            "(a request may evidence several)."
        ),
        evidenced,
    ]


def caseload_blocks(data: ReportData) -> list[Block]:
    blocks: list[Block] = [
        Heading("Practitioners' caseloads"),
        Paragraph(
            "Families allocated to each practitioner and not yet closed or withdrawn, at the end "
            "of each month (the current month: today)."
        ),
    ]
    if not data.caseloads.rows:
        return [*blocks, Paragraph("No practitioner on the roster and no allocation.")]
    blocks.append(
        Chart(
            "Families allocated to each practitioner",
            tuple(month_tick(m) for m in data.caseloads.months),
            tuple(
                Series(label, tuple(map(float, counts))) for label, counts in data.caseloads.rows
            ),
            kind="line",
            value_label="Families",
        )
    )
    blocks.append(caseload_table(data.caseloads))
    return blocks


def consent_blocks(data: ReportData) -> list[Block]:
    figures = data.consent
    blocks: list[Block] = [
        Heading("Consent"),
        Paragraph(
            f"What the parents and carers of the {plural(figures.allocated, 'request')} "
            f"allocated at meetings in the period had agreed to on {format_date(data.made_on)} "
            "(the newest answer to each question holds). Work cannot start without consent "
            "to being filmed."
        ),
    ]
    if not figures.allocated:
        return [*blocks, Paragraph("No request was allocated in the period.")]
    filming = figures.topic(ConsentTopic.FILMING)
    blocks += [
        Chart(
            "Consent for the requests allocated in the period",
            tuple(SHORT_NAMES[t.topic].capitalize() for t in figures.topics),
            tuple(
                Series(state, tuple(float(t.count(state)) for t in figures.topics))
                for state in CONSENT_STATES
            ),
        ),
        Table(
            ("Consent to", *CONSENT_STATES),
            tuple((t.topic.label, *(str(c) for c in t.counts)) for t in figures.topics),
            widths=(4, 1, 1, 1.1, 1.2),
            numeric=True,
        ),
        Paragraph(
            f"Without consent to being filmed now (not recorded, refused or withdrawn): "
            f"{figures.allocated - filming.count('Given')} of {figures.allocated}."
        ),
    ]
    return blocks


def work_blocks(data: ReportData) -> list[Block]:
    work = data.work
    blocks: list[Block] = [
        Heading("The work with families"),
        Paragraph(
            f"On {format_date(data.made_on)}: {plural(work.in_progress, 'family', 'families')} "
            f"with work in progress and {plural(work.not_started, 'family', 'families')} "
            "allocated and waiting for the work to start. "
            f"In the period: {work.total(WORK_STARTED)} started, "
            f"{plural(work.total(FILMED), 'filming session')}, "
            f"{plural(work.total(REVIEWED), 'shared review')} and {work.closed} closed."
        ),
        Heading("Each month", 2),
        Chart(
            "The work each month",
            tuple(month_tick(m) for m in work.months),
            tuple(Series(label, tuple(map(float, counts))) for label, counts in work.each_month),
            kind="grouped",
            value_label="Families or sessions",
        ),
        Table(
            ("", *(month_label(m) for m in work.months), "Total"),
            tuple(
                (label, *(str(c) for c in counts), str(sum(counts)))
                for label, counts in work.each_month
            ),
            widths=(3.0, *(1.0 for _ in work.months), 1.0),
            numeric=True,
        ),
        Heading("Work closed, by outcome", 2),
    ]
    if not work.closed:
        blocks.append(Paragraph("No work closed in the period."))
    else:
        blocks.append(
            Table(
                ("Outcome", "Families"),
                tuple((label, str(count)) for label, count in work.closed_by_reason),
                widths=(4, 1),
                numeric=True,
            )
        )
    wait = work.to_start
    blocks += [
        Heading("From allocation to the start of the work", 2),
        Paragraph(
            "Days from the meeting that allocated a request to the day its work started, "
            "for work started in the period."
        ),
        Table(
            ("Step", "Requests", "Median days", "90th percentile", "Longest waits"),
            (
                (
                    wait.label,
                    str(wait.count),
                    _days(wait.median),
                    _days(wait.percentile_90),
                    _longest(wait),
                ),
            ),
            widths=(2, 1.2, 1, 1.2, 4.5),
        ),
    ]
    return blocks


def report_document(data: ReportData) -> Document:
    blocks: list[Block] = [Paragraph(line) for line in summary_lines(data)]
    blocks += received_blocks(data)
    blocks += decisions_blocks(data)
    blocks += waiting_blocks(data)
    blocks += children_blocks(data)
    blocks += caseload_blocks(data)
    blocks += consent_blocks(data)
    blocks += work_blocks(data)
    return Document(report_title(data), f"Service report {period_text(data)}", tuple(blocks))
