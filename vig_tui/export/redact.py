"""Redaction: a request fit to share beyond the allocation meeting.

A redacted request keeps what the meeting weighs (the evidence, the answers,
the findings, the suggested priority, the child's age) and loses what
identifies or locates the family. The rule, for every format:

* the child and the carers are shown by their initials;
* the professionals around the family (the referrer, the case holder and the
  team manager who agreed the request) are shown by role and team only, never
  by name, phone or email: in a small service their names point at the family;
* the child's date of birth is dropped (packs show the age in years and
  months instead); addresses, postcodes, the child's setting and the Early Help
  Hub reference are dropped; phone numbers and email addresses are dropped;
* every string in the request (evidence, explanations, notes, history,
  decisions, and any field added later) is scrubbed of all of the above:
  names in any case ("declan", "DECLAN"), with either apostrophe
  ("O'Brien", "O’Brien", "OBrien"), hyphenated parts, possessives and the
  common nicknames of the family's first names (from the curated ``nicknames``
  dataset: "William" also removes "Will", "Bill" and "Billy"); every run of
  nine or more digits however it is spaced or bracketed, which covers UK phone
  numbers in any written form ("+44 (0)1209 614128", "0044 7700 900123", no
  leading 0) and NHS numbers, and a shorter number after a word such as "tel"
  or "mobile"; email addresses; postcodes in any case and spacing; street
  addresses ("14 Chapel St.", "Flat 2, 14 ...", "Rose Cottages") and the
  pieces of the family's own addresses.

(Google's libphonenumber was tried for the phone numbers: its strict matcher
misses numbers in unallocated or reserved ranges and its lenient one takes
years and dates for numbers; counting digits removes every phone number and
leaves dates alone.)

A name that is also an everyday word ("Will", "Hope", "May") is removed only
where it is written with a capital, so the word "will" survives. Misspelt
names cannot be caught: a redacted pack still wants a human read before it
leaves the service. The VIG service's own practitioners are not redacted.

A redacted request is still a valid :class:`~vig_tui.domain.models.VigRequest`
(so every renderer can lay it out), but a redacted JSON pack says it is
redacted and ``vig-tui import`` refuses it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from enum import Enum
from functools import cache
from typing import Any

from pydantic import ValidationError

from ..domain.models import VigRequest, initials

ADDRESS_REMOVED = "[address removed]"
POSTCODE_REMOVED = "[postcode removed]"
PHONE_REMOVED = "[phone removed]"
EMAIL_REMOVED = "[email removed]"
REFERENCE_REMOVED = "[reference removed]"
DATE_OF_BIRTH_REMOVED = "[date of birth removed]"
REFERRER = "[referrer]"
CASE_HOLDER = "[case holder]"
TEAM_MANAGER = "[team manager]"

#: Keys whose strings are identifiers of the record itself, never free text.
_PROTECTED_KEYS = frozenset({"reference", "checklist_version", "hash", "previous_hash"})

_APOSTROPHES = "'’‘`´ʼ"
_APOSTROPHE = f"[{_APOSTROPHES}]"
_EMAIL = re.compile(r"[\w.+'’-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*\.\s*[\w-]+)+", re.I)
_POSTCODE = re.compile(
    r"(?<![\w])(?:GIR[\s-]*0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[\s-]{0,3}[0-9][A-Z]{2})(?![\w])", re.I
)
#: Nine or more digits with spaces, dots, dashes or brackets between them: phone
#: numbers libphonenumber could not place, NHS numbers, bank details.
_LONG_NUMBER = re.compile(r"(?<![\w])\+?\(?\d(?:[\s().-]{0,3}\d){8,}(?![\w])")

_STREET_TYPES = {
    "street": ("st",),
    "road": ("rd",),
    "lane": ("ln",),
    "avenue": ("ave", "av"),
    "close": ("cl",),
    "drive": ("dr",),
    "way": (),
    "terrace": ("terr", "ter"),
    "crescent": ("cres", "cresc"),
    "place": ("pl",),
    "court": ("ct",),
    "gardens": ("gdns",),
    "hill": (),
    "row": (),
    "square": ("sq",),
    "grove": ("gr",),
    "park": ("pk",),
    "mews": (),
    "walk": (),
    "parade": ("pde",),
    "rise": (),
    "view": (),
    "green": (),
    "estate": ("est",),
    "cottages": (),
    "cottage": (),
    "farm": (),
    "lodge": (),
    "barn": (),
    "house": (),
    "flats": (),
    "villas": (),
}
_STREET_WORD = (
    "(?:"
    + "|".join(
        sorted(
            (re.escape(word) for words in _STREET_TYPES.items() for word in (words[0], *words[1])),
            key=len,
            reverse=True,
        )
    )
    + r")\.?"
)
#: Words that start ordinary phrases, never a street's name ("2 years in the house").
_NOT_A_STREET_NAME = (
    r"(?:the|a|an|in|at|of|on|to|by|with|and|or|for|from|her|his|their|our|my|your|this|that|"
    r"years?|months?|weeks?|days?|hours?|minutes?|times?|visits?|sessions?)"
)
_STREET_NAME_WORD = rf"(?!{_NOT_A_STREET_NAME}(?![\w]))[\w'’-]+"
_CAPITALISED_WORD = rf"(?!(?i:{_NOT_A_STREET_NAME})(?![\w]))[A-Z][\w'’-]*"
_ADDRESS_PATTERNS = (
    # "Flat 2", "Apartment 4B", "Unit 3"
    re.compile(r"(?<![\w])(?:flat|apartment|apt|unit)\.?\s*\d+[A-Za-z]?(?![\w])", re.I),
    # "14 Chapel Street", "14a, chapel st.", "221B Baker St"
    re.compile(
        rf"(?<![\w])\d+[A-Za-z]?,?\s+(?:{_STREET_NAME_WORD}\s+){{1,3}}{_STREET_WORD}(?![\w])",
        re.I,
    ),
    # "Chapel Street", "Rose Cottages", "Trelawney House": capitalised words, capitalised type
    re.compile(
        rf"(?<![\w])(?:{_CAPITALISED_WORD}\s+){{1,3}}"
        rf"(?:{'|'.join(t.capitalize() for t in _STREET_TYPES)})\.?(?![\w])"
    ),
)

#: Names that are also everyday words: matched only when written with a capital.
_EVERYDAY_WORDS = frozenset(
    """
    will bill may june april august art bell belle grace hope faith joy rose ruby pearl
    amber jade ivy holly heather daisy lily iris dawn eve sky summer autumn river rain
    mark pat sue sunny rich ray frank dean ken rob max chase hunter miles wade reed rod
    drew guy jay lee bud penny patience honor honour star angel buddy don nan willy
    """.split()
)


def initials_of(name: str) -> str:
    """Initials for ``name``, which may already be initials (a redacted name).

    :func:`~vig_tui.domain.models.initials` reads "A.R.T." as one word and
    gives "A.", so a redacted name is kept as it is.
    """
    name = name.strip()
    return name if _INITIALS.fullmatch(name) else initials(name)


_INITIALS = re.compile(r"(?:[^\W\d_]\.)+")


def _fold(text: str) -> str:
    """``text`` without accents: "Zoë" -> "Zoe"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _nicknamer() -> Any:
    from nicknames import NickNamer

    return NickNamer()


def _variants_of_first_name(name: str) -> set[str]:
    namer = _nicknamer()
    key = name.casefold()
    return {*namer.nicknames_of(key), *namer.canonicals_of(key)}


def _accented_letters() -> dict[str, str]:
    """Each plain letter with the accented Latin letters that fold to it: "e" -> "eéèêë…"."""
    groups: dict[str, str] = {}
    for code in range(0xC0, 0x250):
        letter = chr(code)
        base = _fold(letter).casefold()
        if len(base) == 1 and base.isascii() and base.isalpha():
            groups[base] = groups.get(base, base) + letter
    return groups


_ACCENTED = _accented_letters()


def _word_pattern(word: str, *, capital: bool = False, capitals: bool = False) -> str:
    """A word however it is written: either apostrophe or none, with or without accents,
    in any case; or only ``capital``ised ("Will") or only in ``capitals`` ("WILL")."""
    pieces = []
    for position, ch in enumerate(_fold(word)):
        if ch in _APOSTROPHES:
            pieces.append(f"{_APOSTROPHE}?\\s?")
        elif ch == "-":
            pieces.append(r"[\s-]?")
        elif ch.isalpha():
            letters = _ACCENTED.get(ch.casefold(), ch.casefold())
            upper_only = capitals or (capital and position == 0)
            pieces.append(f"[{letters.upper()}]" if upper_only else f"[{letters}{letters.upper()}]")
        else:
            pieces.append(re.escape(ch))
    return "".join(pieces)


def _phrase_pattern(text: str) -> str:
    """Several words, with any spacing or punctuation between them."""
    words = re.findall(r"[\w'’‘`´ʼ-]+", text)
    return r"[\s,.]*".join(_word_pattern(word) for word in words)


def _bounded(pattern: str) -> str:
    return rf"(?<![\w]){pattern}(?![\w])"


class _Names:
    """The names to take out, each with what it becomes, as one regular expression."""

    def __init__(self) -> None:
        self._any_case: dict[str, str] = {}
        self._capitalised: dict[str, str] = {}

    def add(self, text: str, replacement: str, *, everyday_words_too: bool = True) -> None:
        key = _fold(text).casefold()
        if len(key) < 2:
            return
        if everyday_words_too or key not in _EVERYDAY_WORDS:
            self._any_case.setdefault(key, replacement)
        else:
            self._capitalised.setdefault(key, replacement)

    def add_person(self, name: str, replacement: str) -> None:
        """A person's full name, each part of it, and the nicknames of the first."""
        name = " ".join(name.split())
        if not name or _INITIALS.fullmatch(name):
            return
        self.add(name, replacement)
        words = name.split()
        parts = {*words, *(piece for word in words for piece in re.split(r"[-]", word))}
        for part in parts:
            self.add(part, replacement, everyday_words_too=False)
            # "O'Brien" is also written "OBrien" and "O Brien"; "Brien" alone is left
            # to the apostrophe-tolerant pattern of the whole part.
        for variant in _variants_of_first_name(words[0]):
            self.add(variant, replacement, everyday_words_too=False)

    def compile(self) -> Callable[[str], str] | None:
        if not self._any_case and not self._capitalised:
            return None
        table = {**self._capitalised, **self._any_case}
        alternatives = []
        for key in sorted(table, key=len, reverse=True):
            if key in self._any_case:
                alternatives.append(_bounded(_phrase_pattern(key)))
            else:
                # An everyday word: capitalised or in capitals ("Will", "WILL"), not "will".
                capital = _word_pattern(key, capital=True)
                capitals = _word_pattern(key, capitals=True)
                alternatives.append(_bounded(f"(?:{capital}|{capitals})"))
        pattern = re.compile("|".join(alternatives))
        compact = {re.sub(r"[\W_]+", "", k): v for k, v in table.items()}

        def replace(match: re.Match[str]) -> str:
            found = re.sub(r"[\W_]+", "", _fold(match.group()).casefold())
            return compact.get(found, "[name removed]")

        return lambda text: pattern.sub(replace, text)


#: A shorter number that is said to be a phone number: "tel 614128", "mobile: 7946 0000".
_CALLED_NUMBER = re.compile(
    r"(?<![\w])((?:tel|telephone|phone|mobile|mob|landline|number|no|call|ring|text)\.?:?\s*)"
    r"\+?\(?\d(?:[\s().-]{0,3}\d){5,}(?![\w])",
    re.I,
)


_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def _date_pattern(day: date) -> re.Pattern[str]:
    """``day`` as people write it: 14/6/2025, 14.06.25, 2025-06-14, 14th June 2025, Jun 14, 2025."""
    d, m = rf"0?{day.day}", rf"0?{day.month}"
    y = rf"(?:{day.year}|{day.year % 100:02d})"
    name = _MONTHS[day.month - 1]
    month = rf"(?:{name}|{name[:3]}|Sept)\.?" if day.month == 9 else rf"(?:{name}|{name[:3]})\.?"
    suffix = r"(?:st|nd|rd|th)?"
    forms = (
        rf"{d}\s*[./-]\s*{m}\s*[./-]\s*{y}",
        rf"{day.year}\s*[./-]\s*{m}\s*[./-]\s*{d}",
        rf"{d}{suffix}\s+(?:of\s+)?{month},?\s+{y}",
        rf"{month}\s+{d}{suffix},?\s+{y}",
    )
    return re.compile("|".join(_bounded(form) for form in forms), re.I)


class Redactor:
    """Scrubs free text written about one request."""

    def __init__(self, request: VigRequest) -> None:
        born = request.child.date_of_birth
        self._born = _date_pattern(born) if born else None
        names = _Names()
        for person in (request.child.name, *(carer.name for carer in request.carers)):
            names.add_person(person, initials_of(person) or "[name removed]")
        names.add_person(request.case_holder.name, CASE_HOLDER)
        names.add_person(request.route.team_manager, TEAM_MANAGER)
        names.add_person(request.referrer.name, REFERRER)
        self._names = names.compile()

        exact: dict[str, str] = {}
        addresses = [request.child.address, *(carer.address for carer in request.carers)]
        for address in addresses:
            # The whole address and each line of it that could find the house: a town
            # or county on its own ("Redruth") identifies nobody and stays.
            for piece in [address, *re.split(r"[,\n]", address)]:
                piece = piece.strip()
                if len(piece) >= 4 and (len(piece.split()) > 1 or re.search(r"\d", piece)):
                    exact.setdefault(piece, ADDRESS_REMOVED)
        if setting := request.child.setting.strip():
            exact.setdefault(setting, ADDRESS_REMOVED)
        if hub := request.route.hub_reference.strip():
            exact.setdefault(hub, REFERENCE_REMOVED)
        referrer, holder, carers = request.referrer, request.case_holder, request.carers
        for email in (referrer.email, holder.email, *(carer.email for carer in carers)):
            if email.strip():
                exact.setdefault(email.strip(), EMAIL_REMOVED)
        if request.child.postcode.strip():
            exact.setdefault(request.child.postcode.strip(), POSTCODE_REMOVED)
        self._exact = {_fold(k).casefold(): v for k, v in exact.items()}
        self._exact_re = (
            re.compile(
                "|".join(
                    _bounded(f"(?i:{_phrase_pattern(k)})")
                    for k in sorted(exact, key=len, reverse=True)
                    if re.search(r"\w", k)
                )
            )
            if exact
            else None
        )

    def _exact_replacement(self, match: re.Match[str]) -> str:
        found = _fold(match.group()).casefold()
        if found in self._exact:
            return self._exact[found]
        squeezed = re.sub(r"[\W_]+", "", found)
        for key, value in self._exact.items():
            if re.sub(r"[\W_]+", "", key) == squeezed:
                return value
        return ADDRESS_REMOVED

    def text(self, value: str) -> str:
        """``value`` with the family's names, contacts and addresses taken out."""
        if not value:
            return value
        if self._born:
            value = self._born.sub(DATE_OF_BIRTH_REMOVED, value)
        if self._exact_re:
            value = self._exact_re.sub(self._exact_replacement, value)
        value = _EMAIL.sub(EMAIL_REMOVED, value)
        value = _POSTCODE.sub(POSTCODE_REMOVED, value)
        value = _LONG_NUMBER.sub(PHONE_REMOVED, value)
        value = _CALLED_NUMBER.sub(lambda m: m.group(1) + PHONE_REMOVED, value)
        for pattern in _ADDRESS_PATTERNS:
            value = pattern.sub(ADDRESS_REMOVED, value)
        if self._names:
            value = self._names(value)
        return value


def _scrub_strings(data: Any, scrub: Callable[[str], str], key: str = "") -> Any:
    """Every free-text string inside ``data`` (a model dump), scrubbed."""
    if isinstance(data, Enum) or key in _PROTECTED_KEYS:
        return data
    if isinstance(data, str):
        return scrub(data)
    if isinstance(data, dict):
        return {k: _scrub_strings(v, scrub, str(k)) for k, v in data.items()}
    if isinstance(data, list):
        return [_scrub_strings(v, scrub, key) for v in data]
    return data


def _validated(data: dict[str, Any]) -> VigRequest:
    """The redacted request, cutting any text the markers made too long for its field."""
    for _attempt in range(5):
        try:
            return VigRequest.model_validate(data)
        except ValidationError as error:
            too_long = [e for e in error.errors() if e["type"] == "string_too_long"]
            if len(too_long) != len(error.errors()):
                raise
            for problem in too_long:
                limit = int(problem["ctx"]["max_length"])
                *parents, last = problem["loc"]
                holder: Any = data
                for part in parents:
                    holder = holder[part]
                holder[last] = holder[last][: limit - 1].rstrip() + "…"
    return VigRequest.model_validate(data)


def redact_request(request: VigRequest) -> VigRequest:
    """A redacted copy of ``request``; the original is not changed."""
    scrub = Redactor(request).text
    data = request.model_dump()

    data["child"].update(
        name=initials_of(request.child.name),
        date_of_birth=None,
        address="",
        postcode="",
        setting="",
    )
    for carer in data["carers"]:
        carer.update(name=initials_of(carer["name"]), phone="", email="", address="")
    for contact in (data["referrer"], data["case_holder"]):
        contact.update(name="", phone="", email="")
    data["route"].update(hub_reference="", team_manager="")
    if data.get("sent_by_file"):
        # The service's own address, but an email address all the same: redacted means none.
        data["sent_by_file"].update(to="")
    if data.get("received"):
        # Who sent it by file: by role only, as history entries are.
        received = data["received"]
        received.update(sender_name=received.get("sender_role") or "", sender_email="")
        received.update(sender_phone="")
    for conflict in data.get("conflicts") or ():
        conflict.update(ours_by="", theirs_by="")
        path = conflict["path"]
        if _IDENTIFYING_ANSWERS.match(path) or re.fullmatch(r"carers\.[^.]+", path):
            for side in ("base", "ours", "theirs"):
                if conflict[side] not in (None, ""):
                    conflict[side] = VALUE_REMOVED
    for entry in data["history"]:
        _redact_entry(entry)
    data = _scrub_strings(data, scrub)
    return _validated(data)


#: Answers that identify or locate someone: a history entry's old and new values of
#: these are removed whole (an old spelling of a name is not known to the scrubber).
_IDENTIFYING_ANSWERS = re.compile(
    r"^(child\.(name|date_of_birth|address|postcode|setting)"
    r"|carers\.[^.]+\.(name|phone|email|address)"
    r"|(referrer|case_holder)\.(name|phone|email)"
    r"|route\.(hub_reference|team_manager)|reference)$"
)
VALUE_REMOVED = "[removed]"


def _redact_entry(entry: dict[str, Any]) -> None:
    """A history entry's worker by role only (no name, login or machine), and the
    old and new values of identifying answers removed."""
    who = entry["who"]
    entry["who"] = {
        "name": who.get("role") or "Worker",
        "role": who.get("role", ""),
        "user": "",
        "machine": "",
    }
    for change in entry["changes"]:
        if _IDENTIFYING_ANSWERS.match(str(change["field"])):
            change.update(old=VALUE_REMOVED, new=VALUE_REMOVED)
