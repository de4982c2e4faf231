"""The roster of VIG practitioners, each with their current allocated caseload.

Practitioners are never deleted: one who leaves is made inactive, so the
decisions that name them still read, and they are no longer offered when
allocating.
"""

from __future__ import annotations

from uuid import UUID

from pydantic import ValidationError
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Checkbox, DataTable, Header, Static

from ..domain.decisions import allocated_practitioner, caseloads
from ..domain.models import Practitioner
from ..domain.text import field_problems, max_length_of
from ..domain.validation import check_email, check_phone
from ..domain.wording import caseload
from ..domain.work import ACTIVE
from ..service import save_practitioner
from ..widgets.answer import ShortAnswer
from ..widgets.footer import KeysFooter
from .base import VigScreen
from .decision import _Dialog

#: Capacity is a whole number from 0 to 100.
CAPACITY_DIGITS = 3


def _answer(value: str, name: str) -> ShortAnswer:
    return ShortAnswer(value, max_length=max_length_of(Practitioner, name))


class PractitionerDialog(_Dialog[Practitioner]):
    """Add a practitioner, or change one's details."""

    def __init__(self, practitioner: Practitioner | None = None) -> None:
        title = "Change a practitioner's details" if practitioner else "Add a VIG practitioner"
        super().__init__(title)
        self.CONFIRM = "Save practitioner"
        self.practitioner = practitioner

    def fields(self) -> ComposeResult:
        current = self.practitioner or Practitioner(name="")
        yield from self.field("name", "Name", _answer(current.name, "name"))
        yield from self.field("email", "Email address (optional)", _answer(current.email, "email"))
        yield from self.field("phone", "Phone number (optional)", _answer(current.phone, "phone"))
        yield from self.field(
            "capacity",
            "Capacity",
            ShortAnswer(str(current.capacity), max_length=CAPACITY_DIGITS),
            "How many families they can work with at once",
        )
        yield Checkbox("Active: offered when allocating", current.active, id="field-active")

    def result(self) -> tuple[Practitioner | None, dict[str, str]]:
        problems: dict[str, str] = {}
        name, email, phone = self.text("name"), self.text("email"), self.text("phone")
        if not name:
            problems["name"] = "Enter the practitioner's name"
        if message := check_email(email, "the practitioner's email address"):
            problems["email"] = message
        if message := check_phone(phone, "the practitioner's phone number"):
            problems["phone"] = message
        capacity_text = self.text("capacity")
        capacity = int(capacity_text) if capacity_text.isascii() and capacity_text.isdigit() else -1
        if not 0 <= capacity <= 100:
            problems["capacity"] = "Capacity must be a whole number from 0 to 100"
        if problems:
            return None, problems
        values = {
            "name": name,
            "email": email,
            "phone": phone,
            "capacity": capacity,
            "active": self.query_one("#field-active", Checkbox).value,
        }
        base = self.practitioner.model_dump() if self.practitioner else {}
        try:
            return Practitioner.model_validate({**base, **values}), {}
        except ValidationError as error:
            return None, field_problems(error)


class RosterScreen(VigScreen[None]):
    """List, add, change and deactivate VIG practitioners."""

    CSS_PATH = "roster.tcss"
    TITLE = "VIG practitioners"
    AUTO_FOCUS = "#roster-table"

    # Add and Change act the moment they are read and open their dialog at once,
    # so a name typed straight after them waits for it (see key_holding).
    BINDINGS = [
        Binding("escape", "back", "Back", id="roster.back", tooltip="Back to where you were"),
        Binding(
            "a", "add", "Add", id="roster.add", tooltip="Add a VIG practitioner", priority=True
        ),
        Binding(
            "e",
            "edit",
            "Change",
            id="roster.edit",
            tooltip="Change the practitioner's details",
            priority=True,
        ),
        Binding(
            "d",
            "toggle_active",
            "Deactivate",
            id="roster.deactivate",
            tooltip="Make the practitioner inactive (or active again)",
        ),
    ]

    class Loaded(Message):
        def __init__(self, roster: list[Practitioner], loads: dict[UUID, int]) -> None:
            self.roster = roster
            self.loads = loads
            super().__init__()

    class Failed(Message):
        def __init__(self, message: str) -> None:
            self.message = message
            super().__init__()

    def __init__(self) -> None:
        super().__init__()
        self.roster: list[Practitioner] = []
        self.loads: dict[UUID, int] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="roster-summary")
        table: DataTable[str | Text] = DataTable(
            id="roster-table", cursor_type="row", zebra_stripes=True
        )
        yield table
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, heading in (
            ("name", "Name"),
            ("email", "Email"),
            ("phone", "Phone"),
            ("active", "Active"),
            ("caseload", "Caseload"),
        ):
            table.add_column(heading, key=key)
        table.loading = True
        table.focus()
        self._load()

    @work(thread=True, exclusive=True, group="roster-load")
    def _load(self) -> None:
        store = self.vig.store
        roster = store.practitioners()
        active = [r for status in ACTIVE for r in store.requests(status=status)]
        loads = caseloads((allocated_practitioner(r) for r in active), roster)
        self.post_message(self.Loaded(roster, loads))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        keep = self._highlighted()
        self.roster = sorted(message.roster, key=lambda p: (not p.active, p.name.lower()))
        self.loads = message.loads
        table = self.query_one(DataTable)
        table.loading = False
        table.clear()
        for practitioner in self.roster:
            load = self.loads.get(practitioner.id, 0)
            style = "" if practitioner.active else "dim"
            table.add_row(
                Text(practitioner.name, style=style),
                Text(practitioner.email, style=style),
                Text(practitioner.phone, style=style),
                "Yes" if practitioner.active else "No",
                Text(caseload(load, practitioner.capacity), style=style),
                key=str(practitioner.id),
            )
        if keep is not None:
            table.move_cursor(row=table.get_row_index(str(keep.id)))
        active = sum(p.active for p in self.roster)
        self.query_one("#roster-summary", Static).update(
            f"{active} active, {len(self.roster) - active} inactive. "
            "Caseload: requests allocated to them and not yet closed or withdrawn, of how "
            "many they can take."
        )

    def _highlighted(self) -> Practitioner | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return next((p for p in self.roster if str(p.id) == row_key.value), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Changes are shown disabled when the database is read-only."""
        if action in ("add", "edit", "toggle_active") and self.vig.store.read_only:
            return None
        return True

    def action_add(self) -> None:
        self.app.push_screen(PractitionerDialog(), self._answered)

    def action_edit(self) -> None:
        current = self._highlighted()
        if current is not None:
            self.app.push_screen(PractitionerDialog(current), self._answered)

    def _answered(self, practitioner: Practitioner | None) -> None:
        if practitioner is not None:
            self._save(practitioner)

    @on(DataTable.RowSelected)
    def _row_chosen(self) -> None:
        self.action_edit()

    def action_toggle_active(self) -> None:
        current = self._highlighted()
        if current is not None:
            self._save(current.model_copy(update={"active": not current.active}))

    @work(thread=True, group="roster-save")
    def _save(self, practitioner: Practitioner) -> None:
        try:
            save_practitioner(self.vig.store, self.vig.actor, practitioner)
        except Exception as error:  # StoreError: its message is fit to show
            self.post_message(self.Failed(f"The practitioner was not saved. {error}"))
            return
        self._load()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.notify(message.message, severity="error", timeout=10)

    def action_back(self) -> None:
        self.dismiss()
