"""Durability on real files (speed is measured by `vig-tui benchmark`, not here).

The kill test is the point of the atomic storage: a writer killed at random
moments, mid-save, must always leave a file that opens cleanly with every
save it completed, and nothing half-written.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

from tests.unit.test_store import make_db
from vig_tui.store import Store

REQUESTS = 300
KILLS = 30


def _save_forever(path: str, ready, done) -> None:
    """Child: save request k % REQUESTS with the marker "save k", for ever."""
    store = Store.open(Path(path))
    requests = store.requests()
    k = done.value
    ready.value = 1
    while True:
        k += 1
        request = requests[k % REQUESTS]
        request.notes = f"save {k}"
        store.save(request, base_version=request.version)
        done.value = k


def _markers(store: Store) -> dict[int, int]:
    """Request slot -> the last save marker it holds (0 for none)."""
    found: dict[int, int] = {}
    for slot, request in enumerate(store.requests()):
        found[slot] = int(request.notes.split()[1]) if request.notes.startswith("save ") else 0
    return found


def test_a_writer_killed_mid_save_never_tears_the_file(db_path: Path) -> None:
    make_db(db_path, REQUESTS)
    context = multiprocessing.get_context("fork")
    done = context.RawValue("q", 0)
    rng = random.Random(2026)
    kills = torn_writes = 0
    while kills < KILLS:
        ready = context.RawValue("b", 0)
        child = context.Process(target=_save_forever, args=(str(db_path), ready, done))
        child.start()
        while not ready.value and child.is_alive():
            time.sleep(0.002)
        # Let it finish one or two saves first (counted, not timed: a loaded
        # machine only makes this slower), then kill it at a random moment,
        # usually in the middle of the next.
        wanted = done.value + rng.randint(1, 2)
        while done.value < wanted and child.is_alive():
            time.sleep(0.002)
        assert child.is_alive(), "the writer died on its own"
        time.sleep(rng.uniform(0.0, 0.08))
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        kills += 1
        completed = done.value
        if any(p.name.endswith(".tmp") for p in db_path.parent.iterdir()):
            torn_writes += 1  # killed between creating its temporary file and renaming it

        with Store.open(db_path) as store:  # validates every record
            assert store.count() == REQUESTS
            markers = _markers(store)
        latest = max(markers.values())
        # Every completed save is there; at most the one in flight beyond it.
        assert completed <= latest <= completed + 1
        # And the file is exactly the state after save number `latest`:
        # each slot holds the last save made to it up to then.
        for slot, marker in markers.items():
            last_to_slot = latest - (latest - slot) % REQUESTS
            assert marker == (last_to_slot if last_to_slot > 0 else 0), (slot, marker, latest)
        done.value = latest
        leftovers = [p for p in db_path.parent.iterdir() if p.name.endswith(".tmp")]
        assert leftovers == []  # cleaned at open
    assert done.value > kills  # the writer got real work done between kills
    assert torn_writes > 0, "no kill landed mid-write: the test proved nothing"
    print(f"\n{kills} kills, {torn_writes} mid-write, {done.value} saves")
