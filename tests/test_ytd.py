"""v_ytd and ytd_as_of: year to date at every month end, however GSO wrote it ("2 tháng",
"quý I", "6 tháng", "Năm 2024", January's month), each point the cell it came from."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from warehouse.migrate import migrate

EXPORTS = "EXPORTS.VN._Z._T._Z.LEVEL.USD_MN"
EXPORTS_YOY = "EXPORTS.VN._Z._T._Z.INDEX_YOY.INDEX"
IIP_YOY = "IIP.VN._T._Z._Z.INDEX_YOY.INDEX"
IIP_POP = "IIP.VN._T._Z._Z.INDEX_POP.INDEX"
# January in the January workbook's month column, the first quarter in the June workbook's
# quarterly table (official, it revised the March workbook's estimate), the year in the
# December workbook: as python-calamine reads the cells of the bundled 2024 workbooks.
PINNED = {
    1: ("M", 33570.0, "14. XK!G9", "gso:2024-01"),
    3: ("Q", 92880.783267, "28.XK quý!D9", "gso:2024-06"),
    12: ("A", 405531.740609, "28.XK tháng!G9", "gso:2024-12"),
}


@pytest.fixture(scope="module")
def demo(bundled_warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(bundled_warehouse), read_only=True)
    yield con
    con.close()


def points(con: duckdb.DuckDBPyConnection, series: str, source: str = "v_ytd") -> list[tuple]:
    return con.execute(
        f"select month(period_end), period_type_published, value, provenance, release_id "
        f"from {source} where series_key = ? and year(period_end) = 2024 order by period_end",
        [series],
    ).fetchall()


def test_exports_have_a_year_to_date_for_every_month_of_2024(
    demo: duckdb.DuckDBPyConnection,
) -> None:
    found = points(demo, EXPORTS)
    assert [row[0] for row in found] == list(range(1, 13))
    assert [row[1] for row in found] == ["M", "YTD", "Q", *["YTD"] * 8, "A"]
    for month, (published_as, value, cell, release) in PINNED.items():
        row = found[month - 1]
        assert row[1:4] == (published_as, value, cell)
        assert row[4].startswith(release)
    assert round(found[8][2], 1) == 299625.1  # "9 tháng": the September workbook's G9


def test_every_point_is_a_figure_its_release_reported(demo: duckdb.DuckDBPyConnection) -> None:
    untraced = demo.execute(
        "select y.series_key, y.period_end from v_ytd y "
        "left join reported r on r.release_id = y.release_id and r.series_key = y.series_key "
        " and r.period_type = y.period_type_published and r.period_start = y.period_start "
        " and r.period_end = y.period_end "
        "where r.value is distinct from y.value or r.provenance is distinct from y.provenance"
    ).fetchall()
    assert untraced == []


def test_one_point_per_series_and_month_end(demo: duckdb.DuckDBPyConnection) -> None:
    rows, keys, odd = demo.execute(
        "select count(*), count(distinct (series_key, period_end)), "
        "count(*) filter (where period_type <> 'YTD' "
        " or period_start <> make_date(year(period_end), 1, 1)) from v_ytd"
    ).fetchone()
    assert rows == keys and odd == 0
    assert rows > 3000


def test_index_yoy_takes_the_first_quarter_and_january(demo: duckdb.DuckDBPyConnection) -> None:
    found = points(demo, IIP_YOY)
    assert [row[:3] for row in found[:3]] == [
        (1, "M", 118.86), (2, "YTD", 105.74), (3, "Q", 105.89)]
    assert len(found) == 12
    assert points(demo, EXPORTS_YOY)[2][1:4] == ("Q", 116.746823145662, "28.XK quý!J9")


def test_previous_period_and_december_indices_are_never_year_to_date(
    demo: duckdb.DuckDBPyConnection,
) -> None:
    # January against December is in v_latest, and is no year to date
    january = demo.execute(
        "select period_type from v_latest where series_key = ? and period_end = '2024-01-31'",
        [IIP_POP],
    ).fetchall()
    assert january == [("M",)]
    assert points(demo, IIP_POP) == []
    measures = {m for (m,) in demo.execute("select distinct measure from v_ytd").fetchall()}
    assert measures.isdisjoint({"index_pop", "index_dec"})


def test_stocks_and_series_never_cumulated_stay_out(demo: duckdb.DuckDBPyConnection) -> None:
    # parks operating at a date, CPI against the base year: never published "n tháng"
    found = demo.execute(
        "select count(*) from v_ytd where indicator like 'IND_PARK%' "
        "or (indicator = 'CPI' and measure = 'index_base')"
    ).fetchone()
    assert found == (0,)


def test_as_of_march_shows_the_march_workbooks_first_quarter(
    demo: duckdb.DuckDBPyConnection,
) -> None:
    row = demo.execute(
        "select period_type_published, value, status, provenance "
        "from ytd_as_of('2024-04-01') where series_key = ? and period_end = '2024-03-31'",
        [EXPORTS],
    ).fetchone()
    assert row == ("Q", 93060.0, "estimate", "20. XK hh!G9")


# The rules the demo's releases do not exercise: two forms of the same months, a quarter's
# index_pop, a stock, a plan attainment. Figures shaped like the March 2024 workbook's.
RULE_ROWS = """
insert into release (release_id, source, dataset, reference_period, published_at, sha256,
                     rows_reported, rows_added, rows_revised, rows_quarantined, loaded_at) values
    ('gso:2024-03:a', 'gso', 'monthly-workbook', '2024-03', '2024-03-29', 'a', 8, 0, 0, 0, now()),
    ('gso:2024-06:b', 'gso', 'monthly-workbook', '2024-06', '2024-06-29', 'b', 1, 0, 0, 0, now()),
    ('press:2024-03:c', 'press', 'article', '2024-03', '2024-04-02', 'c', 2, 0, 0, 0, now());
insert into series values
    ('X.VN._Z._T._Z.LEVEL.USD_MN', 'X', 'VN', '_Z', '_T', '_Z', 'level', 'USD_MN'),
    ('X.VN._Z._T._Z.INDEX_POP.INDEX', 'X', 'VN', '_Z', '_T', '_Z', 'index_pop', 'INDEX'),
    ('X.VN._Z._T._Z.PCT_OF_PLAN.PCT', 'X', 'VN', '_Z', '_T', '_Z', 'pct_of_plan', 'PCT'),
    ('STOCK.VN._Z._Z._Z.LEVEL.UNIT', 'STOCK', 'VN', '_Z', '_Z', '_Z', 'level', 'UNIT');
create temporary table figure (release_id varchar, series_key varchar, period_type varchar,
                               months integer, value double, cell varchar);
insert into figure values
    -- March workbook: "3 tháng" and "quý I" for the same months, one release
    ('gso:2024-03:a', 'X.VN._Z._T._Z.LEVEL.USD_MN', 'YTD', 3, 93060.0, 'XK!G9'),
    ('gso:2024-03:a', 'X.VN._Z._T._Z.LEVEL.USD_MN', 'Q', 3, 93061.0, 'XK quý!G9'),
    ('gso:2024-03:a', 'X.VN._Z._T._Z.LEVEL.USD_MN', 'YTD', 2, 59340.0, 'XK!E9'),
    ('gso:2024-03:a', 'X.VN._Z._T._Z.INDEX_POP.INDEX', 'Q', 3, 97.5, 'XK!K9'),
    ('gso:2024-03:a', 'X.VN._Z._T._Z.INDEX_POP.INDEX', 'YTD', 2, 98.1, 'XK!J9'),
    ('gso:2024-03:a', 'X.VN._Z._T._Z.PCT_OF_PLAN.PCT', 'YTD', 2, 16.2, 'XK!P9'),
    ('gso:2024-03:a', 'X.VN._Z._T._Z.PCT_OF_PLAN.PCT', 'Q', 3, 24.0, 'XK!Q9'),
    ('gso:2024-03:a', 'STOCK.VN._Z._Z._Z.LEVEL.UNIT', 'Q', 3, 17.0, 'KCN!C9'),
    -- June workbook: the first quarter again, official
    ('gso:2024-06:b', 'X.VN._Z._T._Z.LEVEL.USD_MN', 'Q', 3, 92880.78, 'XK quý!D9'),
    -- a less trusted source: the same March, and a January GSO did not give
    ('press:2024-03:c', 'X.VN._Z._T._Z.LEVEL.USD_MN', 'YTD', 3, 93100.0, 'para 2'),
    ('press:2024-03:c', 'X.VN._Z._T._Z.LEVEL.USD_MN', 'M', 1, 33600.0, 'para 1');
insert into reported (release_id, series_key, period_type, period_start, period_end, value,
                      status, provenance)
select f.release_id, f.series_key, f.period_type, date '2024-01-01',
       last_day(make_date(2024, f.months, 1)), f.value, 'estimate', f.cell
from figure f;
insert into observation
select p.series_key, p.period_type, p.period_start, p.period_end, r.source, p.value, p.status,
       p.release_id, r.published_at,
       lead(r.published_at) over (partition by p.series_key, p.period_type, p.period_end, r.source
                                  order by r.published_at)
from reported p join release r using (release_id);
"""


@pytest.fixture
def rules() -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect()
    migrate(con)
    con.execute(RULE_ROWS)
    yield con
    con.close()


def ytd(con: duckdb.DuckDBPyConnection, series: str, ts: str = "infinity") -> list[tuple]:
    return con.execute(
        "select month(period_end), period_type_published, value, source, provenance "
        "from ytd_as_of(?::timestamp) where series_key = ? order by period_end",
        [ts, series],
    ).fetchall()


def test_same_months_in_two_forms_give_one_point(rules: duckdb.DuckDBPyConnection) -> None:
    # one release: the column labelled year to date; later: the latest release's quarter
    assert ytd(rules, "X.VN._Z._T._Z.LEVEL.USD_MN", "2024-04-30") == [
        (1, "M", 33600.0, "press", "para 1"),
        (2, "YTD", 59340.0, "gso", "XK!E9"),
        (3, "YTD", 93060.0, "gso", "XK!G9"),
    ]
    assert ytd(rules, "X.VN._Z._T._Z.LEVEL.USD_MN")[2] == (3, "Q", 92880.78, "gso", "XK quý!D9")


def test_quarter_on_quarter_and_plan_quarters_are_left_out(
    rules: duckdb.DuckDBPyConnection,
) -> None:
    assert ytd(rules, "X.VN._Z._T._Z.INDEX_POP.INDEX") == []
    assert ytd(rules, "X.VN._Z._T._Z.PCT_OF_PLAN.PCT") == [(2, "YTD", 16.2, "gso", "XK!P9")]
    assert ytd(rules, "STOCK.VN._Z._Z._Z.LEVEL.UNIT") == []


# The workplace's GSO workbooks of 2016, 2023 and 2024 (2024's are the bundled ones): for each
# year, exports (value and index) and the industrial production index, year to date, have
# exactly one point at every month end.
EXTENDED_SERIES = [EXPORTS, EXPORTS_YOY, IIP_YOY]
EXTENDED_YEARS = (2016, 2023, 2024)


@pytest.mark.extended
def test_every_month_of_three_years_has_one_year_to_date_point(
    shared_releases: Path, tmp_path: Path
) -> None:
    from flows.archive import Archive
    from flows.core.model import ReleaseRef
    from flows.pipeline import load_archived
    from warehouse.connect import writer

    archive = Archive(tmp_path / "archive")
    workbooks = [path for year in EXTENDED_YEARS
                 for path in sorted((shared_releases / "gso").glob(f"{year}-*.xls*"))]
    assert len(workbooks) == 36
    warehouse = tmp_path / "chiso.duckdb"
    with writer(warehouse) as session:
        for path in workbooks:  # named <published yyyy-mm-dd>-<file name>
            published = datetime.fromisoformat(path.name[:10])
            ref = ReleaseRef("gso", "local-file", "", published, path.name[:7], title=path.name)
            load_archived([archive.store_local(path, ref)], session)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = con.execute(
            "select series_key, year(period_end), list(month(period_end) order by period_end) "
            "from v_ytd where series_key in (select unnest(?)) "
            "and year(period_end) in (select unnest(?)) group by all order by all",
            [EXTENDED_SERIES, list(EXTENDED_YEARS)],
        ).fetchall()
        assert found == [(key, year, list(range(1, 13)))
                         for key in sorted(EXTENDED_SERIES) for year in EXTENDED_YEARS]
        # Both forms, revised: the March 2016 workbook's "Quí I" (E10) gave 106.32, the April
        # workbook's "3 tháng" (B9) 107.21; the later one is the year to date, the earlier
        # one was until April.
        march = ("select period_type_published, value, provenance from ytd_as_of(?::timestamp) "
                 "where series_key = ? and period_end = '2016-03-31'")
        assert con.execute(march, ["infinity", IIP_YOY]).fetchone() == (
            "YTD", 107.20512406876553, "IIP!B9")
        assert con.execute(march, ["2016-04-01", IIP_YOY]).fetchone() == (
            "Q", 106.32, "IIP!E10")
