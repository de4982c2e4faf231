"""Send on a referrer's machine (the service's key installed), by keys at 80x24: one sealed
file in the outbox, the confirmation saying what to do next, Home saying it waits."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from vig_tui.app import VigApp
from vig_tui.domain.models import RequestStatus
from vig_tui.exchange.keys import create_service_key, load_service_identity
from vig_tui.exchange.payloads import RequestFile, read_document
from vig_tui.exchange.sealing import unseal
from vig_tui.preferences import load_preferences, save_preferences
from vig_tui.profile import InstalledServiceKey
from vig_tui.screens.check_answers import CheckAnswersScreen
from vig_tui.screens.confirmation import ConfirmationScreen
from vig_tui.screens.home import HomeScreen
from vig_tui.screens.summary_dialog import SummaryDialog
from vig_tui.screens.walkthrough import RequestWalkthrough
from vig_tui.service.sending import outbox_folder
from vig_tui.store import Store
from vig_tui.tools.gallery import example_request

from .conftest import TODAY

SERVICE_EMAIL = "vig.secure@example.gov.uk"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder of the test's own, with Documents (the outbox goes in there)."""
    folder = tmp_path / "home"
    (folder / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(folder))
    return folder


@pytest.fixture
def register(tmp_path: Path) -> Path:
    """The service's register: only its key is needed here."""
    path = tmp_path / "service" / "register.json"
    path.parent.mkdir()
    public_key = create_service_key(path)
    preferences = load_preferences()
    preferences.service_key = InstalledServiceKey(
        public_key=public_key,
        service_name="VIG Service (test)",
        email=SERVICE_EMAIL,
        phone="01632 960 777",
    )
    save_preferences(preferences)
    return path


def screen_text(app: VigApp) -> str:
    return "\n".join(str(widget.render()) for widget in app.screen.query("Static"))


async def send_by_keys(app: VigApp, pilot, store: Store, *, by_file: bool = True) -> None:  # type: ignore[no-untyped-def]
    request = store.save(example_request(), base_version=0)
    await app.push_screen(RequestWalkthrough(request.id))
    await pilot.pause()
    await pilot.press("c")
    await pilot.pause()
    assert isinstance(app.screen, CheckAnswersScreen)
    if by_file:
        assert SERVICE_EMAIL in screen_text(app)  # the page says where the file goes
    await pilot.press("s")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_send_writes_the_file_and_the_confirmation_says_what_to_do_next(
    home: Path, register: Path, store: Store, tmp_path: Path
) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await send_by_keys(app, pilot, store)
        assert isinstance(app.screen, ConfirmationScreen)
        (sent,) = store.requests()
        assert sent.status is RequestStatus.SUBMITTED
        assert sent.reference is None and sent.meeting is None
        assert sent.local_number == "DRAFT-0000-0001"
        folder = outbox_folder()
        assert folder == home / "Documents" / "VIG requests to send"
        (file,) = folder.iterdir()
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        document = read_document(
            unseal(file.read_bytes(), [load_service_identity(register)], name=file.name),
            name=file.name,
        )
        assert isinstance(document, RequestFile) and document.requests == [sent]
        text = screen_text(app)
        assert "DRAFT-0000-0001" in text
        assert "secure email" in text and SERVICE_EMAIL in text
        assert str(file) in text.replace("\n", "")
        assert "VIG-" not in text
        # Everything the worker needs is on the first screen, without scrolling.
        assert app.screen.query_one("#page").max_scroll_y == 0
        shown = app.export_screenshot().replace("&#160;", " ")
        Path(os.environ.get("VIG_SEND_SHOT", "/dev/null")).write_text(app.export_screenshot())
        for words in ("DRAFT-0000-0001", SERVICE_EMAIL, "secure email"):
            assert words in shown, words

        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, SummaryDialog)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        home_text = screen_text(app)
        assert "Sent by file on 24 November 2026: waiting for the service's reference" in home_text


async def test_without_a_service_key_send_gives_a_reference_as_before(
    home: Path, store: Store
) -> None:
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await send_by_keys(app, pilot, store, by_file=False)
        assert isinstance(app.screen, ConfirmationScreen)
        (sent,) = store.requests()
        assert sent.reference == "VIG-2026-0001" and sent.local_number is None
        assert not (home / "Documents" / "VIG requests to send").exists()


async def test_the_request_page_writes_the_summary_by_keys(
    home: Path, store: Store, tmp_path: Path
) -> None:
    from vig_tui.screens.request_view import RequestViewScreen

    request = store.save(example_request(), base_version=0)
    out = tmp_path / "summaries"
    out.mkdir()
    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(RequestViewScreen(request.id))
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SummaryDialog)
        folder = dialog.query_one("#field-folder")
        folder.value = str(out)  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        (written,) = out.iterdir()
        assert written.name == f"vig-request-summary-draft-{str(request.id)[:8]}.pdf"
        assert written.read_bytes().startswith(b"%PDF")
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
        # Asked again, the same file is never replaced without asking.
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmReplace"
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, SummaryDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RequestViewScreen)


async def test_a_corrected_request_is_sent_again_from_its_page(
    home: Path, register: Path, store: Store
) -> None:
    from vig_tui.screens.request_view import RequestViewScreen

    app = VigApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await send_by_keys(app, pilot, store)
        (sent,) = store.requests()
        await pilot.press("escape")
        await pilot.pause()
        await app.push_screen(RequestViewScreen(sent.id))
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmationScreen)
        (again,) = store.requests()
        assert again.history[-1].summary.startswith("Sent again by file")
        assert again.local_number == sent.local_number
        # The first file is kept; the second takes the next free name.
        names = sorted(file.name for file in outbox_folder().iterdir())
        assert names == ["vig-request-DRAFT-0000-0001-2.age", "vig-request-DRAFT-0000-0001.age"]
        assert "vig-request-DRAFT-0000-0001-2.age" in screen_text(app).replace("\n", "")


async def test_the_gallery_shows_the_confirmation_and_home_when_sent_by_file(
    tmp_path: Path, home: Path
) -> None:
    from vig_tui.tools.gallery import generate_gallery
    from vig_tui.tools.gallery_sending import shots

    written = await generate_gallery(tmp_path / "screens", shots())
    assert [path.name for path in written] == [
        "confirmation-sent-by-file.svg",
        "home-sent-by-file.svg",
    ]
    confirmation, home_page = (path.read_text().replace("&#160;", " ") for path in written)
    assert "Request ready to email" in confirmation and "DRAFT-0000-" in confirmation
    assert "waiting for the service" in home_page
    assert not (home / "Documents" / "VIG requests to send").exists()  # never the real outbox
