"""Gallery shots of sending by file from a referrer's machine (issue #11 §2): the
confirmation that says what to do with the sealed file, and Home while it waits."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from textual.pilot import Pilot

from ..app import VigApp
from ..domain.checklist import checklist_in_use
from ..exchange.keys import create_service_key, load_service_identity, service_key_path
from ..profile import InstalledServiceKey
from ..service.sending import OUTBOX_ENV

if TYPE_CHECKING:
    from .gallery import Shot


async def _send_by_file(pilot: Pilot[None]) -> None:
    """Install a (fictional) service's key, then send the example request by keys."""
    from .gallery import _open_tasks, example_request

    app = pilot.app
    assert isinstance(app, VigApp)
    folder = Path(app.store.location).parent
    checklist = checklist_in_use()
    register = folder / "service-register.json"
    if service_key_path(register).exists():
        public_key = str(load_service_identity(register).to_public())
    else:
        public_key = create_service_key(register)
    app.preferences.service_key = InstalledServiceKey(
        public_key=public_key,
        service_name=checklist.service_name,
        email=checklist.service_email,
        phone=checklist.service_phone,
    )
    previous = os.environ.get(OUTBOX_ENV)
    # A folder of the same name each time (not the gallery's random one), so the shot of
    # the confirmation, which shows the file's full path, is the same at each regeneration.
    outbox = Path(tempfile.gettempdir()) / "vig-gallery-outbox"
    shutil.rmtree(outbox, ignore_errors=True)
    os.environ[OUTBOX_ENV] = str(outbox / "VIG requests to send")
    try:
        await _open_tasks(pilot, example_request())
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    finally:
        shutil.rmtree(outbox, ignore_errors=True)
        if previous is None:
            os.environ.pop(OUTBOX_ENV, None)
        else:
            os.environ[OUTBOX_ENV] = previous


async def _home_waiting(pilot: Pilot[None]) -> None:
    await _send_by_file(pilot)
    await pilot.press("escape")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def shots() -> list[Shot]:
    from .gallery import Shot

    return [
        Shot("confirmation-sent-by-file", _send_by_file),
        Shot("home-sent-by-file", _home_waiting),
    ]
