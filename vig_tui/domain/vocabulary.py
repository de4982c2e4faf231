"""The fixed choices a request is made of, as plain enums.

Kept apart from the pydantic models so that code which only needs the names
of statuses or roles (the command line's argument parser, the first screen)
does not pay for importing pydantic.
"""

from __future__ import annotations

from enum import StrEnum


class Choice(StrEnum):
    """A stored value with the words a person reads for it.

    Members are written ``NAME = "stored_value", "Label"``; without a label,
    the value reads as a sentence ("not_accepted" -> "Not accepted").
    """

    label: str

    def __new__(cls, value: str, label: str | None = None) -> Choice:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value.replace("_", " ").capitalize()
        return member


class RequestStatus(Choice):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ALLOCATED = "allocated"
    #: Allocated, and the practitioner has started the work with the family.
    IN_PROGRESS = "in_progress"
    NOT_ACCEPTED = "not_accepted"
    DEFERRED = "deferred"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"


class ReferrerRole(Choice):
    HEALTH_VISITOR = "health_visitor", "Health visitor"
    EARLY_HELP_PRACTITIONER = "early_help_practitioner", "Early Help practitioner"
    SOCIAL_WORKER = "social_worker", "Social worker"
    OTHER_CFS_PRACTITIONER = (
        "other_cfs_practitioner",
        "Other Children and Family Services practitioner",
    )


class WorkerRole(Choice):
    """A worker's own role in their profile: a referrer's, or one in the VIG service itself
    (who make no requests, so nothing of theirs prefills "About you")."""

    HEALTH_VISITOR = "health_visitor", "Health visitor"
    EARLY_HELP_PRACTITIONER = "early_help_practitioner", "Early Help practitioner"
    SOCIAL_WORKER = "social_worker", "Social worker"
    OTHER_CFS_PRACTITIONER = (
        "other_cfs_practitioner",
        "Other Children and Family Services practitioner",
    )
    VIG_COORDINATOR = "vig_coordinator", "VIG coordinator"
    VIG_PRACTITIONER = "vig_practitioner", "VIG practitioner"


class RouteKind(Choice):
    EARLY_HELP_HUB = "early_help_hub", "Early Help Hub general request form"
    CASE_MANAGEMENT = (
        "case_management_decision",
        "Case management decision agreed by a team manager",
    )


class CarerRelationship(Choice):
    BIRTH_PARENT = "birth_parent"
    FOSTER_CARER = "foster_carer"
    ADOPTIVE_PARENT = "adoptive_parent"
    KINSHIP_CARER = "kinship_carer_or_special_guardian", "Kinship carer or special guardian"
    OTHER = "other"


class CaseHolderRole(Choice):
    CASE_HOLDER = "case_holder"
    LEAD_PROFESSIONAL = "lead_professional"
    NAMED_HEALTH_VISITOR = "named_health_visitor"


class Programme(Choice):
    INCREDIBLE_YEARS = "incredible_years", "Incredible Years"
    TRIPLE_P = "triple_p", "Triple P"
    TIME_OUT = "time_out", "Time Out"
    OTHER = "other"


class Answer(Choice):
    YES = "yes"
    NO = "no"
    NOT_SURE = "not_sure"


class Priority(Choice):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for High: sorts the most urgent first."""
        return list(Priority).index(self)


class DecisionOutcome(Choice):
    ALLOCATED = "allocated"
    #: Allocated, and the practitioner has started the work with the family.
    IN_PROGRESS = "in_progress"
    NOT_ACCEPTED = "not_accepted"
    DEFERRED = "deferred"
    MORE_INFORMATION = "more_information", "More information needed"


class NotAcceptedReason(Choice):
    CRITERIA_NOT_MET = "criteria_not_met", "Does not meet the criteria"
    NO_CASE_HOLDER = "no_case_holder"
    ANOTHER_SERVICE = "another_service_better_placed", "Another service is better placed"
    FAMILY_DECLINED = "family_declined"
    OTHER = "other"


class ConsentTopic(Choice):
    """What a parent or carer is asked to agree to, each separately."""

    REQUEST = "request", "The request being made"
    FILMING = "filming", "Being filmed"
    KEEPING_CLIPS = "keeping_clips", "The service keeping the video clips"
    SHARING = "sharing", "Sharing information with the professionals named in the request"
    TRAINING = "training", "Use of clips in VIG supervision or training (optional)"


class ConsentMethod(Choice):
    VERBAL = "verbal"
    WRITTEN = "written"


class ClosureReason(Choice):
    COMPLETED = "completed", "Work completed"
    FAMILY_WITHDREW = "family_withdrew", "The family withdrew"
    MOVED_AWAY = "moved_away", "The family moved away"
    REFERRED_ELSEWHERE = "referred_elsewhere", "Referred elsewhere"
    OTHER = "other"
