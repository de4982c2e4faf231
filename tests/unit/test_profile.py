"""The worker's profile and machine id: kept owner-only; shown and set by `vig-tui profile`."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from vig_tui.cli import main
from vig_tui.preferences import load_preferences, preferences_path
from vig_tui.profile import Profile, actor, os_login, profile_problems


def test_the_machine_id_is_made_once_and_kept(no_profile: Path) -> None:
    first = load_preferences()
    assert stat.S_IMODE(os.stat(no_profile).st_mode) == 0o600
    assert load_preferences().machine_id == first.machine_id
    assert first.profile is None


def test_profile_sets_and_shows(capsys: pytest.CaptureFixture[str], no_profile: Path) -> None:
    assert main(["profile"]) == 0
    assert "No profile yet" in capsys.readouterr().out
    code = main(
        ["profile", "--name", "Ann Kitto", "--role", "health_visitor", "--email", "a@example.org"]
    )
    assert code == 0
    assert "Name:    Ann Kitto" in capsys.readouterr().out
    assert main(["profile", "--team", "Truro HV", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["profile"] == {
        "name": "Ann Kitto",
        "role": "health_visitor",
        "team": "Truro HV",
        "phone": "",
        "email": "a@example.org",
    }
    assert shown["user"] == os_login()
    assert shown["machine"] == load_preferences().machine_id
    assert stat.S_IMODE(os.stat(preferences_path()).st_mode) == 0o600


def test_a_bad_profile_is_refused_and_nothing_changes(capsys: pytest.CaptureFixture[str]) -> None:
    before = preferences_path().read_bytes()
    assert main(["profile", "--email", "not an address"]) == 2
    assert "Enter your email address in the correct format" in capsys.readouterr().err
    assert preferences_path().read_bytes() == before


def test_problems_name_each_field() -> None:
    assert profile_problems(Profile()) == {"name": "Enter your name", "role": "Choose your role"}
    assert profile_problems(Profile(name="A", role="social_worker")) == {}
    assert "phone" in profile_problems(Profile(name="A", role="social_worker", phone="12"))


def test_the_actor_is_the_profile_the_login_and_the_machine() -> None:
    preferences = load_preferences()
    who = actor(preferences)
    assert (who.name, who.role, who.user, who.machine) == (
        "Tess Tester",
        "Health visitor",
        os_login(),
        preferences.machine_id,
    )


def test_the_coordinator_is_a_role_of_its_own_and_makes_no_referrer_of_them(
    capsys: pytest.CaptureFixture[str], no_profile: Path
) -> None:
    from vig_tui.service import start_request

    code = main(["profile", "--name", "Cora Ordinator", "--role", "vig_coordinator"])
    assert code == 0, capsys.readouterr().err
    preferences = load_preferences()
    assert preferences.profile is not None
    assert profile_problems(preferences.profile) == {}
    # Their changes are stamped with the service's own role, not a referrer's.
    assert actor(preferences).role == "VIG coordinator"
    # A request they start has their name in "About you" but no referrer's role.
    request = start_request(actor(preferences), preferences.profile)
    assert request.referrer.name == "Cora Ordinator"
    assert request.referrer.role is None
