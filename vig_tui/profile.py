"""The worker's profile (who they are) and this installation's machine id.

Kept in the user's settings file beside the theme (see :mod:`vig_tui.preferences`),
readable by its owner only. The profile prefills "About you" in every new
request and, with the OS login and the machine id, is stamped on every change
the worker makes (:func:`actor`). Plain dataclasses, so reading it costs the
first frame nothing.
"""

from __future__ import annotations

import getpass
import uuid
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .domain.history import Actor
    from .domain.models import CaseHolder
    from .preferences import Preferences

#: The most a profile answer may hold (the request's short answers hold the same).
PROFILE_LIMIT = 200


@dataclass
class Profile:
    name: str = ""
    #: A :class:`~vig_tui.domain.vocabulary.ReferrerRole` value ("health_visitor").
    role: str = ""
    team: str = ""
    phone: str = ""
    email: str = ""

    @classmethod
    def from_json(cls, data: Any) -> Profile | None:
        """The profile a settings file holds, or None when it holds none (or nonsense)."""
        if not isinstance(data, dict):
            return None
        known = {f.name for f in fields(cls)}
        values = {
            key: value.strip()[:PROFILE_LIMIT]
            for key, value in data.items()
            if key in known and isinstance(value, str)
        }
        profile = cls(**values)
        return profile if profile.name else None

    def to_json(self) -> dict[str, str]:
        return asdict(self)

    @property
    def role_label(self) -> str:
        from .domain.vocabulary import ReferrerRole

        try:
            return ReferrerRole(self.role).label
        except ValueError:
            return self.role

    @property
    def may_hold_cases(self) -> bool:
        """Can this worker be the case holder themselves (a named health visitor)?"""
        return self.role == "health_visitor"


def as_case_holder(profile: Profile) -> CaseHolder:
    """The worker as the family's named health visitor (only offered when
    :attr:`Profile.may_hold_cases`): their name, team and contact details."""
    from .domain.models import CaseHolder
    from .domain.vocabulary import CaseHolderRole

    return CaseHolder(
        exists=True,
        name=profile.name,
        role=CaseHolderRole.NAMED_HEALTH_VISITOR,
        team=profile.team,
        phone=profile.phone,
        email=profile.email,
    )


@dataclass(frozen=True)
class InstalledServiceKey:
    """The service's public key and details, installed from the file the service hands
    out (``vig-tui service-key install``): requests made here are then sent to the
    service as sealed files, to be attached to a secure email to ``email``."""

    public_key: str
    service_name: str
    email: str
    phone: str = ""
    #: ISO date it was installed.
    installed_on: str = ""

    @classmethod
    def from_json(cls, data: Any) -> InstalledServiceKey | None:
        """The key a settings file holds, or None when it holds none (or nonsense)."""
        if not isinstance(data, dict):
            return None
        values = {f.name: data.get(f.name, "") for f in fields(cls)}
        if not all(isinstance(value, str) for value in values.values()):
            return None
        if not values["public_key"].startswith("age1"):
            return None
        return cls(**values)

    def to_json(self) -> dict[str, str]:
        return asdict(self)


def new_machine_id() -> str:
    return str(uuid.uuid4())


def os_login() -> str:
    """The OS login, or a plain word when the environment does not say."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown login"


def actor(preferences: Preferences) -> Actor:
    """Who is making changes here: the profile's name and role, the OS login, the machine."""
    from .domain.history import Actor

    profile = preferences.profile
    login = os_login()
    return Actor(
        name=profile.name if profile is not None else f"{login} (no profile set)",
        role=profile.role_label if profile is not None else "",
        user=login,
        machine=preferences.machine_id,
    )


def profile_problems(profile: Profile) -> dict[str, str]:
    """What is missing or mistyped, keyed by the profile's field (the screen and CLI share it)."""
    from .domain.validation import check_email, check_phone
    from .domain.vocabulary import ReferrerRole

    problems: dict[str, str] = {}
    if not profile.name.strip():
        problems["name"] = "Enter your name"
    if profile.role not in {role.value for role in ReferrerRole}:
        problems["role"] = "Choose your role"
    for name, value in (
        ("name", profile.name),
        ("team", profile.team),
        ("phone", profile.phone),
        ("email", profile.email),
    ):
        if len(value) > PROFILE_LIMIT and name not in problems:
            problems[name] = f"Your {name} must be {PROFILE_LIMIT} characters or fewer"
    if "phone" not in problems and (message := check_phone(profile.phone, "your phone number")):
        problems["phone"] = message
    if "email" not in problems and (message := check_email(profile.email, "your email address")):
        problems["email"] = message
    return problems
