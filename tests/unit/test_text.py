"""Free text as the record keeps it: control characters never stored, one-line answers
on one line, limits read from the models (domain/text.py, issue #9)."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from vig_tui.domain.models import Carer, Decision, MeetingRecord, Referrer, VigRequest
from vig_tui.domain.text import clean_text, field_problems, limit_note, max_length_of

#: Anything at all, surrogates included (a terminal cannot send them; an import can).
ANY_TEXT = st.text(st.characters(codec=None, categories=None), max_size=300)
HOSTILE = st.lists(
    st.sampled_from(
        [
            "\x00",
            "\x07",
            "\x1b",
            "\x1b[2J",
            "\x7f",
            "\x85",
            "\u2028",
            "\r\n",
            "\r",
            "\n",
            "\t",
            "\ud800",
            "שָׁלוֹם",
            "مرحبا",
            "e\u0301",
            "👩\u200d👩\u200d👧",
            "\u202e",
            "a",
            " ",
        ]
    ),
    max_size=60,
).map("".join)


def _controls(text: str) -> set[str]:
    return {c for c in text if unicodedata.category(c) in ("Cc", "Cs")}


@settings(max_examples=300, deadline=None)
@given(st.one_of(ANY_TEXT, HOSTILE), st.booleans())
def test_clean_text_leaves_no_control_characters_and_is_stable(text: str, multiline: bool) -> None:
    cleaned = clean_text(text, multiline=multiline)
    allowed = {"\n", "\t"} if multiline else set()
    assert _controls(cleaned) <= allowed
    assert clean_text(cleaned, multiline=multiline) == cleaned
    if not multiline:
        assert not any(c in cleaned for c in "\n\r\u2028\u2029\t")


def _visible(text: str) -> str:
    """The text without controls, line breaks and blanks: what cleaning must never change."""
    return "".join(
        c for c in text if unicodedata.category(c) not in ("Cc", "Cs", "Zl", "Zp") and c != " "
    )


@settings(max_examples=200, deadline=None)
@given(st.one_of(ANY_TEXT, HOSTILE))
def test_the_models_store_no_control_characters_and_lose_nothing_else(text: str) -> None:
    """Right-to-left text, combining marks and joined emoji are kept as written."""
    referrer = Referrer(name=clean_text(text, multiline=False)[:200])
    carer = Carer(address=text)
    assert _controls(referrer.name) == set()
    assert _controls(carer.address) <= {"\n", "\t"}
    assert _visible(carer.address) == _visible(clean_text(text, multiline=True).strip())


def test_a_pasted_address_keeps_every_line_in_a_one_line_answer() -> None:
    assert clean_text("1 Fore Street\r\n\r\n  Camborne\nTR14 8AA", multiline=False) == (
        "1 Fore Street Camborne TR14 8AA"
    )
    assert clean_text("One\r\ntwo\rthree\u2028four\tfive", multiline=True) == (
        "One\ntwo\nthree\nfour\tfive"
    )
    assert Referrer(name="Sam\x07 \x1b[31mRowe\x00").name == "Sam [31mRowe"


def test_limits_are_the_models_own() -> None:
    assert max_length_of(VigRequest, "referrer.name") == 200
    assert max_length_of(VigRequest, "child.address") == 20_000
    assert max_length_of(VigRequest, "carers.0.relationship_other") == 200
    assert max_length_of(VigRequest, "considerations.assessment.explanation") == 20_000
    assert max_length_of(VigRequest, "route.agreed_on") is None
    assert max_length_of(Decision, "note") == 20_000
    assert max_length_of(MeetingRecord, "attendees") is None  # 100 names, not 100 characters
    assert max_length_of(MeetingRecord, "actions") == 20_000
    for missing in ("carers.0", "referrer.name.first", "nothing"):
        with pytest.raises(KeyError):
            max_length_of(VigRequest, missing)


def test_control_characters_do_not_count_towards_the_limit() -> None:
    assert Referrer(name="\x07" * 500 + "a" * 200).name == "a" * 200
    with pytest.raises(ValidationError):
        Referrer(name="a" * 201)


def test_validation_errors_become_plain_words_by_answer() -> None:
    with pytest.raises(ValidationError) as caught:
        Decision.model_validate(
            {"meeting": "2026-12-03", "outcome": "more_information", "information_from": "x" * 201}
        )
    assert field_problems(caught.value) == {
        "information_from": "This answer can be up to 200 characters"
    }


def test_the_note_comes_as_the_limit_nears() -> None:
    assert limit_note(150, 200) == ""
    assert limit_note(185, 200) == "You have 15 characters remaining."
    assert limit_note(199, 200) == "You have 1 character remaining."
    assert limit_note(200, 200) == "You have reached the limit of 200 characters."
    assert "the rest was not added" in limit_note(20_000, 20_000, cut=True)


# The one-pattern form the cleaning used before: right, but it backtracked over every long run
# of blanks without a line break (a pasted page of spaces froze the app for minutes).
_ONE_PATTERN = re.compile("[ \t]*(?:(?:\r\n|[\r\n\x0b\x0c\x85\u2028\u2029])[ \t]*)+")


@given(st.text(alphabet=st.sampled_from(list(" \t\r\n\x0bab\u2028")), max_size=60))
def test_one_line_cleaning_joins_lines_as_the_one_pattern_did(text: str) -> None:
    expected = _control_free(_ONE_PATTERN.sub(" ", text).replace("\t", " "))
    assert clean_text(text, multiline=False) == expected


def test_a_long_run_of_blanks_is_kept_as_spaces() -> None:
    text = " \t" * 50_000 + "end"
    assert clean_text(text, multiline=False) == " " * 100_000 + "end"


def _control_free(text: str) -> str:
    return re.sub("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]", "", text)
