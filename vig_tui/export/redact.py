"""Redaction: a request fit to share beyond the allocation meeting.

A redacted request keeps what the meeting weighs (the evidence, the answers,
the professionals involved) and loses what identifies or locates the family:

* the child's and carers' names become their initials, in the name fields and
  wherever the full name, a first name or a surname appears in free text;
* addresses, postcodes, the child's setting, and every phone number and email
  address (the referrer's and case holder's too) are blanked, and any that
  appear in free text are replaced with a marker.

Name parts are matched as written (capitalised) so "Will" is removed but the
word "will" is not; full names are matched in any case. Nicknames and
misspellings cannot be caught: a redacted pack still needs a human read before
it leaves the service. The result is still a valid
:class:`~vig_tui.domain.models.VigRequest`, so a redacted JSON pack imports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..domain.models import VigRequest, initials

ADDRESS_REMOVED = "[address removed]"
POSTCODE_REMOVED = "[postcode removed]"
PHONE_REMOVED = "[phone removed]"
EMAIL_REMOVED = "[email removed]"

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_POSTCODE = re.compile(r"(?<![\w])(?:GIR\s*0AA|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})(?![\w])", re.I)
#: UK numbers: 0 or +44 then digits with spaces, dashes, dots or brackets.
_PHONE = re.compile(r"(?<![\w-])(?:\(?\+44\)?|\(?0)[\d\s().-]{8,}\d(?![\w])")


_INITIALS = re.compile(r"(?:[^\W\d_]\.)+")


def initials_of(name: str) -> str:
    """Initials for ``name``, which may already be initials (a redacted name).

    :func:`~vig_tui.domain.models.initials` reads "A.R.T." as one word and
    gives "A.", so a redacted name is kept as it is.
    """
    name = name.strip()
    return name if _INITIALS.fullmatch(name) else initials(name)


def _phone(match: re.Match[str]) -> str:
    digits = sum(ch.isdigit() for ch in match.group())
    return PHONE_REMOVED if 10 <= digits <= 13 else match.group()


def _bounded(value: str) -> str:
    return rf"(?<![\w]){re.escape(value)}(?![\w])"


def _alternation(values: Iterable[str]) -> str:
    return "|".join(_bounded(v) for v in sorted(set(values), key=len, reverse=True))


class Redactor:
    """Scrubs free text written about one request."""

    def __init__(self, request: VigRequest) -> None:
        people = [request.child.name, *(carer.name for carer in request.carers)]
        full: dict[str, str] = {}
        parts: dict[str, str] = {}
        for name in people:
            name = " ".join(name.split())
            if not name:
                continue
            short = initials_of(name)
            full.setdefault(name.casefold(), short)
            words = name.split()
            for part in [*words, *(piece for word in words for piece in word.split("-"))]:
                if len(part) > 1:
                    # The first person named (the child) wins a shared surname.
                    parts.setdefault(part, short)
                    parts.setdefault(part.upper(), short)
        self._full = full
        self._parts = parts
        self._full_re = re.compile(_alternation(full), re.I) if full else None
        # Hyphenated names ("Penrose-Hall") are matched whole before their parts.
        self._parts_re = re.compile(_alternation(parts)) if parts else None

        exact: dict[str, str] = {}
        addresses = [request.child.address, *(carer.address for carer in request.carers)]
        for address in addresses:
            for piece in [address, *re.split(r"[,\n]", address)]:
                piece = piece.strip()
                if len(piece) >= 4:
                    exact.setdefault(piece.casefold(), ADDRESS_REMOVED)
        if setting := request.child.setting.strip():
            exact.setdefault(setting.casefold(), ADDRESS_REMOVED)
        referrer, holder, carers = request.referrer, request.case_holder, request.carers
        for email in (referrer.email, holder.email, *(carer.email for carer in carers)):
            if email.strip():
                exact[email.strip().casefold()] = EMAIL_REMOVED
        for phone in (referrer.phone, holder.phone, *(carer.phone for carer in carers)):
            if phone.strip():
                exact[phone.strip().casefold()] = PHONE_REMOVED
        if request.child.postcode.strip():
            exact[request.child.postcode.strip().casefold()] = POSTCODE_REMOVED
        self._exact = exact
        self._exact_re = re.compile(_alternation(exact), re.I) if exact else None

    def text(self, value: str) -> str:
        """``value`` with the family's names, contacts and addresses taken out."""
        if not value:
            return value
        if self._exact_re:
            value = self._exact_re.sub(lambda m: self._exact[m.group().casefold()], value)
        value = _EMAIL.sub(EMAIL_REMOVED, value)
        value = _PHONE.sub(_phone, value)
        value = _POSTCODE.sub(POSTCODE_REMOVED, value)
        if self._full_re:
            value = self._full_re.sub(lambda m: self._full[m.group().casefold()], value)
        if self._parts_re:
            value = self._parts_re.sub(lambda m: self._parts[m.group()], value)
        return value


def redact_request(request: VigRequest) -> VigRequest:
    """A redacted copy of ``request``; the original is not changed."""
    scrub = Redactor(request).text
    data = request.model_dump()

    child = data["child"]
    child.update(name=initials_of(request.child.name), address="", postcode="", setting="")
    for carer in data["carers"]:
        carer.update(
            name=initials_of(carer["name"]),
            relationship_other=scrub(carer["relationship_other"]),
            phone="",
            email="",
            address="",
        )
    for contact in (data["referrer"], data["case_holder"]):
        contact.update(phone="", email="")
    for item in data["evidence"].values():
        item.update(
            evidence=scrub(item["evidence"]), other_programme=scrub(item["other_programme"])
        )
    for answer in data["considerations"].values():
        answer["explanation"] = scrub(answer["explanation"])
    data["interpreter_language"] = scrub(data["interpreter_language"])
    data["notes"] = scrub(data["notes"])
    for entry in data["history"]:
        entry.update(summary=scrub(entry["summary"]), reason=scrub(entry["reason"]))
    for decision in data["decisions"]:
        for key in ("reason", "note", "information_needed", "information_from"):
            decision[key] = scrub(decision[key])
    return VigRequest.model_validate(data)
