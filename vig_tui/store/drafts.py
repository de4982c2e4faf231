"""Discarding a draft: the one way a request leaves the records.

Only a draft (never sent, so never seen by the service) may be deleted; a sent
request is withdrawn or closed instead and keeps its history. One small
function over the :class:`~vig_tui.store.repository.Repository`, so the
service layer can wrap it as a named command with its history entry.
"""

from __future__ import annotations

from uuid import UUID

from ..domain.history import UNKNOWN_ACTOR, Actor
from ..domain.models import RequestStatus, VigRequest
from .errors import StoreError
from .repository import Repository


class NotADraftError(StoreError):
    """The request has been sent: it can be withdrawn or closed, not deleted."""


def delete_draft(
    records: Repository, request_id: UUID, *, who: Actor = UNKNOWN_ACTOR, reason: str = ""
) -> VigRequest:
    """Delete the draft ``request_id``; returns it as it was (for the record of it). The
    ledger records ``who`` deleted it, and why.

    Raises :class:`NotADraftError` for a sent request, ``RequestNotFound`` when
    there is none, and ``VersionConflict`` when it changed since it was read.
    """
    draft = records.get(request_id)
    if draft.status is not RequestStatus.DRAFT:
        raise NotADraftError(
            f"{draft.reference or 'This request'} has been sent: it can be withdrawn or "
            "closed from its page, not deleted."
        )
    records.delete(
        request_id, base_version=draft.version, who=who, reason=reason or "Draft deleted"
    )
    return draft
