"""A release's headline figures, as its announcement carries them (orchestration/announce.py)."""

from __future__ import annotations

from typing import Any

import duckdb

from warehouse.query import REPORT_DIR, statement


def headline(con: duckdb.DuckDBPyConnection, release_id: str) -> list[dict[str, Any]]:
    """The release's headline figures (sql/report/release_headline.sql), JSON-ready."""
    text, bound = statement("release_headline", None, directory=REPORT_DIR,
                            release_id=release_id)
    cursor = con.execute(text, bound)
    names = [column[0] for column in cursor.description or ()]
    return [
        {name: value.isoformat() if hasattr(value, "isoformat") else value
         for name, value in zip(names, row, strict=True)}
        for row in cursor.fetchall()
    ]
