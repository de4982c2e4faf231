"""Deleting a request for good under a retention rule (``Repository.expunge``), on every
backend: the request and its whole history go, the ledger keeps a tombstone, the record
still verifies, and the family's words are found nowhere (the file and its kept copies;
every table of the server)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest

from tests.unit.conftest import Backend
from tests.unit.test_store import full_request
from vig_tui.domain.history import Action, Actor, Change
from vig_tui.domain.models import RequestStatus, VigRequest
from vig_tui.service import verify
from vig_tui.store import (
    KeepsLedger,
    Repository,
    RequestNotFound,
    VersionConflict,
    open_repository,
)
from vig_tui.store.generations import kept_copy_paths

#: Words only the family's request holds: none may survive the expunge.
CHILD = "Zephyrine Quarrington"
NOTE = "Lives above the Kittiwake Bakery"
RULE = "Closed requests: kept 7 years after closing"
COORDINATOR = Actor(name="Cora Ordinator", role="VIG coordinator", user="cora")


def _family_request(repository: Repository, actor: Actor) -> VigRequest:
    """A sent request naming the family in its answers and in its history's old and new values."""
    request = full_request(1, decisions=[])  # a referrer's: no decision on it yet
    request.child.name = CHILD
    stored = repository.save(request, base_version=None)
    sent = repository.submit(stored, date(2026, 1, 6), base_version=stored.version, who=actor)
    sent.notes = NOTE
    sent.record(
        actor,
        Action.CORRECTED,
        "Notes corrected",
        changes=[Change(field="notes", label="Notes", old="note 1", new=NOTE)],
        reason=f"{CHILD}'s family moved",
    )
    return repository.save(sent, base_version=sent.version)


def _neighbour(repository: Repository, actor: Actor) -> VigRequest:
    other = full_request(2)
    return repository.save(other, base_version=None)


def _family_words_found(backend: Backend, repository: Repository, tmp_root: Path) -> list[str]:
    """Where the family's words are still stored: files under the test's folder, or rows
    of any table in the server's ``vig`` schema."""
    found = []
    if backend.name == "tinydb":
        for path in sorted(tmp_root.rglob("*")):
            if path.is_file():
                data = path.read_bytes()
                found += [f"{path}: {word}" for word in (CHILD, NOTE) if word.encode() in data]
        return found
    url = repository.url  # type: ignore[attr-defined]
    with psycopg.connect(url) as connection:
        tables = connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'vig'"
        ).fetchall()
        for (table,) in tables:
            rows = connection.execute(f"SELECT t::text FROM vig.{table} t").fetchall()
            found += [
                f"vig.{table}: {word}" for (row,) in rows for word in (CHILD, NOTE) if word in row
            ]
    return found


def test_expunge_removes_the_request_and_its_history_and_the_record_still_verifies(
    backend: Backend, actor: Actor, tmp_path: Path
) -> None:
    with backend.open() as repository:
        family = _family_request(repository, actor)
        neighbour = _neighbour(repository, actor)
        assert _family_words_found(backend, repository, tmp_path)  # the search can find them
        repository.expunge(family.id, base_version=family.version, who=COORDINATOR, rule=RULE)
        with pytest.raises(RequestNotFound):
            repository.get(family.id)
        assert repository.find_reference(family.reference or "") is None
        assert [s.id for s in repository.summaries()] == [neighbour.id]
        assert repository.get(neighbour.id) == neighbour
        report = verify(repository)
        assert report.whole, report.summary()
        assert report.requests == 1
        assert _family_words_found(backend, repository, tmp_path) == []
    with backend.open() as repository:  # and so it stays, opened again
        assert verify(repository).whole
        assert repository.count() == 1


def test_the_ledger_keeps_a_tombstone_of_reference_date_who_and_rule(
    backend: Backend, actor: Actor
) -> None:
    with backend.open() as repository:
        if not isinstance(repository, KeepsLedger):
            pytest.skip("this backend keeps no ledger yet")
        family = _family_request(repository, actor)
        repository.expunge(family.id, base_version=family.version, who=COORDINATOR, rule=RULE)
        tombstone = repository.ledger()[-1]
    assert tombstone.action == Action.EXPUNGED
    assert tombstone.reference == family.reference == "VIG-2026-0001"
    assert tombstone.request_id == family.id
    assert tombstone.who == COORDINATOR
    assert tombstone.reason == RULE and RULE in tombstone.summary
    assert tombstone.at.date() == date.today()
    assert tombstone.changes == []


def test_a_draft_is_expunged_by_its_id(backend: Backend, actor: Actor) -> None:
    with backend.open() as repository:
        draft = full_request(3)
        draft.child.name = CHILD
        stored = repository.save(draft, base_version=None)
        assert stored.status is RequestStatus.DRAFT
        repository.expunge(stored.id, base_version=stored.version, who=COORDINATOR, rule=RULE)
        assert repository.count() == 0
        assert verify(repository).whole
        if isinstance(repository, KeepsLedger):
            tombstone = repository.ledger()[-1]
            assert (tombstone.reference, tombstone.request_id) == (None, stored.id)


def test_a_stale_or_unknown_expunge_is_refused_and_nothing_goes(
    backend: Backend, actor: Actor
) -> None:
    with backend.open() as repository:
        family = _family_request(repository, actor)
        with pytest.raises(VersionConflict):
            repository.expunge(
                family.id, base_version=family.version - 1, who=COORDINATOR, rule=RULE
            )
        with pytest.raises(RequestNotFound):
            repository.expunge(uuid4(), base_version=1, who=COORDINATOR, rule=RULE)
        with pytest.raises(ValueError, match="retention rule"):
            repository.expunge(family.id, base_version=family.version, who=COORDINATOR, rule=" ")
        assert repository.get(family.id) == family
        assert verify(repository).whole


# The file: its kept copies


def test_the_kept_copies_lose_the_request_and_each_still_verifies(
    db_path: Path, actor: Actor
) -> None:
    with open_repository(db_path) as repository:
        family = _family_request(repository, actor)
        neighbour = _neighbour(repository, actor)
        repository.expunge(family.id, base_version=family.version, who=COORDINATOR, rule=RULE)
    copies = kept_copy_paths(db_path)
    assert len(copies) == 3
    for copy in copies:
        assert CHILD.encode() not in copy.read_bytes() and NOTE.encode() not in copy.read_bytes()
        assert copy.stat().st_mode & 0o777 == 0o600
        with open_repository(copy, read_only=True) as earlier:
            report = verify(earlier)
            assert report.whole, f"{copy.name}: {report.summary()}"
            assert family.id not in {s.id for s in earlier.summaries()}
            ledger = earlier.ledger()  # type: ignore[attr-defined]
            assert ledger[-1].action == Action.EXPUNGED
    with open_repository(copies[0], read_only=True) as newest_copy:
        assert [s.id for s in newest_copy.summaries()] == [neighbour.id]


def test_a_damaged_kept_copy_that_holds_the_request_is_removed(db_path: Path, actor: Actor) -> None:
    with open_repository(db_path) as repository:
        family = _family_request(repository, actor)
        _neighbour(repository, actor)
        damaged = kept_copy_paths(db_path)[0]
        data = bytearray(damaged.read_bytes())
        data[data.index(CHILD.encode())] ^= 0x01  # the checksum no longer matches
        damaged.unlink()  # a hard link to an earlier database: write a separate file
        damaged.write_bytes(bytes(data))
        assert len(kept_copy_paths(db_path)) == 3
        repository.expunge(family.id, base_version=family.version, who=COORDINATOR, rule=RULE)
    copies = kept_copy_paths(db_path)
    assert len(copies) == 2  # the damaged one (moved along to copy 2) is gone
    damaged_name = CHILD.encode()[1:]  # its first letter was the byte changed
    for copy in copies:
        assert damaged_name not in copy.read_bytes()


# The server: only the coordinator


@pytest.fixture
def server_people(pg_url: str) -> dict[str, str]:
    from tests.postgres_server import with_url
    from vig_tui.store.postgres import add_user

    urls = {}
    for who, role in (("alice", "referrer"), ("carol", "coordinator")):
        login = f"{who}_{uuid4().hex[:8]}"
        add_user(pg_url, login, role, f"{who.title()} Example")
        urls[who] = with_url(pg_url, user=login)
    return urls


def test_on_the_server_a_referrer_may_not_expunge_and_the_coordinator_may(
    server_people: dict[str, str], actor: Actor
) -> None:
    from vig_tui.store.postgres.connection import AccessRefused

    with open_repository(server_people["alice"]) as referrer:
        mine = _family_request(referrer, actor)
        with pytest.raises(AccessRefused):
            referrer.expunge(mine.id, base_version=mine.version, who=actor, rule=RULE)
        assert referrer.get(mine.id) == mine
    with psycopg.connect(server_people["alice"], autocommit=True) as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(
                "SELECT vig.expunge(%s, %s, %s::jsonb, 'x', NULL)",
                (mine.id, mine.version, '{"action": "expunged"}'),
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("DELETE FROM vig.history WHERE request_id = %s", (mine.id,))
    with open_repository(server_people["carol"]) as coordinator:
        coordinator.expunge(mine.id, base_version=mine.version, who=COORDINATOR, rule=RULE)
        assert coordinator.count() == 0
        assert verify(coordinator).whole


def test_on_the_server_history_rows_stay_append_only_outside_expunge(
    pg_url: str, actor: Actor
) -> None:
    """Even the database's owner, setting the flag expunge uses, deletes no other request's rows."""
    with open_repository(pg_url) as repository:
        family = _family_request(repository, actor)
    with psycopg.connect(pg_url) as connection:
        connection.execute("SELECT set_config('vig.expunging', %s, true)", (str(uuid4()),))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("DELETE FROM vig.history WHERE request_id = %s", (family.id,))


def test_on_the_server_a_change_kept_on_this_computer_goes_too(pg_url: str, actor: Actor) -> None:
    """A change kept while the server was away (store/recovery.py) holds the family's
    words in a file of this computer's: expunging the request removes it."""
    from vig_tui.store.recovery import keep, kept

    with open_repository(pg_url) as repository:
        family = _family_request(repository, actor)
        keep(repository.location, family, family.version)
        assert [c.request.id for c in kept(repository.location)] == [family.id]
        repository.expunge(family.id, base_version=family.version, who=COORDINATOR, rule=RULE)
        assert kept(repository.location) == []


def test_a_copy_that_can_be_neither_rewritten_nor_removed_is_named(
    db_path: Path, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a disk that refuses would: the request is gone from the database, the other
    copies are rewritten, and the message names the copy that still holds it."""
    import errno
    import os

    from vig_tui.atomic import temp_prefix
    from vig_tui.store.kept_copies import CopiesStillHoldIt

    stuck = db_path.with_name(db_path.name + ".3")
    real_replace, real_unlink = os.replace, os.unlink

    def replace(source: str, target: str) -> None:
        if Path(source).name.startswith(temp_prefix(stuck)):  # rewriting copy 3
            raise OSError(errno.EROFS, "Read-only file system")
        real_replace(source, target)

    def unlink(path: str, *args: object, **kwargs: object) -> None:
        if Path(path) == stuck:
            raise OSError(errno.EROFS, "Read-only file system")
        real_unlink(path, *args, **kwargs)  # type: ignore[arg-type]

    with open_repository(db_path) as repository:
        family = _family_request(repository, actor)
        monkeypatch.setattr(os, "replace", replace)
        monkeypatch.setattr(os, "unlink", unlink)
        with pytest.raises(CopiesStillHoldIt) as caught:
            repository.expunge(family.id, base_version=family.version, who=COORDINATOR, rule=RULE)
        monkeypatch.undo()
        assert repository.count() == 0
    assert str(stuck) in str(caught.value) and "Delete them by hand" in str(caught.value)
    assert caught.value.left == [f"{stuck} (Read-only file system)"]
    assert CHILD.encode() not in db_path.read_bytes()
    for copy in kept_copy_paths(db_path):
        assert (CHILD.encode() in copy.read_bytes()) == (copy == stuck)
