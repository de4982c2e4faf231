"""Every question a request asks, declared once.

The question pages are generated from :data:`FIELDS`, and Check your answers,
the request page, the meeting pack, correction notes and the history's labels
all read the same entries: a question's words, hint, kind and whether it may
be skipped are written here and nowhere else. Limits are not written at all:
a text's ``max_length`` and a choice's options are read from the pydantic
model (:mod:`vig_tui.domain.models`), so the page cannot allow what a save
would refuse. Adding a question is one entry here plus its model field.

Paths
-----
A path names one answer of a :class:`~vig_tui.domain.models.VigRequest`, as
its dotted model attributes (the same paths the rules' findings carry):

* plain answers: ``"child.name"``, ``"referrer.role"``, ``"route.agreed_on"``,
  ``"difficulty_identified_on"``, ``"notes"``;
* parents and carers by their stable id (``Carer.id``, a UUID written as
  ``str(uuid)``): ``"carers.0b5c…-…-….name"``; ``"carers.<id>"`` is the
  whole carer and ``"carers"`` the list. Removing carer 1 leaves carer 2's
  paths as they were;
* evidence and considerations by the checklist's ids:
  ``"evidence.bonding.ticked"``, ``"evidence.bonding.evidence"``,
  ``"evidence.other_interventions.programmes"``,
  ``"considerations.assessment.answer"``,
  ``"considerations.assessment.explanation"``.

In :data:`FIELDS` a carer's questions are written with ``*`` for the id
(``"carers.*.name"``); :func:`field` finds the entry for either form.

:func:`label_for` gives the words a person reads for a path, for history
entries and correction notes: ``label_for("child.name")`` is "The child's
full name"; ``label_for("carers.<id>.name", request)`` is "Parent or carer 2:
name" (the carer's place in ``request``; "Parent or carer: name" without it).
"""

from __future__ import annotations

import types
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum, StrEnum
from functools import cache
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .checklist import BUILT_IN_CHECKLIST, Checklist, CriterionId, checklist_for, checklist_in_use
from .dates import format_date
from .models import Carer, CarerRelationship, Programme, RouteKind, VigRequest
from .rules import IN_PREGNANCY_LABEL, Section

#: The stand-in for a list item's id in :data:`FIELDS` paths.
ANY_ITEM = "*"


class Kind(StrEnum):
    """How a question is answered (and so which widget a page gives it)."""

    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    DATE = "date"
    #: A date, or only a month and year: then held as the month's first day, with the
    #: field's ``month_only`` path set True (so it is shown back as the month).
    MONTH = "month"
    #: One of an enum's members.
    CHOICE = "choice"
    YES_NO = "yes_no"
    #: A single box to tick (a bool).
    TICK = "tick"
    #: Any of an enum's members (a list).
    TICKS = "ticks"
    #: Repeated items (parents and carers): the questions under it are asked for each.
    LIST = "list"
    #: A question whose answers are the questions under it (the evidence criteria).
    GROUP = "group"


@dataclass(frozen=True)
class When:
    """A question asked only when another answer has a value (or, for ticks, includes it).

    ``path`` is written like the question's own; in a list item, ``*`` means
    the same item.
    """

    path: str
    value: object

    def holds(self, answer: object) -> bool:
        if isinstance(answer, list):
            return self.value in answer
        return answer is self.value or (
            not isinstance(answer, bool) and answer is not None and answer == self.value
        )


@dataclass(frozen=True)
class Field:
    """One question."""

    path: str
    label: str
    section: Section
    kind: Kind
    hint: str = ""
    #: May be left unanswered ("(optional)" after the label).
    optional: bool = False
    #: The label where answers are listed (Check your answers, packs, history), if
    #: the question's own words read badly there.
    short: str = ""
    #: The label where the request is shown to someone other than the referrer filling
    #: it in (the request page, a correction, packs, the history), if the question
    #: speaks to the referrer: "Referrer's name" for "Your name".
    to_others: str = ""
    #: One of two answers either of which will do (a phone number or an email).
    optional_with: str = ""
    #: Asked only when this holds (and the question it looks at is itself asked).
    when: When | None = None
    #: How a date's error names it ("The date the request was agreed must be a real date").
    error_name: str = ""
    #: For a list: what one item is called ("Parent or carer").
    item: str = ""
    #: For a MONTH question: the path of the flag saying only the month was given.
    month_only: str = ""

    @property
    def summary_label(self) -> str:
        return self.short or self.label

    def listed_label(self, *, own: bool) -> str:
        """The label where answers are listed: the referrer's own words on their draft
        (``own``), the third person's (:attr:`to_others`) wherever the request is shown."""
        return self.summary_label if own else self.to_others or self.summary_label

    @property
    def page_label(self) -> str:
        """The label on the question page, marked "(optional)" when it may be skipped."""
        return f"{self.label} (optional)" if self.optional else self.label

    @property
    def parent(self) -> str:
        return self.path.rpartition(".")[0]

    @property
    def in_list(self) -> bool:
        return ANY_ITEM in self.path.split(".")

    @property
    def container(self) -> bool:
        return self.kind in (Kind.LIST, Kind.GROUP)

    def at(self, item_id: object) -> str:
        """The question's path for one list item: ``carers.*.name`` -> ``carers.<id>.name``."""
        return self.path.replace(ANY_ITEM, str(item_id), 1)

    @property
    def model_field(self) -> FieldInfo:
        return _model_field(self.path)[1]

    @property
    def max_length(self) -> int | None:
        """The longest text the model accepts (from its StringConstraints), or None."""
        for constraint in self.model_field.metadata:
            limit = getattr(constraint, "max_length", None)
            if limit is not None:
                return int(limit)
        return None

    @property
    def choices(self) -> tuple[tuple[str, object], ...]:
        """(label, value) for each option of a choice or set of ticks, from the model's enum."""
        if self.kind is Kind.YES_NO:
            return (("Yes", True), ("No", False))
        enum = _enum_of(_model_field(self.path)[0])
        if enum is None:
            return ()
        return tuple((getattr(member, "label", str(member.value)), member) for member in enum)


def _optional_args(annotation: Any) -> tuple[Any, ...]:
    if get_origin(annotation) in (Union, types.UnionType):
        return tuple(a for a in get_args(annotation) if a is not type(None))
    return (annotation,)


def _enum_of(annotation: Any) -> type[Enum] | None:
    for candidate in _optional_args(annotation):
        if get_origin(candidate) is list:
            candidate = get_args(candidate)[0]
        if isinstance(candidate, type) and issubclass(candidate, Enum):
            return candidate
    return None


@cache
def _model_field(path: str) -> tuple[Any, FieldInfo]:
    """The annotation and pydantic field that hold the answer at ``path``.

    Raises KeyError when the path names no model field.
    """
    annotation: Any = VigRequest
    info: FieldInfo | None = None
    for part in path.split("."):
        origin = get_origin(annotation)
        if origin is list:
            annotation = get_args(annotation)[0]
            continue
        if origin is dict:
            key_type, annotation = get_args(annotation)
            try:
                key_type(part)
            except ValueError:
                raise KeyError(path) from None
            continue
        model = _optional_args(annotation)[0]
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            raise KeyError(path)
        if part not in model.model_fields:
            raise KeyError(path)
        info = model.model_fields[part]
        annotation = info.annotation
    if info is None:
        raise KeyError(path)
    return annotation, info


def _criterion_fields(checklist: Checklist) -> list[Field]:
    section = Section.EVIDENCE
    fields = [
        Field(
            "evidence",
            "Which of these have you seen evidence of?",
            section,
            Kind.GROUP,
            hint="Select all that apply (Space ticks), then give the evidence for each",
            short="Criteria",
        )
    ]
    for criterion in checklist.criteria:
        path = f"evidence.{criterion.id.value}"
        ticked = When(f"{path}.ticked", True)
        fields.append(Field(f"{path}.ticked", criterion.title, section, Kind.TICK))
        if criterion.id is CriterionId.OTHER_INTERVENTIONS:
            fields += [
                Field(
                    f"{path}.programmes",
                    "Which programme or programmes?",
                    section,
                    Kind.TICKS,
                    hint="Select all that apply",
                    short="Programmes",
                    when=ticked,
                ),
                Field(
                    f"{path}.other_programme",
                    "Name of the other programme",
                    section,
                    Kind.SHORT_TEXT,
                    short="Other programme",
                    when=When(f"{path}.programmes", Programme.OTHER),
                ),
            ]
        fields.append(
            Field(
                f"{path}.evidence",
                "Evidence",
                section,
                Kind.LONG_TEXT,
                hint=criterion.help,
                short=f"Evidence: {criterion.title}",
                when=ticked,
            )
        )
    return fields


def _consideration_fields(checklist: Checklist) -> list[Field]:
    fields = []
    for consideration in checklist.considerations:
        path = f"considerations.{consideration.id.value}"
        fields += [
            Field(f"{path}.answer", consideration.question, Section.BEFORE_YOU_SEND, Kind.CHOICE),
            Field(
                f"{path}.explanation",
                "Explain your answer",
                Section.BEFORE_YOU_SEND,
                Kind.LONG_TEXT,
                hint=consideration.help,
                short=f"Your explanation: {consideration.question}",
                to_others=f"Referrer's explanation: {consideration.question}",
            ),
        ]
    return fields


def _form(checklist: Checklist) -> tuple[Field, ...]:
    """Every question, in the order the pages ask them."""
    referrer, route, child = Section.REFERRER, Section.ROUTE, Section.CHILD_FAMILY
    holder, send = Section.CASE_HOLDER, Section.BEFORE_YOU_SEND
    either = "Give a phone number, an email address or both"
    hub = When("route.kind", RouteKind.EARLY_HELP_HUB)
    managed = When("route.kind", RouteKind.CASE_MANAGEMENT)
    has_holder = When("case_holder.exists", True)
    text, choice, yes_no = Kind.SHORT_TEXT, Kind.CHOICE, Kind.YES_NO
    return (
        Field("referrer.name", "Your name", referrer, text, to_others="Referrer's name"),
        Field("referrer.role", "Your role", referrer, choice, to_others="Referrer's role"),
        Field(
            "referrer.team",
            "Your team",
            referrer,
            text,
            hint="For example, Camborne Early Help",
            to_others="Referrer's team",
        ),
        Field(
            "referrer.phone",
            "Your phone number",
            referrer,
            text,
            hint=either,
            optional_with="referrer.email",
            to_others="Referrer's phone number",
        ),
        Field(
            "referrer.email",
            "Your email address",
            referrer,
            text,
            optional_with="referrer.phone",
            to_others="Referrer's email address",
        ),
        Field(
            "route.kind",
            "How was the request agreed?",
            route,
            choice,
            hint="Requests come through the Early Help Hub, or are agreed by a team manager "
            "as a case management decision",
            short="How the request was agreed",
        ),
        Field(
            "route.hub_reference",
            "Early Help Hub request form reference",
            route,
            text,
            when=hub,
        ),
        Field(
            "route.team_manager",
            "Name of the team manager who agreed it",
            route,
            text,
            short="Team manager who agreed it",
            when=managed,
        ),
        Field(
            "route.agreed_on",
            "Date it was agreed",
            route,
            Kind.DATE,
            error_name="The date the request was agreed",
            when=managed,
        ),
        Field("child.name", "The child's full name", child, text),
        Field(
            "child.date_of_birth", "Date of birth", child, Kind.DATE, hint="For example 3/12/2024"
        ),
        Field("child.gender", "Gender", child, text, optional=True),
        Field("child.address", "Address", child, text, optional=True),
        Field("child.postcode", "Postcode", child, text, optional=True),
        Field("child.setting", "Nursery, school or other setting", child, text, optional=True),
        Field("child.first_language", "First language", child, text, optional=True),
        Field(
            "carers",
            "Parents and carers",
            child,
            Kind.LIST,
            hint="Add everyone who will take part in VIG with the child",
            item="Parent or carer",
        ),
        Field("carers.*.name", "Name", child, text),
        Field("carers.*.relationship", "Relationship to the child", child, choice),
        Field(
            "carers.*.relationship_other",
            "Describe the relationship",
            child,
            text,
            short="Relationship",
            when=When("carers.*.relationship", CarerRelationship.OTHER),
        ),
        Field("carers.*.phone", "Phone number", child, text, optional=True),
        Field(
            "carers.*.lives_with_child",
            "Do they live with the child?",
            child,
            yes_no,
            optional=True,
            short="Lives with the child",
        ),
        Field(
            "case_holder.exists",
            "Does the family have a case holder, lead professional or named health visitor?",
            holder,
            yes_no,
            hint="VIG workers are not case holders: the family must have one throughout the "
            "VIG work",
            short="Has a case holder, lead professional or named health visitor",
        ),
        Field("case_holder.name", "Their name", holder, text, when=has_holder),
        Field("case_holder.role", "Their role", holder, choice, when=has_holder),
        Field("case_holder.team", "Their team", holder, text, optional=True, when=has_holder),
        Field(
            "case_holder.phone",
            "Their phone number",
            holder,
            text,
            hint=either,
            optional_with="case_holder.email",
            when=has_holder,
        ),
        Field(
            "case_holder.email",
            "Their email address",
            holder,
            text,
            optional_with="case_holder.phone",
            when=has_holder,
        ),
        *_criterion_fields(checklist),
        Field(
            "difficulty_identified_on",
            "When was the difficulty first identified?",
            Section.EVIDENCE,
            Kind.MONTH,
            hint="VIG works best at the early stages of a difficulty. A month is enough: "
            "for example June 2024, or 3/6/2024",
            optional=True,
            short="When the difficulty was first identified",
            error_name="The date the difficulty was identified",
            month_only="difficulty_identified_month_only",
        ),
        Field(
            "difficulty_identified_in_pregnancy",
            IN_PREGNANCY_LABEL,
            Section.EVIDENCE,
            Kind.TICK,
            optional=True,
            short="First identified during pregnancy",
        ),
        *_consideration_fields(checklist),
        Field(
            "carer_agrees",
            "Does the parent or carer agree to the request being made?",
            send,
            yes_no,
            short="Does the parent or carer agree to the request?",
        ),
        Field("interpreter_needed", "Does the family need an interpreter?", send, yes_no),
        Field(
            "interpreter_language",
            "Which language?",
            send,
            text,
            short="Language",
            when=When("interpreter_needed", True),
        ),
        Field(
            "notes",
            "Anything else the VIG service should know",
            send,
            Kind.LONG_TEXT,
            optional=True,
        ),
    )


#: Every question of the current checklist, in the order the pages ask them.
FIELDS: tuple[Field, ...] = _form(BUILT_IN_CHECKLIST)

#: Model attributes that hold no answer of the worker's: kept by the app, or not
#: asked by this version of the form (and so never shown as a question).
NOT_QUESTIONS = frozenset(
    {
        "id",
        "reference",
        "checklist_version",
        "status",
        "version",
        "created_at",
        "updated_at",
        "submitted_on",
        "meeting",
        # Given when sent by file from a referrer's machine (service.sending).
        "local_number",
        "sent_by_file",
        # The service's register: who sent it by file, and answers waiting in the Inbox
        # (domain.receiving); a referrer's machine: when a decision came back.
        "received",
        "conflicts",
        "decision_received_at",
        "history",
        "history_head",
        "progress",
        "decisions",
        # Recorded after allocation, on the consent and work pages (domain.work).
        "consents",
        "work",
        "carers.*.id",
        # How the date above was given (a month, or a day), not a question of its own.
        "difficulty_identified_month_only",
        "carers.*.email",
        "carers.*.address",
        # Only the "other interventions" criterion asks which programmes.
        *(
            f"evidence.{criterion.value}.{name}"
            for criterion in CriterionId
            if criterion is not CriterionId.OTHER_INTERVENTIONS
            for name in ("programmes", "other_programme")
        ),
    }
)


@cache
def form_for(checklist_version: str) -> tuple[Field, ...]:
    """The questions as asked under a version of the checklist (the current one if unknown)."""
    checklist = checklist_for(checklist_version)
    return FIELDS if checklist is BUILT_IN_CHECKLIST else _form(checklist)


@cache
def _by_path(checklist_version: str) -> dict[str, Field]:
    return {f.path: f for f in form_for(checklist_version)}


def section_fields(section: Section, checklist_version: str | None = None) -> list[Field]:
    """The questions of one section, in order."""
    form = form_for(checklist_version or checklist_in_use().version)
    return [f for f in form if f.section is section]


def pattern_of(path: str) -> str:
    """``carers.<id>.name`` -> ``carers.*.name``; other paths are unchanged."""
    parts = path.split(".")
    if len(parts) > 1 and parts[0] == "carers":
        parts[1] = ANY_ITEM
    return ".".join(parts)


def item_id(path: str) -> str | None:
    """The list item a path is about (``carers.<id>.name`` -> ``<id>``), if any."""
    parts = path.split(".")
    if len(parts) > 1 and parts[0] == "carers" and parts[1] != ANY_ITEM:
        return parts[1]
    return None


def field(path: str, checklist_version: str | None = None) -> Field:
    """The question at ``path`` (a concrete path or a :data:`FIELDS` one). KeyError if none."""
    return _by_path(checklist_version or checklist_in_use().version)[pattern_of(path)]


def find(path: str, checklist_version: str | None = None) -> Field | None:
    try:
        return field(path, checklist_version)
    except KeyError:
        return None


def children(container: Field, checklist_version: str | None = None) -> list[Field]:
    """The questions asked under a list or group, in order."""
    prefix = (
        f"{container.path}.{ANY_ITEM}." if container.kind is Kind.LIST else f"{container.path}."
    )
    form = form_for(checklist_version or checklist_in_use().version)
    return [f for f in form if f.path.startswith(prefix)]


def top_level(form: Iterable[Field]) -> list[Field]:
    """The questions not asked under a list or group (those are asked by their container)."""
    form = list(form)
    inside = {c.path for f in form if f.container for c in children(f)}
    return [f for f in form if f.path not in inside]


def item_label(container: Field, index: int | None) -> str:
    """ "Parent or carer 2" (``index`` counts from 0), or "Parent or carer" when unknown."""
    return container.item if index is None else f"{container.item} {index + 1}"


def label_for(path: str, request: VigRequest | None = None, *, own: bool = True) -> str:
    """The words a person reads for the answer at ``path`` (for history and corrections;
    ``own=False``: as shown to someone other than the referrer, see :attr:`Field.to_others`).

    A carer's answer is named by the carer's place in ``request`` ("Parent or
    carer 2: name"), or "Parent or carer: name" without a request or once the
    carer is gone. A path that is no question (``status``) is returned as it is.
    """
    version = request.checklist_version if request is not None else None
    item = item_id(path)
    if item is not None:
        carers = field("carers", version)
        ids = [str(c.id) for c in request.carers] if request is not None else []
        who = item_label(carers, ids.index(item) if item in ids else None)
        if path.count(".") == 1:
            return who
        definition = find(path, version)
        if definition is None:
            return path
        label = definition.summary_label
        return f"{who}: {label[:1].lower()}{label[1:]}"
    definition = find(path, version)
    if definition is not None:
        return definition.listed_label(own=own)
    if path.startswith("evidence.") and path.count(".") == 1:
        criterion = find(f"{path}.ticked", version)
        if criterion is not None:
            return criterion.label
    if path.startswith("considerations.") and path.count(".") == 1:
        consideration = find(f"{path}.answer", version)
        if consideration is not None:
            return consideration.label
    # How a date was given (a month, not a day) is read with its date's label.
    form = form_for(version or checklist_in_use().version)
    dated = next((d for d in form if d.month_only and d.month_only == path), None)
    if dated is not None:
        return f"{dated.summary_label}: only the month given"
    return path


# Reading and writing answers by path


def answer_at(request: VigRequest, path: str) -> Any:
    """The answer at a concrete path (None when a carer or key is not there)."""
    node: Any = request
    for part in path.split("."):
        if isinstance(node, list):
            node = next((item for item in node if str(item.id) == part), None)
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            node = getattr(node, part, None)
        if node is None:
            return None
    return node


def set_answer(request: VigRequest, path: str, value: Any) -> None:
    """Put ``value`` at a concrete path (validated by the model, as any assignment is).

    A carer must already be in the request (KeyError if not); an evidence or
    consideration entry missing from an old request is made.
    """
    *parents, name = path.split(".")
    node: Any = request
    for index, part in enumerate(parents):
        if isinstance(node, list):
            node = next((item for item in node if str(item.id) == part), None)
            if node is None:
                raise KeyError(path)
        elif isinstance(node, dict):
            if part not in node:
                annotation = _model_field(".".join(parents[: index + 1]))[0]
                node[part] = _optional_args(annotation)[0]()
            node = node[part]
        else:
            node = getattr(node, part)
    setattr(node, name, value)


def is_blank(carer: Carer) -> bool:
    """A carer with nothing answered (its id aside)."""
    return carer.model_dump(exclude={"id"}) == Carer().model_dump(exclude={"id"})


def shown(definition: Field, read: Any, path: str | None = None) -> bool:
    """Is the question asked, given ``read(path)`` for the other answers?

    ``path`` is the question's concrete path (for a carer's question, whose
    condition looks at the same carer).
    """
    condition = definition.when
    if condition is None:
        return True
    target = condition.path
    item = item_id(path) if path else None
    if item is not None:
        target = target.replace(ANY_ITEM, item, 1)
    parent = find(condition.path)
    if parent is not None and not shown(parent, read, target):
        return False
    return condition.holds(read(target))


def asked(request: VigRequest, definition: Field, path: str | None = None) -> bool:
    """Is the question asked, for this request's answers?"""
    return shown(definition, lambda p: answer_at(request, p), path or definition.path)


def answer_text(definition: Field, value: Any) -> str:
    """An answer as a person reads it ("" when there is none)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Enum):
        return str(getattr(value, "label", value.value))
    if isinstance(value, list):
        return ", ".join(answer_text(definition, v) for v in value)
    return str(value).strip()


def paths_in(fields: Iterable[Field], request: VigRequest) -> list[tuple[Field, str]]:
    """Each question with its concrete path(s): one per carer for a carer's question."""
    out: list[tuple[Field, str]] = []
    for definition in fields:
        if definition.in_list:
            out += [(definition, definition.at(carer.id)) for carer in request.carers]
        else:
            out.append((definition, definition.path))
    return out
