"""Price, labour, social and education tables of the GSO workbook: real figures pinned by cell,
each checked against the workbook's own cell (python-calamine)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from flows.core.model import Observation
from flows.core.periods import parse_period
from flows.normalise.gso_items import row_unit_of
from flows.pipeline import read_gso_workbook
from flows.readers.workbook.headers import interpret

from samples import SEPTEMBER_2024, workbook_cell

# (sheet!cell, value, period, measure, unit, indicator, product or "industry:<VSIC>")
SEPTEMBER_2024_FIGURES = [
    ("29.Gia SX!B8", 109.34264402862087, "2024-Q3", "index_yoy", "INDEX", "PPI", "industry:A"),
    ("30.Gia Van tai!C8", 101.26593478149579, "2024-Q3", "index_pop", "INDEX",
     "TRANSPORT_PRICES", "_T"),
    ("31.Gia NVL!D8", 102.649892048115, "2024-YTD09", "index_yoy", "INDEX", "INPUT_PRICES",
     "_T"),
    ("32.Gia XK!B8", 99.5703948956453, "2024-Q3", "index_yoy", "INDEX", "EXPORT_PRICES",
     "_T"),
    ("33.Gia NK!B8", 99.28944216400983, "2024-Q3", "index_yoy", "INDEX", "IMPORT_PRICES",
     "_T"),
    ("34.TygiaTM!B8", 100.2829633498911, "2024-Q3", "index_yoy", "INDEX", "TERMS_OF_TRADE",
     "_T"),
    ("41.Laodong!C10", 52654.9, "2024-Q3", "level", "THOUS_PERSONS", "LABOUR",
     "LUC_LUONG_LAO_DONG_TU_15_TUOI_TRO_LEN"),
    # "Năm 2024" heads "Quý II | Quý III | 9 tháng": each column is its own period.
    ("44.XHMT!F8", 17629.0, "2024-YTD09", "level", "CASES", "SOCIAL",
     "TONG_SO_VU_TAI_NAN_GIAO_THONG"),
    ("44.XHMT!E12", 961.0, "2024-Q3", "level", "CASES", "SOCIAL", "SO_VU_CHAY_NO"),
]

# (workbook, sheet!cell, value, period, measure, unit, indicator, product or "industry:<VSIC>")
OLDER_FIGURES = [
    # the 2011-2017 industrial producer price table's "Sản phẩm khai khoáng" is VSIC section B,
    # "Khai khoáng" of the single table from 2018
    ("2016-06-29-Bieu-6.2016.xlsx", "CSG_CN!B10", 89.10565264337282, "2016-Q2", "index_yoy",
     "INDEX", "PPI", "industry:B"),
    ("2016-06-29-Bieu-6.2016.xlsx", "csg XK !B9", 97.12099774682734, "2016-Q2", "index_yoy",
     "INDEX", "EXPORT_PRICES", "_T"),
    ("2016-06-29-Bieu-6.2016.xlsx", "csg NK !B8", 93.3359113195682, "2016-Q2", "index_yoy",
     "INDEX", "IMPORT_PRICES", "_T"),
    ("2016-06-29-Bieu-6.2016.xlsx", "TygiaTM!B10", 104.0553377298686, "2016-Q2", "index_yoy",
     "INDEX", "TERMS_OF_TRADE", "_T"),
    ("2013-06-29-Bieu-06-2013-1.xls", "Cuoc Van tai!B8", 107.027755986459, "2013-Q2",
     "index_yoy", "INDEX", "TRANSPORT_PRICES", "_T"),
    ("2013-06-29-Bieu-06-2013-1.xls", "Nguyen nhien VL!B10", 102.49290101846017, "2013-Q2",
     "index_yoy", "INDEX", "INPUT_PRICES", "_T"),
    # Labour and income of the state sector: the title names what "Tổng số" counts, and
    # "6 tháng 2002 so với 6 tháng 2001" compares with the same half-year of 2001.
    ("2002-06-29-Bieu0602-1.xls", "TN!B13", 968.5, "2002-YTD06", "level", "THOUS_VND",
     "LABOUR_INCOME", "_T"),
    ("2002-06-29-Bieu0602-1.xls", "TN!F13", 108.5762331838565, "2002-YTD06", "index_yoy",
     "INDEX", "LABOUR_INCOME", "_T"),
    ("2008-12-30-Bieu1208-1.xls", "TN!B12", 4073.3, "2008", "level", "THOUS_PERSONS",
     "LABOUR_EMPLOYMENT", "_T"),
    # Graduation exams: the school year 2007-2008 is the year 2008; the title names the level.
    ("2008-12-30-Bieu1208-1.xls", "THPT!C7", 1024167.0, "2008", "level", "PERSONS",
     "EDUCATION_UPPER_SEC_R1_CANDIDATES", "_T"),
    ("2008-12-30-Bieu1208-1.xls", "BTTH!D8", 63.6315868488215, "2008", "level", "PCT",
     "EDUCATION_CONT_UPPER_SEC_R1_GRADUATION_RATE", "DONG_BANG_SONG_HONG"),
    ("2001-06-29-Bieu06-1.xls", "Giaoduc!B10", 1883244.0, "2001", "level", "PERSONS",
     "EDUCATION_PRIMARY_CANDIDATES", "_T"),
    ("2001-06-29-Bieu06-1.xls", "Giaoduc!I11", 98.53798962792052, "2001", "level", "PCT",
     "EDUCATION_UPPER_SEC_GRADUATION_RATE", "DONG_BANG_SONG_HONG"),
    # March 2024's unit column slipped a row from the disaster rows on ("Ha" beside the people
    # injured, "Cái" beside the crops damaged, nothing beside the houses flooded): the item
    # list's unit stands, a written unit of the same size does not replace it.
    ("2024-03-29-02-Bieu-3.2024-ngay-28.3-1.xlsx", "36.XHMT!D16", 1.0, "2024-Q1", "level",
     "PERSONS", "SOCIAL", "THIET_HAI_DO_THIEN_TAI__SO_NGUOI_BI_THUONG"),
    ("2024-03-29-02-Bieu-3.2024-ngay-28.3-1.xlsx", "36.XHMT!D18", 146.6, "2024-Q1", "level",
     "HA", "SOCIAL", "DIEN_TICH_HOA_MAU_HU_HAI"),
    ("2024-03-29-02-Bieu-3.2024-ngay-28.3-1.xlsx", "36.XHMT!D20", 181.0, "2024-Q1", "level",
     "PIECES", "SOCIAL", "NHA_BI_NGAP_SAT_LO_TOC_MAI"),
    # December 2020 counts the hungry in people ("Người"), the other tables in thousands: a
    # written unit of another size wins over the list's (16,892 people, not thousand).
    ("2020-12-27-03-Bieu-2020.xlsx", "Sheet1!D9", 16892.0, "2020-Q2", "level", "PERSONS",
     "SOCIAL", "SO_NHAN_KHAU_THIEU_DOI"),
    ("2020-12-27-03-Bieu-2020.xlsx", "Sheet1!D8", 4086.0, "2020-Q2", "level", "HOUSEHOLDS",
     "SOCIAL", "SO_HO_THIEU_DOI"),  # "Lượt hộ"
    ("2020-09-29-03-Bieu-9.2020-EN.xlsx", "45!D8", 16.892, "2020-Q2", "level", "THOUS_PERSONS",
     "SOCIAL", "SO_NHAN_KHAU_THIEU_DOI"),
]


@cache
def _observations(path: Path) -> dict[str, Observation]:
    return {o.provenance: o for o in read_gso_workbook(path).observations}


def _check(path: Path, ref: str, value: float, period: str, measure: str, unit: str,
           indicator: str, place: str) -> None:
    found = _observations(path).get(ref)
    assert found is not None, f"no figure from {ref}"
    dimension, _, code = place.rpartition(":")
    assert (found.value, str(found.period), found.measure, found.unit, found.indicator,
            getattr(found, dimension or "product")) == (
        pytest.approx(value), period, measure, unit, indicator, code)
    assert workbook_cell(path, ref) == pytest.approx(found.value)


@pytest.mark.parametrize("figure", SEPTEMBER_2024_FIGURES, ids=lambda f: f[0])
def test_september_2024_figures(figure: tuple) -> None:
    _check(SEPTEMBER_2024, *figure)


@pytest.mark.extended
@pytest.mark.parametrize("figure", OLDER_FIGURES, ids=lambda f: f"{f[0][:7]}:{f[1]}")
def test_older_figures(shared_releases: Path, figure: tuple) -> None:
    _check(shared_releases / "gso" / figure[0], *figure[1:])


@pytest.mark.parametrize(("listed", "written", "unit"), [
    ("THOUS_PERSONS", "PERSONS", "PERSONS"),  # another size: what the row states
    ("HA", "THOUS_HA", "THOUS_HA"),
    ("PERSONS", "HA", "PERSONS"),  # the same size: the list's (a unit column one row off)
    ("THOUS_UNIT", "THOUS_PIECES", "THOUS_UNIT"),  # "nghìn chiếc" / "nghìn cái"
    ("PIECES", "", "PIECES"),
    ("", "USD_MN", "USD_MN"),
])
def test_a_rows_unit_from_its_list_and_its_unit_cell(listed: str, written: str, unit: str
                                                     ) -> None:
    assert row_unit_of(listed, written) == unit


@pytest.mark.parametrize(("text", "expected"), [
    ("Năm học 2006-2007 Đợt 1", "2007"),
    ("Kết quả thi tốt nghiệp năm học 2001 - 2002", "2002"),
    ("6 tháng 2001", "2001-YTD06"),
    ("Năm 2024 Quý II", "2024-Q2"),
    ("Năm 2024 9 tháng", "2024-YTD09"),
    ("Năm 2024", "2024"),
])
def test_periods(text: str, expected: str) -> None:
    assert str(parse_period(text, 1999)) == expected


def test_a_bare_year_header_is_that_year() -> None:
    column = interpret(2, "2013", None)
    assert (str(column.period), column.measures) == ("2013", ("level",))
