"""The benchmark's server column runs end to end (timings are not judged here)."""

from __future__ import annotations

from datetime import date

from vig_tui.tools.bench.server import measure_servers, server_markdown


def test_the_server_column_measures_file_and_server(pg_server: str) -> None:
    results = measure_servers(
        (30,), 1, today=date(2026, 11, 24), launch=False, superuser_url=pg_server
    )
    (result,) = results
    assert result.problems == []
    for figures in (result.file, result.server):
        assert figures.save is not None and figures.save > 0
        assert figures.list_command is not None
    table = server_markdown(results)
    assert "| save one request |" in table and "server 30" in table
