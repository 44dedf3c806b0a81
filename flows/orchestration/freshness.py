"""Is a source up to date? The period due by its calendar, and the overdue releases.

What "overdue" means is defined once, in SQL (sql/views/freshness_as_of.sql): the first
release the calendar expects after the latest period loaded, once its day has passed. The
run's warning, `chiso query freshness`, v_freshness and the report all read it from there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import duckdb

from flows.core.calendars import expected_release


@dataclass(frozen=True)
class Overdue:
    source: str
    period: str
    expected: date
    days: int

    def sentence(self) -> str:
        """The warning a run logs, in the words of `chiso query freshness`."""
        return (f"{self.source}: the {self.period} release, expected on {self.expected}, has "
                f"not arrived ({self.days} day{'' if self.days == 1 else 's'} overdue)")


def due_period(source: str, today: date) -> str | None:
    """The latest period whose release `source` should have published by `today`, or None
    for sources without a calendar: what a scheduled poll looks for (whether a release is
    overdue is `overdue`'s question, answered in SQL)."""
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
    """The oldest release `source` owes as of `today`, if its expected day has passed."""
    row = con.execute(
        "select next_period, next_expected_on, days_overdue from freshness_as_of(?) "
        "where source = ? and overdue",
        [datetime.combine(today, time.max), source],
    ).fetchone()
    return Overdue(source, row[0], row[1], row[2]) if row else None
