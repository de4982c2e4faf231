"""argparse's own error messages, in the app's plain words (no "invalid", no "unrecognized")."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vig_tui.cli import main
from vig_tui.cli_parser import plain_words


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["profile", "--role", "nurse"], ["'nurse' is not one of the choices", "health_visitor"]),
        (["list", "--status", "lost"], ["'lost' is not one of the choices", "in_progress"]),
        (["settings", "--cutoff-days", "two"], ["'two' is not a whole number"]),
        (["list", "--colour"], ["vig-tui does not know --colour here (see --help)"]),
        (["audit", "mend"], ["'mend' is not one of the choices", "verify"]),
    ],
)
def test_a_mistyped_command_line_is_told_in_plain_words(
    capsys: pytest.CaptureFixture[str], argv: list[str], said: list[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid" not in err.lower() and "unrecognized" not in err, err
    for words in said:
        assert words in err, err
    assert err.startswith("usage: vig-tui")  # the usage still comes first


TYPED = st.text(st.characters(blacklist_characters="()", blacklist_categories=("Cs",)), min_size=1)


@given(TYPED, st.lists(TYPED, min_size=1, max_size=6))
def test_any_choice_message_is_reworded_keeping_the_value_and_the_choices(
    value: str, choices: list[str]
) -> None:
    listed = ", ".join(repr(c) for c in choices)
    message = f"argument --role: invalid choice: {value!r} (choose from {listed})"
    assert plain_words(message) == (
        f"argument --role: {value!r} is not one of the choices: use one of {listed}"
    )
