"""What a meeting pack says, worded once for every format.

The Markdown and HTML renderers lay out the same :class:`Part` lists, and the
CSV renderer uses the same phrases, so the formats cannot drift apart. All
text here is plain: each renderer escapes it for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..domain.answers import answer, difficulty_identified
from ..domain.checklist import CriterionId, checklist_for
from ..domain.dates import format_date
from ..domain.fields import Kind, label_for, paths_in, pattern_of, section_fields
from ..domain.models import (
    Carer,
    Decision,
    DecisionOutcome,
    Programme,
    RouteKind,
    VigRequest,
)
from ..domain.rules import Finding, Section
from ..domain.wording import plural
from ..domain.work import consent_summary
from .pack import MeetingPack, PackEntry
from .redact import initials_of

NOT_PROVIDED = "Not provided"
NOT_ANSWERED = "Not answered"
WITHHELD = "Withheld (redacted)"
REDACTION_NOTICE = (
    "Redacted: children and carers are shown by their initials and the professionals around "
    "the family by role and team; dates of birth (the age is shown), addresses, postcodes, "
    "settings, Early Help Hub references, phone numbers and email addresses are removed, "
    "here and in the free text. Check it before sharing: misspelt names cannot be caught."
)


@dataclass(frozen=True)
class Item:
    """One labelled answer in a section of the pack."""

    label: str
    text: str = ""
    #: Free text (evidence, explanations): shown as a paragraph of its own.
    long: bool = False
    #: A line left empty, for writing on in the meeting.
    blank: bool = False
    #: A blocking finding: rendered so it stands out.
    warning: bool = False


@dataclass(frozen=True)
class Part:
    """A headed section of one request's pages."""

    heading: str
    items: tuple[Item, ...]
    #: Said instead when there are no items.
    empty: str = ""


def long_date(value: date) -> str:
    """'Thursday 5 March 2026'."""
    return f"{value:%A} {format_date(value)}"


def title(pack: MeetingPack) -> str:
    return f"VIG allocation meeting pack: {long_date(pack.meeting_date)}"


def cover_lines(pack: MeetingPack) -> list[str]:
    """The sentences under the title: when, how many, anything unusual."""
    count = len(pack.entries)
    lines = [
        f"Allocation meeting on {long_date(pack.meeting_date)}.",
        f"{plural(count, 'request')} to consider. Pack made on {format_date(pack.generated_on)}.",
    ]
    if pack.moved:
        lines.append(
            f"This meeting was moved from its usual day, {long_date(pack.scheduled)}, "
            f"to {long_date(pack.meeting_date)}."
        )
    if pack.bank_holiday:
        proposed = f"; {long_date(pack.proposed)} is proposed" if pack.proposed else ""
        lines.append(
            f"{long_date(pack.scheduled)} is a bank holiday ({pack.bank_holiday}) "
            f"and the meeting has not been moved{proposed}."
        )
    if pack.decided:
        lines.append(f"Decisions recorded for {pack.decided} of {count}.")
    return lines


def reference(request: VigRequest) -> str:
    return request.reference or "No reference yet"


def child_initials(request: VigRequest) -> str:
    return initials_of(request.child.name) or "No name"


def order_line(entry: PackEntry) -> str:
    """A request's line in the cover's suggested order."""
    request = entry.request
    line = (
        f"{reference(request)} · {child_initials(request)} · "
        f"{entry.suggestion.priority.label} priority"
    )
    notes = []
    if entry.carried_forward:
        notes.append("carried forward")
    if blocking := len(entry.blocking):
        notes.append(plural(blocking, "blocking finding"))
    if entry.decision is not None:
        notes.append(f"decided: {entry.decision.outcome.label}")
    return f"{line} ({', '.join(notes)})" if notes else line


def entry_heading(number: int, entry: PackEntry) -> str:
    request = entry.request
    return f"{number}. {reference(request)} · {child_initials(request)}"


def yes_no(value: bool | None) -> str:
    return NOT_ANSWERED if value is None else ("Yes" if value else "No")


def or_missing(value: str) -> str:
    return value.strip() or NOT_PROVIDED


def child_name(request: VigRequest) -> str:
    child = request.child
    if not child.name:
        return NOT_PROVIDED
    short = initials_of(child.name)
    return child.name if child.name == short else f"{child.name} ({short})"


def date_of_birth(request: VigRequest) -> str:
    return format_date(request.child.date_of_birth)


def person_name(pack: MeetingPack, name: str) -> str:
    """A professional's name, or that it was withheld from a redacted pack."""
    return WITHHELD if pack.redacted else or_missing(name)


def relationship(carer: Carer) -> str:
    if carer.relationship is None:
        return "relationship not given"
    label = carer.relationship.label
    return f"{label}: {carer.relationship_other}" if carer.relationship_other else label


def carer_line(carer: Carer) -> str:
    lives = {True: ", lives with the child", False: ", does not live with the child", None: ""}
    return (
        f"{carer.name or 'Name not given'} ({relationship(carer)}){lives[carer.lives_with_child]}"
    )


def referrer_line(request: VigRequest) -> str:
    referrer = request.referrer
    role = referrer.role.label if referrer.role else ""
    return ", ".join(part for part in (referrer.name, role, referrer.team) if part) or NOT_PROVIDED


def route_line(request: VigRequest, *, redacted: bool = False) -> str:
    route = request.route
    if route.kind is None:
        return NOT_ANSWERED
    if route.kind is RouteKind.EARLY_HELP_HUB:
        if redacted:
            return f"{route.kind.label} (reference withheld)"
        ref = route.hub_reference or "reference not given"
        return f"{route.kind.label}, reference {ref}"
    if redacted:
        manager = "a team manager (name withheld)"
    else:
        manager = route.team_manager or "a team manager (name not given)"
    when = f" on {format_date(route.agreed_on)}" if route.agreed_on else ""
    return f"Case management decision agreed by {manager}{when}"


def case_holder_line(request: VigRequest) -> str:
    holder = request.case_holder
    if holder.exists is False:
        return "None: the family has no case holder"
    if holder.exists is None and not holder.name:
        return NOT_ANSWERED
    role = holder.role.label if holder.role else ""
    return ", ".join(part for part in (holder.name, role, holder.team) if part) or NOT_PROVIDED


def criteria_titles(request: VigRequest) -> list[str]:
    checklist = checklist_for(request.checklist_version)
    return [checklist.criterion(c).title for c in request.evidenced_criteria]


def programmes(request: VigRequest) -> str:
    evidence = request.criterion(CriterionId.OTHER_INTERVENTIONS)
    names = [p.label for p in evidence.programmes if p is not Programme.OTHER]
    if evidence.other_programme or Programme.OTHER in evidence.programmes:
        names.append(evidence.other_programme or Programme.OTHER.label)
    return ", ".join(names)


def severity_label(finding: Finding) -> str:
    return finding.severity.value.capitalize()


def finding_text(finding: Finding) -> str:
    if finding.next_steps:
        return f"{finding.message} Next steps: {finding.next_steps}"
    return finding.message


def finding_line(finding: Finding) -> str:
    return f"{severity_label(finding)}: {finding_text(finding)}"


def decision_outcome(decision: Decision) -> str:
    if decision.outcome is DecisionOutcome.NOT_ACCEPTED and decision.not_accepted_reason:
        return f"{decision.outcome.label}: {decision.not_accepted_reason.label}"
    return decision.outcome.label


def decision_note(decision: Decision) -> str:
    """The decision's reason and notes, and for more information what and from whom."""
    parts = [decision.reason, decision.note]
    if decision.information_needed:
        source = f" (from {decision.information_from})" if decision.information_from else ""
        parts.append(f"Information needed{source}: {decision.information_needed}")
    return "\n\n".join(p for p in parts if p)


#: The questions (domain.fields paths) the parts below show in their own words.
#: Any other question is listed after them under its own label, so a question
#: added to the form reaches the pack without a change here.
PACK_SHOWS = frozenset(
    {
        *(f"referrer.{name}" for name in ("name", "role", "team", "phone", "email")),
        *(f"route.{name}" for name in ("kind", "hub_reference", "team_manager", "agreed_on")),
        *(
            f"child.{name}"
            for name in ("name", "date_of_birth", "gender", "first_language", "setting")
        ),
        # The meeting does not need the family's address or phone numbers.
        "child.address",
        "child.postcode",
        "carers.*.phone",
        *(f"carers.*.{name}" for name in ("name", "relationship", "relationship_other")),
        "carers.*.lives_with_child",
        *(f"case_holder.{name}" for name in ("exists", "name", "role", "team", "phone", "email")),
        *(
            f"evidence.{criterion.value}.{name}"
            for criterion in CriterionId
            for name in ("ticked", "evidence", "programmes", "other_programme")
        ),
        "difficulty_identified_on",
        "considerations",
        "carer_agrees",
        "interpreter_needed",
        "interpreter_language",
        "notes",
    }
)

#: The part of a request's pages each task-list section's other answers join.
_PART_OF = {
    Section.REFERRER: "The referrer",
    Section.ROUTE: "How the request was agreed",
    Section.CHILD_FAMILY: "The child and family",
    Section.CASE_HOLDER: "The case holder",
    Section.EVIDENCE: "The evidence",
    Section.BEFORE_YOU_SEND: "Before the request was sent",
}


def _shown_by_the_pack(path: str) -> bool:
    pattern = pattern_of(path)
    return pattern in PACK_SHOWS or pattern.split(".")[0] in PACK_SHOWS


def other_answers(pack: MeetingPack, request: VigRequest, section: Section) -> list[Item]:
    """The section's answers the pack's own wording does not cover, each under its label."""
    items = []
    questions = section_fields(section, request.checklist_version)
    for definition, path in paths_in(questions, request):
        if definition.container or _shown_by_the_pack(path):
            continue
        text = answer(request, definition, path, pack.generated_on)
        items.append(
            Item(label_for(path, request, own=False), text, long=definition.kind is Kind.LONG_TEXT)
        )
    return items


def _with_other_answers(pack: MeetingPack, request: VigRequest, parts: list[Part]) -> list[Part]:
    for section, heading in _PART_OF.items():
        extra = other_answers(pack, request, section)
        for index, part in enumerate(parts):
            if extra and part.heading == heading:
                parts[index] = Part(part.heading, (*part.items, *extra), part.empty)
    return parts


def entry_parts(pack: MeetingPack, entry: PackEntry) -> list[Part]:
    """Every section of one request's pages, in the order the meeting reads them."""
    request = entry.request
    parts = [
        _request_part(entry),
        _child_part(pack, entry),
        _referrer_part(pack, request),
        Part(
            "How the request was agreed",
            (Item("Route", route_line(request, redacted=pack.redacted)),),
        ),
        _case_holder_part(pack, request),
        _evidence_part(request),
        _before_sending_part(request),
        Part(
            "Findings",
            tuple(
                Item(severity_label(f), finding_text(f), warning=f.blocking)
                for f in (*entry.blocking, *entry.advisory)
            ),
            empty="No findings: the request is complete and meets the service's rules.",
        ),
        Part(
            "Suggested priority",
            (
                Item("Suggested priority", entry.suggestion.priority.label),
                *(Item("Reason", reason) for reason in entry.suggestion.reasons),
            ),
        ),
        _decision_part(entry),
    ]
    return _with_other_answers(pack, request, parts)


def _request_part(entry: PackEntry) -> Part:
    request = entry.request
    items = [
        Item("Reference", reference(request)),
        Item("Status", request.status.label),
        Item("Sent on", format_date(request.submitted_on)),
    ]
    if entry.carried_from is not None:
        text = f"From the meeting on {format_date(entry.carried_from)}"
        if previous := entry.previous_decision:
            if previous.meeting != entry.carried_from:
                text += f"; last considered on {format_date(previous.meeting)}"
            text += f": {decision_outcome(previous)}"
            if note := decision_note(previous):
                text += f" ({note})"
        items.append(Item("Carried forward", text))
    if request.notes:
        items.append(Item("Notes", request.notes, long=True))
    return Part("The request", tuple(items))


def _child_part(pack: MeetingPack, entry: PackEntry) -> Part:
    request = entry.request
    child = request.child
    items = [Item("Child", child_name(request))]
    if not pack.redacted:
        items.append(Item("Date of birth", date_of_birth(request)))
    items.append(Item("Age at the meeting", entry.child_age))
    if child.gender:
        items.append(Item("Gender", child.gender))
    if child.first_language:
        items.append(Item("First language", child.first_language))
    if child.setting and not pack.redacted:
        items.append(Item("Setting", child.setting))
    if identified := difficulty_identified(request):
        if request.difficulty_identified_in_pregnancy:
            identified += " (during pregnancy)"
        items.append(Item("Difficulty first identified", identified))
    for number, carer in enumerate(request.carers, start=1):
        items.append(Item(f"Carer {number}", carer_line(carer)))
    if not request.carers:
        items.append(Item("Carers", NOT_PROVIDED))
    return Part("The child and family", tuple(items))


def _referrer_part(pack: MeetingPack, request: VigRequest) -> Part:
    referrer = request.referrer
    items = [
        Item("Name", person_name(pack, referrer.name)),
        Item("Role", referrer.role.label if referrer.role else NOT_PROVIDED),
        Item("Team", or_missing(referrer.team)),
    ]
    if not pack.redacted:
        items += [
            Item("Phone", or_missing(referrer.phone)),
            Item("Email", or_missing(referrer.email)),
        ]
    return Part("The referrer", tuple(items))


def _case_holder_part(pack: MeetingPack, request: VigRequest) -> Part:
    holder = request.case_holder
    if holder.exists is not True:
        return Part("The case holder", (Item("Case holder", case_holder_line(request)),))
    items = [
        Item("Name", person_name(pack, holder.name)),
        Item("Role", holder.role.label if holder.role else NOT_PROVIDED),
        Item("Team", or_missing(holder.team)),
    ]
    if not pack.redacted:
        items += [Item("Phone", or_missing(holder.phone)), Item("Email", or_missing(holder.email))]
    return Part("The case holder", tuple(items))


def _evidence_part(request: VigRequest) -> Part:
    checklist = checklist_for(request.checklist_version)
    items = []
    for criterion_id in request.evidenced_criteria:
        evidence = request.criterion(criterion_id)
        text = evidence.evidence or "No evidence written"
        if criterion_id is CriterionId.OTHER_INTERVENTIONS:
            text = f"Programmes: {programmes(request) or NOT_PROVIDED}\n\n{text}"
        items.append(Item(checklist.criterion(criterion_id).title, text, long=True))
    return Part("The evidence", tuple(items), empty="No criteria ticked.")


def _before_sending_part(request: VigRequest) -> Part:
    checklist = checklist_for(request.checklist_version)
    items = []
    for consideration in checklist.considerations:
        answer = request.answer(consideration.id)
        said = answer.answer.label if answer.answer else NOT_ANSWERED
        text = f"{said}. {answer.explanation}" if answer.explanation else said
        items.append(Item(consideration.question, text, long=True))
    interpreter = yes_no(request.interpreter_needed)
    if request.interpreter_needed and request.interpreter_language:
        interpreter = f"Yes: {request.interpreter_language}"
    items.append(Item("Interpreter needed", interpreter))
    items.append(Item("The parent or carer agrees to the request", yes_no(request.carer_agrees)))
    # Yes or no only, so the redacted pack shows it too.
    items.append(Item("Consent recorded", consent_summary(request)))
    return Part("Before the request was sent", tuple(items))


def _decision_part(entry: PackEntry) -> Part:
    decision = entry.decision
    if decision is None:
        return Part(
            "Decision at this meeting",
            tuple(
                Item(label, blank=True)
                for label in ("Decision", "Practitioner", "Priority", "Notes")
            ),
        )
    items = [
        Item("Decision", decision_outcome(decision)),
        Item("Practitioner", decision.practitioner_name or "None"),
        Item("Priority", decision.priority.label if decision.priority else "None"),
    ]
    if note := decision_note(decision):
        items.append(Item("Notes", note, long=True))
    return Part("Decision at this meeting", tuple(items))
