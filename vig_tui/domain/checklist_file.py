"""The service's checklist as a TOML file it edits: read, checked, written.

A service starts from the one in use (``vig-tui checklist show > ours.toml``),
changes the wording, the age limit, its contact details or how long records
are kept, checks it (``vig-tui checklist check ours.toml``: every problem with
its line and key) and installs it. The six criteria and four considerations
keep their ids (requests store answers under them); their wording is the
service's own.

The standard library reads TOML (:mod:`tomllib`); ``tomli-w`` writes it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

from .checklist import (
    Checklist,
    Consideration,
    ConsiderationId,
    Criterion,
    CriterionId,
    RetentionRules,
)
from .wording import plural

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
_HEADER = """\
# The VIG service's checklist: what a request must show, who may ask, when the
# allocation meeting is held, how to contact the service and how long records are kept.
# Change the wording and the numbers, give it a new version, then:
#   vig-tui checklist check FILE     (every problem, with its line)
#   vig-tui checklist install FILE   (new requests are made under it)
# The ids of the six criteria and four considerations stay as they are.

"""


@dataclass(frozen=True)
class ChecklistProblem:
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line else ""
        return f"{where}{self.key}: {self.message}"


class ChecklistError(ValueError):
    """A checklist file that cannot be used; ``problems`` says every reason."""

    def __init__(self, source: str, problems: list[ChecklistProblem]) -> None:
        self.source = source
        self.problems = problems
        listing = "\n  ".join(str(p) for p in problems)
        count = len(problems)
        super().__init__(f"{source}: {plural(count, 'problem')} in the checklist:\n  {listing}")


def checklist_to_toml(checklist: Checklist) -> str:
    """``checklist`` as a TOML file a service can edit and install."""
    import tomli_w

    data = {
        "version": checklist.version,
        "service": {
            "name": checklist.service_name,
            "email": checklist.service_email,
            "phone": checklist.service_phone,
            "request_route_hub_url": checklist.request_route_hub_url,
        },
        "eligibility": {
            "health_visitor_max_age_years": checklist.health_visitor_max_age_years,
            "advisory_older_child_years": checklist.advisory_older_child_years,
        },
        "meetings": {
            "weekday": WEEKDAYS[checklist.meeting_weekday],
            "week_of_month": checklist.meeting_week_of_month,
            "default_cutoff_days": checklist.default_cutoff_days,
        },
        "retention": {
            "not_accepted_years": checklist.retention.not_accepted_years,
            "withdrawn_years": checklist.retention.withdrawn_years,
            "closed_years": checklist.retention.closed_years,
            "draft_reminder_months": checklist.retention.draft_reminder_months,
            "draft_delete_months": checklist.retention.draft_delete_months,
        },
        "criteria": [
            {"id": c.id.value, "title": c.title, "help": c.help} for c in checklist.criteria
        ],
        "considerations": [
            {"id": c.id.value, "question": c.question, "help": c.help}
            for c in checklist.considerations
        ],
    }
    return _HEADER + tomli_w.dumps(data, multiline_strings=False)


def checklist_from_toml(text: str, *, source: str = "the checklist") -> Checklist:
    """The checklist a TOML file describes; :class:`ChecklistError` naming every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None) or _line_from_message(str(error))
        raise ChecklistError(source, [ChecklistProblem(line, "(file)", str(error))]) from None
    problems: list[ChecklistProblem] = []
    reader = _Reader(text, data, problems)
    checklist = reader.checklist(source)
    if problems or checklist is None:
        raise ChecklistError(source, problems)
    return checklist


def _line_from_message(message: str) -> int | None:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else None


class _Reader:
    """Reads the parsed TOML, noting each problem with the line it is on."""

    def __init__(self, text: str, data: dict[str, Any], problems: list[ChecklistProblem]):
        self.lines = text.splitlines()
        self.data = data
        self.problems = problems

    # Where things are in the file

    def _line(self, table: str | None, key: str | None, index: int | None = None) -> int | None:
        """The line of ``key`` in ``[table]`` (or the ``index``-th ``[[table]]``)."""
        start = 0
        if table is not None:
            header = re.compile(
                rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]"
                if index is not None
                else rf"^\s*\[\s*{re.escape(table)}\s*\]"
            )
            seen = -1
            for number, line in enumerate(self.lines):
                if header.match(line):
                    seen += 1
                    if index is None or seen == index:
                        start = number
                        break
            else:
                return None
            if key is None:
                return start + 1
        pattern = re.compile(rf"^\s*{re.escape(key or '')}\s*=")
        for number in range(start + (1 if table else 0), len(self.lines)):
            line = self.lines[number]
            if table and re.match(r"^\s*\[", line):
                break
            if not table and re.match(r"^\s*\[", line):
                break
            if pattern.match(line):
                return number + 1
        return start + 1 if table else None

    def problem(self, table: str | None, key: str, message: str, index: int | None = None):
        name = ".".join(part for part in (table, key) if part)
        if index is not None:
            name = f"{table}[{index + 1}].{key}"
        self.problems.append(ChecklistProblem(self._line(table, key, index), name, message))

    # Values

    def table(self, name: str) -> dict[str, Any]:
        value = self.data.get(name)
        if isinstance(value, dict):
            return value
        self.problems.append(
            ChecklistProblem(
                None, f"[{name}]", "is missing" if value is None else "should be a table"
            )
        )
        return {}

    def text(self, table: dict[str, Any], where: str | None, key: str, index=None) -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            self.problem(
                where, key, "should be some text" if value is not None else "is missing", index
            )
            return ""
        if len(value) > 2_000:
            self.problem(where, key, "is longer than 2,000 characters", index)
        return value.strip()

    def number(self, table: dict[str, Any], where: str, key: str, low: int, high: int) -> int:
        value = table.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(
                where, key, "should be a whole number" if value is not None else "is missing"
            )
            return low
        if not low <= value <= high:
            self.problem(where, key, f"should be from {low} to {high}, not {value}")
            return low
        return value

    def unknown_keys(self, table: dict[str, Any], where: str | None, known: set[str]) -> None:
        for key in table:
            if key not in known:
                self.problem(
                    where, key, f"is not a checklist setting (known: {', '.join(sorted(known))})"
                )

    # The whole checklist

    def checklist(self, source: str) -> Checklist | None:
        top = {
            "version",
            "service",
            "eligibility",
            "meetings",
            "retention",
            "criteria",
            "considerations",
        }
        self.unknown_keys(self.data, None, top)
        version = self.data.get("version")
        if not isinstance(version, str) or not _VERSION.fullmatch(version):
            self.problem(
                None,
                "version",
                'should be a short name such as "2027.1" (letters, digits, dots, dashes; up to 40)',
            )
            version = ""
        service = self.table("service")
        self.unknown_keys(service, "service", {"name", "email", "phone", "request_route_hub_url"})
        eligibility = self.table("eligibility")
        self.unknown_keys(
            eligibility,
            "eligibility",
            {"health_visitor_max_age_years", "advisory_older_child_years"},
        )
        meetings = self.table("meetings")
        self.unknown_keys(meetings, "meetings", {"weekday", "week_of_month", "default_cutoff_days"})
        retention = self.table("retention")
        self.unknown_keys(
            retention,
            "retention",
            {
                "not_accepted_years",
                "withdrawn_years",
                "closed_years",
                "draft_reminder_months",
                "draft_delete_months",
            },
        )
        weekday_name = meetings.get("weekday")
        if weekday_name not in WEEKDAYS:
            self.problem("meetings", "weekday", f"should be one of {', '.join(WEEKDAYS)}")
            weekday = 3
        else:
            weekday = WEEKDAYS.index(weekday_name)
        rules = RetentionRules(
            not_accepted_years=self.number(retention, "retention", "not_accepted_years", 0, 100),
            withdrawn_years=self.number(retention, "retention", "withdrawn_years", 0, 100),
            closed_years=self.number(retention, "retention", "closed_years", 0, 100),
            draft_reminder_months=self.number(
                retention, "retention", "draft_reminder_months", 1, 120
            ),
            draft_delete_months=self.number(retention, "retention", "draft_delete_months", 1, 120),
        )
        if rules.draft_reminder_months > rules.draft_delete_months:
            self.problem(
                "retention",
                "draft_reminder_months",
                "should not be later than draft_delete_months (the reminder comes first)",
            )
        criteria = self.items("criteria", CriterionId, "title")
        considerations = self.items("considerations", ConsiderationId, "question")
        checklist = Checklist(
            version=version,
            criteria=tuple(Criterion(CriterionId(i), t, h) for i, t, h in criteria),
            considerations=tuple(
                Consideration(ConsiderationId(i), q, h) for i, q, h in considerations
            ),
            health_visitor_max_age_years=self.number(
                eligibility, "eligibility", "health_visitor_max_age_years", 0, 18
            ),
            advisory_older_child_years=self.number(
                eligibility, "eligibility", "advisory_older_child_years", 0, 25
            ),
            meeting_weekday=weekday,
            meeting_week_of_month=self.number(meetings, "meetings", "week_of_month", 1, 4),
            default_cutoff_days=self.number(meetings, "meetings", "default_cutoff_days", 0, 60),
            service_name=self.text(service, "service", "name"),
            service_email=self.text(service, "service", "email"),
            service_phone=self.text(service, "service", "phone"),
            request_route_hub_url=self.text(service, "service", "request_route_hub_url"),
            retention=rules,
            source=source,
        )
        return None if self.problems else checklist

    def items(self, name: str, ids: Any, wording: str) -> list[tuple[str, str, str]]:
        """The ``[[name]]`` entries: each id once, every id there, with its wording and help."""
        entries = self.data.get(name)
        expected = [member.value for member in ids]
        if not isinstance(entries, list):
            self.problems.append(
                ChecklistProblem(
                    None, f"[[{name}]]", f"is missing: give one for each of {', '.join(expected)}"
                )
            )
            return []
        found: list[tuple[str, str, str]] = []
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                self.problem(name, "id", "should be a table", index)
                continue
            self.unknown_keys(entry, name, {"id", wording, "help"})
            item_id = entry.get("id")
            if not isinstance(item_id, str) or item_id not in expected:
                self.problem(name, "id", f"should be one of {', '.join(expected)}", index)
                continue
            if any(item_id == seen for seen, _, _ in found):
                self.problem(name, "id", f"{item_id} is given twice", index)
                continue
            found.append(
                (
                    item_id,
                    self.text(entry, name, wording, index),
                    self.text(entry, name, "help", index),
                )
            )
        missing = [i for i in expected if i not in {seen for seen, _, _ in found}]
        if missing:
            self.problems.append(
                ChecklistProblem(
                    self._line(name, None, 0), f"[[{name}]]", f"has none for {', '.join(missing)}"
                )
            )
        return found
