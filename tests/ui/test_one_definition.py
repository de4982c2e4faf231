"""Adding a question is one entry in domain/fields.py (plus its model field).

A question is added to the definitions alone, for an answer the model holds
but the form does not ask (a carer's email address); it then appears on the
question page (with the model's limit), is saved from it, and is listed on
Check your answers and in the meeting pack, with nothing else changed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import Button, Input, Static

from tests.ui.keys import until
from vig_tui.app import VigApp
from vig_tui.domain import fields
from vig_tui.domain.answers import section_rows
from vig_tui.domain.fields import FIELDS, Field, Kind
from vig_tui.domain.models import Carer
from vig_tui.domain.rules import Section
from vig_tui.export.content import entry_parts
from vig_tui.export.markdown_pack import render_markdown
from vig_tui.export.pack import build_pack
from vig_tui.screens.check_answers import ChangeButton, CheckAnswersScreen
from vig_tui.screens.confirm import ConfirmDialog
from vig_tui.screens.sections import Asked, CarerForm, ChildFamilySection
from vig_tui.screens.walkthrough import RequestWalkthrough
from vig_tui.store import Store
from vig_tui.tools.gallery import example_request

from .conftest import TODAY

EMAIL = Field(
    "carers.*.email", "Email address", Section.CHILD_FAMILY, Kind.SHORT_TEXT, optional=True
)


def _forget_forms() -> None:
    fields.form_for.cache_clear()
    fields._by_path.cache_clear()


@pytest.fixture
def carer_email_asked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    after = [f.path for f in FIELDS].index("carers.*.phone") + 1
    monkeypatch.setattr(fields, "FIELDS", (*FIELDS[:after], EMAIL, *FIELDS[after:]))
    _forget_forms()
    yield
    monkeypatch.undo()
    _forget_forms()


async def test_a_question_added_to_the_definitions_is_asked_and_listed(
    carer_email_asked: None, app: VigApp, store: Store
) -> None:
    request = example_request()
    store.save(request, base_version=request.version)
    carer = request.carers[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(RequestWalkthrough(request.id))
        await until(pilot, lambda: isinstance(app.screen, RequestWalkthrough))
        walkthrough = app.screen
        assert isinstance(walkthrough, RequestWalkthrough)
        walkthrough.open_section(Section.CHILD_FAMILY)
        await until(pilot, lambda: len(app.screen.query(CarerForm)) == 1)
        page = app.screen
        assert isinstance(page, ChildFamilySection)
        form = page.query_one(CarerForm)
        [question] = [q for q in form.query(Asked) if q.definition is EMAIL]
        assert question.field == f"carers.{carer.id}.email"
        assert "Email address (optional)" in str(question.query_one(".question--label").render())
        box = question.query_one(Input)
        assert box.max_length == 200  # from the model's ShortText
        question.focus_control()
        await pilot.press(*"kez@example.org", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    saved = store.get(request.id)
    assert saved.carers[0].email == "kez@example.org"
    assert saved.carers[0].id == carer.id

    [row] = [r for r in section_rows(saved, Section.CHILD_FAMILY, TODAY) if "carer 1" in r.question]
    assert "Email address: kez@example.org" in row.answer

    pack = build_pack([saved], TODAY, TODAY)
    items = {
        item.label: item.text
        for part in entry_parts(pack, pack.entries[0])
        if part.heading == "The child and family"
        for item in part.items
    }
    assert items["Parent or carer 1: email address"] == "kez@example.org"
    assert "Parent or carer 1: email address" in render_markdown(pack)


def test_without_the_entry_the_answer_is_not_asked_anywhere() -> None:
    """The control: the same answer, not in the definitions, is in none of the lists."""
    request = example_request()
    request.carers[0].email = "kez@example.org"
    rows = section_rows(request, Section.CHILD_FAMILY, TODAY)
    assert not any("kez@example.org" in r.answer for r in rows)
    pack = build_pack([request], TODAY, TODAY)
    assert "kez@example.org" not in render_markdown(pack)


async def test_carer_two_stays_the_same_person_when_carer_one_is_removed(
    app: VigApp, store: Store
) -> None:
    request = example_request()
    second = Carer(name="Jo Pascoe")
    request.carers.append(second)
    store.save(request, base_version=request.version)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(RequestWalkthrough(request.id))
        await until(pilot, lambda: isinstance(app.screen, RequestWalkthrough))
        walkthrough = app.screen
        assert isinstance(walkthrough, RequestWalkthrough)
        walkthrough.open_section(Section.CHILD_FAMILY)
        await until(pilot, lambda: len(app.screen.query(CarerForm)) == 2)
        page = app.screen
        assert isinstance(page, ChildFamilySection)
        first_form, second_form = page.query(CarerForm)
        first_form.query_one(".remove-carer", Button).press()
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))  # asked first
        await pilot.press("tab", "enter")
        await until(pilot, lambda: len(page.query(CarerForm)) == 1)
        [form] = page.query(CarerForm)
        assert form is second_form
        assert "Parent or carer 1" in str(form.query_one(".carer-heading", Static).render())
        assert {q.field for q in form.query(Asked)} == {
            f"carers.{second.id}.{name}"
            for name in ("name", "relationship", "relationship_other", "phone", "lives_with_child")
        }
        page.action_continue()
        await app.workers.wait_for_complete()
        await pilot.pause()
        # Jo's missing relationship is shown beside Jo's question, in Jo's form.
        question = page.question_for(f"carers.{second.id}.relationship")
        assert question is not None and question.has_class("-error")
        assert form in question.ancestors
        # Adding one numbers it after Jo and puts the cursor in its name.
        page.query_one("#add-carer", Button).press()
        await until(pilot, lambda: len(page.query(CarerForm)) == 2)
        _, added = page.query(CarerForm)
        assert "Parent or carer 2" in str(added.query_one(".carer-heading", Static).render())
        await until(pilot, lambda: app.focused is added.query_one(".carer-name", Input))
        await pilot.press(*"Kit", "escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
    saved = store.get(request.id)
    assert [c.id for c in saved.carers] == [second.id, added.carer.id]
    assert [c.name for c in saved.carers] == ["Jo Pascoe", "Kit"]


async def test_a_change_button_opens_its_own_section(app: VigApp, store: Store) -> None:
    """The button carries its section; nothing is read back out of its id."""
    request = example_request()
    store.save(request, base_version=request.version)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(RequestWalkthrough(request.id))
        await until(pilot, lambda: isinstance(app.screen, RequestWalkthrough))
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CheckAnswersScreen))
        check = app.screen
        assert isinstance(check, CheckAnswersScreen)
        await until(pilot, lambda: bool(check.query(ChangeButton)))
        [button] = [b for b in check.query(ChangeButton) if b.section is Section.CHILD_FAMILY]
        button.press()
        await until(pilot, lambda: isinstance(app.screen, ChildFamilySection))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is check)
