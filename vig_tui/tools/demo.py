"""Realistic, clearly fictional requests for demos, screenshots and benchmarks.

Every name is invented, every phone number is in Ofcom's range reserved for
drama (01632 960xxx), every email address is at example.org and every
postcode is in the unused TR99 district, so nothing generated here can be
mistaken for, or match, a real family.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from ..domain.checklist import ConsiderationId, CriterionId
from ..domain.meetings import MeetingCalendar
from ..domain.models import (
    Answer,
    Carer,
    CarerRelationship,
    CaseHolder,
    CaseHolderRole,
    Child,
    ConsiderationAnswer,
    CriterionEvidence,
    Decision,
    DecisionOutcome,
    NotAcceptedReason,
    Practitioner,
    Priority,
    Programme,
    Referrer,
    ReferrerRole,
    RequestStatus,
    Route,
    RouteKind,
    VigRequest,
)

if TYPE_CHECKING:
    from ..store import Repository

FIRST_NAMES = (
    "Amelia Ava Bodhi Caleb Cerys Demelza Eli Elowen Ezra Freya Gwen Harper Isla Jago Jenna "
    "Kensa Lowen Luca Morwenna Nessa Noah Oscar Piran Rowan Sienna Tamsin Tegen Wenna Zennor"
).split()
SURNAMES = (
    "Andrewartha Bolitho Chegwidden Carveth Hocking Jory Kitto Lanyon Menhennick Nancarrow "
    "Pascoe Penhaligon Polglase Rowse Teague Tregear Trevail Trewin Vosper Williams"
).split()
ADULT_NAMES = (
    "Alex Bethany Chris Dawn Emma Gemma Hayley Jack Jodie Kerry Liam Mark Nicola Paul Rachel "
    "Sam Sarah Steve Tom Zoe"
).split()
TEAMS = (
    "Camborne Early Help",
    "Redruth Health Visiting",
    "Truro Children's Social Care",
    "Penzance Early Help",
    "Bodmin Family Hub",
    "St Austell Health Visiting",
    "Falmouth Family Support",
)
PRACTITIONERS = ("Ruth Demo-Kernow", "Ian Sample", "Priya Example", "Owen Fiction", "Mel Testing")

EVIDENCE_TEXT = {
    CriterionId.LACK_OF_WARMTH: (
        "During home visits the parent rarely smiles at or praises {child}. Physical contact is "
        "brief and mostly practical (changing, feeding). The parent describes feeling 'flat' "
        "around {child} and says they do not enjoy play times together."
    ),
    CriterionId.NEGATIVE_RESPONSES: (
        "Observed over three visits: most of the parent's responses to {child} were corrections "
        "or raised voices. Bids for attention were often ignored or met with 'not now'. Nursery "
        "staff report the same pattern at pick-up."
    ),
    CriterionId.CHILDS_VIEW: (
        "The carer describes {child}'s crying as 'trying to wind me up' and finds it hard to "
        "name what {child} might be feeling. They struggled to think about how the recent move "
        "might feel from {child}'s point of view."
    ),
    CriterionId.BONDING: (
        "The parent had a long stay in hospital after the birth and missed early weeks with "
        "{child}. They say they still do not feel close and worry {child} prefers others."
    ),
    CriterionId.NEW_RELATIONSHIP: (
        "{child} moved to this placement eight weeks ago. The carers are committed but unsure "
        "how to read {child}'s cues; {child} is watchful and slow to seek comfort from them."
    ),
    CriterionId.OTHER_INTERVENTIONS: (
        "The parent completed the group programme last term and can describe the strategies, "
        "but finds it hard to use them in the moment when {child} is upset."
    ),
}

CONSIDERATION_TEXT = {
    ConsiderationId.ASSESSMENT: (
        "The Early Help assessment (completed last month) identified the parent-child "
        "relationship as the main need; VIG was named in the plan."
    ),
    ConsiderationId.OTHERS_AGREE: (
        "Discussed at the team around the family meeting with the health visitor, nursery "
        "and family support worker; all agreed VIG would help."
    ),
    ConsiderationId.CHANGE_AGREED: (
        "The parent wants to 'enjoy being together' and notice when things go well; agreed "
        "with them at the last visit."
    ),
    ConsiderationId.CHILD_IMPACT: (
        "{child} would experience warmer, more predictable responses at home. The parent "
        "understands this and can say what it would look like at bedtime."
    ),
}

#: What became of requests decided at past meetings (drafts: abandoned ones).
_DECIDED_WEIGHTS = {
    RequestStatus.ALLOCATED: 40,
    RequestStatus.CLOSED: 25,
    RequestStatus.NOT_ACCEPTED: 12,
    RequestStatus.WITHDRAWN: 6,
    RequestStatus.DRAFT: 3,
}


def demo_practitioners() -> list[Practitioner]:
    """The fictional roster the demo database starts with."""
    return [
        Practitioner(
            name=name,
            email=f"{name.split()[0].lower()}@example.org",
            phone=f"01632 960{100 + index:03d}",
            active=index != len(PRACTITIONERS) - 1,
            capacity=6 + index,
        )
        for index, name in enumerate(PRACTITIONERS)
    ]


def generate_requests(
    count: int,
    *,
    today: date,
    seed: int = 2026,
    practitioners: list[Practitioner] | None = None,
) -> list[VigRequest]:
    """``count`` fictional requests across every status and many meetings.

    Requests sent since the last meeting wait for the next one; older ones
    carry the decision of the meeting they went to (those deferred at the
    last meeting wait for the next one too). References are sequential per
    year in submission order.
    """
    rng = random.Random(seed)
    calendar = MeetingCalendar()
    roster = practitioners or demo_practitioners()
    last_meeting = calendar.previous(calendar.next_meeting(today).date).date
    # About three requests a day, as a busy county service gets: a bigger
    # database reaches further back rather than piling onto one meeting.
    span_days = max(180, count // 3)
    requests = [
        _one_request(rng, calendar, roster, today, last_meeting, span_days) for _ in range(count)
    ]
    _give_references(requests)
    return requests


def fill_database(
    store: Repository, count: int, *, today: date, seed: int = 2026
) -> list[VigRequest]:
    """Fill ``store`` with the demo roster and ``count`` requests, in one write."""
    roster = demo_practitioners()
    for practitioner in roster:
        store.save_practitioner(practitioner)
    requests = generate_requests(count, today=today, seed=seed, practitioners=roster)
    store.import_requests(requests)
    return requests


def _one_request(
    rng: random.Random,
    calendar: MeetingCalendar,
    roster: list[Practitioner],
    today: date,
    last_meeting: date,
    span_days: int,
) -> VigRequest:
    created = today - timedelta(days=rng.randint(0, span_days))
    status = _status_for(rng, calendar, created, today, last_meeting)
    child_first = rng.choice(FIRST_NAMES)
    surname = rng.choice(SURNAMES)
    role = rng.choices(list(ReferrerRole), [4, 3, 2, 1])[0]
    max_age_days = 3 * 365 if role is ReferrerRole.HEALTH_VISITOR else 12 * 365
    dob = created - timedelta(days=rng.randint(30, max_age_days))
    created_at = datetime.combine(created, time(9, 0), tzinfo=UTC) + timedelta(
        minutes=rng.randint(0, 480)
    )

    referrer_first = rng.choice(ADULT_NAMES)
    team = rng.choice(TEAMS)
    relationship = rng.choices(list(CarerRelationship), [10, 2, 1, 2, 1])[0]
    carers = [
        Carer(
            name=f"{rng.choice(ADULT_NAMES)} {surname}",
            relationship=relationship,
            relationship_other="Step-parent" if relationship is CarerRelationship.OTHER else "",
            phone=f"01632 960{rng.randint(200, 999):03d}",
            email=f"carer{rng.randint(1, 9999)}@example.org",
            address=f"{rng.randint(1, 99)} Fictional Row, Trevenna",
            lives_with_child=True,
        )
    ]
    if rng.random() < 0.4:
        carers.append(
            Carer(
                name=f"{rng.choice(ADULT_NAMES)} {rng.choice(SURNAMES)}",
                relationship=CarerRelationship.BIRTH_PARENT,
                lives_with_child=rng.random() < 0.5,
            )
        )

    ticked = rng.sample(list(CriterionId), rng.choices([1, 2, 3, 4], [3, 4, 2, 1])[0])
    evidence = {}
    for criterion in CriterionId:
        is_ticked = criterion in ticked
        evidence[criterion] = CriterionEvidence(
            ticked=is_ticked,
            evidence=EVIDENCE_TEXT[criterion].format(child=child_first) if is_ticked else "",
            programmes=(
                [rng.choice([Programme.INCREDIBLE_YEARS, Programme.TRIPLE_P, Programme.TIME_OUT])]
                if is_ticked and criterion is CriterionId.OTHER_INTERVENTIONS
                else []
            ),
        )
    considerations = {
        consideration: ConsiderationAnswer(
            answer=Answer.YES, explanation=text.format(child=child_first)
        )
        for consideration, text in CONSIDERATION_TEXT.items()
    }
    hub = rng.random() < 0.6
    request = VigRequest(
        created_at=created_at,
        updated_at=created_at,
        referrer=Referrer(
            name=f"{referrer_first} {rng.choice(SURNAMES)}",
            role=role,
            team=team,
            phone=f"01632 960{rng.randint(0, 99):03d}",
            email=f"{referrer_first.lower()}.worker@example.org",
        ),
        route=Route(
            kind=RouteKind.EARLY_HELP_HUB if hub else RouteKind.CASE_MANAGEMENT,
            hub_reference=f"EHH-{rng.randint(100000, 999999)}" if hub else "",
            team_manager="" if hub else f"{rng.choice(ADULT_NAMES)} {rng.choice(SURNAMES)}",
            agreed_on=None if hub else created - timedelta(days=rng.randint(1, 10)),
        ),
        child=Child(
            name=f"{child_first} {surname}",
            date_of_birth=dob,
            gender=rng.choice(["Girl", "Boy", ""]),
            address=f"{rng.randint(1, 99)} Fictional Row, Trevenna",
            postcode=f"TR99 {rng.randint(1, 9)}ZZ",
            setting=rng.choice(["", "Little Acorns Nursery (fictional)", "Trevenna Primary"]),
            first_language=rng.choice(["English", "English", "English", "Polish", "Portuguese"]),
        ),
        carers=carers,
        case_holder=CaseHolder(
            exists=True,
            name=f"{rng.choice(ADULT_NAMES)} {rng.choice(SURNAMES)}",
            role=(
                CaseHolderRole.NAMED_HEALTH_VISITOR
                if role is ReferrerRole.HEALTH_VISITOR
                else rng.choice([CaseHolderRole.CASE_HOLDER, CaseHolderRole.LEAD_PROFESSIONAL])
            ),
            team=team,
            phone=f"01632 960{rng.randint(100, 199):03d}",
            email=f"caseholder{rng.randint(1, 999)}@example.org",
        ),
        evidence=evidence,
        considerations=considerations,
        difficulty_identified_on=created - timedelta(days=rng.randint(7, 500)),
        interpreter_needed=False,
        carer_agrees=True,
        notes="Fictional demo record." if rng.random() < 0.3 else "",
    )
    request.record("created", "Request started", at=created_at)
    if status is RequestStatus.DRAFT:
        return request

    meeting = calendar.meeting_for_submission(created).date
    request.submitted_on = created
    request.meeting = meeting
    request.change_status(RequestStatus.SUBMITTED, at=created_at + timedelta(minutes=30))
    if status is RequestStatus.SUBMITTED:
        return request

    decided_at = datetime.combine(meeting, time(11, 0), tzinfo=UTC)
    if meeting >= today:
        # Not decided yet: the meeting is still to come.
        return request
    decision = _decision_for(rng, status, meeting, roster)
    if decision is not None:
        request.decisions.append(decision)
        request.record(
            "decision",
            f"Allocation meeting {meeting}: {decision.outcome.label}",
            reason=decision.reason or decision.note,
            at=decided_at,
        )
    if status is RequestStatus.DEFERRED:
        request.meeting = calendar.following(meeting).date
    if status is RequestStatus.CLOSED:
        request.change_status(RequestStatus.ALLOCATED, at=decided_at)
        latest = datetime.combine(today, time(9, 0), tzinfo=UTC)
        decided_at = min(decided_at + timedelta(days=rng.randint(60, 120)), latest)
        reason = "VIG cycles complete; family and case holder informed."
    else:
        reason = decision.reason if decision else "Referrer withdrew the request."
    request.change_status(status, reason=reason, at=decided_at)
    return request


def _status_for(
    rng: random.Random, calendar: MeetingCalendar, created: date, today: date, last_meeting: date
) -> RequestStatus:
    """A status that fits when the request was made."""
    if created >= last_meeting:
        return rng.choices([RequestStatus.DRAFT, RequestStatus.SUBMITTED], [1, 3])[0]
    meeting = calendar.meeting_for_submission(created).date
    if meeting == last_meeting and rng.random() < 0.25:
        return RequestStatus.DEFERRED
    status = rng.choices(list(_DECIDED_WEIGHTS), list(_DECIDED_WEIGHTS.values()))[0]
    if status is RequestStatus.CLOSED and (today - meeting).days < 120:
        return RequestStatus.ALLOCATED
    return status


def _decision_for(
    rng: random.Random, status: RequestStatus, meeting: date, roster: list[Practitioner]
) -> Decision | None:
    if status in (RequestStatus.ALLOCATED, RequestStatus.CLOSED):
        practitioner = rng.choice([p for p in roster if p.active])
        return Decision(
            meeting=meeting,
            outcome=DecisionOutcome.ALLOCATED,
            practitioner_id=practitioner.id,
            practitioner_name=practitioner.name,
            priority=rng.choice(list(Priority)),
        )
    if status is RequestStatus.NOT_ACCEPTED:
        return Decision(
            meeting=meeting,
            outcome=DecisionOutcome.NOT_ACCEPTED,
            not_accepted_reason=rng.choice(list(NotAcceptedReason)),
            note="Discussed with the referrer after the meeting.",
        )
    if status is RequestStatus.DEFERRED:
        return Decision(
            meeting=meeting,
            outcome=DecisionOutcome.DEFERRED,
            reason="Waiting for the outcome of the family's Early Help review.",
        )
    return None


def _give_references(requests: list[VigRequest]) -> None:
    sent = sorted(
        (r for r in requests if r.submitted_on is not None),
        key=lambda r: (r.submitted_on, r.created_at),
    )
    counters: dict[int, int] = defaultdict(int)
    for request in sent:
        assert request.submitted_on is not None
        year = request.submitted_on.year
        counters[year] += 1
        request.reference = f"VIG-{year}-{counters[year]:04d}"
