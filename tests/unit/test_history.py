"""Attributed, hash-chained history: what the hash covers, and what breaks the chain."""

from __future__ import annotations

import hashlib
import json

from vig_tui.domain.history import Action, Actor, first_broken, request_chain_start
from vig_tui.domain.models import VigRequest
from vig_tui.domain.rules import Section
from vig_tui.profile import Profile
from vig_tui.service import Visit, end_visit, record_visit, start_request

ANN = Actor(name="Ann Kitto", role="Health visitor", user="ann", machine="machine-a")
BOB = Actor(name="Bob Hosken", role="VIG coordinator", user="bob", machine="machine-b")


def _three_entries() -> VigRequest:
    request = VigRequest()
    request.record(ANN, Action.CREATED, "Request started")
    request.notes = "first"
    request.record(ANN, Action.EDITED, "Notes", reason=None)
    request.record(BOB, Action.CORRECTED, "Fixed", reason="Typo")
    return request


def test_the_hash_is_sha256_of_canonical_json_and_the_previous_hash() -> None:
    request = _three_entries()
    previous = request_chain_start(request.id)
    for entry in request.history:
        content = entry.model_dump(mode="json", exclude={"hash"})
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        expected = hashlib.sha256((canonical + previous).encode("utf-8")).hexdigest()
        assert entry.hash == expected
        previous = entry.hash
    assert request.history_head == previous
    assert request.history[0].who == ANN and request.history[2].reason == "Typo"


def test_a_whole_history_checks_and_survives_a_round_trip_through_json() -> None:
    request = _three_entries()
    again = VigRequest.model_validate_json(request.model_dump_json())
    assert again.history_problem() is None


def test_an_edited_entry_is_found() -> None:
    request = _three_entries()
    request.history[1] = request.history[1].model_copy(update={"summary": "Something else"})
    assert request.history_problem() == (2, request.history_problem()[1])  # type: ignore[index]


def test_a_removed_entry_is_found() -> None:
    request = _three_entries()
    del request.history[1]
    problem = request.history_problem()
    assert problem is not None and problem[0] == 2


def test_reordered_entries_are_found() -> None:
    request = _three_entries()
    request.history[1], request.history[2] = request.history[2], request.history[1]
    problem = request.history_problem()
    assert problem is not None and problem[0] == 2


def test_an_entry_cut_off_the_end_is_found() -> None:
    request = _three_entries()
    request.history.pop()
    problem = request.history_problem()
    assert problem is not None and problem[0] == 3 and "removed from the end" in problem[1]


def test_an_entry_moved_to_another_request_is_found() -> None:
    donor, other = _three_entries(), VigRequest()
    other.history = [donor.history[0]]
    other.history_head = donor.history[0].hash
    assert first_broken(other.history, other.chain_start) == 0


def test_only_the_newest_entry_is_ever_replaced() -> None:
    request = VigRequest()
    first = request.record(ANN, Action.EDITED, "Visit")
    second = request.record(ANN, Action.EDITED, "Visit, later", replacing=first.hash)
    assert [e.summary for e in request.history] == ["Visit, later"]
    request.record(BOB, Action.CORRECTED, "Someone else")
    request.record(ANN, Action.EDITED, "Not replacing an older one", replacing=second.hash)
    assert len(request.history) == 3
    assert request.history_problem() is None


def test_autosaves_during_one_visit_make_one_entry_with_old_and_new() -> None:
    request = start_request(ANN)
    visit = Visit(Section.CHILD_FAMILY, request.model_copy(deep=True))
    for typed in ("A", "Am", "Amy"):
        request.child.name = typed
        record_visit(request, ANN, visit)
    assert [e.action for e in request.history] == [Action.CREATED, Action.EDITED]
    edit = request.history[-1]
    assert [(c.field, c.label, c.old, c.new) for c in edit.changes] == [
        ("child.name", "The child's full name", "", "Amy")
    ]
    end_visit(visit)
    # The next visit appends its own entry.
    visit = Visit(Section.CHILD_FAMILY, request.model_copy(deep=True))
    request.child.name = "Amy Tre"
    record_visit(request, ANN, visit)
    assert len(request.history) == 3
    assert request.history_problem() is None


def test_a_visit_that_changes_nothing_leaves_no_entry_and_an_undone_one_says_so() -> None:
    request = start_request(ANN)
    visit = Visit(Section.CHILD_FAMILY, request.model_copy(deep=True))
    record_visit(request, ANN, visit)
    assert [e.action for e in request.history] == [Action.CREATED]
    request.child.name = "Amy"
    record_visit(request, ANN, visit)
    request.child.name = ""
    record_visit(request, ANN, visit)
    assert [e.action for e in request.history] == [Action.CREATED, Action.EDITED]
    assert request.history[-1].changes == []
    assert request.history[-1].summary.endswith("then changed back")
    assert request.history_problem() is None


def test_a_new_request_is_filled_in_from_the_profile_and_says_so() -> None:
    profile = Profile(
        name="Ann Kitto", role="health_visitor", team="Truro HV", phone="", email="a@example.org"
    )
    request = start_request(ANN, profile)
    assert (request.referrer.name, request.referrer.team) == ("Ann Kitto", "Truro HV")
    assert request.referrer.role is not None and request.referrer.role.value == "health_visitor"
    (created,) = request.history
    assert created.who == ANN and created.action == Action.CREATED
    assert {c.field for c in created.changes} == {
        "referrer.name",
        "referrer.role",
        "referrer.team",
        "referrer.email",
    }


def test_a_redacted_request_shows_workers_by_role_and_no_identifying_old_values() -> None:
    from vig_tui.export.redact import redact_request
    from vig_tui.tools.gallery import example_request

    request = example_request()
    request.record(ANN, Action.CREATED, "Request started")
    before = request.model_copy(deep=True)
    request.child.name = "Amelia Tregear-Rowe"
    from vig_tui.domain.changes import answer_changes

    request.record(BOB, Action.CORRECTED, "Corrected", changes=answer_changes(before, request))
    redacted = redact_request(request).model_dump_json()
    for identifying in ("Ann Kitto", "Bob Hosken", "machine-a", '"ann"', "Tregear"):
        assert identifying not in redacted
    assert "VIG coordinator" in redacted


def test_a_date_given_as_a_month_is_named_in_words_in_the_history() -> None:
    """`audit show` and the request page read "difficulty_identified_month_only: No → Yes"
    after a worker typed "Sep 2025": every change is named in words."""
    from datetime import date

    from vig_tui.domain.changes import answer_changes, describe_change

    before = VigRequest()
    after = before.model_copy(deep=True)
    after.difficulty_identified_on = date(2025, 9, 1)
    after.difficulty_identified_month_only = True
    lines = [describe_change(change) for change in answer_changes(before, after)]
    assert "When the difficulty was first identified: only the month given: No → Yes" in lines
    assert not any("difficulty_identified" in line for line in lines)
