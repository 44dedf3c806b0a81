"""v_index_check: year-on-year indexes that disagree with their own levels, and among them the
rates of change GSO printed under its index header (8.91 meaning +8.91%, stored as 8.91).

The bundled mirror holds GSO's 2024 workbooks only, so the level a year before comes from an
analyst's table (source files, tests/fixtures/index_check/) carrying GSO's published figures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from flows.present.cli import main

from samples import GSO_UPLOADS

FIXTURES = Path(__file__).parent / "fixtures" / "index_check"
OCTOBER_2024 = GSO_UPLOADS / "2024" / "11" / "02.-Bieu-T10.2024.xlsx"
APRIL_2024 = GSO_UPLOADS / "2024" / "04" / "02.-Bieu-so-lieu-T4.2024-1.xlsx"
SEPTEMBER_2018 = "gso/2018-09-28-03-Bieu-9.2018-N-1.xlsx"
DECEMBER_2018 = "gso/2018-12-27-03-So-lieu-2018-1.xls"
COLUMNS = ("index_value, level, level_year_before, round(derived_index, 2), reads_as_rate, "
           "provenance, level_year_before_source")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    assert code == 0, capsys.readouterr().err


def ingest_gso(path: Path, published: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(["ingest", "gso", "--file", str(path), "--published-at", published], capsys)


def ingest_table(stem: str, published: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(["ingest", "files", "--file", str(FIXTURES / f"{stem}.csv"),
         "--mapping", str(FIXTURES / f"{stem}.toml"), "--published-at", published], capsys)


def listed(warehouse: Path, series_key: str, period_type: str,
           period_end: date) -> list[tuple[object, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            f"select {COLUMNS} from v_index_check where series_key = ? and period_type = ? "
            "and period_end = ?", [series_key, period_type, period_end]).fetchall()


def test_october_2024_retail_disagrees_with_its_levels(
    warehouse_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ingest_gso(OCTOBER_2024, "2024-10-29", capsys)
    ingest_table("retail_2023", "2024-12-01", capsys)
    # GSO's G12 8.53 (+8.53%) sits where the index 108.53 belongs. The 2023 level GSO printed
    # a year before gives 102.76, not 108.53: GSO compared with a 2023 it has revised since,
    # so the rate is listed as a disagreement but the levels do not show it is a rate.
    ytd = listed(warehouse_env, "RETAIL.VN._Z._T._Z.INDEX_YOY.INDEX", "YTD", date(2024, 10, 31))
    assert ytd == [(pytest.approx(8.533082932976228), pytest.approx(5246225.648695457),
                    pytest.approx(5105422.0473272465), 102.76, False, "13. Tongmuc!G12",
                    "files")]
    # The month's column (F) holds a rate below zero too (F15 -1.86), so the reader
    # quarantined the whole column as rates: no index for October alone to check.
    assert listed(warehouse_env, "RETAIL.VN._Z._T._Z.INDEX_YOY.INDEX", "M",
                  date(2024, 10, 31)) == []


def test_an_index_that_its_levels_give_is_not_listed(
    warehouse_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # April 2024's table of dissolved enterprises prints January-April of both years and the
    # index between them: every index is what its two levels give.
    ingest_gso(APRIL_2024, "2024-04-29", capsys)
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        compared = con.execute(
            "select count(*) from v_vintages i join v_vintages l on l.indicator = i.indicator "
            "and l.geo = i.geo and l.industry = i.industry and l.product = i.product "
            "and l.measure = 'level' and l.period_type = 'YTD' "
            "and l.period_end = date '2023-04-30' "
            "where i.indicator = 'ENT_DISSOLVED' and i.measure = 'index_yoy' "
            "and i.period_type = 'YTD' and i.period_end = date '2024-04-30'").fetchone()
        found = con.execute(
            "select count(*) from v_index_check where series_key like 'ENT_DISSOLVED.%'"
        ).fetchone()
    assert compared is not None and compared[0] >= 20  # the table was read, both years
    assert found == (0,)


@pytest.mark.extended
def test_services_exports_of_2018_read_as_rates(
    shared_releases: Path, warehouse_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    transport_key = "SERVICES_TRADE.VN._Z.EXPORTS_TRANSPORT._Z.INDEX_YOY.INDEX"
    q3 = date(2018, 9, 30)
    # September 2018's table prints the index: its estimate 720 over 650 is its G10 110.77.
    ingest_gso(shared_releases / SEPTEMBER_2018, "2018-09-28", capsys)
    ingest_table("services_2017", "2019-01-01", capsys)
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        index = con.execute(
            "select value, provenance from v_latest where series_key = ? and period_type = 'Q' "
            "and period_end = ?", [transport_key, q3]).fetchone()
    assert index == (pytest.approx(110.76923076923077), "28.XNKdichvu!G10")
    assert listed(warehouse_env, transport_key, "Q", q3) == []

    # December 2018's same table prints the rates under the same header: listed, as rates.
    ingest_gso(shared_releases / DECEMBER_2018, "2018-12-27", capsys)
    total = listed(warehouse_env, "SERVICES_TRADE.VN._Z.EXPORTS._Z.INDEX_YOY.INDEX", "Q", q3)
    assert total == [(pytest.approx(8.912386706948652), 3605.0, 3310.0, 108.91, True,
                      "XNKdichvu!E10", "files")]
    transport = listed(warehouse_env, transport_key, "Q", q3)
    assert [row[3:6] for row in transport] == [(110.77, True, "XNKdichvu!E11")]
