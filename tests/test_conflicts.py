"""Sources that disagree: each keeps its figure, v_latest prefers by precedence, and
v_conflicts shows disagreements beyond the published precision."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from flows.core.model import Observation
from flows.core.periods import year_to_date
from warehouse.connect import load_release
from warehouse.load import ReleaseRecord, release_id
from warehouse.migrate import migrate


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(":memory:")
    migrate(connection)
    return connection


def load(con: duckdb.DuckDBPyConnection, source: str, day: str,
         *figures: tuple[str, float, int | None]) -> None:
    sha = f"{source}{day}".ljust(64, "0")
    record = ReleaseRecord(release_id(source, "2024-09", sha), source, "report", "2024-09",
                           datetime.fromisoformat(day), None, None, f"{source}.html", sha, "")
    observations = [
        Observation(indicator, "VN-31", "_T", "_Z", "_Z", "index_yoy", "INDEX",
                    year_to_date(2024, 9), value, "estimate", f"{source} sentence", decimals)
        for indicator, value, decimals in figures
    ]
    load_release(con, record, observations, [])


def test_disagreeing_sources_are_listed_and_the_preferred_one_wins(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load(con, "press", "2024-10-15", ("IIP", 115.14, 2))
    load(con, "haiphong_doit", "2024-09-30", ("IIP", 115.14, 2))
    load(con, "haiphong_stats", "2024-09-29", ("IIP", 114.09, 2))
    latest = con.execute("select value, source from v_latest").fetchall()
    assert latest == [(114.09, "haiphong_stats")]
    conflicts = con.execute(
        "select source, value, other_source, other_value from v_conflicts "
        "order by other_source").fetchall()
    assert conflicts == [
        ("haiphong_stats", 114.09, "haiphong_doit", 115.14),
        ("haiphong_stats", 114.09, "press", 115.14),
    ]
    assert con.execute("select count(*) from v_vintages").fetchone() == (3,)


def test_agreement_at_the_published_precision_is_no_conflict(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load(con, "gso", "2024-10-06", ("EXPORTS", 34049.626711, None))
    load(con, "press", "2024-10-15", ("EXPORTS", 34049.6, 1))
    assert con.execute("select count(*) from v_conflicts").fetchone() == (0,)
    load(con, "haiphong_doit", "2024-10-07", ("EXPORTS", 34049.7, 1))
    assert con.execute(
        "select source, other_source, round(difference, 6) from v_conflicts "
        "order by other_source").fetchall() == [
        ("gso", "haiphong_doit", 0.073289), ("haiphong_doit", "press", -0.1)]
