"""The Textual app: the keys that work everywhere, saving, themes and the command palette.

Screens do the asking; the app owns what they share: the open store, "today",
saving a request off the UI path, the remembered theme and the help built from
the bindings themselves.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable
from uuid import UUID

from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import Screen
from textual.signal import Signal
from textual.theme import Theme
from textual.timer import Timer

from .key_holding import KeyHolder
from .preferences import Preferences, load_preferences, save_preferences
from .widgets.key_names import binding_key

if TYPE_CHECKING:
    # The domain and the store (pydantic, TinyDB) load in a worker after the
    # first frame, so the home screen appears as quickly as a bare Textual app.
    from .domain.history import Actor
    from .domain.models import VigRequest
    from .service.sending import SentFile
    from .store import Repository

#: Seconds after the database opens before every record is checked in the
#: background (a save starts the check at once): the screens opened first
#: do not share the interpreter with it.
VALIDATE_AFTER = 1.5
#: Seconds between tries to save changes kept while the register could not be reached.
RETRY_KEPT_EVERY = 2.0

#: A theme for low vision: pure black and white, with yellow for focus and action.
HIGH_CONTRAST = Theme(
    name="vig-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    success="#00FF00",
    warning="#FFBF00",
    error="#FF5555",
    dark=True,
    variables={
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "footer-key-foreground": "#FFFF00",
        "input-selection-background": "#FFFF00 40%",
        "border": "#FFFF00",
        "border-blurred": "#FFFFFF",
        "text-muted": "#E0E0E0",
    },
)

READ_ONLY_MESSAGE = "This database is open read-only: nothing you change here is saved."

#: Keys never held (see key_holding.py): quitting is never kept waiting.
UNHELD_KEYS = frozenset({"ctrl+q", "ctrl+c"})

#: Why keys are held while an action waits for the database to open.
WAITING_FOR_DATABASE = "waiting for the database"


#: Seconds between attempts to write a save that failed (a full disk, a lost folder).
RETRY_SAVE_EVERY = 5.0


@runtime_checkable
class HoldsAnswers(Protocol):
    """A screen with answers that must be saved before the app closes or moves away."""

    def save_answers(self, *, now: bool = False, announce: bool = False) -> None:
        """Save what the screen holds (``now``: synchronously, for quitting;
        ``announce``: say when it is written, or why not: Ctrl+S)."""


@dataclass
class Unsaved:
    """A request whose latest save failed: what to write again, and why it failed."""

    #: None: the answers on screen cannot be written as they stand (not retried:
    #: the next save of the request, numbered after it, replaces it).
    snapshot: VigRequest | None
    number: int
    reason: str


def _worth_retrying(error: Exception) -> bool:
    """A full disk may be freed; a change made to an older copy stays a conflict."""
    from .store import VersionConflict

    return not isinstance(error, VersionConflict)


def why_not_saved(error: Exception) -> str:
    """Plain words for any failure of a save (the store's own errors already are)."""
    from pydantic import ValidationError

    from .domain.text import field_problems
    from .store import StoreError

    if isinstance(error, StoreError):
        return str(error)
    if isinstance(error, ValidationError):
        return "; ".join(field_problems(error).values())
    if isinstance(error, OSError):
        return f"the computer could not write the file ({error.strerror or error})"
    return f"something went wrong while saving ({type(error).__name__}: {error})"


class VigCommands(Provider):
    """The command palette's main actions, from the same bindings as the footer and help."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        from .screens.home import HomeScreen

        commands: list[tuple[str, str, Callable[[], object]]] = []
        seen: set[str] = set()
        app = self.app

        def add(binding: Binding, namespace: DOMNode) -> None:
            if binding.tooltip and binding.action not in seen:
                seen.add(binding.action)
                commands.append(
                    (
                        binding.description,
                        binding.tooltip,
                        partial(app.run_action, binding.action, namespace),
                    )
                )

        for active in self.screen.active_bindings.values():
            add(active.binding, active.node)
        for binding in [*HomeScreen.BINDINGS, *VigApp.BINDINGS]:
            if isinstance(binding, Binding):
                add(binding, app)
        return commands

    async def discover(self) -> Hits:
        for title, help_text, command in self._commands():
            yield DiscoveryHit(title, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, command in self._commands():
            score = matcher.match(f"{title} {help_text}")
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, help=help_text)


class VigApp(App[None]):
    """vig-tui: make, check and allocate VIG requests."""

    TITLE = "VIG requests"
    CSS_PATH = "app.tcss"
    #: The app's own commands only: Textual's (screenshot, maximise, its keys panel)
    #: are not the worker's, and listed first they hid the app's.
    COMMANDS = {VigCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f1",
            "help",
            "More keys",
            id="vig.help",
            tooltip="Help: every key that works on this screen",
            priority=True,
        ),
        Binding(
            "question_mark",
            "help",
            "Help",
            show=False,
            id="vig.help_question",
            tooltip="List the keys that work on this screen",
        ),
        Binding(
            "ctrl+s",
            "save",
            "Save",
            id="vig.save",
            tooltip="Save the request you are working on now",
            priority=True,
        ),
        Binding(
            "ctrl+t",
            "change_theme",
            "Theme",
            show=False,
            id="vig.theme",
            tooltip="Choose the colours, including a high-contrast theme",
        ),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            # Listed by F1 everywhere; Home's footer shows q, so other footers keep
            # their room for the screen's own keys at 80 columns.
            show=False,
            id="vig.quit",
            tooltip="Save your work and close vig-tui",
            priority=True,
        ),
    ]

    def get_key_display(self, binding: Binding) -> str:
        """Keys in the footers as everywhere else: "Ctrl+R", "Shift+S", "Esc", "F1"."""
        return binding_key(binding)

    def __init__(
        self,
        store: Repository | None = None,
        *,
        db_path: str | Path | None = None,
        read_only: bool = False,
        today: date | None = None,
    ) -> None:
        """Run on an open ``store``, or open ``db_path`` (default: the user's
        database) in the background once the first screen is drawn (what the
        `vig-tui` command does)."""
        super().__init__()
        self._store = store
        self._pending_action = ""
        self._keys = KeyHolder(self._handle_key)
        # A form app moves focus with almost every key: without scrolling
        # animations each move costs about a quarter less, so fast typists
        # never get ahead of the screen.
        self.animation_level = "none"
        self._db_path = db_path
        self._open_read_only = read_only
        self.today = today or date.today()
        self.preferences: Preferences = load_preferences()
        self._save_lock = threading.Lock()
        self._issued: dict[UUID, int] = {}
        self._written: dict[UUID, int] = {}
        #: Per request: the version a save of this app started from -> the version it
        #: stored. A snapshot taken before an earlier save came back still carries the
        #: old version; it is saved on top of this app's own save, and nobody else's.
        self._stored_over: dict[UUID, dict[int, int]] = {}
        #: Drafts deleted here: a save of one still on its way must not bring it back.
        self._deleted: set[UUID] = set()
        #: Per request: the number of the change kept on this computer (register unreachable).
        self._kept_numbers: dict[UUID, int] = {}
        self._warned_read_only = False
        #: Requests whose latest save failed, tried again every few seconds and on quitting.
        self.unsaved: dict[UUID, Unsaved] = {}
        #: Per request: answers on screen typed in a form it cannot hold (a date that is
        #: not a real date), what is wrong with each; kept out of the saves until corrected.
        self.unreadable: dict[UUID, list[str]] = {}
        self._retrying: Timer | None = None
        self.register_theme(HIGH_CONTRAST)
        #: Published when someone else (on a shared register) changed it: the
        #: screens showing counts and lists read them again.
        self.register_changed: Signal[None] = Signal(self, "register-changed")
        self._stop_watching: Callable[[], None] | None = None

    @property
    def store(self) -> Repository:
        """The open store; only ask once :attr:`store_ready` is True."""
        if self._store is None:
            raise RuntimeError("The database is still being opened")
        return self._store

    @property
    def actor(self) -> Actor:
        """Who the changes made here are attributed to (profile, OS login, machine id)."""
        from .profile import actor

        return actor(self.preferences)

    @property
    def store_ready(self) -> bool:
        return self._store is not None

    @property
    def opened_store(self) -> Repository | None:
        """The store if it was opened (for closing it after the app ends)."""
        return self._store

    @property
    def read_only(self) -> bool:
        return self._store is None or self._store.read_only

    def on_mount(self) -> None:
        if self.preferences.theme in self.available_themes:
            self.theme = self.preferences.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.screen_change_signal.subscribe(self, self._keys.screen_changed, immediate=True)
        if self.preferences.profile is None:
            self.call_after_refresh(self.ask_profile)
        if self._store is not None:
            self._store_opened(self._store)
        else:
            self.sub_title = "Opening the database…"
            self.call_after_refresh(self._open_store)

    # Opening the database, off the UI path: the first frame never waits for it.

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _open_store(self) -> None:
        from .store import DatabaseLockedError, StoreError, default_db_target, open_repository

        path = self._db_path or default_db_target()
        try:
            store = open_repository(
                path,
                read_only=self._open_read_only,
                validate_in_background=True,
                validate_after=VALIDATE_AFTER,
            )
        except DatabaseLockedError as error:
            self.call_from_thread(self._cannot_open, str(error), locked=True)
            return
        except StoreError as error:
            self.call_from_thread(self._cannot_open, str(error), locked=False)
            return
        except (OSError, RecursionError) as error:
            # Whatever the store did not explain still gets a screen, never a silent wait.
            reason = error.strerror if isinstance(error, OSError) else None
            message = f"{path} cannot be opened: {reason or error}. Nothing was changed."
            self.call_from_thread(self._cannot_open, message, locked=False)
            return
        self.call_from_thread(self._store_opened, store)

    def _cannot_open(self, message: str, *, locked: bool) -> None:
        from .screens.startup_problem import StartupProblemScreen

        def chosen(read_only: bool | None) -> None:
            if read_only:
                self._open_read_only = True
                self.sub_title = "Opening the database read-only…"
                self._open_store()
            else:
                self.exit(return_code=3, message=message)

        self.sub_title = "The database could not be opened"
        # Keys typed for the page a pending action was to open are not meant for this one.
        self.call_later(self._keys.release, WAITING_FOR_DATABASE, drop=True)
        self.push_screen(StartupProblemScreen(message, offer_read_only=locked), chosen)

    def _store_opened(self, store: Repository) -> None:
        from .screens.home import HomeScreen

        self._store = store
        self.sub_title = "Read-only: changes are not saved" if store.read_only else ""
        if store.read_only:
            self.notify(READ_ONLY_MESSAGE, title="Read-only", severity="warning", timeout=8)
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.refresh_home()
        self._watch_validation(store)
        if not store.read_only:
            self._save_kept_changes()
        self._watch_others(store)
        if self._pending_action:
            action, self._pending_action = self._pending_action, ""
            self.call_later(self._run_pending, action)

    def _watch_others(self, store: Repository) -> None:
        """On a shared register, hear about everyone's changes (LISTEN/NOTIFY)."""
        from .store import Watchable

        if isinstance(store, Watchable) and self._stop_watching is None:
            self._stop_watching = store.watch(self._changed_elsewhere)

    def _changed_elsewhere(self) -> None:
        """From the watching thread: tell the screens, on the app's own thread."""
        with contextlib.suppress(RuntimeError):  # the app is closing
            self.call_from_thread(self.register_changed.publish, None)

    def on_unmount(self) -> None:
        if self._stop_watching is not None:
            self._stop_watching()
            self._stop_watching = None

    async def _run_pending(self, action: str) -> None:
        """Run the action a key asked for before the database opened; then the keys
        typed after it go on (to the screen it opened, once that is ready)."""
        await self.run_action(action)
        await self._keys.release(WAITING_FOR_DATABASE)

    @work(thread=True, group="validate", exit_on_error=False)
    def _watch_validation(self, store: Repository) -> None:
        """A bad record found after opening stops the app before anything is written."""
        from .store import CorruptDatabaseError

        try:
            store.validated()
        except CorruptDatabaseError as error:
            self.call_from_thread(self._corrupt_after_opening, str(error))

    def _corrupt_after_opening(self, message: str) -> None:
        from .screens.startup_problem import StartupProblemScreen

        self.push_screen(
            StartupProblemScreen(message, offer_read_only=False),
            lambda _: self.exit(return_code=3, message=message),
        )

    # Keys: every key from the terminal goes through the key holder, so keys
    # typed while a screen opens reach it instead of being lost (key_holding.py).

    async def on_event(self, event: events.Event) -> None:
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and event.key not in UNHELD_KEYS
        ):
            await self._keys.read(event)
        else:
            await super().on_event(event)

    async def _handle_key(self, key: events.Key) -> None:
        await super().on_event(key)

    def get_default_screen(self) -> Screen[Any]:
        from .screens.home import HomeScreen

        return HomeScreen()

    def ask_profile(self) -> None:
        """First start (or the command palette): who is the worker? Asked once, kept."""
        from .screens.profile import ProfileScreen

        self.push_screen(ProfileScreen(self.preferences.profile), self._profile_given)

    def action_profile(self) -> None:
        """Home's p: see or change who the worker is, at any time after the first start."""
        self.ask_profile()

    def _profile_given(self, profile: object) -> None:
        from .profile import Profile

        if not isinstance(profile, Profile):
            return
        self.preferences.profile = profile
        try:
            save_preferences(self.preferences)
        except OSError as error:
            self.notify(
                f"Your details are used for now but could not be kept: {error}",
                title="Not saved",
                severity="warning",
            )

    def _remember_theme(self, theme: Theme) -> None:
        if theme.name == self.preferences.theme:
            return
        self.preferences.theme = theme.name
        try:
            save_preferences(self.preferences)
        except OSError as error:
            self.notify(f"Your theme could not be remembered: {error}", severity="warning")

    # Saving: a snapshot is taken on the UI thread and written by a thread
    # worker. Writes of one request are numbered so an older snapshot that
    # finishes late never overwrites a newer one. This is the one place saves
    # happen: whatever a write raises is caught here, shown (a message, and the
    # header's status line until it is written), and the snapshot is kept and
    # written again every few seconds, on Ctrl+S and on quitting. The answers
    # stay on screen; nothing a save meets can take the app down.

    def save_request(self, request: VigRequest, *, announce: bool | str = False) -> bool:
        """Save ``request`` in the background; False (with a message) when read-only.

        ``announce``: say "Draft saved" (or the words given) once it is written, or
        why it was not.
        """
        snapshot = self._snapshot(request, announce=announce)
        if snapshot is None:
            return False
        self._write(snapshot, self._issued[snapshot.id], announce)
        return True

    def save_request_now(self, request: VigRequest) -> bool:
        """Save ``request`` before returning (for quitting); False when it was not written
        (nor kept on this computer for an unreachable register)."""
        snapshot = self._snapshot(request)
        if snapshot is None:
            return False
        return self._write_now(snapshot, self._issued[snapshot.id])

    def not_saved(self, request: VigRequest, error: Exception) -> None:
        """Show that the answers on screen for ``request`` cannot be saved as they stand."""
        self._issued[request.id] = number = self._issued.get(request.id, 0) + 1
        self._not_saved(request.id, None, number, why_not_saved(error))

    def hold_unreadable(self, request_id: UUID, problems: list[str]) -> None:
        """Answers on screen for a request that cannot be saved as typed (empty: none).

        They are not lost silently: the header says so, and quitting asks first."""
        if problems:
            self.unreadable[request_id] = problems
        else:
            self.unreadable.pop(request_id, None)
        self._show_save_status()

    def _snapshot(self, request: VigRequest, *, announce: bool | str = False) -> VigRequest | None:
        from .domain.models import utc_now

        if self.read_only:
            if announce or not self._warned_read_only:
                self._warned_read_only = True
                self.notify(READ_ONLY_MESSAGE, title="Not saved", severity="warning")
            return None
        if request.id in self._deleted:
            return None
        request.updated_at = utc_now()
        self._issued[request.id] = self._issued.get(request.id, 0) + 1
        return request.model_copy(deep=True)

    @work(thread=True, group="save", exit_on_error=False)
    def _write(self, snapshot: VigRequest, number: int, announce: bool | str = False) -> None:
        from .store import RegisterUnreachable

        try:
            self._write_in_order(snapshot, number)
        except RegisterUnreachable as error:
            if self._keep_for_later(snapshot, number, error):
                return
            self.call_from_thread(self._not_saved, snapshot.id, snapshot, number, str(error))
        except Exception as error:  # any failure is shown and retried, never fatal
            reason, retry = why_not_saved(error), _worth_retrying(error)
            self.call_from_thread(
                self._not_saved, snapshot.id, snapshot if retry else None, number, reason
            )
        else:
            self.call_from_thread(self._saved, snapshot.id, number, announce)

    def _write_now(self, snapshot: VigRequest, number: int) -> bool:
        from .store import RegisterUnreachable

        try:
            self._write_in_order(snapshot, number)
        except RegisterUnreachable as error:
            # Kept on this computer; saved when the app next reaches the register.
            if self._keep_for_later(snapshot, number, error, now=True):
                return True
            self._not_saved(snapshot.id, snapshot, number, str(error))
            return False
        except Exception as error:  # any failure is shown and kept for quitting to ask about
            retry = _worth_retrying(error)
            self._not_saved(snapshot.id, snapshot if retry else None, number, why_not_saved(error))
            return False
        self._saved(snapshot.id, number)
        return True

    def _write_in_order(self, snapshot: VigRequest, number: int) -> None:
        with self._save_lock:
            if number <= self._written.get(snapshot.id, 0) or snapshot.id in self._deleted:
                return
            base = self._base_version(snapshot)
            stored = self.store.save(snapshot, base_version=base)
            self._stored_over.setdefault(snapshot.id, {})[base] = stored.version
            self._written[snapshot.id] = number
            if snapshot.id in self._kept_numbers:
                # A later change reached the register: the one kept earlier is older.
                from .store.recovery import forget

                forget(self.store.location, snapshot.id)
                del self._kept_numbers[snapshot.id]

    # A shared register that cannot be reached: changes are kept on this computer
    # (store/recovery.py) and saved, in order, when it answers again.

    def _keep_for_later(
        self, snapshot: VigRequest, number: int, error: Exception, *, now: bool = False
    ) -> bool:
        """Keep ``snapshot``, say so, retry in the background (from a save's thread,
        or ``now`` from the app's own); False when it could not be kept either."""
        from .store.recovery import keep

        call = (lambda f, *a, **k: f(*a, **k)) if now else self.call_from_thread

        with self._save_lock:
            base = self._base_version(snapshot)
            try:
                keep(self.store.location, snapshot, base)
            except OSError as problem:
                call(
                    self.notify,
                    f"{error} It could not be kept on this computer either ({problem}); "
                    "leave this page open until the register answers.",
                    title="Not saved",
                    severity="error",
                    timeout=15,
                )
                return False
            self._kept_numbers[snapshot.id] = number
        call(self._register_unreachable, str(error))
        return True

    def _register_unreachable(self, message: str) -> None:
        self.sub_title = "The register cannot be reached: your changes are kept on this computer"
        self.notify(message, title="Kept on this computer", severity="warning", timeout=10)
        self._save_kept_changes()

    @work(thread=True, exclusive=True, group="recover", exit_on_error=False)
    def _save_kept_changes(self) -> None:
        """Every few seconds, until none is left: save the changes kept on this computer."""
        from textual.worker import get_current_worker

        from .store import RegisterUnreachable, StoreError
        from .store.recovery import forget, kept

        worker = get_current_worker()
        location = self.store.location
        given_up: set[Path] = set()
        first = True
        while not worker.is_cancelled:
            if not first:
                time.sleep(RETRY_KEPT_EVERY)
            first = False
            changes = [c for c in kept(location) if c.path not in given_up]
            if not changes:
                return
            saved: list[str] = []
            for change in changes:
                request = change.request
                with self._save_lock:
                    number = self._kept_numbers.get(request.id, 0)
                    if number and number <= self._written.get(request.id, 0):
                        forget(location, request.id)
                        continue
                    try:
                        stored = self.store.save(request, base_version=change.base_version)
                    except RegisterUnreachable:
                        break
                    except StoreError as error:
                        given_up.add(change.path)
                        self.call_from_thread(
                            self.notify,
                            f"{error} What you typed is still kept in {change.path}.",
                            title="Kept change not saved",
                            severity="error",
                            timeout=15,
                        )
                        continue
                    self._stored_over.setdefault(request.id, {})[change.base_version] = (
                        stored.version
                    )
                    if number:
                        self._written[request.id] = max(self._written.get(request.id, 0), number)
                        self._kept_numbers.pop(request.id, None)
                    forget(location, request.id)
                saved.append(request.reference or request.child.name or "a draft")
            if saved:
                self.call_from_thread(self._register_answers, saved)

    def _register_answers(self, saved: list[str]) -> None:
        if self.sub_title.startswith("The register cannot be reached"):
            self.sub_title = ""
        self.notify(
            f"The register answers again: your changes to {', '.join(saved)} were saved.",
            title="Saved",
            timeout=6,
        )

    def _base_version(self, request: VigRequest) -> int:
        """The version ``request``'s changes were made to, counting this app's own saves
        of the copy it came from (a screen holds its copy across background saves)."""
        base = request.version
        stored_over = self._stored_over.get(request.id, {})
        while base in stored_over:
            base = stored_over[base]
        return base

    def _saved(self, request_id: UUID, number: int, announce: bool | str = False) -> None:
        unsaved = self.unsaved.get(request_id)
        if unsaved is not None and number >= unsaved.number:
            del self.unsaved[request_id]
            self._show_save_status()
            if not announce:
                self.notify("Your draft is saved now.", title="Saved", timeout=4)
        if isinstance(announce, str):
            self.notify(announce, title="Not all saved", severity="warning", timeout=10)
        elif announce:
            self.notify("Draft saved", timeout=2)

    def _not_saved(
        self, request_id: UUID, snapshot: VigRequest | None, number: int, reason: str
    ) -> None:
        previous = self.unsaved.get(request_id)
        if previous is not None and number < previous.number:
            return  # an older snapshot: the newer one's failure is already shown
        self.unsaved[request_id] = Unsaved(snapshot, number, reason)
        self._show_save_status()
        if previous is None or previous.reason != reason:
            self.notify(
                f"{reason}\nYour answers are still here: vig-tui will try again, "
                "and you can press Ctrl+S to try now.",
                title="Your draft could not be saved",
                severity="error",
                timeout=12,
            )
        if self._retrying is None:
            self._retrying = self.set_interval(RETRY_SAVE_EVERY, self._retry_saves)

    def _retry_saves(self) -> None:
        if not self.unsaved and self._retrying is not None:
            self._retrying.stop()
            self._retrying = None
        for unsaved in list(self.unsaved.values()):
            if unsaved.snapshot is not None:
                self._write(unsaved.snapshot, unsaved.number)

    def _show_save_status(self) -> None:
        """The header says while a save has failed (the read-only status is kept)."""
        reasons = [u.reason for u in self.unsaved.values()]
        reasons += [problem for problems in self.unreadable.values() for problem in problems]
        if reasons:
            self.sub_title = f"NOT SAVED: {reasons[0]}"
        elif self.sub_title.startswith("NOT SAVED"):
            self.sub_title = ""

    def submit_request(self, request: VigRequest) -> VigRequest:
        """Send a request (blocking: call from a thread worker); returns the stored request.

        Draft saves of it still queued are dropped: the sent request supersedes them.
        """
        from .service import send

        with self._save_lock:
            base = self._base_version(request)
            sent = send(self.store, self.actor, request, self.today, base_version=base)
            self._stored_over.setdefault(request.id, {})[base] = sent.version
            self._written[request.id] = self._issued.get(request.id, 0)
        return sent

    @property
    def sends_by_file(self) -> bool:
        """True on a referrer's machine: Send writes a sealed file for the service
        (the service's key installed here; this database is not the service's register)."""
        from .service.sending import sends_by_file

        path = getattr(self._store, "path", None)
        where = path if isinstance(path, Path) else self.store.location
        return sends_by_file(self.preferences.service_key, where, self.store)

    def send_by_file(self, request: VigRequest) -> SentFile:
        """Send a request by file (blocking: call from a thread worker): a local number,
        one sealed file in the outbox; returns the file and the stored request.

        Raises the service's ``CommandError`` (nothing written) when it cannot go,
        ``OSError`` when the file cannot be written, ``StoreError`` as saving does.
        """
        from .preferences import preferences_path
        from .service.sending import outbox_folder, send_by_file, sender_of

        service = self.preferences.service_key
        assert service is not None
        sender, sender_key = sender_of(self.preferences, preferences_path().parent)
        with self._save_lock:
            base = self._base_version(request)
            sent = send_by_file(
                self.store,
                self.actor,
                [request.model_copy(update={"version": base})],
                on=self.today,
                service=service,
                sender=sender,
                sender_key=sender_key,
                machine_id=self.preferences.machine_id,
                output=outbox_folder(),
                folder=True,
            )
            (stored,) = sent.requests
            self._stored_over.setdefault(request.id, {})[base] = stored.version
            self._written[request.id] = self._issued.get(request.id, 0)
        return sent

    def delete_draft(self, request_id: UUID) -> VigRequest | None:
        """Delete a draft (blocking: call from a thread worker); returns what was deleted,
        or None when it was never saved. Saves of it still on their way are dropped."""
        from .service import delete_draft
        from .store import RequestNotFound

        with self._save_lock:
            try:
                deleted = delete_draft(self.store, self.actor, request_id)
            except RequestNotFound:
                deleted = None
            self._deleted.add(request_id)
        return deleted

    def _screens_holding_answers(self) -> Iterable[HoldsAnswers]:
        return (s for s in reversed(self.screen_stack) if isinstance(s, HoldsAnswers))

    # Actions

    def _after_opening(self, action: str) -> bool:
        """True while the database is still opening: ``action`` then runs once it is open,
        so a key pressed on Home's first frame is not lost, and the keys typed after it
        wait for it."""
        if self.store_ready:
            return False
        self._pending_action = action
        self._keys.hold(WAITING_FOR_DATABASE)
        self.notify("Opening the database: one moment.", timeout=2)
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return isinstance(self.screen, HoldsAnswers)
        return True

    def action_save(self) -> None:
        """Save now; "Draft saved" is said once the file is written (or why it was not)."""
        screen = self.screen
        if isinstance(screen, HoldsAnswers):
            screen.save_answers(announce=True)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen.for_screen(self.screen))

    async def action_quit(self) -> None:
        """Save everything, then close; never while a save has failed, unless the worker
        chooses to (a dialog says why and offers "Try again")."""
        from .screens.unsaved_work import UnsavedWorkScreen

        if isinstance(self.screen, UnsavedWorkScreen):
            return  # it is already asking
        for screen in self._screens_holding_answers():
            screen.save_answers(now=True)
        for unsaved in list(self.unsaved.values()):
            if unsaved.snapshot is not None:
                self._write_now(unsaved.snapshot, unsaved.number)
        await self.workers.wait_for_complete()
        if not self.unsaved and not self.unreadable:
            self.exit()
            return
        reasons = sorted({unsaved.reason for unsaved in self.unsaved.values()})
        reasons += [
            f"{problem} (go back to correct it)"
            for problems in self.unreadable.values()
            for problem in problems
        ]
        self.clear_notifications()  # the dialog says the same, and they would cover it
        self.push_screen(UnsavedWorkScreen(reasons), self._after_unsaved_warning)

    async def _after_unsaved_warning(self, choice: str | None) -> None:
        if choice == "quit":
            self.exit(message="vig-tui closed without saving: the last changes were not saved.")
        elif choice == "retry":
            await self.action_quit()

    def action_new_request(self) -> None:
        if self._after_opening("new_request"):
            return
        if self.read_only:
            self.notify(READ_ONLY_MESSAGE, title="Cannot start a request", severity="warning")
            return
        from .screens.walkthrough import RequestWalkthrough

        if not self.go_home():
            return
        self.push_screen(RequestWalkthrough())

    def action_resume_request(self, request_id: str) -> None:
        from .screens.walkthrough import RequestWalkthrough

        if not self.go_home():
            return
        self.push_screen(RequestWalkthrough(UUID(request_id), resume=True))

    def action_resume_draft(self) -> None:
        """Resume the most recently changed draft (Home resumes the highlighted one)."""
        from .domain.models import RequestStatus

        if self._after_opening("resume_draft"):
            return
        drafts = [s for s in self.store.summaries() if s.status is RequestStatus.DRAFT]
        if not drafts:
            self.notify("There are no drafts to resume.", timeout=3)
            return
        latest = max(drafts, key=lambda s: s.updated_at)
        self.action_resume_request(str(latest.id))

    def action_open_register(self) -> None:
        from .screens.register import RegisterScreen

        if self._after_opening("open_register"):
            return
        if not self.go_home():
            return
        self.push_screen(RegisterScreen())

    def action_open_meeting(self) -> None:
        from .screens.meeting import MeetingScreen

        if self._after_opening("open_meeting"):
            return
        if not self.go_home():
            return
        self.push_screen(MeetingScreen())

    def action_open_inbox(self) -> None:
        from .screens.inbox import InboxScreen

        if self._after_opening("open_inbox"):
            return
        self.go_home()
        self.push_screen(InboxScreen())

    def action_open_reports(self) -> None:
        from .screens.reports import ReportsScreen

        if self._after_opening("open_reports"):
            return
        if not self.go_home():
            return
        self.push_screen(ReportsScreen())

    def action_go_home(self) -> None:
        self.go_home()

    def go_home(self) -> bool:
        """Save what open screens hold, then return to Home; False (and the page left
        open, saying why) while an answer cannot be saved as typed."""
        from .screens.home import HomeScreen

        for screen in self._screens_holding_answers():
            screen.save_answers()
        if self.unreadable:
            self.notify(
                "Correct it or clear it first: leaving now would lose it.",
                title="An answer cannot be saved as typed",
                severity="warning",
                timeout=6,
            )
            return False
        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        return True
