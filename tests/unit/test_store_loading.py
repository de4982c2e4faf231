"""Opening quickly: summaries built from the stored documents, and validation
in the background for the app, without ever letting a bad file be written."""

from __future__ import annotations

import json
import shutil
from datetime import date
from uuid import UUID

import pytest

from tests.db_files import read_tables, write_tables
from tests.unit.test_store import full_request, make_db, snapshot
from vig_tui.domain.priority import priority_factors
from vig_tui.store import CorruptDatabaseError, RequestSummary, Store, checksum, written
from vig_tui.tools.demo import generate_requests


def test_a_summary_of_the_stored_document_matches_the_request() -> None:
    for request in generate_requests(60, today=date(2026, 11, 24), seed=3):
        summary = RequestSummary.of_document(request.model_dump(mode="json"))
        assert summary.factors == priority_factors(request)
        assert (summary.id, summary.reference, summary.status, summary.meeting) == (
            request.id,
            request.reference,
            request.status,
            request.meeting,
        )
        assert summary.child_dob == request.child.date_of_birth
        allocated = [d for d in request.decisions if d.outcome.value == "allocated"]
        assert summary.allocated_priority == (allocated[-1].priority if allocated else None)


def test_summaries_follow_saves(db_path) -> None:
    with Store.open(db_path) as store:
        request = store.save(full_request(1), base_version=None)
        request.child.name = "Renamed Child"
        store.save(request, base_version=request.version)
        [summary] = store.summaries()
        assert summary.child_name == "Renamed Child"


def _with_a_bad_record(db_path) -> None:
    make_db(db_path, 5)
    tables = read_tables(db_path)
    # Readable enough to summarise, but not a valid request.
    tables["requests"]["4"]["considerations"]["assessment"]["answer"] = "perhaps"
    write_tables(db_path, tables)


def test_background_validation_opens_then_refuses_every_write(db_path) -> None:
    _with_a_bad_record(db_path)
    before = snapshot(db_path)
    with Store.open(db_path, validate_in_background=True) as store:
        assert store.count() == 5
        with pytest.raises(CorruptDatabaseError) as caught:
            store.validated(timeout=30)
        assert "record 4 of 5" in str(caught.value)
        assert "considerations.assessment.answer" in str(caught.value)
        request = full_request(9)
        with pytest.raises(CorruptDatabaseError):
            store.save(request, base_version=request.version)
    assert snapshot(db_path) == before


def test_eager_validation_refuses_to_open_the_same_file(db_path) -> None:
    _with_a_bad_record(db_path)
    before = snapshot(db_path)
    with pytest.raises(CorruptDatabaseError, match=r"considerations\.assessment\.answer"):
        Store.open(db_path)
    assert snapshot(db_path) == before


def test_background_validation_of_a_good_file_allows_saving(db_path) -> None:
    make_db(db_path, 20)
    with Store.open(db_path, validate_in_background=True) as store:
        assert store.validated(timeout=30) is True
        request = store.get(store.summaries()[3].id)
        request.notes = "changed after a background check"
        store.save(request, base_version=request.version)
    with Store.open(db_path) as store:
        assert store.get(request.id).notes == "changed after a background check"


def test_a_delayed_check_waits_until_the_first_write_asks_for_it(db_path) -> None:
    make_db(db_path, 20)
    written.forget(db_path)  # not known to be what vig-tui wrote: checked
    with Store.open(db_path, validate_in_background=True, validate_after=600) as store:
        assert store.validated(timeout=0.2) is False  # still waiting its turn
        request = store.get(store.summaries()[0].id)
        request.notes = "saved before the delayed check was due"
        # The save starts the check at once and waits for it.
        store.save(request, base_version=request.version)
        assert store.validated(timeout=0) is True
    with Store.open(db_path) as store:
        assert store.get(request.id).notes == "saved before the delayed check was due"


def test_a_delayed_check_still_refuses_to_write_over_a_bad_record(db_path) -> None:
    _with_a_bad_record(db_path)
    before = snapshot(db_path)
    with (
        Store.open(db_path, validate_in_background=True, validate_after=600) as store,
        pytest.raises(CorruptDatabaseError, match="record 4 of 5"),
    ):
        store.save(full_request(9), base_version=None)
    assert snapshot(db_path) == before


def test_an_old_file_with_a_bad_record_is_not_upgraded_over(db_path) -> None:
    """Upgrading rewrites the file, so an old file is checked before that, even
    when the app asked for the check in the background."""
    _with_a_bad_record(db_path)
    tables = read_tables(db_path)
    del tables["meta"]  # a file from before versions were kept: it needs upgrading
    write_tables(db_path, tables)
    before = snapshot(db_path)
    with pytest.raises(CorruptDatabaseError, match="record 4 of 5"):
        Store.open(db_path, validate_in_background=True, validate_after=600)
    assert snapshot(db_path) == before


# Trusting what vig-tui itself last wrote (store/written.py)


def test_a_file_vig_tui_last_wrote_is_not_checked_again(db_path) -> None:
    make_db(db_path, 20)
    assert written.note_path(db_path).stat().st_mode & 0o777 == 0o600
    with Store.open(db_path, validate_in_background=True, validate_after=600) as store:
        assert store.validated(timeout=0) is True  # no check was needed
        assert store.trusted_because == (
            "it is byte for byte what vig-tui last wrote, under these rules"
        )
    written.forget(db_path)
    with Store.open(db_path) as store:  # checked now, and says so by saying nothing
        assert store.trusted_because is None
    assert written.note_path(db_path).exists()  # the check noted it for the next open
    # Its copy (with the note, as the benchmark copies it) is trusted as well.
    copy = db_path.with_name("copy.json")
    shutil.copyfile(db_path, copy)
    shutil.copyfile(written.note_path(db_path), written.note_path(copy))
    with Store.open(copy, validate_in_background=True, validate_after=600) as store:
        assert store.validated(timeout=0) is True


def test_a_file_resealed_by_hand_or_under_other_rules_is_checked(db_path) -> None:
    make_db(db_path, 5)
    tables = read_tables(db_path)
    tables["requests"]["2"]["notes"] = "changed by hand, checksum recomputed"
    write_tables(db_path, tables)  # sealed, but not what vig-tui last wrote
    with Store.open(db_path, validate_in_background=True, validate_after=600) as store:
        assert store.validated(timeout=0.2) is False  # waiting to check every record
    make_db(db_path.with_name("other.json"), 5)
    other = db_path.with_name("other.json")
    note = json.loads(written.note_path(other).read_text())
    written.note_path(other).write_text(json.dumps({**note, "rules": "an older release"}))
    with Store.open(other, validate_in_background=True, validate_after=600) as store:
        assert store.validated(timeout=0.2) is False


def test_a_trusted_file_with_a_bad_record_names_it_when_it_is_read(db_path) -> None:
    """A record vig-tui would no longer accept in a file it trusts (a rule tightened
    without a new schema version, say) is named when read, not a traceback."""
    make_db(db_path, 5)
    tables = read_tables(db_path)
    tables["requests"]["4"]["considerations"]["assessment"]["answer"] = "perhaps"
    bad_id = tables["requests"]["4"]["id"]
    write_tables(db_path, tables)
    digest = checksum.trailer_digest(db_path.read_bytes())
    assert digest is not None
    written.note(db_path, digest)  # as if vig-tui had written it
    with Store.open(db_path) as store:
        assert store.count() == 5
        with pytest.raises(CorruptDatabaseError, match=r"considerations\.assessment\.answer"):
            store.get(UUID(bad_id))
        with pytest.raises(CorruptDatabaseError, match=r"considerations\.assessment\.answer"):
            store.requests()
        good = store.get(UUID(tables["requests"]["1"]["id"]))
        assert good.version == 1


def _traced(action):  # type: ignore[no-untyped-def]
    """What ``action()`` returns, the memory it left allocated, and its peak (bytes)."""
    import gc
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    try:
        result = action()
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, kept, peak


def test_reading_a_file_does_not_hold_its_bytes_while_parsing(db_path) -> None:
    """Opening's peak memory is the text being parsed and the records made from
    it; the file's bytes are let go first (holding them too was a sixth of
    opening's peak at 10,000 requests)."""
    from vig_tui.store.storage import read_sealed_database_file

    make_db(db_path, 40)
    size = db_path.stat().st_size
    (tables, digest), kept, peak = _traced(lambda: read_sealed_database_file(db_path))
    assert digest is not None and len(tables["requests"]) == 40
    # The text (one byte a character here) on top of the records; the bytes as
    # well would make it at least twice the file.
    assert peak - kept < 1.6 * size, (peak, kept, size)


def test_opening_keeps_one_copy_of_each_record(db_path) -> None:
    """The storage's tracked records replace the plain ones read from the file:
    the store holds the records once, not the read ones beside their copies."""
    from vig_tui.store.storage import AtomicJSONStorage, read_database_file

    make_db(db_path, 20)
    tables = read_database_file(db_path)
    assert tables is not None
    storage = AtomicJSONStorage(db_path, tables=tables)
    held = storage.read()
    assert held is not None
    for name, table in tables.items():
        assert all(held[name][doc_id] is doc for doc_id, doc in table.items())
