"""The example checklist in docs/ is one the app accepts, and says what it claims."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from vig_tui.cli import main
from vig_tui.domain.checklist_file import checklist_from_toml
from vig_tui.domain.retention import retention_of
from vig_tui.domain.vocabulary import RequestStatus
from vig_tui.tools.gallery import example_request

EXAMPLE = Path(__file__).parents[2] / "docs" / "checklist-example.toml"


def test_the_example_checklist_passes_the_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checklist", "check", str(EXAMPLE)]) == 0
    assert "aged 4 and under" in capsys.readouterr().out


def test_its_retention_periods_are_the_ones_its_comments_describe() -> None:
    checklist = checklist_from_toml(EXAMPLE.read_text(), source=str(EXAMPLE))
    rules = checklist.retention
    assert (rules.not_accepted_years, rules.withdrawn_years, rules.closed_years) == (1, 1, 7)
    assert (rules.draft_reminder_months, rules.draft_delete_months) == (2, 3)
    request = example_request()
    request.status = RequestStatus.CLOSED
    request.work.closed_on = date(2027, 3, 1)
    assert retention_of(request, date(2034, 2, 28), rules) is None
    assert retention_of(request, date(2034, 3, 1), rules) is not None
