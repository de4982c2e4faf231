"""Formats are named as a person names them wherever the command line says one
("Wrote the Markdown meeting pack", not "the md"), and a file that cannot be
written says why in plain words."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.small_disk import Disk
from vig_tui.cli import main
from vig_tui.export import FORMATS
from vig_tui.export.write import ExportError, format_name, format_names, write_file
from vig_tui.store import Store


def test_every_format_has_the_name_people_use() -> None:
    assert [format_name(f.key) for f in FORMATS] == [
        "Markdown",
        "HTML",
        "CSV",
        "JSON",
        "PDF",
        "Word",
    ]
    assert format_names(["md", "html", "pdf", "docx"]) == "Markdown, HTML, PDF or Word"
    assert format_names(["csv"]) == "CSV"


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (
            ["export", "--meeting", "2026-12-03", "--format", "md"],
            "Wrote the Markdown meeting pack",
        ),
        (["export", "--meeting", "2026-12-03", "--format", "json"], "Wrote the JSON meeting pack"),
        (
            ["export", "--meeting", "2026-12-03", "--format", "html", "--record"],
            "Wrote the HTML record of the meeting",
        ),
        (["report", "--format", "csv"], "Wrote the CSV service report"),
    ],
    ids=["pack-md", "pack-json", "record-html", "report-csv"],
)
def test_the_command_line_names_the_format_it_wrote(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    Store.open(db_path).close()
    out = tmp_path / "out"
    out.mkdir()
    assert main([*argv, "-o", str(out), "--db", str(db_path)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(said), printed
    for key in ("md", "html", "csv", "json", "pdf", "docx"):
        assert f" {key} " not in printed


def test_a_file_in_place_of_the_folder_is_named_as_such(tmp_path: Path) -> None:
    in_the_way = tmp_path / "packs"
    in_the_way.write_text("a file, not a folder")
    with pytest.raises(ExportError, match=r"packs is a file, not a folder"):
        write_file(b"pack", in_the_way / "pack.md")
    with pytest.raises(ExportError, match=r"The folder .*nowhere does not exist"):
        write_file(b"pack", tmp_path / "nowhere" / "pack.md")


def test_a_full_disk_says_so_and_what_to_do(disk: Disk) -> None:
    disk.fill()
    try:
        with pytest.raises(ExportError) as refused:
            write_file(b"x" * 65536, disk.folder / "pack.md", what="meeting pack")
    finally:
        disk.free()
    said = str(refused.value)
    assert said.startswith("The meeting pack could not be written: ")
    if disk.mounted:
        assert "is full. Free some space, or choose a folder on another disk." in said
    else:
        assert "Choose a folder you can save to." in said
    assert not (disk.folder / "pack.md").exists()
