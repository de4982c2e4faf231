"""The Inbox takes files itself (issue #11 §3: "`vig-tui receive` and an Inbox screen on
the coordinator's Home take request files"): `r`, the file or folder, Enter. By keys at
80x24, on a real register with its real service key and real sealed files: new requests
get the service's references, a passphrase-protected key asks for its passphrase, a
damaged file is refused with its reason and nothing from it is written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.ui.keys import settle
from tests.unit.test_cli_receive import sealed
from tests.unit.test_receiving import request_file, sent_copy
from vig_tui.app import VigApp
from vig_tui.exchange.keys import create_service_key
from vig_tui.screens.inbox import InboxScreen
from vig_tui.screens.receive_dialog import ReceiveDialog, paths_typed
from vig_tui.store import Store, open_repository

TODAY = date(2026, 11, 24)


def shown(app: VigApp, selector: str) -> str:
    widget = app.screen.query_one(selector, Static)
    if not widget.display:
        return ""
    return "\n".join(strip.text for strip in widget.render_lines(widget.region.reset_offset))


def register(tmp_path: Path, secret: str | None = None) -> tuple[Path, str]:
    db = tmp_path / "service" / "register.json"
    db.parent.mkdir(mode=0o700)
    public = create_service_key(db, secret)
    open_repository(db).close()
    return db, public


async def receive_by_keys(app: VigApp, pilot, typed: str, passphrase: str = "") -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)
    assert isinstance(app.screen, InboxScreen)
    await pilot.press("r")
    await settle(pilot)
    assert isinstance(app.screen, ReceiveDialog)
    await pilot.press("ctrl+u", *typed)
    if passphrase:
        await pilot.press("tab", *passphrase)
    await pilot.press("enter")
    await settle(pilot)


async def test_a_folder_of_request_files_is_received_by_keys(tmp_path: Path) -> None:
    db, public = register(tmp_path)
    arrived = tmp_path / "arrived"
    arrived.mkdir()
    first, second = sent_copy(), sent_copy()
    second.child.name = "Jory Pascoe"
    sealed(arrived / "ann.age", request_file(first), public)
    sealed(arrived / "ben.age", request_file(second), public)
    with Store.open(db) as store:
        app = VigApp(store, today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            await receive_by_keys(app, pilot, str(arrived))
            result = shown(app, "#receive-result")
            assert "ann.age: 1 new request: VIG-2026-0001" in result
            assert "ben.age: 1 new request: VIG-2026-0002" in result
            assert shown(app, "#receive-problem") == ""
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, InboxScreen)
        held = {r.child.name: r.reference for r in store.requests()}
    assert held == {first.child.name: "VIG-2026-0001", "Jory Pascoe": "VIG-2026-0002"}


async def test_the_key_s_passphrase_is_asked_and_a_damaged_file_writes_nothing(
    tmp_path: Path,
) -> None:
    db, public = register(tmp_path, secret="harbour lights")
    good = sealed(tmp_path / "good.age", request_file(sent_copy()), public)
    damaged = tmp_path / "damaged.age"
    data = bytearray(good.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with Store.open(db) as store:
        app = VigApp(store, today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            # Without the passphrase: refused, saying why; nothing written.
            await receive_by_keys(app, pilot, str(good))
            assert "type it in the passphrase box" in shown(app, "#receive-problem")
            assert store.requests() == []
            # The passphrase box has the focus: a wrong one is refused, saying so.
            await pilot.press(*"harbour light", "enter")
            await settle(pilot)
            assert "That passphrase does not open" in shown(app, "#receive-problem")
            assert store.requests() == []
            # Put right where the focus stays; then the damaged file is refused whole, and
            # the paths box has the focus again, to put it right.
            await pilot.press("s", "shift+tab", "ctrl+u", *str(damaged), "enter")
            await settle(pilot)
            assert "damaged.age" in shown(app, "#receive-problem")
            assert store.requests() == []
            # The good one: taken.
            await pilot.press("ctrl+u", *str(good), "enter")
            await settle(pilot)
            assert "1 new request: VIG-2026-0001" in shown(app, "#receive-result")
        assert [r.reference for r in store.requests()] == ["VIG-2026-0001"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("/tmp/one.age /tmp/two.age", ["/tmp/one.age", "/tmp/two.age"]),
        ('"/tmp/a b.age" /tmp/c.age', ["/tmp/a b.age", "/tmp/c.age"]),
        ('/tmp/unclosed "quote', ['/tmp/unclosed "quote']),
    ],
)
def test_paths_are_read_as_a_person_types_them(typed: str, expected: list[str]) -> None:
    assert [str(p) for p in paths_typed(typed)] == expected


def test_one_path_with_spaces_that_exists_is_one_path(tmp_path: Path) -> None:
    spaced = tmp_path / "from the email" / "request file.age"
    spaced.parent.mkdir()
    spaced.write_bytes(b"x")
    assert paths_typed(str(spaced)) == [spaced]
