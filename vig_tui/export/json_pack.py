"""The meeting pack as JSON: the requests, exactly as the store keeps them.

The file is a list of requests in the form ``VigRequest.model_validate`` reads,
so a pack carries requests into another vig-tui database by import. Findings
and suggestions are not included: the importing app works them out again.
"""

from __future__ import annotations

import json

from .pack import MeetingPack


def render_json(pack: MeetingPack) -> str:
    requests = [entry.request.model_dump(mode="json") for entry in pack.entries]
    return json.dumps(requests, indent=2, ensure_ascii=False) + "\n"
