"""Typing a whole request by keys alone, as a worker would (Tab, Enter, arrows, letters)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from textual import events
from textual.app import App
from textual.pilot import Pilot

#: Named keys (and the character they type); anything else is text, a key a character.
NAMED = {
    "tab": None,
    "enter": "\r",
    "space": " ",
    "slash": "/",
    "up": None,
    "down": None,
    "ctrl+s": None,
    "ctrl+u": None,
}


def burst(app: App[None], *keys: str) -> None:
    """Queue keys as a terminal would, without waiting for any of them to be handled.

    ``pilot.press`` waits for the app to go idle after each key, so it never
    shows what happens to keys that arrive while the app is busy.
    """
    for item in keys:
        if item in NAMED:
            app.post_message(events.Key(item, NAMED[item]))
        else:
            for character in item:
                name = "space" if character == " " else character
                app.post_message(events.Key(name, character))


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*text)


async def fill_about_you(pilot: Pilot[None], *, role_downs: int = 1) -> None:
    """Name, role (default: Early Help practitioner, one below Health visitor), team, phone."""
    await pilot.press("ctrl+u")  # the name filled in from the profile
    await type_text(pilot, "Sam Pen")
    await pilot.press("tab", *["down"] * role_downs, "enter", "tab")
    await type_text(pilot, "EH West")
    await pilot.press("tab")
    await type_text(pilot, "01209614128")
    await pilot.press("enter")


async def fill_route(pilot: Pilot[None]) -> None:
    await pilot.press("enter", "tab")
    await type_text(pilot, "EH12")
    await pilot.press("enter")


async def fill_child_family(pilot: Pilot[None], *, born: str = "3/12/2024") -> None:
    await type_text(pilot, "Amy Tre")
    await pilot.press("tab")
    await type_text(pilot, born)
    await pilot.press(*["tab"] * 6)  # gender, address, postcode, setting, language, name
    await type_text(pilot, "Kez Tre")
    await pilot.press("tab", "enter", "tab", "enter")


async def fill_case_holder(pilot: Pilot[None]) -> None:
    await pilot.press("enter", "tab")
    await type_text(pilot, "Jan Hock")
    await pilot.press("tab", "enter", "tab", "tab", "tab")
    await type_text(pilot, "jh@ex.org")
    await pilot.press("enter")


async def fill_evidence(pilot: Pilot[None]) -> None:
    await pilot.press("space", "tab")
    await type_text(pilot, "Cold")
    await pilot.press(*["tab"] * 6)
    await type_text(pilot, "1/9/2026")
    await pilot.press("enter")


async def fill_before_you_send(pilot: Pilot[None]) -> None:
    for _ in range(4):
        await pilot.press("enter", "tab")
        await type_text(pilot, "Yes")
        await pilot.press("tab")
    # Carer agrees: Yes; interpreter: No; past the notes to Continue (before Back).
    await pilot.press("enter", "tab", "down", "enter", "tab", "tab", "enter")


async def fill_whole_request(pilot: Pilot[None]) -> None:
    """From Home: n, then every section in order (the task list offers the next one)."""
    await pilot.press("n")
    for fill in (
        fill_about_you,
        fill_route,
        fill_child_family,
        fill_case_holder,
        fill_evidence,
        fill_before_you_send,
    ):
        await pilot.press("enter")
        await pilot.pause()
        await fill(pilot)
        await pilot.pause()


async def until(pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 20) -> None:
    """Let the app run until ``condition()`` holds: on a busy machine a screen, a worker
    or a focus move can take more than one pause. Fails (with the condition) after
    ``seconds``; a test never passes by waiting."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {seconds} s: {condition}")
        await pilot.pause(0.02)


async def settle(pilot: Pilot[None], seconds: float = 20) -> None:
    """Let the app finish what the last key started: its workers (saves, loads) and the
    messages they post. Fails if the workers are still busy after ``seconds``."""
    await pilot.pause()
    await asyncio.wait_for(pilot.app.workers.wait_for_complete(), seconds)
    await pilot.pause()
