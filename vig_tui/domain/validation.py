"""Format checks for single answers, as messages fit to show beside the field.

Each check returns ``None`` when the answer is fine and a plain sentence saying
what to do when it is not, in the GOV.UK manner: no "invalid", no "please".
An empty answer passes every format check: whether an answer is required is
the rules' business (:mod:`vig_tui.domain.rules`), so a screen and the rules
use the same words for the same problem.
"""

from __future__ import annotations

import re
from datetime import date

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
#: A UK number once spaces, dashes and brackets are gone: 0 then 9 or 10 digits.
_UK_NATIONAL = re.compile(r"^0\d{9,10}$")
_PHONE_CHARACTERS = re.compile(r"^\+?[\d\s()\-]+$")
_POSTCODE = re.compile(r"^(?:[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}|GIR0AA)$")

PHONE_EXAMPLES = "01632 960 001, 07700 900 982 or +44 808 157 0192"


def check_email(value: str, label: str = "an email address") -> str | None:
    """An email address such as name@example.com, or a message saying so.

    ``label`` names the answer in the message, e.g. "the case holder's email address".
    """
    text = value.strip()
    if not text:
        return None
    local, _, domain = text.rpartition("@")
    if (
        not _EMAIL.match(text)
        or len(text) > 254
        or len(local) > 64
        or ".." in text
        or local.startswith(".")
        or local.endswith(".")
        or domain.rsplit(".", 1)[-1].isdigit()
    ):
        return f"Enter {label} in the correct format, like name@example.com"
    return None


def check_phone(value: str, label: str = "a phone number") -> str | None:
    """A UK phone number (spaces, dashes, brackets and +44 allowed), or a message."""
    text = value.strip()
    if not text:
        return None
    if normalise_phone(text) is None:
        return f"Enter {label}, like {PHONE_EXAMPLES}"
    return None


def normalise_phone(value: str) -> str | None:
    """The national form of a UK number ('01209614128'), or None if it is not one.

    '+44 1209 614128', '+44 (0)1209 614128', '0044 1209 614128' and
    '01209 614128' all give '01209614128'.
    """
    text = value.strip()
    if not _PHONE_CHARACTERS.match(text) or text.count("+") > 1:
        return None
    international = text.startswith(("+44", "0044"))
    if text.startswith("+") and not text.startswith("+44"):
        return None
    digits = re.sub(r"\D", "", text)
    if international:
        digits = digits[2:] if text.startswith("+") else digits[4:]
        digits = digits.removeprefix("0") if "(0)" in text.replace(" ", "") else digits
        if digits.startswith("0"):
            return None
        digits = "0" + digits
    return digits if _UK_NATIONAL.match(digits) else None


def check_postcode(value: str) -> str | None:
    """A UK postcode such as TR15 3AB (any case, any spacing), or a message."""
    if not value.strip():
        return None
    if normalise_postcode(value) is None:
        return "Enter a real postcode, like TR15 3AB"
    return None


def normalise_postcode(value: str) -> str | None:
    """'tr153ab' -> 'TR15 3AB'; None if it is not a UK postcode."""
    compact = re.sub(r"\s+", "", value).upper()
    if not _POSTCODE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


def check_date_not_future(value: date | None, label: str, today: date) -> str | None:
    """'Date of birth must be in the past' when the date is after ``today``.

    Today itself is allowed (a baby born today, a request agreed today).
    """
    if value is not None and value > today:
        return f"{label} must be in the past"
    return None


def check_required(value: str | None, message: str) -> str | None:
    """``message`` when a text answer is empty or only spaces, otherwise None."""
    if value is None or not value.strip():
        return message
    return None
