"""The fixed choices a request is made of, as plain enums.

Kept apart from the pydantic models so that code which only needs the names
of statuses or roles (the command line's argument parser, the first screen)
does not pay for importing pydantic.
"""

from __future__ import annotations

from enum import StrEnum


class RequestStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ALLOCATED = "allocated"
    NOT_ACCEPTED = "not_accepted"
    DEFERRED = "deferred"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class ReferrerRole(StrEnum):
    HEALTH_VISITOR = "health_visitor"
    EARLY_HELP_PRACTITIONER = "early_help_practitioner"
    SOCIAL_WORKER = "social_worker"
    OTHER_CFS_PRACTITIONER = "other_cfs_practitioner"

    @property
    def label(self) -> str:
        return {
            ReferrerRole.HEALTH_VISITOR: "Health visitor",
            ReferrerRole.EARLY_HELP_PRACTITIONER: "Early Help practitioner",
            ReferrerRole.SOCIAL_WORKER: "Social worker",
            ReferrerRole.OTHER_CFS_PRACTITIONER: "Other Children and Family Services practitioner",
        }[self]


class RouteKind(StrEnum):
    EARLY_HELP_HUB = "early_help_hub"
    CASE_MANAGEMENT = "case_management_decision"

    @property
    def label(self) -> str:
        return {
            RouteKind.EARLY_HELP_HUB: "Early Help Hub general request form",
            RouteKind.CASE_MANAGEMENT: "Case management decision agreed by a team manager",
        }[self]


class CarerRelationship(StrEnum):
    BIRTH_PARENT = "birth_parent"
    FOSTER_CARER = "foster_carer"
    ADOPTIVE_PARENT = "adoptive_parent"
    KINSHIP_CARER = "kinship_carer_or_special_guardian"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            CarerRelationship.BIRTH_PARENT: "Birth parent",
            CarerRelationship.FOSTER_CARER: "Foster carer",
            CarerRelationship.ADOPTIVE_PARENT: "Adoptive parent",
            CarerRelationship.KINSHIP_CARER: "Kinship carer or special guardian",
            CarerRelationship.OTHER: "Other",
        }[self]


class CaseHolderRole(StrEnum):
    CASE_HOLDER = "case_holder"
    LEAD_PROFESSIONAL = "lead_professional"
    NAMED_HEALTH_VISITOR = "named_health_visitor"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Programme(StrEnum):
    INCREDIBLE_YEARS = "incredible_years"
    TRIPLE_P = "triple_p"
    TIME_OUT = "time_out"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            Programme.INCREDIBLE_YEARS: "Incredible Years",
            Programme.TRIPLE_P: "Triple P",
            Programme.TIME_OUT: "Time Out",
            Programme.OTHER: "Other",
        }[self]


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_SURE = "not_sure"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def rank(self) -> int:
        """0 for High: sorts the most urgent first."""
        return [Priority.HIGH, Priority.MEDIUM, Priority.LOW].index(self)


class DecisionOutcome(StrEnum):
    ALLOCATED = "allocated"
    NOT_ACCEPTED = "not_accepted"
    DEFERRED = "deferred"
    MORE_INFORMATION = "more_information"

    @property
    def label(self) -> str:
        return {
            DecisionOutcome.ALLOCATED: "Allocated",
            DecisionOutcome.NOT_ACCEPTED: "Not accepted",
            DecisionOutcome.DEFERRED: "Deferred",
            DecisionOutcome.MORE_INFORMATION: "More information needed",
        }[self]


class NotAcceptedReason(StrEnum):
    CRITERIA_NOT_MET = "criteria_not_met"
    NO_CASE_HOLDER = "no_case_holder"
    ANOTHER_SERVICE = "another_service_better_placed"
    FAMILY_DECLINED = "family_declined"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            NotAcceptedReason.CRITERIA_NOT_MET: "Does not meet the criteria",
            NotAcceptedReason.NO_CASE_HOLDER: "No case holder",
            NotAcceptedReason.ANOTHER_SERVICE: "Another service is better placed",
            NotAcceptedReason.FAMILY_DECLINED: "Family declined",
            NotAcceptedReason.OTHER: "Other",
        }[self]
