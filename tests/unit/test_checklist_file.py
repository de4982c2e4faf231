"""The checklist as a TOML file a service edits: shown, checked by line and key, installed,
and each request judged by the version it was made under."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest

from vig_tui.cli import main
from vig_tui.domain.checklist import (
    BUILT_IN_CHECKLIST,
    checklist_for,
    checklist_in_use,
    register,
)
from vig_tui.domain.checklist_file import (
    ChecklistError,
    checklist_from_toml,
    checklist_to_toml,
)
from vig_tui.domain.models import ReferrerRole, VigRequest
from vig_tui.domain.rules import evaluate
from vig_tui.store import Store, StoreError
from vig_tui.tools.gallery import example_request

TODAY = date(2026, 11, 30)
BONDS = 'id = "bonds"'


def four_and_under(version: str = "2027.1") -> str:
    """The built-in checklist, as a service would edit it: health visitors up to 4."""
    text = checklist_to_toml(BUILT_IN_CHECKLIST)
    text = text.replace('version = "2026.1"', f'version = "{version}"')
    return text.replace("health_visitor_max_age_years = 3", "health_visitor_max_age_years = 4")


def test_the_built_in_checklist_survives_a_round_trip_through_toml() -> None:
    parsed = checklist_from_toml(checklist_to_toml(BUILT_IN_CHECKLIST))
    assert dataclasses.replace(parsed, source=BUILT_IN_CHECKLIST.source) == BUILT_IN_CHECKLIST


def problems_of(text: str) -> list[str]:
    with pytest.raises(ChecklistError) as caught:
        checklist_from_toml(text, source="ours.toml")
    return [str(problem) for problem in caught.value.problems]


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if fragment in line)


def test_every_problem_is_named_with_its_line_and_key() -> None:
    text = checklist_to_toml(BUILT_IN_CHECKLIST)
    text = text.replace("health_visitor_max_age_years = 3", 'health_visitor_max_age_years = "4"')
    text = text.replace('weekday = "Thursday"', 'weekday = "Thurs"')
    text = text.replace('id = "bonding"', 'id = "bonds"')
    text = text.replace("[service]", "[service]\ncolour = 1")
    text = text.replace("draft_reminder_months = 5", "draft_reminder_months = 9")
    problems = problems_of(text)
    assert f"line {line_of(text, 'health_visitor_max_age_years')}, " in " ".join(problems)
    expected = {
        f"line {line_of(text, 'health_visitor_max_age_years')}, "
        "eligibility.health_visitor_max_age_years: should be a whole number",
        f"line {line_of(text, 'weekday =')}, meetings.weekday: should be one of Monday, "
        "Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday",
        f"line {line_of(text, 'colour')}, service.colour: is not a checklist setting "
        "(known: email, name, phone, request_route_hub_url)",
        f"line {line_of(text, BONDS)}, criteria[4].id: should be one of "
        "lack_of_warmth, negative_responses, childs_view, bonding, new_relationship, "
        "other_interventions",
        f"line {line_of(text, 'draft_reminder_months')}, retention.draft_reminder_months: "
        "should not be later than draft_delete_months (the reminder comes first)",
    }
    assert expected <= set(problems)
    assert any("[[criteria]]: has none for bonding" in p for p in problems)


def test_a_file_that_is_not_toml_says_where() -> None:
    problems = problems_of('version = "2027.1"\n[service\nname = "x"\n')
    assert problems[0].startswith("line 2, (file): ")


def test_missing_tables_and_a_bad_version_are_named() -> None:
    problems = problems_of('version = "has spaces"\n')
    assert any("version: should be a short name" in p for p in problems)
    for table in ("[service]", "[eligibility]", "[meetings]", "[retention]"):
        assert f"{table}: is missing" in problems
    assert any(p.startswith("[[criteria]]: is missing") for p in problems)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_show_check_and_install_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "service.json")
    code, shown, _ = run(capsys, "checklist", "show", "--db", db)
    assert code == 0 and 'version = "2026.1"' in shown
    ours = tmp_path / "ours.toml"
    ours.write_text(four_and_under(), encoding="utf-8")

    code, out, _ = run(capsys, "checklist", "check", str(ours))
    assert code == 0 and "version 2027.1" in out and "aged 4 and under" in out

    broken = tmp_path / "broken.toml"
    broken.write_text(four_and_under().replace('weekday = "Thursday"', "weekday = 3"))
    code, _, err = run(capsys, "checklist", "check", str(broken))
    assert code == 1 and f"line {line_of(broken.read_text(), 'weekday')}, meetings.weekday" in err

    code, out, _ = run(capsys, "checklist", "install", str(ours), "--db", db)
    assert code == 0 and "version 2027.1 is in use" in out
    # Installed by a named service command: the ledger says which version, and who.
    from vig_tui.domain.history import Action
    from vig_tui.store import Store

    with Store.open(Path(db), read_only=True) as store:
        installed = store.ledger()[-1]
    assert installed.action == Action.CHECKLIST_INSTALLED
    assert "2027.1" in installed.summary and installed.who.user
    assert [(c.old, c.new) for c in installed.changes] == [(None, "2027.1")]
    code, shown, _ = run(capsys, "checklist", "show", "--db", db)
    assert 'version = "2027.1"' in shown and "health_visitor_max_age_years = 4" in shown
    code, older, _ = run(capsys, "checklist", "show", "--version", "2026.1", "--db", db)
    assert code == 0 and "health_visitor_max_age_years = 3" in older

    # A version is never changed once installed: requests made under it are judged by it.
    ours.write_text(four_and_under().replace("01209 614128", "01209 000000"), encoding="utf-8")
    code, _, err = run(capsys, "checklist", "install", str(ours), "--db", db)
    assert code == 1 and "already installed as version 2027.1" in err
    code, _, err = run(capsys, "checklist", "install", str(broken), "--db", db)
    assert code == 1 and "meetings.weekday" in err


def health_visitors_request(born: date, **versions: str) -> dict[str, object]:
    request = example_request(role=ReferrerRole.HEALTH_VISITOR)
    request.child.date_of_birth = born
    document = request.model_dump(mode="json")
    del document["checklist_version"]  # made now: under the checklist in use
    document.update(versions)
    return document


def test_four_and_under_accepts_a_child_who_turned_four_today_and_not_five(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "service.json")
    Store.open(Path(db)).close()
    ours = tmp_path / "ours.toml"
    ours.write_text(four_and_under(), encoding="utf-8")
    turned_four = date(2022, 11, 30)
    turned_five = date(2021, 11, 30)
    requests = tmp_path / "requests.json"

    def check(document: dict[str, object]) -> tuple[int, str]:
        requests.write_text(json.dumps([document]), encoding="utf-8")
        code, out, _ = run(capsys, "check", str(requests), "--on", "30/11/2026", "--db", db)
        return code, out

    # Before the service installs it, a health visitor's request for a 4-year-old is refused.
    code, out = check(health_visitors_request(turned_four))
    assert code == 1 and "aged 3 and under" in out
    assert run(capsys, "checklist", "install", str(ours), "--db", db)[0] == 0

    code, out = check(health_visitors_request(turned_four))
    assert code == 0, out
    code, out = check(health_visitors_request(turned_five))
    assert code == 1 and "aged 4 and under" in out
    # A request made under the earlier version is still judged by it.
    code, out = check(health_visitors_request(turned_four, checklist_version="2026.1"))
    assert code == 1 and "aged 3 and under" in out


def test_new_requests_carry_the_version_in_use_and_keep_it(tmp_path: Path) -> None:
    path = tmp_path / "service.json"
    with Store.open(path) as store:
        before = store.save(VigRequest(), base_version=None)
        store.install_checklist("2027.1", four_and_under())
        assert checklist_in_use().version == "2027.1"
        after = store.save(VigRequest(), base_version=None)
    assert (before.checklist_version, after.checklist_version) == ("2026.1", "2027.1")
    with Store.open(path, read_only=True) as store:
        assert store.checklist_version == "2027.1"
        assert set(store.installed_checklists()) == {"2027.1"}
        assert checklist_for("2027.1").health_visitor_max_age_years == 4
        early = example_request(role=ReferrerRole.HEALTH_VISITOR)
        early.child.date_of_birth = date(2022, 11, 30)
        early.checklist_version = "2026.1"
        assert "health_visitor_child_too_old" in {f.code for f in evaluate(early, TODAY)}
        early.checklist_version = "2027.1"
        assert "health_visitor_child_too_old" not in {f.code for f in evaluate(early, TODAY)}


def test_a_register_without_a_checklist_puts_the_built_in_one_back(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.json") as store:
        store.install_checklist("2027.1", four_and_under())
    with Store.open(tmp_path / "b.json"):
        assert checklist_in_use() is BUILT_IN_CHECKLIST


def test_every_backend_keeps_the_installed_checklists_and_puts_them_in_use(backend) -> None:
    with backend.open() as repository:
        assert repository.installed_checklists() == {}
        assert repository.checklist_version is None
        repository.install_checklist("2027.1", four_and_under())
        repository.install_checklist("2027.1", four_and_under())  # the same again: fine
        with pytest.raises(StoreError, match=r"already installed as version 2027\.1"):
            repository.install_checklist("2027.1", four_and_under().replace("01209", "01736"))
    register([], None)
    with backend.open() as repository:
        assert repository.checklist_version == "2027.1"
        assert checklist_in_use().health_visitor_max_age_years == 4
        assert VigRequest().checklist_version == "2027.1"
