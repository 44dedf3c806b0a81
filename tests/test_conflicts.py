"""Sources that disagree: each keeps its figure, v_latest prefers by precedence, and
v_conflicts shows disagreements beyond the published precision."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path

import duckdb
import pytest

from flows.core.model import Observation
from flows.core.periods import year_to_date
from flows.pipeline import WorkbookContents, read_gso_workbook, read_report
from flows.readers.prose.lexicon import indicator_phrases
from flows.readers.workbook.headers import unit_of
from warehouse.connect import load_release
from warehouse.load import ReleaseRecord, release_id
from warehouse.migrate import migrate

from samples import SEPTEMBER_2024, workbook_number

# Hải Phòng's statistics office, February 2020: budget revenue "ước đạt 8.878 tỷ đồng".
STATS_2020 = Path(__file__).parent / "fixtures" / "prose" / "haiphong-stats-2020-02.txt"
# The dimensions of a series key before its measure and unit: the concept and its place.
Where = tuple[str, str, str, str, str]


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


# -- report figures meet the workbook's --------------------------------------------------------


@cache
def gso_read(path: Path) -> WorkbookContents:
    return read_gso_workbook(path)


def where(o: Observation) -> Where:
    return (o.indicator, o.geo, o.industry, o.product, o.partner)


def report_wholes(geo: str, year: int) -> dict[str, tuple[Where, str]]:
    """What the prose reader writes for each phrase of prose_indicators.csv at `geo`: the
    dimensions of a change in its whole ("X 9 tháng năm 2024 tăng 5,0% so với cùng kỳ năm
    trước"), and the unit it keeps levels in."""
    found = {}
    for phrase, named in indicator_phrases().items():
        text = f"{phrase.capitalize()} 9 tháng năm {year} tăng 5,0% so với cùng kỳ năm trước."
        [figure], rejected = read_report(text, geo=geo, published=date(year, 12, 31))
        assert rejected == [], phrase
        found[phrase] = (where(figure), named.unit)
    return found


def shared_with_workbook(path: Path, geo: str, year: int, units: bool = True) -> set[str]:
    """The report indicators the workbook at `path` gives for `geo` too, after checking that the
    reader writes them in a series the workbook gives there and (`units`) keeps their levels in
    a unit the workbook's levels use."""
    gso = gso_read(path).observations
    series = {where(o) for o in gso}
    level_units = {(o.indicator, o.geo, o.unit) for o in gso if o.measure == "level"}
    shared = set()
    for phrase, (written, unit) in report_wholes(geo, year).items():
        if not any(w[:2] == written[:2] for w in series):
            continue  # the workbook has no table of it at this place
        assert written in series, phrase
        if units and any(u[:2] == written[:2] for u in level_units) \
                and written[0] not in UNIT_DIFFERS:
            assert (*written[:2], unit) in level_units, phrase
        shared.add(written[0])
    return shared


# GSO writes total social investment in thousand billion dong (BN_VND in the 2000s workbooks);
# reports write billion dong, which the reader keeps (it converts a unit's scale words, not one
# unit into another), so the country's level is under another key. GSO gives no province's.
UNIT_DIFFERS = {"INV_TOTAL"}


def test_reports_write_the_codes_of_the_workbooks_series() -> None:
    """Every report indicator that is a concept of GSO's workbook (September 2024) is written in
    the workbook's codes: the country's whole as its total row (`_T`), a province's as its row
    in the tables by province (`_Z`), so a figure the city and GSO both publish has one key."""
    assert shared_with_workbook(SEPTEMBER_2024, "VN", 2024) == {
        "IIP", "EXPORTS", "IMPORTS", "CPI", "RETAIL", "INV_STATE_BUDGET", "INV_TOTAL",
        "FDI_CAPITAL_NEW", "FDI_CAPITAL_ADJUSTED_NET"}
    assert shared_with_workbook(SEPTEMBER_2024, "VN-31", 2024) == {
        "INV_STATE_BUDGET", "FDI_CAPITAL_NEW", "FDI_CAPITAL_ADJUSTED_NET"}
    # Tourist arrivals in a city (domestic ones too) are not GSO's international arrivals.
    written = {w[0] for w, _ in report_wholes("VN", 2024).values()}
    assert "VISITORS" in {o.indicator for o in gso_read(SEPTEMBER_2024).observations}
    assert "VISITORS" not in written and "TOURISTS" in written


@pytest.mark.extended
def test_reports_write_the_codes_of_gross_industrial_output(shared_releases: Path) -> None:
    """Gross industrial output, GSO's measure before the IIP: the June 2008 workbook gives the
    country's total and Hải Phòng's row, and a report's "giá trị sản xuất công nghiệp" meets
    both."""
    path = shared_releases / "gso" / "2008-06-30-Bieu0608-1.xls"
    # Units are not compared: the 2000s FDI tables are in thousand USD, reports' in million.
    assert "GROSS_IND_OUTPUT" in shared_with_workbook(path, "VN", 2008, units=False)
    assert "GROSS_IND_OUTPUT" in shared_with_workbook(path, "VN-31", 2008, units=False)
    levels = {o.unit for o in gso_read(path).observations
              if o.indicator == "GROSS_IND_OUTPUT" and o.measure == "level"}
    assert levels == {indicator_phrases()["giá trị sản xuất công nghiệp"].unit}


# The repository holds no Hải Phòng report that gives state-budget investment (its report pages
# carry the IIP, GRDP, budget revenue and exports): these sentences are written for the test in
# the statistics office's register. The nine months' figures are GSO's for Hải Phòng as the
# office would print them (11.930,4; 93,0%; 59,7%); September's 1.960,0 is a stand-in that
# differs from GSO's 1,953.75, and the total social investment a stand-in too.
HAIPHONG_INVESTMENT = (
    "4. Đầu tư\n"
    "Vốn đầu tư thực hiện từ nguồn ngân sách Nhà nước do thành phố quản lý tháng 9/2024 ước đạt "
    "1.960,0 tỷ đồng; tính chung 9 tháng năm 2024 ước đạt 11.930,4 tỷ đồng, bằng 93,0% so với "
    "cùng kỳ năm trước và đạt 59,7% kế hoạch năm.\n"
    "Vốn đầu tư phát triển toàn xã hội quý III/2024 ước đạt 36.000 tỷ đồng.")


def test_a_citys_state_budget_investment_meets_the_workbooks_province_row(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """GSO's table of state-budget investment by province (18.VNSNN tháng, Hải Phòng's row 31)
    and the city's report name one series: the figures that agree at the city's precision are
    no conflict, September's stand-in is one. Total social investment, which the reader filed
    under the same INVESTMENT before, is a series of its own."""
    load_release(con, record("gso", "2024-10-06"), gso_read(SEPTEMBER_2024).observations, [])
    city, rejected = read_report(HAIPHONG_INVESTMENT, geo="VN-31", published=date(2024, 9, 29),
                                 source_name="report.html")
    assert rejected == []
    load_release(con, record("haiphong_stats", "2024-09-29"), city, [])

    assert workbook_number(SEPTEMBER_2024, "18.VNSNN tháng!E31") == 11930.421
    rows = con.execute(
        "select series_key, period_type || ' ' || period_end, source, value from v_vintages "
        "where geo = 'VN-31' and indicator like 'INV_%' and period_end = '2024-09-30' "
        "and period_type in ('M', 'YTD') order by all").fetchall()
    budget = "INV_STATE_BUDGET.VN-31._Z._Z._Z."
    assert [(k, p, s, round(v, 4)) for k, p, s, v in rows] == [
        (budget + "INDEX_YOY.INDEX", "YTD 2024-09-30", "gso", 93.0408),
        (budget + "INDEX_YOY.INDEX", "YTD 2024-09-30", "haiphong_stats", 93.0),
        (budget + "LEVEL.BN_VND", "M 2024-09-30", "gso", 1953.75),
        (budget + "LEVEL.BN_VND", "M 2024-09-30", "haiphong_stats", 1960.0),
        (budget + "LEVEL.BN_VND", "YTD 2024-09-30", "gso", 11930.421),
        (budget + "LEVEL.BN_VND", "YTD 2024-09-30", "haiphong_stats", 11930.4),
        (budget + "PCT_OF_PLAN.PCT", "YTD 2024-09-30", "gso", 59.7335),
        (budget + "PCT_OF_PLAN.PCT", "YTD 2024-09-30", "haiphong_stats", 59.7),
    ]
    assert con.execute(
        "select series_key, period_type, source, value, other_source, other_value, "
        "compared_decimals, provenance from v_conflicts where geo = 'VN-31'").fetchall() == [
        (budget + "LEVEL.BN_VND", "M", "gso", 1953.75, "haiphong_stats", 1960.0, 1,
         "18.VNSNN tháng!D31")]
    assert con.execute(
        "select series_key, source, value from v_latest where indicator = 'INV_TOTAL' "
        "and geo = 'VN-31'").fetchall() == [
        ("INV_TOTAL.VN-31._Z._T._Z.LEVEL.BN_VND", "haiphong_stats", 36000.0)]


def test_the_countrys_retail_sales_in_the_press_meet_gsos_total(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """Retail sales, which reports filed as RETAIL_SALES (product _Z) beside GSO's RETAIL (_T):
    the press quoting GSO's nine months of 2024 ("4.703,4 nghìn tỷ đồng, tăng 8,8%", written for
    the test: the press fixture gives the IIP and exports) meets the workbook's total row and
    agrees with it at the article's precision, hundreds of billions of dong."""
    load_release(con, record("gso", "2024-10-06"), gso_read(SEPTEMBER_2024).observations, [])
    text = ("Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng 9 tháng năm 2024 ước đạt "
            "4.703,4 nghìn tỷ đồng, tăng 8,8% so với cùng kỳ năm trước.")
    press, rejected = read_report(text, geo="VN", published=date(2024, 10, 15))
    assert rejected == []
    load_release(con, record("press", "2024-10-15"), press, [])
    assert con.execute(
        "select series_key, source, round(value, 4), decimals from v_vintages "
        "where indicator = 'RETAIL' and product = '_T' and measure <> 'share' "
        "and period_type = 'YTD' "
        "and period_end = '2024-09-30' order by all").fetchall() == [
        ("RETAIL.VN._Z._T._Z.INDEX_YOY.INDEX", "gso", 108.767, None),
        ("RETAIL.VN._Z._T._Z.INDEX_YOY.INDEX", "press", 108.8, 1),
        ("RETAIL.VN._Z._T._Z.LEVEL.BN_VND", "gso", 4703401.1006, None),
        ("RETAIL.VN._Z._T._Z.LEVEL.BN_VND", "press", 4703400.0, -2),
    ]
    assert con.execute("select count(*) from v_conflicts").fetchone() == (0,)
