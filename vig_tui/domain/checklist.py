"""The VIG service's checklist as data.

Everything the service says a request must show lives here, once: the wording
and help of the six criteria and the four considerations, the health visitor
age limit and the meeting rule. Screens, rules and exports all read this
definition, and each request records the version it was made under, so a
later change of wording never rewrites what a worker answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CriterionId(StrEnum):
    LACK_OF_WARMTH = "lack_of_warmth"
    NEGATIVE_RESPONSES = "negative_responses"
    CHILDS_VIEW = "childs_view"
    BONDING = "bonding"
    NEW_RELATIONSHIP = "new_relationship"
    OTHER_INTERVENTIONS = "other_interventions"


class ConsiderationId(StrEnum):
    ASSESSMENT = "assessment"
    OTHERS_AGREE = "others_agree"
    CHANGE_AGREED = "change_agreed"
    CHILD_IMPACT = "child_impact"


@dataclass(frozen=True)
class Criterion:
    id: CriterionId
    title: str
    help: str


@dataclass(frozen=True)
class Consideration:
    id: ConsiderationId
    question: str
    help: str


@dataclass(frozen=True)
class RetentionRules:
    """How long the service keeps a request, by how it ended (UK GDPR: no longer than needed).

    Periods run from the day the request reached that end: the decision for a request not
    accepted, the closure for closed work, the withdrawal for a withdrawn request, and the
    last change for a draft that was never sent.
    """

    not_accepted_years: int = 2
    withdrawn_years: int = 2
    closed_years: int = 6
    #: A draft untouched this long is flagged on Home as due for deletion soon ...
    draft_reminder_months: int = 5
    #: ... and this long may be deleted.
    draft_delete_months: int = 6


@dataclass(frozen=True)
class Checklist:
    """One version of the service's acceptance checklist."""

    version: str
    criteria: tuple[Criterion, ...]
    considerations: tuple[Consideration, ...]
    #: Health visitors may request VIG for children aged this many years or
    #: younger, that is, before the day after they turn one year older.
    health_visitor_max_age_years: int
    #: Allocation meetings fall on this weekday (Monday is 0) ...
    meeting_weekday: int
    #: ... in this week of the month (1 for the first).
    meeting_week_of_month: int
    #: A request must be sent at least this many days before a meeting to be
    #: considered at it (1: the day before still counts; the day itself does not).
    default_cutoff_days: int
    #: Children older than this (in years) get an advisory: VIG works best early.
    advisory_older_child_years: int
    service_name: str
    service_email: str
    service_phone: str
    request_route_hub_url: str
    retention: RetentionRules = RetentionRules()
    #: Where it came from: "built in", or the file a service installed.
    source: str = "built in"

    def criterion(self, criterion_id: CriterionId) -> Criterion:
        return next(c for c in self.criteria if c.id == criterion_id)

    def consideration(self, consideration_id: ConsiderationId) -> Consideration:
        return next(c for c in self.considerations if c.id == consideration_id)


CHECKLIST_2026_1 = Checklist(
    version="2026.1",
    criteria=(
        Criterion(
            CriterionId.LACK_OF_WARMTH,
            "A lack of emotional warmth in the relationship",
            "Describe what you have seen or been told that shows little warmth between "
            "the parent or carer and the child.",
        ),
        Criterion(
            CriterionId.NEGATIVE_RESPONSES,
            "A predominance of negative responses from the parent or carer to the child",
            "Describe how the parent or carer mostly responds to the child, with examples.",
        ),
        Criterion(
            CriterionId.CHILDS_VIEW,
            "The parent or carer is not able to see the world from the child's point of view",
            "Describe what shows the parent or carer finds it hard to understand the "
            "child's feelings, needs or intentions.",
        ),
        Criterion(
            CriterionId.BONDING,
            "The parent or carer has difficulty bonding with their baby, or missed the "
            "opportunity to bond with their child when younger",
            "Describe the difficulty with bonding, or what meant the chance to bond was missed.",
        ),
        Criterion(
            CriterionId.NEW_RELATIONSHIP,
            "The parent or carer is at the early stages of developing a relationship with "
            "the child and will benefit from support to do this",
            "For example a new foster, adoptive or kinship placement, or a parent newly back "
            "in the child's life. Say when the relationship began.",
        ),
        Criterion(
            CriterionId.OTHER_INTERVENTIONS,
            "The parent or carer needs support to put into practice their learning from "
            "another intervention",
            "Name the programme (for example Incredible Years, Triple P or Time Out) and "
            "describe what the parent or carer finds hard to put into practice.",
        ),
    ),
    considerations=(
        Consideration(
            ConsiderationId.ASSESSMENT,
            "Has the assessment you have done with the family or child indicated that VIG "
            "would be the appropriate intervention?",
            "Say which assessment, and make clear how it shows VIG is the right intervention.",
        ),
        Consideration(
            ConsiderationId.OTHERS_AGREE,
            "Have you discussed whether VIG would be appropriate with other people working "
            "with the family, and is everyone clear why VIG would help?",
            "Say who you discussed it with and what was agreed.",
        ),
        Consideration(
            ConsiderationId.CHANGE_AGREED,
            "What change is hoped for from the parent or carer, and has it been mutually agreed?",
            "Describe the change in the parent or carer's own terms if you can, and how it "
            "was agreed with them.",
        ),
        Consideration(
            ConsiderationId.CHILD_IMPACT,
            "What impact will this have on the child's lived experience, and is the parent "
            "or carer clear about this?",
            "Describe what would be different for the child day to day, and how the parent "
            "or carer understands this.",
        ),
    ),
    health_visitor_max_age_years=3,
    meeting_weekday=3,  # Thursday
    meeting_week_of_month=1,
    default_cutoff_days=1,
    advisory_older_child_years=11,
    service_name="Video Interaction Guidance (VIG) Service",
    service_email="vigservice@cornwall.gov.uk",
    service_phone="01209 614128",
    request_route_hub_url="www.cornwall.gov.uk/earlyhelphub",
)

#: Every version the app knows, so a request made under an older one still reads: the
#: built-in one, and those a service installed in its register (see :func:`register`).
CHECKLISTS: dict[str, Checklist] = {CHECKLIST_2026_1.version: CHECKLIST_2026_1}

#: The built-in checklist, the one in use until a service installs its own.
BUILT_IN_CHECKLIST = CHECKLIST_2026_1

_in_use: list[Checklist] = [CHECKLIST_2026_1]


def checklist_for(version: str) -> Checklist:
    """The checklist a request was made under (the one in use if unknown)."""
    return CHECKLISTS.get(version, _in_use[0])


def checklist_in_use() -> Checklist:
    """The checklist new requests are made under."""
    return _in_use[0]


def register(checklists: list[Checklist], in_use: str | None) -> None:
    """Make a register's installed checklists known, and put one in use (None: the built-in).

    Called when a database opens: requests made under any of them are then judged and shown
    by their own version, and new requests are stamped with the one in use.
    """
    for checklist in checklists:
        CHECKLISTS[checklist.version] = checklist
    _in_use[0] = CHECKLISTS[in_use] if in_use else CHECKLIST_2026_1
