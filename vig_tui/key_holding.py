"""Keys typed while a screen opens wait for it, then reach what it focuses, in order.

Textual hands each key to whatever has focus at the moment the app reads it
(Textual issue #6605). A pushed screen is the app's screen at once, but it is
built, and focuses its first answer, a little later: keys read in between went
to the screen itself, where no text box takes them, and were lost. Straight
after `n`, Enter and "Sam Penrose", "Your name" could hold "Penrose".

The app reads every key through a :class:`KeyHolder`. While the screen it last
changed to is still being built, or while something asked it to wait (an
action queued until the database opens), keys are held; once the screen has
mounted and had its turn to set focus, they are handed on in the order typed.
A key handed on that opens another screen holds the rest again.

A key only waits if the screen it opens is pushed while the key is read: a
binding that opens a screen is a priority binding whose action pushes it
straight away (not from a worker), or the keys typed after it would go to the
screen being left before the push.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from textual import events
from textual.screen import Screen


class KeyHolder:
    """Keys the app has read, held while it is not ready for them."""

    def __init__(self, hand_on: Callable[[events.Key], Awaitable[object]]) -> None:
        """``hand_on``: how the app handles a key it has read (Textual's own dispatch).

        The app calls :meth:`screen_changed` whenever its screen changes.
        """
        self._hand_on = hand_on
        self._held: deque[events.Key] = deque()
        self._reasons: set[Hashable] = set()
        self._opening: Screen[Any] | None = None

    @property
    def holding(self) -> bool:
        return self._opening is not None or bool(self._reasons)

    async def read(self, key: events.Key) -> None:
        """A key from the terminal: handle it now, or after the keys held before it."""
        self._held.append(key)
        await self._hand_on_held()

    def hold(self, reason: Hashable) -> None:
        """Hold keys until :meth:`release` is called with the same ``reason``."""
        self._reasons.add(reason)

    async def release(self, reason: Hashable, *, drop: bool = False) -> None:
        """Stop holding for ``reason``; ``drop``: forget the keys held so far."""
        self._reasons.discard(reason)
        if drop:
            self._held.clear()
        await self._hand_on_held()

    async def _hand_on_held(self) -> None:
        while self._held and not self.holding:
            await self._hand_on(self._held.popleft())

    def screen_changed(self, screen: Screen[Any]) -> None:
        """The app's screen is now ``screen`` (called at once, before another key is read)."""
        if screen.is_mounted:
            # Back to a screen built before: it has its focus.
            self._opening = None
            screen.app.call_next(self._hand_on_held)
            return
        self._opening = screen
        # The screen's own queue runs this once it has mounted and set the focus
        # it opens with; in the app's queue that focus change then comes first.
        screen.call_later(screen.app.call_later, self._opened, screen)

    async def _opened(self, screen: Screen[Any]) -> None:
        if self._opening is screen:
            self._opening = None
            await self._hand_on_held()
