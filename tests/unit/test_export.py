"""The meeting pack: what it holds, each format parsed back, redaction and writing.

Every export is read back with a real parser (csv, html.parser, json) and the
facts checked, not the layout. All people, numbers and places are fictional:
phone numbers are from Ofcom's drama ranges and emails use example.org.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from vig_tui.domain.checklist import BUILT_IN_CHECKLIST, ConsiderationId, CriterionId
from vig_tui.domain.dates import describe_age
from vig_tui.domain.meetings import MeetingCalendar
from vig_tui.domain.models import (
    Answer,
    Carer,
    CarerRelationship,
    CaseHolder,
    CaseHolderRole,
    Child,
    ConsiderationAnswer,
    CriterionEvidence,
    Decision,
    DecisionOutcome,
    MeetingMove,
    Priority,
    Programme,
    Referrer,
    ReferrerRole,
    RequestStatus,
    Route,
    RouteKind,
    VigRequest,
)
from vig_tui.domain.priority import suggest_priority
from vig_tui.domain.rules import evaluate
from vig_tui.export import (
    CSV_COLUMNS,
    FORMATS,
    ExportError,
    MeetingPack,
    PackExistsError,
    UnknownFormatError,
    build_pack,
    default_filename,
    redact_request,
    render,
    render_csv,
    render_html,
    render_json,
    render_markdown,
    write_pack,
)
from vig_tui.export.csv_pack import neutralise

MEETING = date(2026, 3, 5)  # first Thursday of March 2026
EARLIER_MEETING = date(2026, 2, 5)
ON = date(2026, 3, 2)

FORMULAS = ('=HYPERLINK("http://x","y")', "+SUM(1)", "@cmd", "-1+1")
SCRIPT = "<script>alert(1)</script>"


# --- a small factory of fictional requests ---------------------------------------------


@dataclass
class Family:
    """The personal details a fixture request was built with, to check redaction."""

    child: str
    carers: list[str]
    first_names: list[str]
    surnames: list[str]
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    postcodes: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)

    def secrets(self) -> list[str]:
        return [
            self.child,
            *self.carers,
            *self.first_names,
            *self.surnames,
            *self.phones,
            *self.emails,
            *self.postcodes,
            *self.addresses,
        ]


def make_request(
    number: int,
    *,
    child: str = "Amelia Rose Tregear",
    born: date = date(2025, 6, 14),
    carer: str = "Kerensa Tregear",
    relationship: CarerRelationship = CarerRelationship.BIRTH_PARENT,
    submitted_on: date = date(2026, 2, 10),
    difficulty_on: date | None = date(2025, 12, 1),
    evidence: str | None = None,
    decisions: list[Decision] | None = None,
    status: RequestStatus = RequestStatus.SUBMITTED,
    **changes: object,
) -> VigRequest:
    """A sent, complete request for MEETING with one carer and fictional contacts."""
    first = carer.split()[0]
    child_first = child.split()[0]
    request = VigRequest(
        reference=f"VIG-2026-{number:04d}",
        status=status,
        submitted_on=submitted_on,
        meeting=MEETING,
        created_at=datetime(2026, 2, 1, 9, 30, tzinfo=UTC),
        updated_at=datetime(2026, 2, 10, 14, 0, tzinfo=UTC),
        referrer=Referrer(
            name="Jenna Pascoe",
            role=ReferrerRole.HEALTH_VISITOR,
            team="Redruth Health Visiting",
            phone="01632 960111",
            email="jenna.pascoe@example.org",
        ),
        route=Route(kind=RouteKind.EARLY_HELP_HUB, hub_reference=f"EHH-2026-{number:05d}"),
        child=Child(
            name=child,
            date_of_birth=born,
            gender="Female",
            address="14 Chapel Street, Redruth",
            postcode="TR15 2AB",
            setting="Little Acorns Nursery",
            first_language="English",
        ),
        carers=[
            Carer(
                name=carer,
                relationship=relationship,
                phone="07700 900123",
                email="kerensa.t@example.org",
                address="14 Chapel Street, Redruth",
                lives_with_child=True,
            )
        ],
        case_holder=CaseHolder(
            exists=True,
            name="Tom Nance",
            role=CaseHolderRole.LEAD_PROFESSIONAL,
            team="Early Help West",
            phone="01632 960222",
            email="tom.nance@example.org",
        ),
        difficulty_identified_on=difficulty_on,
        interpreter_needed=False,
        carer_agrees=True,
        decisions=decisions or [],
    )
    request.evidence[CriterionId.BONDING] = CriterionEvidence(
        ticked=True,
        evidence=evidence
        or (
            f"{first} says she has not felt close to {child_first} since the birth. "
            f"{carer} can be reached on 07700 900123 or kerensa.t@example.org, "
            "at 14 Chapel Street, Redruth TR15 2AB."
        ),
    )
    request.evidence[CriterionId.OTHER_INTERVENTIONS] = CriterionEvidence(
        ticked=True,
        evidence=f"Finished Incredible Years in January; {first} finds the praise hard.",
        programmes=[Programme.INCREDIBLE_YEARS],
    )
    for consideration in ConsiderationId:
        request.considerations[consideration] = ConsiderationAnswer(
            answer=Answer.YES, explanation=f"Agreed with {first} at the team meeting."
        )
    for name, value in changes.items():
        setattr(request, name, value)
    return request


def family_of(request: VigRequest) -> Family:
    people = [request.child.name, *(c.name for c in request.carers)]
    return Family(
        child=request.child.name,
        carers=[c.name for c in request.carers],
        first_names=[p.split()[0] for p in people],
        surnames=[p.split()[-1] for p in people],
        phones=[
            request.referrer.phone,
            request.case_holder.phone,
            *(c.phone for c in request.carers),
        ],
        emails=[
            request.referrer.email,
            request.case_holder.email,
            *(c.email for c in request.carers),
        ],
        postcodes=[request.child.postcode],
        addresses=[request.child.address, "Chapel Street", request.child.setting],
    )


def allocated(meeting: date = MEETING) -> Decision:
    return Decision(
        meeting=meeting,
        outcome=DecisionOutcome.ALLOCATED,
        practitioner_name="Tamsin Rowe",
        priority=Priority.HIGH,
        reason="Very young child, new difficulty",
        recorded_at=datetime(2026, 3, 5, 11, 0, tzinfo=UTC),
    )


def deferred(meeting: date = EARLIER_MEETING) -> Decision:
    return Decision(
        meeting=meeting,
        outcome=DecisionOutcome.DEFERRED,
        reason="No practitioner free this month",
        recorded_at=datetime(2026, 2, 5, 11, 0, tzinfo=UTC),
    )


@pytest.fixture
def requests() -> list[VigRequest]:
    """Three requests with different priorities and waiting times."""
    return [
        # Older child, long-standing difficulty: Low or Medium.
        make_request(
            1,
            child="Jory Penhaligon",
            born=date(2019, 4, 2),
            carer="Demelza Penhaligon",
            submitted_on=date(2026, 2, 20),
            difficulty_on=date(2023, 1, 10),
        ),
        # Very young, new difficulty: High, sent later than request 3.
        make_request(2, submitted_on=date(2026, 2, 25)),
        # Very young with a foster carer, deferred from February: High, waiting longest.
        make_request(
            3,
            child="Mia Penrose-Hall",
            born=date(2025, 11, 30),
            carer="Lowenna Curnow",
            relationship=CarerRelationship.FOSTER_CARER,
            submitted_on=date(2026, 1, 20),
            decisions=[deferred()],
            status=RequestStatus.DEFERRED,
        ),
    ]


@pytest.fixture
def pack(requests: list[VigRequest]) -> MeetingPack:
    return build_pack(requests, MEETING, ON)


@pytest.fixture
def hostile() -> VigRequest:
    """A request whose text tries to run as a formula or a script wherever it lands."""
    request = make_request(
        9,
        child='=HYPERLINK("http://x","y")',
        carer=SCRIPT,
        evidence=f'{SCRIPT} and =HYPERLINK("http://x","y")',
    )
    request.referrer.name = "+SUM(1)"
    request.referrer.team = "@cmd"
    request.case_holder.name = "-1+1"
    request.notes = f"{SCRIPT}\n# not a heading\n[link](http://x)"
    return request


# --- parsing helpers -------------------------------------------------------------------


class Page(HTMLParser):
    """Tags, text and styles of an HTML page, as a browser would read them."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self.cells: list[tuple[str, str]] = []  # (class, text) of each <td>
        self._stack: list[str] = []
        self._cell: tuple[str, list[str]] | None = None
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._stack.append(tag)
        if tag == "td":
            self._cell = (dict(attrs).get("class") or "", [])

    def handle_endtag(self, tag: str) -> None:
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()
        if tag == "td" and self._cell is not None:
            self.cells.append((self._cell[0], "".join(self._cell[1])))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1] == "style":
            self.styles.append(data)
        else:
            self.text.append(data)
        if self._cell is not None:
            self._cell[1].append(data)

    def elements(self, tag: str, css_class: str | None = None) -> list[dict[str, str | None]]:
        return [
            attrs
            for name, attrs in self.tags
            if name == tag
            and (css_class is None or css_class in (attrs.get("class") or "").split())
        ]

    @property
    def all_text(self) -> str:
        return "".join(self.text)


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def row_for(rows: list[dict[str, str]], reference: str) -> dict[str, str]:
    (row,) = [r for r in rows if r["Reference"] == reference]
    return row


def markdown_lines(text: str) -> list[str]:
    return text.splitlines()


# --- the pack as data --------------------------------------------------------------------


def test_entries_come_high_priority_first_then_longest_waiting(
    pack: MeetingPack, requests: list[VigRequest]
) -> None:
    expected = sorted(
        requests, key=lambda r: (suggest_priority(r, ON).priority.rank, r.submitted_on)
    )
    assert [e.request.reference for e in pack.entries] == [r.reference for r in expected]
    assert pack.entries[0].suggestion.priority is Priority.HIGH
    assert pack.entries[0].request.reference == "VIG-2026-0003"  # High and waiting longest


def test_each_entry_carries_its_findings_and_suggestion(
    pack: MeetingPack, requests: list[VigRequest]
) -> None:
    by_reference = {r.reference: r for r in requests}
    for entry in pack.entries:
        original = by_reference[entry.request.reference]
        assert list(entry.findings) == evaluate(original, ON)
        assert entry.suggestion == suggest_priority(original, ON)


def test_a_request_deferred_from_an_earlier_meeting_is_carried_forward(pack: MeetingPack) -> None:
    carried = {e.request.reference: e for e in pack.entries}
    assert carried["VIG-2026-0003"].carried_forward
    assert carried["VIG-2026-0003"].carried_from == EARLIER_MEETING
    assert carried["VIG-2026-0003"].previous_decision == deferred()
    assert not carried["VIG-2026-0001"].carried_forward
    assert all(e.decision is None for e in pack.entries)


def test_only_a_decision_for_this_meeting_counts_as_this_meetings_decision() -> None:
    request = make_request(4, decisions=[deferred(), allocated()])
    (entry,) = build_pack([request], MEETING, ON).entries
    assert entry.decision == allocated()
    assert entry.previous_decision == deferred()


def test_the_pack_keeps_its_own_copies(requests: list[VigRequest]) -> None:
    pack = build_pack(requests, MEETING, ON)
    requests[0].child.name = "Changed Afterwards"
    assert "Changed Afterwards" not in {e.request.child.name for e in pack.entries}


def test_a_moved_meeting_and_a_bank_holiday_are_flagged() -> None:
    new_year = MeetingCalendar().meeting_in(2026, 1)
    assert new_year.bank_holiday
    flagged = build_pack([], new_year, date(2025, 12, 20))
    assert flagged.bank_holiday == new_year.bank_holiday
    assert not flagged.moved
    assert new_year.bank_holiday in render_markdown(flagged)

    move = MeetingMove(scheduled=date(2026, 1, 1), moved_to=date(2026, 1, 8), reason="New Year")
    moved_meeting = MeetingCalendar([move]).meeting_in(2026, 1)
    moved = build_pack([], moved_meeting, date(2025, 12, 20))
    assert moved.moved and moved.meeting_date == date(2026, 1, 8)
    assert moved.scheduled == date(2026, 1, 1)
    text = Page(render_html(moved)).all_text
    assert "moved from its usual day, Thursday 1 January 2026" in text


# --- CSV -----------------------------------------------------------------------------------


def test_csv_has_one_row_per_request_with_named_columns(
    pack: MeetingPack, requests: list[VigRequest]
) -> None:
    rows = csv_rows(render_csv(pack))
    assert len(rows) == len(requests)
    assert list(rows[0]) == [header for header, _ in CSV_COLUMNS]
    row = row_for(rows, "VIG-2026-0002")
    assert row["Child name"] == "Amelia Rose Tregear"
    assert row["Child initials"] == "A.R.T."
    assert row["Date of birth"] == "2025-06-14"
    assert row["Age at the meeting"] == "8 months"
    assert row["Referrer"] == "Jenna Pascoe"
    assert row["Referrer role"] == "Health visitor"
    assert row["Referrer team"] == "Redruth Health Visiting"
    assert "EHH-2026-00002" in row["Route"]
    assert row["Case holder"] == "Tom Nance, Lead professional, Early Help West"
    assert row["Criteria evidenced"].split("; ") == [
        BUILT_IN_CHECKLIST.criterion(CriterionId.BONDING).title,
        BUILT_IN_CHECKLIST.criterion(CriterionId.OTHER_INTERVENTIONS).title,
    ]
    assert row["Suggested priority"] == suggest_priority(requests[1], ON).priority.label
    assert row["Priority reasons"].split("; ") == list(suggest_priority(requests[1], ON).reasons)
    assert row["Decision"] == row["Practitioner"] == row["Final priority"] == ""
    assert row_for(rows, "VIG-2026-0003")["Carried forward from"] == "2026-02-05"


def test_csv_shows_the_decision_after_the_meeting() -> None:
    request = make_request(5, decisions=[allocated()], status=RequestStatus.ALLOCATED)
    row = row_for(csv_rows(render_csv(build_pack([request], MEETING, ON))), "VIG-2026-0005")
    assert row["Decision"] == "Allocated"
    assert row["Practitioner"] == "Tamsin Rowe"
    assert row["Final priority"] == "High"
    assert row["Decision note"] == "Very young child, new difficulty"


def test_csv_cells_never_start_a_formula(hostile: VigRequest) -> None:
    text = render_csv(build_pack([hostile], MEETING, ON))
    for cells in csv.reader(io.StringIO(text, newline="")):
        for cell in cells:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    (row,) = csv_rows(text)
    assert row["Child name"] == "'" + '=HYPERLINK("http://x","y")'
    assert row["Referrer"] == "'+SUM(1)"
    assert row["Referrer team"] == "'@cmd"
    assert row["Case holder"].startswith("'-1+1")


@pytest.mark.parametrize("cell", [*FORMULAS, "\tx", "\rx"])
def test_neutralise_prefixes_a_single_quote(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


def test_neutralise_leaves_ordinary_text_alone() -> None:
    assert neutralise("Amelia's nursery") == "Amelia's nursery"
    assert neutralise("") == ""


def test_findings_are_listed_blocking_first() -> None:
    request = make_request(6, case_holder=CaseHolder(exists=False))
    findings = evaluate(request, ON)
    blocking = [f for f in findings if f.blocking]
    assert [f.code for f in blocking] == ["no_case_holder"]
    pack = build_pack([request], MEETING, ON)

    (row,) = csv_rows(render_csv(pack))
    lines = row["Findings"].split("\n")
    assert lines[0].startswith(f"Blocking: {blocking[0].message}")
    assert len(lines) == len(findings)
    assert row["Case holder"] == "None: the family has no case holder"

    page = Page(render_html(pack))
    assert len(page.elements("tr", "warning")) == 1
    assert blocking[0].message in page.all_text


# --- HTML ----------------------------------------------------------------------------------


def test_html_has_one_section_per_request_after_a_page_broken_agenda(pack: MeetingPack) -> None:
    page = Page(render_html(pack))
    assert len(page.elements("section", "request")) == len(pack.entries)
    css = "".join(page.styles)
    assert "@media print" in css
    assert "header.cover { page-break-after: always" in css
    assert "page-break-before" not in css
    assert len(page.elements("html")) == 1


def test_html_is_self_contained(pack: MeetingPack) -> None:
    page = Page(render_html(pack))
    assert not page.elements("script")
    assert not page.elements("link") and not page.elements("img") and not page.elements("iframe")
    for _tag, attrs in page.tags:
        assert "src" not in attrs and "href" not in attrs
        assert not any(name.startswith("on") for name in attrs)


def test_html_shows_hostile_text_as_text(hostile: VigRequest) -> None:
    page = Page(render_html(build_pack([hostile], MEETING, ON)))
    assert not page.elements("script")
    assert not page.elements("a")
    assert SCRIPT in page.all_text
    assert '=HYPERLINK("http://x","y")' in page.all_text


def test_html_leaves_decision_lines_blank_before_the_meeting(pack: MeetingPack) -> None:
    page = Page(render_html(pack))
    blanks = [text for css, text in page.cells if css == "blank"]
    assert blanks == [""] * 4 * len(pack.entries)


def test_html_shows_the_recorded_decision_after_the_meeting() -> None:
    request = make_request(5, decisions=[allocated()], status=RequestStatus.ALLOCATED)
    page = Page(render_html(build_pack([request], MEETING, ON)))
    assert not [css for css, _ in page.cells if css == "blank"]
    cells = [text for _, text in page.cells]
    assert "Allocated" in cells and "Tamsin Rowe" in cells and "High" in cells


def test_html_shows_each_ticked_criterion_with_the_checklist_wording(pack: MeetingPack) -> None:
    text = Page(render_html(pack)).all_text
    assert BUILT_IN_CHECKLIST.criterion(CriterionId.BONDING).title in text
    assert BUILT_IN_CHECKLIST.criterion(CriterionId.LACK_OF_WARMTH).title not in text
    for consideration in BUILT_IN_CHECKLIST.considerations:
        assert consideration.question in text
    assert "Incredible Years" in text


# --- Markdown ------------------------------------------------------------------------------


def test_markdown_cover_lists_the_suggested_order(pack: MeetingPack) -> None:
    lines = markdown_lines(render_markdown(pack))
    assert lines[:3] == [
        "**OFFICIAL-SENSITIVE**",
        "",
        "# VIG allocation meeting pack: Thursday 5 March 2026",
    ]
    start = lines.index("## Suggested order") + 2
    order = lines[start : start + len(pack.entries)]
    for number, (line, entry) in enumerate(zip(order, pack.entries, strict=True), start=1):
        assert line.startswith(f"{number}. {entry.request.reference} · ")
        assert entry.request.child.initials in line
        assert f"{entry.suggestion.priority.label} priority" in line
    headings = [line for line in lines if line.startswith("## ")]
    assert len(headings) == 1 + len(pack.entries)


def test_markdown_blank_decision_lines_then_the_decision(pack: MeetingPack) -> None:
    before = markdown_lines(render_markdown(pack))
    for label in ("Decision", "Practitioner", "Priority", "Notes"):
        assert before.count(f"- {label}: {'_' * 30}") == len(pack.entries)

    request = make_request(5, decisions=[allocated()], status=RequestStatus.ALLOCATED)
    after = markdown_lines(render_markdown(build_pack([request], MEETING, ON)))
    assert "- Decision: Allocated" in after
    assert "- Practitioner: Tamsin Rowe" in after
    assert "- Priority: High" in after
    assert not [line for line in after if line.endswith("_" * 30)]


def test_markdown_escapes_text_that_would_become_markup(hostile: VigRequest) -> None:
    lines = markdown_lines(render_markdown(build_pack([hostile], MEETING, ON)))
    assert not [line for line in lines if "<script>" in line]
    assert r"\<script\>alert(1)\</script\>" in lines
    assert r"\# not a heading" in lines
    assert r"\[link\](http://x)" in lines


# --- JSON ----------------------------------------------------------------------------------


def test_json_round_trips_every_request(pack: MeetingPack, requests: list[VigRequest]) -> None:
    data = json.loads(render_json(pack))
    assert isinstance(data, list)
    loaded = [VigRequest.model_validate(item) for item in data]
    assert {r.id: r for r in loaded} == {r.id: r for r in requests}
    assert [r.reference for r in loaded] == [e.request.reference for e in pack.entries]


def test_redacted_json_still_validates_and_keeps_what_the_meeting_needs(
    requests: list[VigRequest],
) -> None:
    redacted = build_pack(requests, MEETING, ON, redact=True)
    document = json.loads(render_json(redacted))
    assert document["redacted"] is True
    by_id = {r.id: r for r in requests}
    for item in document["requests"]:
        request = VigRequest.model_validate(item["request"])
        original = by_id[request.id]
        assert request.child.name == original.child.initials
        assert request.child.date_of_birth is None
        assert original.child.date_of_birth is not None
        assert item["age_at_meeting"] == describe_age(original.child.date_of_birth, MEETING)
        assert request.evidenced_criteria == original.evidenced_criteria
        assert len(request.decisions) == len(original.decisions)
        assert request.carers[0].phone == request.carers[0].email == ""


# --- redaction -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [f.key for f in FORMATS])
def test_a_redacted_pack_holds_no_names_or_contact_details(
    fmt: str, requests: list[VigRequest]
) -> None:
    requests[1].notes = "Spoke to KERENSA; Amelia's gran also on 07700 900987, TR1 1XX."
    requests[1].decisions = [
        Decision(
            meeting=MEETING,
            outcome=DecisionOutcome.MORE_INFORMATION,
            information_needed="Ask Kerensa Tregear for the nursery's view",
            information_from="kerensa.t@example.org",
        )
    ]
    text = readable_text(render(build_pack(requests, MEETING, ON, redact=True), fmt), fmt)
    readable = Page(text).all_text if fmt == "html" else text
    secrets = [s for r in requests for s in family_of(r).secrets()]
    secrets += ["KERENSA", "07700 900987", "TR1 1XX", "Penrose", "Hall"]
    for secret in secrets:
        assert secret not in text, (fmt, secret)
        assert secret not in readable, (fmt, secret)
    if fmt != "json":
        assert "A.R.T." in readable and "K.T." in readable


def readable_text(rendered: str | bytes, fmt: str) -> str:
    """What a reader of the file sees: PDF through pdftotext, Word through python-docx."""
    if isinstance(rendered, str):
        return rendered
    if fmt == "docx":
        import docx

        word = docx.Document(io.BytesIO(rendered))
        parts = [p.text for p in word.paragraphs]
        parts += [c.text for t in word.tables for row in t.rows for c in row.cells]
        parts += [p.text for p in word.sections[0].header.paragraphs]
        return "\n".join(parts)
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
    return subprocess.run(
        ["pdftotext", "-", "-"], input=rendered, capture_output=True, check=True
    ).stdout.decode()


def test_redaction_replaces_names_in_free_text_with_initials() -> None:
    request = make_request(6)
    redacted = redact_request(request)
    evidence = redacted.criterion(CriterionId.BONDING).evidence
    assert evidence.startswith("K.T. says she has not felt close to A.R.T. since the birth.")
    assert "[phone removed]" in evidence and "[email removed]" in evidence
    # The professionals around the family are shown by role and team only.
    assert redacted.referrer.name == ""
    assert redacted.referrer.team == "Redruth Health Visiting"
    assert request.child.name == "Amelia Rose Tregear"  # the original is untouched


def test_redacted_packs_show_the_full_initials(requests: list[VigRequest]) -> None:
    redacted = build_pack(requests, MEETING, ON, redact=True)
    row = row_for(csv_rows(render_csv(redacted)), "VIG-2026-0003")
    assert row["Child name"] == row["Child initials"] == "M.P.H."
    order = [line for line in markdown_lines(render_markdown(redacted)) if line[:2] == "1."]
    assert order[0].startswith("1. VIG-2026-0003 · M.P.H. · High priority")


def test_redacting_twice_changes_nothing_more() -> None:
    once = redact_request(make_request(8))
    assert redact_request(once) == once


def test_redaction_keeps_ordinary_words_that_match_a_name() -> None:
    request = make_request(7, child="Will Rose", carer="Grace Rose")
    request.notes = "Grace will bring Will; Rose is the family name."
    assert redact_request(request).notes == "G.R. will bring W.R.; W.R. is the family name."


# --- writing files -------------------------------------------------------------------------


def test_formats_are_listed_for_the_ui() -> None:
    assert [f.key for f in FORMATS] == ["md", "html", "csv", "json", "pdf", "docx"]
    assert all(f.label and f.description for f in FORMATS)


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json"])
def test_default_names_carry_the_date_and_no_personal_names(pack: MeetingPack, fmt: str) -> None:
    assert default_filename(pack, fmt) == f"vig-meeting-pack-2026-03-05.{fmt}"
    redacted = build_pack([], MEETING, ON, redact=True)
    assert default_filename(redacted, fmt) == f"vig-meeting-pack-2026-03-05-redacted.{fmt}"


def test_write_pack_creates_an_owner_only_file(pack: MeetingPack, tmp_path: Path) -> None:
    written = write_pack(pack, "html", None, tmp_path)
    assert written == tmp_path / "vig-meeting-pack-2026-03-05.html"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert written.read_text(encoding="utf-8") == render_html(pack)
    for entry in pack.entries:
        for secret in (entry.request.child.name, *(c.name for c in entry.request.carers)):
            assert secret not in written.name


def test_write_pack_refuses_to_overwrite(pack: MeetingPack, tmp_path: Path) -> None:
    target = tmp_path / "pack.md"
    target.write_text("keep me", encoding="utf-8")
    with pytest.raises(PackExistsError) as raised:
        write_pack(pack, "md", Path("pack.md"), tmp_path)
    assert isinstance(raised.value, FileExistsError)
    assert isinstance(raised.value, ExportError)
    assert "already exists" in str(raised.value)
    assert target.read_text(encoding="utf-8") == "keep me"


def test_write_pack_overwrites_atomically_when_forced(pack: MeetingPack, tmp_path: Path) -> None:
    target = tmp_path / "pack.md"
    target.write_text("old pack", encoding="utf-8")
    os.chmod(target, 0o644)
    written = write_pack(pack, "md", target, tmp_path, force=True)
    assert written == target
    assert target.read_text(encoding="utf-8") == render_markdown(pack)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack.md"]


def test_written_csv_opens_in_a_spreadsheet_and_parses(pack: MeetingPack, tmp_path: Path) -> None:
    written = write_pack(pack, "csv", None, tmp_path)
    with written.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["Reference"] for r in rows] == [e.request.reference for e in pack.entries]


def test_write_pack_explains_a_missing_folder_and_an_unknown_format(
    pack: MeetingPack, tmp_path: Path
) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        write_pack(pack, "md", None, tmp_path / "nowhere")
    with pytest.raises(UnknownFormatError):
        write_pack(pack, "odt", None, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("redacted", [False, True])
def test_every_printable_pack_carries_its_protective_marking(
    requests: list[VigRequest], redacted: bool
) -> None:
    """The PDF and Word packs and every request summary say OFFICIAL-SENSITIVE; the HTML
    pack (made for printing) and the Markdown pack did not."""
    pack = build_pack(requests, MEETING, ON, redact=redacted)
    text = Page(render_html(pack)).all_text
    assert "OFFICIAL-SENSITIVE" in text
    assert text.index("OFFICIAL-SENSITIVE") < text.index("Agenda, in the suggested order")
    assert render_markdown(pack).startswith("**OFFICIAL-SENSITIVE**\n")
