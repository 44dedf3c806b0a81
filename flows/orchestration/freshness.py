"""Is a source up to date? The period due by its calendar, and the overdue releases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from flows.core.calendars import expected_release

# A release is overdue once its expected day has passed by this many days: publishers post in
# the evening, and the poll the next morning should find it before anyone is woken.
OVERDUE_AFTER_DAYS = 1


@dataclass(frozen=True)
class Overdue:
    source: str
    period: str
    expected: date


def due_period(source: str, today: date) -> str | None:
    """The latest period whose release `source` should have published by `today`, or None
    for sources without a calendar."""
    year, month = today.year, today.month
    for _ in range(4):  # a release comes out at most a couple of months after its period
        candidate = f"{year}-{month:02d}"
        expected = expected_release(source, candidate)
        if expected is None:
            return None
        if expected <= today:
            return candidate
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return None


def has_release(con: duckdb.DuckDBPyConnection, source: str, period: str) -> bool:
    row = con.execute(
        "select count(*) from release where source = ? and reference_period >= ?",
        [source, period],
    ).fetchone()
    return bool(row and row[0])


def overdue(con: duckdb.DuckDBPyConnection, source: str, today: date) -> Overdue | None:
    """The release `source` owes as of `today`, if its expected day is past the grace days."""
    period = due_period(source, today)
    if period is None or has_release(con, source, period):
        return None
    expected = expected_release(source, period)
    assert expected is not None
    if (today - expected).days < OVERDUE_AFTER_DAYS:
        return None
    return Overdue(source, period, expected)
