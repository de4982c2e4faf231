"""How a request reads where it is shown rather than asked, and how its history words
a month-only date.

The referrer fills in "About you" / "Your name"; everyone else (the coordinator on the
request page, a correction, the history, a subject access copy) reads "The referrer" /
"Referrer's name". A date given as a month alone reads "September 2025" in the history,
as on its question page, while what is stored (and hashed) stays the date it was.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from vig_tui.cli import main
from vig_tui.domain.answers import section_rows
from vig_tui.domain.changes import (
    answer_changes,
    describe_change,
    describe_entry,
    month_only_flags,
)
from vig_tui.domain.fields import field, label_for
from vig_tui.domain.history import Action, Actor
from vig_tui.domain.models import VigRequest
from vig_tui.domain.rules import Section
from vig_tui.export.subject_access import subject_access_document
from vig_tui.service import correct, send
from vig_tui.store import Store
from vig_tui.tools.gallery import example_request

TODAY = date(2026, 11, 24)
ANN = Actor(name="Ann Kitto", role="Health visitor", user="ann", machine="machine-a")
BOB = Actor(name="Bob Hosken", role="VIG coordinator", user="bob", machine="machine-b")
WHEN = "When the difficulty was first identified"


def test_the_referrer_reads_their_own_words_and_others_the_third_persons() -> None:
    request = example_request()
    own = {r.question: r.answer for r in section_rows(request, Section.REFERRER, TODAY, own=True)}
    shown = {r.question: r.answer for r in section_rows(request, Section.REFERRER, TODAY)}
    assert own["Your name"] == shown["Referrer's name"] == "Sam Penrose"
    assert set(shown) == {
        "Referrer's name",
        "Referrer's role",
        "Referrer's team",
        "Referrer's phone number",
        "Referrer's email address",
    }
    assert not any(q.startswith("Your") for q in shown)
    assert Section.REFERRER.title == "About you"
    assert Section.REFERRER.title_for_others == "The referrer"
    assert Section.BEFORE_YOU_SEND.title_for_others == "Before the request was sent"
    assert Section.CHILD_FAMILY.title_for_others == Section.CHILD_FAMILY.title
    # The question page still asks the referrer in their own words.
    assert field("referrer.name").page_label == "Your name"
    assert label_for("referrer.team", own=False) == "Referrer's team"


def test_the_history_names_the_referrers_answers_in_the_third_person() -> None:
    before = example_request()
    after = before.model_copy(deep=True)
    after.referrer.name = "Sam Penrose-Hall"
    [change] = answer_changes(before, after)
    # What is stored keeps the label it was recorded with; what is read is the third person's.
    assert change.label == "Your name"
    assert describe_change(change) == "Referrer's name: Sam Penrose → Sam Penrose-Hall"


def _month_story(request: VigRequest) -> VigRequest:
    """A request whose difficulty date is given as September 2025, changed to October
    2025, then to the day 3 November 2025, then back to a month (December 2025)."""
    request.difficulty_identified_on = date(2025, 9, 1)
    request.difficulty_identified_month_only = True
    request.record(ANN, Action.CREATED, "Request started")
    for day, month_only in (
        (date(2025, 10, 1), True),
        (date(2025, 11, 3), False),
        (date(2025, 12, 1), True),
    ):
        before = request.model_copy(deep=True)
        request.difficulty_identified_on = day
        request.difficulty_identified_month_only = month_only
        request.record(BOB, Action.CORRECTED, "Corrected", changes=answer_changes(before, request))
    return request


def _lines(request: VigRequest) -> list[str]:
    flags = month_only_flags(request)
    return [
        line
        for entry, month_only in zip(request.history, flags, strict=True)
        for line in describe_entry(entry, month_only)
    ]


def test_a_month_only_date_reads_as_the_month_in_the_history() -> None:
    lines = _lines(_month_story(VigRequest()))
    assert f"  {WHEN}: September 2025 → October 2025" in lines
    assert f"  {WHEN}: October 2025 → 3 Nov 2025" in lines
    assert f"  {WHEN}: 3 Nov 2025 → December 2025" in lines
    assert not any("1 Sep 2025" in line or "1 Oct 2025" in line for line in lines)


def test_a_first_of_the_month_given_as_a_day_stays_a_day() -> None:
    request = VigRequest(difficulty_identified_on=date(2025, 9, 1))
    request.record(ANN, Action.CREATED, "Request started")
    before = request.model_copy(deep=True)
    request.difficulty_identified_on = date(2025, 10, 1)
    request.record(BOB, Action.CORRECTED, "Corrected", changes=answer_changes(before, request))
    assert f"  {WHEN}: 1 Sep 2025 → 1 Oct 2025" in _lines(request)


@pytest.fixture
def corrected(db_path: Path) -> Path:
    """A request sent with a month-only date, corrected to another month and the
    referrer's name corrected, through the service, in a real database file."""
    with Store.open(db_path) as store:
        request = example_request()
        request.difficulty_identified_on = date(2025, 9, 1)
        request.difficulty_identified_month_only = True
        sent = send(store, ANN, request, TODAY)
        changed = sent.model_copy(deep=True)
        changed.difficulty_identified_on = date(2025, 10, 1)
        changed.referrer.name = "Sam Penrose-Hall"
        correct(store, BOB, sent, changed, "Month and name were wrong")
    return db_path


def test_audit_show_words_the_month_and_the_referrer_and_verify_still_passes(
    corrected: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(corrected, read_only=True) as store:
        [request] = store.requests()
    assert request.reference is not None
    assert main(["audit", "show", request.reference, "--db", str(corrected)]) == 0
    shown = capsys.readouterr().out
    assert f"{WHEN}: September 2025 → October 2025" in shown
    assert "Referrer's name: Sam Penrose → Sam Penrose-Hall" in shown
    assert "1 Sep 2025" not in shown
    assert "Your name" not in shown
    # Only the words changed: the stored values are the dates, and the chain is whole.
    [change] = [c for e in request.history for c in e.changes if c.field.startswith("diff")]
    assert (change.old, change.new) == ("2025-09-01", "2025-10-01")
    assert main(["audit", "verify", "--db", str(corrected)]) == 0


def test_a_subject_access_copy_reads_as_the_history_and_page_do(corrected: Path) -> None:
    with Store.open(corrected, read_only=True) as store:
        [request] = store.requests()
    text = repr(subject_access_document([request], "Amelia Tregear", date(2026, 1, 1), TODAY))
    assert "The referrer" in text and "Referrer's name" in text
    assert "About you" not in text and "Your name" not in text
    assert "September 2025 → October 2025" in text
