"""What travels inside a sealed file: requests to the service, decisions back."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from ..domain.models import DecisionOutcome, NotAcceptedReason, Priority, VigRequest
from .sealing import ExchangeError

REQUEST_FILE: Literal["vig-request-file"] = "vig-request-file"
DECISION_NOTICE: Literal["vig-decision-notice"] = "vig-decision-notice"
_Short = Annotated[str, StringConstraints(max_length=200)]
_Long = Annotated[str, StringConstraints(max_length=20_000)]
_Key = Annotated[str, StringConstraints(pattern=r"^age1[02-9ac-hj-np-z]{58}$")]


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sender(_Document):
    """Who sent a request file, from their profile."""

    name: _Short
    role: _Short = ""
    team: _Short = ""
    phone: _Short = ""
    email: _Short = ""
    user: _Short = ""
    machine: _Short = ""


class RequestFile(_Document):
    """One or more requests, with their histories, sent to the service."""

    kind: Literal["vig-request-file"] = REQUEST_FILE
    format: Literal[1] = 1
    sent_at: datetime
    sender: Sender
    #: The sender's own public key: the service seals its decisions back to it.
    sender_key: _Key
    requests: list[VigRequest] = Field(min_length=1, max_length=1_000)


class NoticeItem(_Document):
    """One decision, for the referrer's copy of the request."""

    request_id: UUID
    reference: _Short
    meeting: date
    outcome: DecisionOutcome
    recorded_at: datetime
    practitioner_name: _Short = ""
    reason: _Long = ""
    note: _Long = ""
    information_needed: _Long = ""
    information_from: _Short = ""
    #: Added for the referrer's copy (issue #11 §4): the priority given, why it was not
    #: accepted, and the meeting that considers it next (deferred, more information).
    priority: Priority | None = None
    not_accepted_reason: NotAcceptedReason | None = None
    next_meeting: date | None = None


class DecisionNotice(_Document):
    """The decisions of one meeting on one referrer's requests."""

    kind: Literal["vig-decision-notice"] = DECISION_NOTICE
    format: Literal[1] = 1
    sent_at: datetime
    service_name: _Short
    service_email: _Short
    meeting: date
    decisions: list[NoticeItem] = Field(min_length=1, max_length=1_000)


def read_document(document: dict[str, object], *, name: str) -> RequestFile | DecisionNotice:
    """The request file or decision notice in an opened sealed file, checked whole."""
    kinds: dict[object, type[RequestFile] | type[DecisionNotice]] = {
        REQUEST_FILE: RequestFile,
        DECISION_NOTICE: DecisionNotice,
    }
    model = kinds.get(document.get("kind"))
    if model is None:
        raise ExchangeError(f"{name} holds neither requests nor decisions for vig-tui.")
    try:
        return model.model_validate(document)
    except ValidationError as error:
        problems = error.errors(include_url=False)
        first = problems[0]
        where = ".".join(str(part) for part in first["loc"]) or "the document"
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise ExchangeError(
            f"{name} cannot be used: {where}: {first['msg']}{more}. Nothing from it was used."
        ) from None
