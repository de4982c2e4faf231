"""On a real server, as in a file: the record of a meeting and an installed checklist
are named service commands that leave a ledger entry (who, old and new), and the
ledger still verifies (issue #10)."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from tests.postgres_server import with_url
from tests.unit.test_checklist_file import four_and_under
from vig_tui.domain.checklist_file import checklist_from_toml
from vig_tui.domain.history import Action, Actor
from vig_tui.domain.models import MeetingRecord
from vig_tui.service import install_checklist, save_meeting_record, verify
from vig_tui.store import open_repository
from vig_tui.store.postgres import add_user

CAROL = Actor(name="Carol Example", role="VIG coordinator", user="carol")


def test_meeting_records_and_checklists_are_in_the_servers_ledger(pg_url: str) -> None:
    login = f"carol_{uuid4().hex[:8]}"
    add_user(pg_url, login, "coordinator", "Carol Example")
    meeting = date(2026, 12, 3)
    with open_repository(with_url(pg_url, user=login)) as server:
        save_meeting_record(server, CAROL, MeetingRecord(meeting=meeting, attendees=["Cam"]))
        save_meeting_record(server, CAROL, MeetingRecord(meeting=meeting, attendees=["Cam", "Dee"]))
        text = four_and_under()
        install_checklist(server, CAROL, checklist_from_toml(text).version, text)
        ledger = server.ledger()  # type: ignore[attr-defined]
        report = verify(server)
    made, changed, installed = ledger[-3:]
    assert (made.action, made.who) == (Action.MEETING_RECORDED, CAROL)
    assert [(c.old, c.new) for c in changed.changes] == [(["Cam"], ["Cam", "Dee"])]
    assert (installed.action, installed.changes[0].new) == (Action.CHECKLIST_INSTALLED, "2027.1")
    assert report.whole, report.summary()
