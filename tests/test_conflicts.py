"""Sources that disagree: each keeps its figure, v_latest prefers by precedence, and
v_conflicts shows disagreements beyond the published precision."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from flows.core.model import Observation
from flows.core.periods import year_to_date
from flows.pipeline import read_report
from flows.readers.workbook.headers import unit_of
from warehouse.connect import load_release
from warehouse.load import ReleaseRecord, release_id
from warehouse.migrate import migrate

# Hải Phòng's statistics office, February 2020: budget revenue "ước đạt 8.878 tỷ đồng".
STATS_2020 = Path(__file__).parent / "fixtures" / "prose" / "haiphong-stats-2020-02.txt"


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(":memory:")
    migrate(connection)
    return connection


def record(source: str, day: str, period: str = "2024-09") -> ReleaseRecord:
    sha = f"{source}{day}".ljust(64, "0")
    return ReleaseRecord(release_id(source, period, sha), source, "report", period,
                         datetime.fromisoformat(day), None, None, f"{source}.html", sha, "")


def load(con: duckdb.DuckDBPyConnection, source: str, day: str,
         *figures: tuple[str, float, int | None]) -> None:
    observations = [
        Observation(indicator, "VN-31", "_T", "_Z", "_Z", "index_yoy", "INDEX",
                    year_to_date(2024, 9), value, "estimate", f"{source} sentence", decimals)
        for indicator, value, decimals in figures
    ]
    load_release(con, record(source, day), observations, [])


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


def test_a_report_in_billion_dong_meets_the_series_of_another_source(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The prose reader files "tỷ đồng" under the code GSO's workbooks give "Tỷ đồng" (it wrote
    VND_BN, they BN_VND: two keys for one series, never compared). An analyst's file of the
    same series in the workbooks' unit is now the same series. The repository holds no second
    publication of this figure: the file's 8,901 is a stand-in that differs from the report."""
    observations, rejected = read_report(STATS_2020.read_text(encoding="utf-8"), geo="VN-31",
                                         published=date(2020, 2, 28), source_name=STATS_2020.name)
    assert rejected == []
    [revenue] = [o for o in observations
                 if o.indicator == "BUDGET_REVENUE" and o.measure == "level"]
    assert (revenue.value, revenue.decimals) == (8878.0, 0)
    assert revenue.unit == unit_of("Đơn vị tính: Tỷ đồng") != ""
    load_release(con, record("haiphong_stats", "2020-02-28", "2020-02"), observations, [])
    analysts = Observation(revenue.indicator, revenue.geo, revenue.industry, revenue.product,
                           revenue.partner, revenue.measure, unit_of("Tỷ đồng"), revenue.period,
                           8901.0, "official", "revenue.csv row 2", 0)
    load_release(con, record("files", "2020-03-20", "2020-02"), [analysts], [])

    assert con.execute(
        "select series_key, source, value from v_latest where indicator = 'BUDGET_REVENUE' "
        "and measure = 'level'").fetchall() == [(revenue.series_key, "haiphong_stats", 8878.0)]
    assert con.execute(
        "select series_key, unit, source, value, other_source, other_value from v_conflicts"
    ).fetchall() == [(revenue.series_key, "BN_VND", "haiphong_stats", 8878.0, "files", 8901.0)]
