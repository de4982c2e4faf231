"""Realistic, clearly fictional requests for demos, screenshots and benchmarks.

Every name is invented, every phone number is in Ofcom's range reserved for
drama (01632 960xxx), every email address is at example.org and every
postcode is in the unused TR99 district, so nothing generated here can be
mistaken for, or match, a real family.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from ..domain.checklist import ConsiderationId, CriterionId
from ..domain.dates import age_in_years
from ..domain.decisions import close_request, record_decision, withdraw_request
from ..domain.history import Action, Actor
from ..domain.meetings import MeetingCalendar
from ..domain.models import (
    Answer,
    Carer,
    CarerRelationship,
    CaseHolder,
    CaseHolderRole,
    Child,
    ClosureReason,
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
from .demo_work import carry_out_work

if TYPE_CHECKING:
    from ..store import Repository

GIRLS_NAMES = (
    "Amelia Ava Cerys Demelza Elowen Freya Gwen Harper Isla Jenna Kensa Morwenna Nessa "
    "Sienna Tamsin Tegen Wenna Zennor"
).split()
BOYS_NAMES = "Bodhi Caleb Eli Ezra Jago Lowen Luca Noah Oscar Piran".split()
#: Given to a child whose gender is not recorded.
EITHER_NAMES = ("Rowan", "Kit", "Morgan", "Robin")
FIRST_NAMES = (*GIRLS_NAMES, *BOYS_NAMES, *EITHER_NAMES)
SURNAMES = (
    "Andrewartha Bolitho Chegwidden Carveth Hocking Jory Kitto Lanyon Menhennick Nancarrow "
    "Pascoe Penhaligon Polglase Rowse Teague Tregear Trevail Trewin Vosper Williams"
).split()
ADULT_NAMES = (
    "Alex Bethany Chris Dawn Emma Gemma Hayley Jack Jodie Kerry Liam Mark Nicola Paul Rachel "
    "Sam Sarah Steve Tom Zoe"
).split()
#: The teams each kind of referrer works in: a social worker is never in a health-visiting team.
TEAMS: dict[ReferrerRole, tuple[str, ...]] = {
    ReferrerRole.HEALTH_VISITOR: ("Redruth Health Visiting", "St Austell Health Visiting"),
    ReferrerRole.EARLY_HELP_PRACTITIONER: (
        "Camborne Early Help",
        "Penzance Early Help",
        "Bodmin Family Hub",
    ),
    ReferrerRole.SOCIAL_WORKER: (
        "Truro Children's Social Care",
        "Bodmin Children's Social Care",
    ),
    ReferrerRole.OTHER_CFS_PRACTITIONER: ("Falmouth Family Support", "Bodmin Family Hub"),
}

#: Where children of each age (whole years, up to) spend their days: a baby is not at
#: nursery; nursery from two, primary school from four, secondary from eleven.
SETTINGS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, ("",)),
    (3, ("", "Little Acorns Nursery (fictional)", "Trevenna Childminding (fictional)")),
    (10, ("Trevenna Primary (fictional)",)),
    (18, ("Trevenna Academy (fictional)",)),
)

#: How long allocated VIG work lasts (days from the meeting to closing it).
WORK_DAYS = (60, 150)
#: Work allocated within this many days of today carries its consents, cycles and closing
#: (:mod:`.demo_work`); older work is closed in one line. A big demo reaches back decades
#: (the benchmark's 50,000 requests, about three a day), and a full work record for every
#: one of them made it twice as slow to make and to load.
WORK_RECORDS_DAYS = 730
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
#: Allocated work is closed once it has run its course (:data:`WORK_DAYS`).
_DECIDED_WEIGHTS = {
    RequestStatus.ALLOCATED: 65,
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
    carry the decision of the meeting they went to (recorded as the meeting
    screen records it), and allocated work is closed once it has run its
    course. No practitioner is given more open work than their capacity: a
    request allocated when nobody has room waits on a deferral (at the last
    meeting) or ended early. References are sequential per year in
    submission order.
    """
    rng = random.Random(seed)
    calendar = MeetingCalendar()
    roster = practitioners or demo_practitioners()
    last_meeting = calendar.previous(calendar.next_meeting(today).date).date
    # About three requests a day, as a busy county service gets: a bigger
    # database reaches further back rather than piling onto one meeting.
    span_days = max(180, count // 3)
    world = _World(rng, calendar, roster, today, last_meeting)
    requests = [world.request(span_days) for _ in range(count)]
    _give_references(requests)
    return requests


#: Who the demo's own changes (its roster, its import) are attributed to.
DEMO_ACTOR = Actor(name="vig-tui demo", role="fictional data", user="demo", machine="demo")
#: The coordinator who records the fictional meetings' decisions.
DEMO_COORDINATOR = Actor(
    name="Cass Coordinator (fictional)", role="VIG coordinator", user="cass", machine="demo"
)


def referrer_of(request: VigRequest) -> Actor:
    """The fictional referrer, as the history names them."""
    role = request.referrer.role
    return Actor(
        name=request.referrer.name,
        role=role.label if role else "",
        user=request.referrer.name.split()[0].lower() if request.referrer.name else "",
        machine="demo",
    )


def fill_database(
    store: Repository, count: int, *, today: date, seed: int = 2026
) -> list[VigRequest]:
    """Fill ``store`` with the demo roster and ``count`` requests, in one write."""
    roster = demo_practitioners()
    for practitioner in roster:
        store.save_practitioner(practitioner, who=DEMO_ACTOR)
    requests = generate_requests(count, today=today, seed=seed, practitioners=roster)
    store.import_requests(requests, who=DEMO_ACTOR)
    return requests


def setting_for(age: int) -> tuple[str, ...]:
    """The settings a child of ``age`` whole years may attend ("" for none)."""
    return next((choices for up_to, choices in SETTINGS if age <= up_to), SETTINGS[-1][1])


class _World:
    """The service the demo makes up: its calendar, roster and everyone's open work."""

    def __init__(
        self,
        rng: random.Random,
        calendar: MeetingCalendar,
        roster: list[Practitioner],
        today: date,
        last_meeting: date,
    ) -> None:
        self.rng = rng
        #: For the work after allocation (its own stream: the requests stay the same).
        self.work_rng = random.Random(repr(rng.getstate()[1][:8]))
        self.calendar = calendar
        self.roster = roster
        self.today = today
        self.last_meeting = last_meeting
        #: Open (allocated, not closed) requests per practitioner.
        self.open_work: Counter[UUID] = Counter()
        #: How much open work each may be given: some are full, some have a place or two.
        self.room = {p.id: p.capacity - index % 3 for index, p in enumerate(roster)}

    def request(self, span_days: int) -> VigRequest:
        rng, today = self.rng, self.today
        created = today - timedelta(days=rng.randint(0, span_days))
        status = self._status_for(created)
        request = self._answers(created)
        created_at = request.created_at
        request.record(referrer_of(request), Action.CREATED, "Request started", at=created_at)
        if status is RequestStatus.DRAFT:
            return request

        meeting = self.calendar.meeting_for_submission(created).date
        request.submitted_on = created
        request.meeting = meeting
        request.change_status(
            RequestStatus.SUBMITTED,
            referrer_of(request),
            Action.SENT,
            "Sent to the VIG service",
            at=created_at + timedelta(minutes=30),
        )
        if status is RequestStatus.SUBMITTED or meeting >= today:
            # Not decided yet: the meeting is still to come.
            return request

        decided_at = datetime.combine(meeting, time(11, 0), tzinfo=UTC)
        if status is RequestStatus.WITHDRAWN:
            return withdraw_request(
                request, "Referrer withdrew the request.", who=referrer_of(request), at=decided_at
            )
        if status is RequestStatus.ALLOCATED:
            return self._allocate(request, meeting, decided_at)
        return record_decision(
            request,
            self._decision_for(status, meeting),
            self.calendar,
            who=DEMO_COORDINATOR,
            at=decided_at,
        )

    def _allocate(self, request: VigRequest, meeting: date, decided_at: datetime) -> VigRequest:
        """Allocated at ``meeting`` to someone with room; closed when the work is done."""
        rng, today = self.rng, self.today
        ends = meeting + timedelta(days=rng.randint(*WORK_DAYS))
        active = [p for p in self.roster if p.active]
        if ends <= today:
            practitioner = rng.choice(active)
        else:
            with_room = [p for p in active if self.open_work[p.id] < self.room[p.id]]
            if not with_room:
                return self._no_room(request, meeting, decided_at)
            practitioner = rng.choice(with_room)
            self.open_work[practitioner.id] += 1
        decision = Decision(
            meeting=meeting,
            outcome=DecisionOutcome.ALLOCATED,
            practitioner_id=practitioner.id,
            practitioner_name=practitioner.name,
            priority=rng.choice(list(Priority)),
        )
        request = record_decision(
            request, decision, self.calendar, who=DEMO_COORDINATOR, at=decided_at
        )
        if meeting >= today - timedelta(days=WORK_RECORDS_DAYS):
            return carry_out_work(request, practitioner, rng=self.work_rng, today=today, ends=ends)
        if ends > today:
            return request
        return close_request(
            request,
            "VIG cycles complete; family and case holder informed.",
            who=DEMO_COORDINATOR,
            at=datetime.combine(ends, time(15, 0), tzinfo=UTC),
        )

    def _no_room(self, request: VigRequest, meeting: date, decided_at: datetime) -> VigRequest:
        """Everyone is full: the last meeting defers it until a place comes up; at an
        earlier one it was allocated and the work has since ended early."""
        rng = self.rng
        if meeting == self.last_meeting:
            decision = Decision(
                meeting=meeting,
                outcome=DecisionOutcome.DEFERRED,
                reason="Accepted, but no VIG practitioner has room yet: to be allocated when "
                "one does.",
            )
            return record_decision(
                request, decision, self.calendar, who=DEMO_COORDINATOR, at=decided_at
            )
        practitioner = rng.choice([p for p in self.roster if p.active])
        decision = Decision(
            meeting=meeting,
            outcome=DecisionOutcome.ALLOCATED,
            practitioner_id=practitioner.id,
            practitioner_name=practitioner.name,
            priority=rng.choice(list(Priority)),
        )
        request = record_decision(
            request, decision, self.calendar, who=DEMO_COORDINATOR, at=decided_at
        )
        ended = meeting + timedelta(days=rng.randint(14, max(14, (self.today - meeting).days - 1)))
        if meeting < self.today - timedelta(days=WORK_RECORDS_DAYS):
            return close_request(
                request,
                "Work ended early: the family moved out of the area; the case holder was told.",
                who=DEMO_COORDINATOR,
                at=datetime.combine(min(ended, self.today), time(15, 0), tzinfo=UTC),
            )
        return carry_out_work(
            request,
            practitioner,
            rng=self.work_rng,
            today=self.today,
            ends=min(ended, self.today),
            closing=ClosureReason.MOVED_AWAY,
        )

    def _status_for(self, created: date) -> RequestStatus:
        """A status that fits when the request was made."""
        rng = self.rng
        if created >= self.last_meeting:
            return rng.choices([RequestStatus.DRAFT, RequestStatus.SUBMITTED], [1, 3])[0]
        meeting = self.calendar.meeting_for_submission(created).date
        if meeting == self.last_meeting and rng.random() < 0.25:
            return RequestStatus.DEFERRED
        return rng.choices(list(_DECIDED_WEIGHTS), list(_DECIDED_WEIGHTS.values()))[0]

    def _decision_for(self, status: RequestStatus, meeting: date) -> Decision:
        if status is RequestStatus.NOT_ACCEPTED:
            return Decision(
                meeting=meeting,
                outcome=DecisionOutcome.NOT_ACCEPTED,
                not_accepted_reason=self.rng.choice(list(NotAcceptedReason)),
                note="Discussed with the referrer after the meeting.",
            )
        return Decision(
            meeting=meeting,
            outcome=DecisionOutcome.DEFERRED,
            reason="Waiting for the outcome of the family's Early Help review.",
        )

    def _answers(self, created: date) -> VigRequest:
        """A request's answers as a referrer would give them on ``created``."""
        rng = self.rng
        role = rng.choices(list(ReferrerRole), [4, 3, 2, 1])[0]
        max_age_days = 3 * 365 if role is ReferrerRole.HEALTH_VISITOR else 12 * 365
        dob = created - timedelta(days=rng.randint(30, max_age_days))
        gender = rng.choice(["Girl", "Boy", ""])
        names = {"Girl": GIRLS_NAMES, "Boy": BOYS_NAMES}.get(gender, EITHER_NAMES)
        child_first = rng.choice(names)
        surname = rng.choice(SURNAMES)
        created_at = datetime.combine(created, time(9, 0), tzinfo=UTC) + timedelta(
            minutes=rng.randint(0, 480)
        )
        referrer_first = rng.choice(ADULT_NAMES)
        team = rng.choice(TEAMS[role])
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
        identified, month_only, in_pregnancy = self._difficulty(dob, created)
        hub = rng.random() < 0.6
        return VigRequest(
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
                gender=gender,
                address=f"{rng.randint(1, 99)} Fictional Row, Trevenna",
                postcode=f"TR99 {rng.randint(1, 9)}ZZ",
                setting=rng.choice(setting_for(age_in_years(dob, created))),
                first_language=rng.choice(
                    ["English", "English", "English", "Polish", "Portuguese"]
                ),
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
            evidence=self._evidence(child_first),
            considerations={
                consideration: ConsiderationAnswer(
                    answer=Answer.YES, explanation=text.format(child=child_first)
                )
                for consideration, text in CONSIDERATION_TEXT.items()
            },
            difficulty_identified_on=identified,
            difficulty_identified_month_only=month_only,
            difficulty_identified_in_pregnancy=in_pregnancy,
            interpreter_needed=False,
            carer_agrees=True,
            notes="Fictional demo record." if rng.random() < 0.3 else "",
        )

    def _difficulty(self, born: date, created: date) -> tuple[date, bool, bool]:
        """When the difficulty was identified: after the birth (now and then in pregnancy,
        for a baby), at least a week before the request; sometimes only the month."""
        rng = self.rng
        lived = (created - born).days
        if lived < 365 and rng.random() < 0.15:
            identified = born - timedelta(days=rng.randint(14, 120))
            return identified, False, True
        identified = created - timedelta(days=rng.randint(7, max(7, min(500, lived))))
        identified = max(identified, born)
        if rng.random() < 0.3:
            return identified.replace(day=1), True, False
        return identified, False, False

    def _evidence(self, child_first: str) -> dict[CriterionId, CriterionEvidence]:
        rng = self.rng
        ticked = rng.sample(list(CriterionId), rng.choices([1, 2, 3, 4], [3, 4, 2, 1])[0])
        evidence = {}
        for criterion in CriterionId:
            is_ticked = criterion in ticked
            evidence[criterion] = CriterionEvidence(
                ticked=is_ticked,
                evidence=EVIDENCE_TEXT[criterion].format(child=child_first) if is_ticked else "",
                programmes=(
                    [
                        rng.choice(
                            [Programme.INCREDIBLE_YEARS, Programme.TRIPLE_P, Programme.TIME_OUT]
                        )
                    ]
                    if is_ticked and criterion is CriterionId.OTHER_INTERVENTIONS
                    else []
                ),
            )
        return evidence


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
