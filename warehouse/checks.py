"""Run the data checks in sql/checks: each is a query returning offending rows; none passes."""

from __future__ import annotations

from pathlib import Path

import duckdb

from flows.core.config import SQL_DIR


def run_checks(
    con: duckdb.DuckDBPyConnection, sql_dir: Path = SQL_DIR
) -> dict[str, list[tuple[object, ...]]]:
    """Offending rows of every check, by check name (an empty list passes)."""
    return {
        path.stem: con.execute(path.read_text(encoding="utf-8")).fetchall()
        for path in sorted((sql_dir / "checks").glob("*.sql"))
    }
