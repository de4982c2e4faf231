"""The meeting pack as JSON: the requests, exactly as the store keeps them.

The file is a list of requests in the form ``VigRequest.model_validate`` reads,
so a pack carries requests into another vig-tui database by import. Findings
and suggestions are not included: the importing app works them out again.

A redacted pack is instead an object that says so (``"redacted": true``), with
the notice, the meeting and, beside each redacted request, the child's age at
the meeting (the date of birth is gone): ``vig-tui import`` refuses it, since
its names, dates of birth and contacts are no longer the family's.
"""

from __future__ import annotations

import json

from .content import REDACTION_NOTICE
from .pack import MeetingPack

REDACTED_KEY = "redacted"


def render_json(pack: MeetingPack) -> str:
    requests = [entry.request.model_dump(mode="json") for entry in pack.entries]
    if not pack.redacted:
        return json.dumps(requests, indent=2, ensure_ascii=False) + "\n"
    document = {
        REDACTED_KEY: True,
        "notice": REDACTION_NOTICE,
        "meeting": pack.meeting_date.isoformat(),
        "requests": [
            {"age_at_meeting": entry.child_age, "request": request}
            for entry, request in zip(pack.entries, requests, strict=True)
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
