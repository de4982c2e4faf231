"""Decisions sent back (issue #11 §4): after a meeting, one notice per referrer with the
decisions on their requests, sealed to the key that came in their request file, and a
readable letter (Markdown) for a referrer without the app."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import write_atomically
from ..domain.checklist import checklist_in_use
from ..domain.dates import format_date
from ..domain.models import Decision, DecisionOutcome, VigRequest
from ..domain.wording import plural
from ..exchange.payloads import DecisionNotice, NoticeItem
from ..exchange.sealing import seal
from ..export.markdown_pack import escape, escape_block
from ..private_folders import ensure_private_folder

if TYPE_CHECKING:
    from ..store import Repository


@dataclass
class Notice:
    """The decisions of one meeting for one referrer."""

    sender_name: str
    sender_email: str
    sender_key: str
    document: DecisionNotice
    requests: list[VigRequest]


@dataclass
class MeetingNotices:
    notices: list[Notice] = field(default_factory=list)
    #: Decided at the meeting, but not received by file: no key to seal a notice to.
    not_by_file: list[VigRequest] = field(default_factory=list)


def _decision_at(request: VigRequest, meeting: date) -> Decision | None:
    found = [d for d in request.decisions if d.meeting == meeting]
    return found[-1] if found else None


def notice_item(request: VigRequest, decision: Decision) -> NoticeItem:
    """One decision as the referrer's copy takes it."""
    assert request.reference is not None
    moved_on = decision.outcome in (DecisionOutcome.DEFERRED, DecisionOutcome.MORE_INFORMATION)
    latest = request.latest_decision is decision
    return NoticeItem(
        request_id=request.id,
        reference=request.reference,
        meeting=decision.meeting,
        outcome=decision.outcome,
        recorded_at=decision.recorded_at,
        practitioner_name=decision.practitioner_name,
        reason=decision.reason,
        note=decision.note,
        information_needed=decision.information_needed,
        information_from=decision.information_from,
        priority=decision.priority,
        not_accepted_reason=decision.not_accepted_reason,
        next_meeting=request.meeting if moved_on and latest else None,
    )


def meeting_notices(store: Repository, meeting: date, *, sent_at: datetime) -> MeetingNotices:
    """The notices of the meeting held on ``meeting``: its decisions on requests received
    by file, grouped by the key of the referrer who sent them."""
    checklist = checklist_in_use()
    groups: dict[str, list[tuple[VigRequest, NoticeItem]]] = {}
    result = MeetingNotices()
    for request in store.agenda(meeting):
        decision = _decision_at(request, meeting)
        if decision is None or request.reference is None:
            continue
        receipt = request.received
        if receipt is None or not receipt.sender_key:
            result.not_by_file.append(request)
            continue
        groups.setdefault(receipt.sender_key, []).append((request, notice_item(request, decision)))
    for key, group in groups.items():
        receipt = group[0][0].received
        assert receipt is not None
        document = DecisionNotice(
            sent_at=sent_at,
            service_name=checklist.service_name,
            service_email=checklist.service_email,
            meeting=meeting,
            decisions=[item for _, item in group],
        )
        result.notices.append(
            Notice(
                receipt.sender_name,
                receipt.sender_email,
                key,
                document,
                [request for request, _ in group],
            )
        )
    return result


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:40] or "referrer"


def letter(notice: Notice) -> str:
    """The notice as a letter a person reads (Markdown; everything embedded escaped).
    The child is named by initials only: the letter travels by email."""
    document = notice.document
    held = format_date(document.meeting)
    out = [
        f"# {escape(document.service_name)}: decisions of the allocation meeting on {held}",
        "",
        f"To {escape(notice.sender_name or 'the referrer')}.",
        "",
        f"The meeting decided on {plural(len(document.decisions), 'request')} you sent. "
        "If you use vig-tui, take the sealed file that came with this letter with "
        "`vig-tui receive FILE`: your copies then show each decision and the service's "
        "reference.",
        "",
    ]
    for request, item in zip(notice.requests, document.decisions, strict=True):
        heading = item.reference
        local = request.local_number
        if local:
            heading += f" (your number {local})"
        out += [f"## {escape(heading)}", ""]
        if request.child.initials:
            out += [f"- Child: {escape(request.child.initials)}"]
        out += [f"- Decision: {escape(item.outcome.label)}"]
        if item.practitioner_name:
            out += [f"- VIG practitioner allocated: {escape(item.practitioner_name)}"]
        if item.priority:
            out += [f"- Priority: {escape(item.priority.label)}"]
        if item.not_accepted_reason:
            out += [f"- Why not accepted: {escape(item.not_accepted_reason.label)}"]
        if item.information_needed:
            out += [f"- Information needed from {escape(item.information_from)}:"]
            out += ["", *escape_block(item.information_needed)]
        if item.next_meeting:
            out += [f"- To be considered again on {format_date(item.next_meeting)}"]
        for title, text in (("Reasons", item.reason), ("Note for you", item.note)):
            if text:
                out += ["", f"**{title}:**", "", *escape_block(text)]
        out += [""]
    out += [
        f"Questions: {escape(document.service_email)}.",
        "",
    ]
    return "\n".join(out)


def write_notices(notices: MeetingNotices, folder: Path) -> list[tuple[Notice, Path, Path]]:
    """Each notice sealed to its referrer's key (``.age``) with its letter (``.md``) in
    ``folder`` (made owner-only); returns each notice with its two files."""
    ensure_private_folder(folder)
    written: list[tuple[Notice, Path, Path]] = []
    used: set[str] = set()
    for notice in notices.notices:
        stem = f"vig-decisions-{notice.document.meeting.isoformat()}-{_slug(notice.sender_name)}"
        name, number = stem, 2
        while name in used:
            name, number = f"{stem}-{number}", number + 1
        used.add(name)
        sealed_path, letter_path = folder / f"{name}.age", folder / f"{name}.md"
        sealed = seal(notice.document.model_dump(mode="json"), notice.sender_key)
        write_atomically(sealed_path, sealed)
        write_atomically(letter_path, letter(notice).encode("utf-8"))
        written.append((notice, sealed_path, letter_path))
    return written
