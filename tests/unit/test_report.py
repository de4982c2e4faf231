"""The service report's figures: counted by hand on a fixture database, and
compared with what `vig-tui list --json` says about the same database."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from vig_tui.cli import main
from vig_tui.domain.checklist import BUILT_IN_CHECKLIST, CriterionId
from vig_tui.domain.history import UNKNOWN_ACTOR, Action
from vig_tui.domain.models import (
    Child,
    CriterionEvidence,
    Decision,
    DecisionOutcome,
    NotAcceptedReason,
    Practitioner,
    Referrer,
    ReferrerRole,
    RequestStatus,
    Route,
    RouteKind,
    VigRequest,
)
from vig_tui.domain.report import (
    NOT_GIVEN,
    age_band,
    build_report,
    default_period,
    report_period,
)
from vig_tui.store import Store
from vig_tui.tools.demo import fill_database

FEB, MAR, APR = date(2026, 2, 5), date(2026, 3, 5), date(2026, 4, 2)
START, END, MADE_ON = date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 10)
HUB, CMD = RouteKind.EARLY_HELP_HUB, RouteKind.CASE_MANAGEMENT
HV, SW, EH = (
    ReferrerRole.HEALTH_VISITOR,
    ReferrerRole.SOCIAL_WORKER,
    ReferrerRole.EARLY_HELP_PRACTITIONER,
)
TAMSIN = Practitioner(name="Tamsin Rowe")
OWEN = Practitioner(name="Owen Fiction")
ZED = Practitioner(name="Zed Spare")
IDA = Practitioner(name="Ida Gone", active=False)


def allocated(meeting: date, who: Practitioner) -> Decision:
    return Decision(
        meeting=meeting,
        outcome=DecisionOutcome.ALLOCATED,
        practitioner_id=who.id,
        practitioner_name=who.name,
    )


def decision(meeting: date, outcome: DecisionOutcome, **more: object) -> Decision:
    return Decision(meeting=meeting, outcome=outcome, **more)  # type: ignore[arg-type]


def request(
    number: int,
    sent: date | None,
    route: RouteKind,
    role: ReferrerRole,
    team: str,
    born: date | None,
    status: RequestStatus,
    decisions: list[Decision] = (),  # type: ignore[assignment]
    criteria: tuple[CriterionId, ...] = (),
    meeting: date | None = None,
) -> VigRequest:
    made = VigRequest(
        reference=f"VIG-2026-{number:04d}" if sent else None,
        status=status,
        submitted_on=sent,
        meeting=meeting,
        referrer=Referrer(name="Jenna Pascoe", role=role, team=team),
        route=Route(kind=route),
        child=Child(name=f"Child Number{number}", date_of_birth=born),
        decisions=list(decisions),
    )
    for criterion in criteria:
        made.evidence[criterion] = CriterionEvidence(ticked=True, evidence="Seen at home.")
    return made


def fixture_requests() -> list[VigRequest]:
    """Eight requests whose figures are worked out by hand in the tests below."""
    closed = request(
        7,
        date(2025, 12, 20),
        HUB,
        SW,
        "Truro Social Care",
        date(2022, 5, 5),
        RequestStatus.ALLOCATED,
        [allocated(FEB, OWEN)],
    )
    closed.change_status(
        RequestStatus.CLOSED,
        UNKNOWN_ACTOR,
        Action.CLOSED,
        reason="Done",
        at=datetime(2026, 3, 15, 10, tzinfo=UTC),
    )
    return [
        request(
            1,
            date(2026, 1, 10),
            HUB,
            HV,
            "Redruth Health Visiting",
            date(2025, 6, 1),
            RequestStatus.ALLOCATED,
            [allocated(FEB, TAMSIN)],
            (CriterionId.BONDING,),
        ),
        request(
            2,
            date(2026, 1, 20),
            CMD,
            SW,
            "Truro Social Care",
            date(2020, 1, 1),
            RequestStatus.DEFERRED,
            [decision(FEB, DecisionOutcome.DEFERRED), decision(MAR, DecisionOutcome.DEFERRED)],
            (CriterionId.LACK_OF_WARMTH, CriterionId.NEGATIVE_RESPONSES),
            meeting=APR,
        ),
        request(
            3,
            date(2026, 2, 3),
            HUB,
            HV,
            "Redruth Health Visiting",
            date(2024, 3, 1),
            RequestStatus.NOT_ACCEPTED,
            [
                decision(
                    MAR,
                    DecisionOutcome.NOT_ACCEPTED,
                    not_accepted_reason=NotAcceptedReason.CRITERIA_NOT_MET,
                )
            ],
            (CriterionId.BONDING,),
        ),
        request(
            4,
            date(2026, 2, 15),
            CMD,
            EH,
            "  ",
            date(2023, 2, 20),
            RequestStatus.ALLOCATED,
            [decision(MAR, DecisionOutcome.MORE_INFORMATION), allocated(APR, TAMSIN)],
            (CriterionId.CHILDS_VIEW,),
        ),
        request(
            5,
            date(2026, 3, 10),
            HUB,
            HV,
            "Redruth Health Visiting",
            None,
            RequestStatus.SUBMITTED,
            meeting=APR,
        ),
        request(6, None, HUB, HV, "Redruth Health Visiting", None, RequestStatus.DRAFT),
        closed,
        request(
            8,
            date(2026, 3, 20),
            HUB,
            HV,
            "Redruth Health Visiting",
            date(2025, 1, 1),
            RequestStatus.WITHDRAWN,
            criteria=(CriterionId.OTHER_INTERVENTIONS,),
        ),
    ]


@pytest.fixture
def report():
    return build_report(
        fixture_requests(),
        start=START,
        end=END,
        made_on=MADE_ON,
        practitioners=[TAMSIN, OWEN, ZED, IDA],
    )


def test_requests_received_each_month_by_route_role_and_team(report) -> None:
    assert report.months == (date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1))
    assert report.received == 6
    assert report.by_route.row(HUB.label) == (1, 1, 2)
    assert report.by_route.row(CMD.label) == (1, 1, 0)
    assert report.by_route.month_totals == (2, 2, 2)
    assert report.by_role.row(HV.label) == (1, 1, 2)
    assert report.by_role.row(SW.label) == (1, 0, 0)
    assert report.by_role.row(EH.label) == (0, 1, 0)
    assert report.by_role.row(ReferrerRole.OTHER_CFS_PRACTITIONER.label) == (0, 0, 0)
    assert report.by_team.rows == (
        ("Redruth Health Visiting", (1, 1, 2)),
        ("Truro Social Care", (1, 0, 0)),
        (NOT_GIVEN, (0, 1, 0)),
    )


def test_decisions_per_meeting_by_outcome(report) -> None:
    feb, mar = report.meetings
    assert (feb.meeting, feb.allocated, feb.deferred, feb.not_accepted_total) == (FEB, 2, 1, 0)
    assert feb.total == 3
    assert (mar.meeting, mar.allocated, mar.deferred, mar.more_information) == (MAR, 0, 1, 1)
    assert mar.not_accepted == ((NotAcceptedReason.CRITERIA_NOT_MET, 1),)
    assert report.decisions == 6


def test_waiting_times_median_ninetieth_percentile_and_longest(report) -> None:
    to_meeting, to_decision, to_allocation = report.waits
    assert sorted(to_meeting.days) == [16, 18, 26, 30, 47]
    assert (to_meeting.median, to_meeting.percentile_90) == (26, 47)
    assert [(w.reference, w.days) for w in to_meeting.longest] == [
        ("VIG-2026-0007", 47),
        ("VIG-2026-0003", 30),
        ("VIG-2026-0001", 26),
        ("VIG-2026-0004", 18),
        ("VIG-2026-0002", 16),
    ]
    assert sorted(to_decision.days) == [26, 30, 47]
    assert (to_decision.median, to_decision.percentile_90) == (30, 47)
    assert sorted(to_allocation.days) == [26, 47]
    assert (to_allocation.median, to_allocation.percentile_90) == (36.5, 47)


def test_the_waiting_list_now_flags_requests_deferred_twice(report) -> None:
    listed = [
        (w.reference, w.days_waiting, w.times_deferred, w.flagged) for w in report.waiting_list
    ]
    assert listed == [("VIG-2026-0002", 80, 2, True), ("VIG-2026-0005", 31, 0, False)]
    assert [w.reference for w in report.flagged] == ["VIG-2026-0002"]


def test_ages_and_criteria_of_the_requests_received(report) -> None:
    assert dict(report.ages) == {
        "Under 1": 1,
        "1 year": 2,
        "2 years": 1,
        "3 years": 0,
        "4 to 7 years": 1,
        "8 to 11 years": 0,
        "12 and over": 0,
        NOT_GIVEN: 1,
    }
    titles = {c: BUILT_IN_CHECKLIST.criterion(c).title for c in CriterionId}
    assert dict(report.criteria) == {
        titles[CriterionId.LACK_OF_WARMTH]: 1,
        titles[CriterionId.NEGATIVE_RESPONSES]: 1,
        titles[CriterionId.CHILDS_VIEW]: 1,
        titles[CriterionId.BONDING]: 2,
        titles[CriterionId.NEW_RELATIONSHIP]: 0,
        titles[CriterionId.OTHER_INTERVENTIONS]: 1,
    }


def test_caseloads_at_each_month_end(report) -> None:
    assert report.caseloads.rows == (
        ("Owen Fiction", (0, 1, 0)),
        ("Tamsin Rowe", (0, 1, 1)),
        ("Zed Spare", (0, 0, 0)),
    )


def test_age_bands_at_birthdays() -> None:
    assert age_band(date(2023, 2, 20), date(2026, 2, 19)) == "2 years"
    assert age_band(date(2023, 2, 20), date(2026, 2, 20)) == "3 years"
    assert age_band(None, date(2026, 2, 20)) == NOT_GIVEN
    assert age_band(date(2027, 1, 1), date(2026, 2, 20)) == NOT_GIVEN


def test_default_period_is_twelve_months_or_from_the_first_request() -> None:
    assert default_period(date(2026, 11, 30)) == (date(2025, 12, 1), date(2026, 11, 30))
    assert default_period(date(2026, 11, 30), date(2026, 6, 17)) == (
        date(2026, 6, 1),
        date(2026, 11, 30),
    )
    with pytest.raises(ValueError, match="before it starts"):
        report_period([], date(2026, 11, 30), start=date(2026, 5, 1), end=date(2026, 1, 1))


# --- the same figures as the register gives them -------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _listed(capsys: pytest.CaptureFixture[str], db: Path) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "list", "--json", "--db", str(db))
    assert code == 0
    return json.loads(out)


def test_report_counts_equal_those_from_list_json(capsys, tmp_path: Path) -> None:
    """`vig-tui list --json` on a demo database of 300 requests, counted here
    independently, gives the report's monthly counts by role, ages and waiting list."""
    db = tmp_path / "demo.json"
    today = date(2026, 11, 30)
    with Store.open(db) as store:
        fill_database(store, 300, today=today, seed=7)
    with Store.open(db, read_only=True) as store:
        requests, roster = store.requests(), store.practitioners()
    start, end = report_period(requests, today)
    data = build_report(requests, start=start, end=end, made_on=today, practitioners=roster)

    rows = _listed(capsys, db)
    sent = [
        r
        for r in rows
        if r["status"] != "draft"
        and r["submitted_on"]
        and start.isoformat() <= str(r["submitted_on"]) <= end.isoformat()
    ]
    by_month_role = Counter((str(r["submitted_on"])[:7], r["referrer_role"]) for r in sent)
    assert data.received == len(sent) > 200
    for role in ReferrerRole:
        expected = tuple(by_month_role[f"{m:%Y-%m}", role.value] for m in data.months)
        assert data.by_role.row(role.label) == expected
    ages = Counter(
        age_band(
            date.fromisoformat(str(r["child_date_of_birth"])) if r["child_date_of_birth"] else None,
            date.fromisoformat(str(r["submitted_on"])),
        )
        for r in sent
    )
    assert {label: n for label, n in data.ages if n} == dict(ages)
    waiting = sorted(str(r["reference"]) for r in rows if r["status"] in ("submitted", "deferred"))
    assert sorted(w.reference for w in data.waiting_list) == waiting


def test_report_command_writes_every_format(capsys, tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    with Store.open(db) as store:
        store.import_requests(fixture_requests())
    for fmt in ("md", "html", "csv", "pdf", "docx"):
        target = tmp_path / f"report.{fmt}"
        code, out, err = run(
            capsys,
            "report",
            "--db",
            str(db),
            "--from",
            "1/1/2026",
            "--to",
            "31 March 2026",
            "--format",
            fmt,
            "-o",
            str(target),
        )
        assert (code, err) == (0, ""), err
        assert "6 requests received" in out
        assert target.stat().st_mode & 0o777 == 0o600
    rows = list(csv.DictReader(io.StringIO((tmp_path / "report.csv").read_text("utf-8-sig"))))
    received = {
        (r["Row"], r["Column"]): r["Value"]
        for r in rows
        if r["Table"] == "By route" and r["Section"] == "Requests received"
    }
    assert received["Total", "Total"] == "6"
    assert received[HUB.label, "Mar 2026"] == "2"
    markdown = (tmp_path / "report.md").read_text()
    assert "OFFICIAL-SENSITIVE" in markdown
    assert "| Redruth Health Visiting | 1 | 1 | 2 | 4 |" in markdown


def test_report_command_refuses_a_backwards_period_and_an_existing_file(
    capsys, tmp_path: Path
) -> None:
    db = tmp_path / "db.json"
    with Store.open(db) as store:
        store.import_requests(fixture_requests())
    code, _, err = run(
        capsys,
        "report",
        "--db",
        str(db),
        "--from",
        "2026-05-01",
        "--to",
        "2026-01-01",
        "--format",
        "md",
    )
    assert code == 2 and "before it starts" in err and "Traceback" not in err
    target = tmp_path / "kept.md"
    target.write_text("keep me")
    code, _, err = run(capsys, "report", "--db", str(db), "--format", "md", "-o", str(target))
    assert code == 1 and "already exists" in err
    assert target.read_text() == "keep me"
