"""The import graph runs one way: nothing below a screen imports Textual,
and only the store knows TinyDB. Checked in a fresh interpreter so that
modules imported by other tests cannot hide a violation."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import vig_tui

PROBE = """
import sys, importlib
importlib.import_module({module!r})
forbidden = {forbidden!r}
leaked = sorted(
    name for name in sys.modules
    if any(name == f or name.startswith(f + '.') for f in forbidden)
)
print(','.join(leaked))
"""


def _leaked(module: str, forbidden: set[str]) -> str:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module, forbidden=forbidden)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.parametrize(
    "module",
    [
        "vig_tui.domain.models",
        "vig_tui.domain.checklist",
        "vig_tui.domain.rules",
        "vig_tui.domain.meetings",
        "vig_tui.domain.priority",
        "vig_tui.domain.agenda",
        "vig_tui.domain.dates",
        "vig_tui.domain.validation",
        "vig_tui.domain.vocabulary",
        "vig_tui.domain.decisions",
        "vig_tui.domain.receiving",
        "vig_tui.domain.summary",
        "vig_tui.domain.views",
        "vig_tui.domain.progress",
        "vig_tui.domain.answers",
        "vig_tui.domain.report",
        "vig_tui.domain.fields",
    ],
)
def test_domain_imports_neither_textual_nor_tinydb(module: str) -> None:
    assert _leaked(module, {"textual", "tinydb"}) == ""
    assert _leaked(module, {"vig_tui.store", "vig_tui.screens", "vig_tui.app"}) == ""


@pytest.mark.parametrize("module", ["vig_tui.store", "vig_tui.export", "vig_tui.tools.demo"])
def test_store_export_and_demo_do_not_import_textual(module: str) -> None:
    assert _leaked(module, {"textual"}) == ""


def test_heavy_document_libraries_load_only_when_a_document_is_made() -> None:
    """matplotlib, fpdf2 and python-docx take a second or more to import: never
    on the app's start path, nor just for importing the exporters."""
    heavy = {"matplotlib", "fpdf", "docx", "plotext", "textual_plotext"}
    for module in (
        "vig_tui.cli",
        "vig_tui.app",
        "vig_tui.screens.home",
        "vig_tui.export",
        "vig_tui.export.report",
        "vig_tui.export.pdf",
        "vig_tui.export.word",
    ):
        assert _leaked(module, heavy) == "", module


def test_only_the_store_imports_tinydb() -> None:
    """Every module of the package, the tools and the benchmark included, read as
    source: an import inside a function counts as much as one at the top."""
    package = Path(vig_tui.__file__).parent
    offenders = []
    for source in sorted(package.rglob("*.py")):
        module = ".".join(source.relative_to(package.parent).with_suffix("").parts)
        if module == "vig_tui.store" or module.startswith("vig_tui.store."):
            continue
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            if any(name == "tinydb" or name.startswith("tinydb.") for name in names):
                offenders.append(f"{module}:{node.lineno}")
    assert offenders == []
    assert len(list(package.rglob("*.py"))) > 50  # the scan saw the package


def test_export_does_not_import_tinydb() -> None:
    assert _leaked("vig_tui.export", {"tinydb"}) == ""


def test_the_first_screen_loads_neither_pydantic_nor_tinydb() -> None:
    """The app draws Home before it opens the database: what it imports to get
    there must stay light (pydantic and TinyDB load in the opening worker)."""
    leaked = _leaked("vig_tui.cli", {"pydantic", "tinydb", "holidays"})
    assert leaked == ""
    assert _leaked("vig_tui.screens.home", {"pydantic", "tinydb", "holidays"}) == ""


def test_opening_the_database_does_not_load_every_countrys_holidays() -> None:
    """``holidays`` loads on the first bank-holiday lookup, not with the store."""
    assert _leaked("vig_tui.store", {"holidays"}) == ""


def test_starting_the_app_imports_neither_pydantic_nor_tinydb_before_it_runs(tmp_path) -> None:
    """`vig-tui` gets as far as running the app (stubbed here) without the heavy imports:
    they belong to the worker that opens the database after the first frame."""
    probe = (
        "import sys\n"
        "from vig_tui.app import VigApp\n"
        "VigApp.run = lambda self, *a, **k: None\n"
        "from vig_tui.cli import main\n"
        f"main(['--db', {str(tmp_path / 'db.json')!r}])\n"
        "print(','.join(sorted(n for n in sys.modules "
        "if n.split('.')[0] in {'pydantic', 'tinydb', 'holidays'})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


@pytest.mark.parametrize(
    "module", ["vig_tui.cli", "vig_tui.app", "vig_tui.export", "vig_tui.domain.models"]
)
def test_only_the_store_imports_psycopg(module: str) -> None:
    assert _leaked(module, {"psycopg"}) == ""
