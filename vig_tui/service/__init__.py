"""Named commands: every change to the service's records, each leaving one history entry.

Screens and the command line call these with the :class:`~vig_tui.domain.history.Actor`
making the change; no screen writes history itself. Commands about one request
append one entry to its hash-chained history (see :mod:`vig_tui.domain.history`);
those about the service as a whole (settings, the roster, a moved meeting) and
which requests exist (created, imported, deleted) go in the store's ledger.
"""

from __future__ import annotations

from .audit import AuditProblem, AuditReport, verify
from .commands import (
    CommandError,
    Visit,
    change_settings,
    close,
    correct,
    decide,
    delete_draft,
    end_visit,
    import_requests,
    install_checklist,
    move_meeting,
    record_visit,
    save_meeting_record,
    save_practitioner,
    send,
    start_request,
    withdraw,
)
from .work import (
    close_work,
    record_consent,
    record_cycle,
    record_helping_questions,
    start_work,
    withdraw_consent,
)

__all__ = [
    "AuditProblem",
    "AuditReport",
    "CommandError",
    "Visit",
    "change_settings",
    "close",
    "close_work",
    "correct",
    "decide",
    "delete_draft",
    "end_visit",
    "import_requests",
    "install_checklist",
    "move_meeting",
    "record_consent",
    "record_cycle",
    "record_helping_questions",
    "record_visit",
    "save_meeting_record",
    "save_practitioner",
    "send",
    "start_request",
    "start_work",
    "verify",
    "withdraw",
    "withdraw_consent",
]
