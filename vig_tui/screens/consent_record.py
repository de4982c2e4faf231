"""The consent page: what the parent or carer has agreed to, topic by topic.

One row per :class:`~vig_tui.domain.models.ConsentTopic` (the record that holds:
the newest), and under the table the highlighted topic in full. Enter or ``r``
records that topic's consent given or refused; ``d`` records its withdrawal.
Every earlier record stays in the request (and its history).
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ..domain import work
from ..domain.dates import format_date
from ..domain.models import ConsentRecord, ConsentTopic, VigRequest
from ..service import record_consent, withdraw_consent
from .record_page import RecordPage, fixed_columns
from .work_dialogs import ConsentDialog, WithdrawConsentDialog, describe_consent


class ConsentScreen(RecordPage):
    """Each consent a VIG family is asked for: given or refused, when, by whom, how."""

    TITLE = "Consent"
    HELP_TITLE = "Consent"
    PAGE = "Consent"

    BINDINGS = [
        Binding("escape", "back", "Back", id="consent.back", tooltip="Back to the request"),
        Binding(
            "r",
            "record",
            "Record consent",
            id="consent.record",
            tooltip="Record the highlighted consent as given or refused (also Enter)",
            priority=True,
        ),
        Binding(
            "d",
            "withdraw",
            "Withdraw",
            id="consent.withdraw",
            tooltip="Record that the parent or carer withdrew the highlighted consent",
            priority=True,
        ),
    ]

    def compose_parts(self) -> ComposeResult:
        yield DataTable(id="consents", cursor_type="row", zebra_stripes=True)
        yield Static("", id="consent-detail", classes="record-section")

    def on_mount(self) -> None:
        table = self.query_one("#consents", DataTable)
        fixed_columns(
            table,
            (("Consent to", 19), ("Answer", 12), ("Date", 11), ("Asked by", 16), ("How", 7)),
        )
        self.show()
        table.focus()

    def show(self) -> None:
        request = self.request
        advice = ""
        if not work.consented(request, ConsentTopic.FILMING):
            advice = (
                "The work cannot start until the parent or carer agrees to being filmed: "
                "record that consent here first."
            )
        self.show_heading(advice)
        table = self.query_one("#consents", DataTable)
        row = table.cursor_row
        table.clear()
        for topic in ConsentTopic:
            record = work.consent(request, topic)
            table.add_row(
                work.SHORT_NAMES[topic].capitalize(),
                work.consent_words(request, topic),
                short_date(_date_of(record)) if record else "",
                _cut(record.obtained_by, 16) if record else "",
                record.how.label if record else "",
                key=topic.value,
            )
        table.move_cursor(row=row)
        self._detail()

    @property
    def topic(self) -> ConsentTopic:
        table = self.query_one("#consents", DataTable)
        return list(ConsentTopic)[max(0, table.cursor_row)]

    @on(DataTable.RowHighlighted)
    def _detail(self) -> None:
        topic = self.topic
        records = [r for r in self.request.consents if r.topic is topic]
        text = Text.assemble((topic.label, "bold"))
        for line in describe_consent(work.consent(self.request, topic)):
            text.append(f"\n{line}")
        if len(records) > 1:
            text.append(f"\nEarlier records: {len(records) - 1} (in the request's history)")
        self.query_one("#consent-detail", Static).update(text)
        self.refresh_bindings()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        if self.writable():
            self.action_record()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "record":
            return self.writable()
        if action == "withdraw":
            if not work.consented(self.request, self.topic):
                return None
            return self.writable()
        return True

    def action_record(self) -> None:
        reopen = partial(self._consent_dialog, self.topic)
        self.ask(reopen(None), reopen, self._record_step)

    def _consent_dialog(self, topic: ConsentTopic, kept: ConsentRecord | None) -> ConsentDialog:
        return ConsentDialog(
            self.request,
            topic,
            today=self.vig.today,
            obtained_by=self.vig.actor.name,
            kept=kept,
        )

    def _record_step(self, record: ConsentRecord) -> Any:
        return partial(_record, self, record)

    def action_withdraw(self) -> None:
        topic = self.topic
        if not work.consented(self.request, topic):
            self.notify(
                f"There is no consent to {work.SHORT_NAMES[topic]} to withdraw",
                severity="warning",
            )
            return

        def reopen(kept: Any) -> WithdrawConsentDialog:
            return WithdrawConsentDialog(self.request, topic, today=self.vig.today, kept=kept)

        def step(on: Any) -> Any:
            return lambda before: withdraw_consent(
                self.vig.store, self.vig.actor, before, topic, on, today=self.vig.today
            )

        self.ask(reopen(None), reopen, step)

    def describe(self, answers: Any) -> str:
        if isinstance(answers, ConsentRecord):
            return (
                f"Consent to {work.SHORT_NAMES[answers.topic]}: "
                f"{'given' if answers.given else 'refused'} on {format_date(answers.on)}"
            )
        return f"Consent to {work.SHORT_NAMES[self.topic]} withdrawn on {answers}"


def _date_of(record: ConsentRecord) -> date:
    return record.withdrawn_on or record.on


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def short_date(day: date | None) -> str:
    """ "8 Dec 2026": a date in a table column."""
    return f"{day.day} {day:%b %Y}" if day else ""


def _record(page: ConsentScreen, record: ConsentRecord, before: VigRequest) -> VigRequest:
    return record_consent(page.vig.store, page.vig.actor, before, record, today=page.vig.today)
