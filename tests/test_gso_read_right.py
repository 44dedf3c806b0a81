"""Figures that were read, but read wrong, pinned by cell: each with its period, measure, unit
and series, and each checked against the workbook's own cell (python-calamine).

- A table whose rows are the months of a year and whose columns name the year (December 2008,
  "Số hộ và số nhân khẩu thiếu đói năm 2008"): 2007's months were filed as 2008's, indexes as
  levels, all in percent, under item codes made from the column headers.
- Rows repeated under two sections (December 2008 post and telecoms: "Trong đó: Tập đoàn BCVT"
  under the phone and internet subscribers and under revenue) were one item, and the section's
  unit ("A. SẢN LƯỢNG (Nghìn thuê bao)") was lost.
- A stock at the first day of a month ("tồn kho thời điểm 01/6/2015", beside sales for "tháng
  5"; workers "thời điểm 01/6/2016") was dated that month, not the close of the month before.
- FDI licensed "từ 01/01/2001 đến 21/06/2001" was dated January 2001.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from flows.core import catalogue
from flows.core.periods import annual, parse_period
from flows.normalise.gso_items import normalise_items
from flows.pipeline import WorkbookContents, read_gso_workbook
from flows.readers.workbook.headers import interpret
from flows.readers.workbook.tables import Row, Table

from samples import workbook_number

DECEMBER_2008 = "2008-12-30-Bieu1208-1.xls"
HUNGER_HOUSEHOLDS = "SOCIAL.VN._Z.SO_HO_THIEU_DOI._Z"
HUNGER_PERSONS = "SOCIAL.VN._Z.SO_NHAN_KHAU_THIEU_DOI._Z"

# (workbook, sheet!cell, value, period, measure, unit, series key)
PINS = [
    # Food shortage: "Số hộ thiếu đói (Nghìn lượt hộ) | Số nhân khẩu thiếu đói (Nghìn lượt nhân
    # khẩu)" over "Năm 2007 | Ước tính năm 2008 | Năm 2008 so với năm 2007 (%)"; rows "Tổng
    # số", "Tháng 1" ... "Tháng 12". The series the 2018+ tables give as rows.
    (DECEMBER_2008, "Sheet5!B12", 107.857, "2007-04", "level", "THOUS_HOUSEHOLDS",
     f"{HUNGER_HOUSEHOLDS}.LEVEL.THOUS_HOUSEHOLDS"),
    (DECEMBER_2008, "Sheet5!C12", 153.358, "2008-04", "level", "THOUS_HOUSEHOLDS",
     f"{HUNGER_HOUSEHOLDS}.LEVEL.THOUS_HOUSEHOLDS"),
    (DECEMBER_2008, "Sheet5!D12", 142.18641349193842, "2008-04", "index_yoy", "INDEX",
     f"{HUNGER_HOUSEHOLDS}.INDEX_YOY.INDEX"),
    (DECEMBER_2008, "Sheet5!B8", 723.941, "2007", "level", "THOUS_HOUSEHOLDS",
     f"{HUNGER_HOUSEHOLDS}.LEVEL.THOUS_HOUSEHOLDS"),
    (DECEMBER_2008, "Sheet5!F9", 174.051, "2007-01", "level", "THOUS_PERSONS",
     f"{HUNGER_PERSONS}.LEVEL.THOUS_PERSONS"),
    (DECEMBER_2008, "Sheet5!G20", 129.844, "2008-12", "level", "THOUS_PERSONS",
     f"{HUNGER_PERSONS}.LEVEL.THOUS_PERSONS"),
    (DECEMBER_2008, "Sheet5!H12", 166.62331825446847, "2008-04", "index_yoy", "INDEX",
     f"{HUNGER_PERSONS}.INDEX_YOY.INDEX"),
    (DECEMBER_2008, "Sheet5!H8", 132.7276004726964, "2008", "index_yoy", "INDEX",
     f"{HUNGER_PERSONS}.INDEX_YOY.INDEX"),
    # Post and telecoms: "Thực hiện 11 tháng năm 2008 | Ước tính tháng 12 năm 2008 | Cộng dồn
    # cả năm 2008 | Năm 2008 so với năm 2007 (%)"; VNPT's rows under each section.
    (DECEMBER_2008, "Buu chinh!F9", 199.0, "2008", "index_yoy", "INDEX",
     "SOCIAL.VN._Z.TAP_DOAN_BCVT_THUE_BAO_DIEN_THOAI._Z.INDEX_YOY.INDEX"),
    (DECEMBER_2008, "Buu chinh!F13", 104.5, "2008", "index_yoy", "INDEX",
     "SOCIAL.VN._Z.TAP_DOAN_BCVT_THUE_BAO_INTERNET._Z.INDEX_YOY.INDEX"),
    (DECEMBER_2008, "Buu chinh!F15", 117.7, "2008", "index_yoy", "INDEX",
     "SOCIAL.VN._Z.TAP_DOAN_BCVT_DOANH_THU_THUAN._Z.INDEX_YOY.INDEX"),
    (DECEMBER_2008, "Buu chinh!C8", 24638.0, "2008-YTD11", "level", "THOUS_SUBSCRIBERS",
     "SOCIAL.VN._Z.SO_THUE_BAO_DIEN_THOAI_PHAT_TRIEN._Z.LEVEL.THOUS_SUBSCRIBERS"),
    (DECEMBER_2008, "Buu chinh!E10", 1064.8, "2008", "level", "THOUS_SUBSCRIBERS",
     "SOCIAL.VN._Z.TAP_DOAN_BCVT_THUE_BAO_DIEN_THOAI_CO_DINH._Z.LEVEL.THOUS_SUBSCRIBERS"),
    (DECEMBER_2008, "Buu chinh!D14", 7455.5, "2008-12", "level", "BN_VND",
     "SOCIAL.VN._Z.DOANH_THU_THUAN_BUU_CHINH_VIEN_THONG._Z.LEVEL.BN_VND"),
    (DECEMBER_2008, "Buu chinh!E17", 45791.5, "2008", "level", "BN_VND",
     "SOCIAL.VN._Z.TAP_DOAN_BCVT_DOANH_THU_VIEN_THONG._Z.LEVEL.BN_VND"),
    # Inventories, 2014-2017: "Chỉ số tồn kho thời điểm 01/6/2015" beside "Chỉ số tiêu thụ
    # tháng 5 năm 2015": May's close. January 2016's "01/01/2016" is December 2015's.
    ("2015-06-29-Bieu-TH-6-2015-1.xlsx", "CS TT TK!E12", 103.2350654210313, "2015-05",
     "index_pop", "INDEX", "IND_CONSUMPTION_INVENTORY_INVENTORY.VN.C._Z._Z.INDEX_POP.INDEX"),
    ("2016-01-29-Bieu-01-2016.xls", "CS TT TK!F13", 109.2, "2015-12", "index_yoy", "INDEX",
     "IND_CONSUMPTION_INVENTORY_INVENTORY.VN.C._Z._Z.INDEX_YOY.INDEX"),
    ("2017-12-29-03-Bieu-2017.xlsx", "CS TT TK!F12", 105.13, "2017-11", "index_pop", "INDEX",
     "IND_CONSUMPTION_INVENTORY_INVENTORY.VN.C._Z._Z.INDEX_POP.INDEX"),
    # Industrial workers "thời điểm 01/6/2016" (every era): May's close.
    ("2016-06-29-Bieu-6.2016.xlsx", "LAO DONG!B11", 101.072074051352, "2016-05", "index_pop",
     "INDEX", "IND_EMPLOYMENT.VN._T._Z._Z.INDEX_POP.INDEX"),
    # FDI licensed "từ 01/01/2001 đến 21/06/2001": January to June.
    ("2001-06-29-Bieu06-1.xls", "06DTNN!C10", 157.0, "2001-YTD06", "level", "PROJECTS",
     "FDI_PROJECTS.VN._Z.CONG_NGHIEP._Z.LEVEL.PROJECTS"),
]


@cache
def _read(path: Path) -> WorkbookContents:
    return read_gso_workbook(path)


@cache


@pytest.mark.extended
@pytest.mark.parametrize("pin", PINS, ids=lambda p: f"{p[0][:7]}:{p[1]}:{p[4]}")
def test_pinned_figure(shared_releases: Path, pin: tuple) -> None:
    name, ref, value, period, measure, unit, key = pin
    path = shared_releases / "gso" / name
    found = [o for o in _read(path).observations if o.provenance == ref]
    read = {(str(o.period), o.measure, o.unit, o.series_key): o.value for o in found}
    assert read == {(period, measure, unit, key): pytest.approx(value)}, f"{ref} gives {read}"
    assert workbook_number(path, ref) == pytest.approx(value)


@pytest.mark.extended
@pytest.mark.parametrize("sheet", ["Sheet5", "Buu chinh"])
def test_every_cell_of_the_december_2008_sheets_is_a_figure(
    shared_releases: Path, sheet: str
) -> None:
    got = _read(shared_releases / "gso" / DECEMBER_2008)
    assert [r for r in got.rejected if r.sheet == sheet] == []
    tallies = {(c.outcome, c.reason): c.cells for c in got.cells if c.sheet == sheet}
    figures = sum(1 for o in got.observations if o.provenance.startswith(f"{sheet}!"))
    assert tallies == {("figure", ""): figures}
    assert figures == {"Sheet5": 78, "Buu chinh": 48}[sheet]


@pytest.mark.extended
def test_a_quarantined_cell_is_recorded_once(shared_releases: Path) -> None:
    """December 2024, "7-8.Chan nuoi- LN": the column "Năm 2023 so với năm 2024" (the years
    swapped) cannot be read; each of its six cells is one reject, as cell accounting counts."""
    got = _read(shared_releases / "gso" / "2024-12-29-02.Bieu-T12.2024.xlsx")
    sheet = "7-8.Chan nuoi- LN"
    rejects = Counter(r.cell for r in got.rejected if r.sheet == sheet)
    assert rejects == {f"{sheet}!G{row}": 1 for row in (10, 11, 12, 13, 15, 16)}
    assert all(n == 1 for n in Counter((r.sheet, r.cell) for r in got.rejected).values())
    tallies = {(c.table, c.reason): c.cells for c in got.cells
               if c.sheet == sheet and c.outcome == "quarantined"}
    assert tallies == {("livestock", "header-unparseable"): 6}


def test_months_as_rows_take_their_year_from_the_column() -> None:
    """A table of months by year, written out: each cell's month is its row's, its year and
    measure its column's; the total row is the column's year. Needs no workbook."""
    headers = ["Số hộ thiếu đói (Nghìn lượt hộ) Năm 2007",
               "Số hộ thiếu đói (Nghìn lượt hộ) Ước tính năm 2008",
               "Số hộ thiếu đói (Nghìn lượt hộ) Năm 2008 so với năm 2007(%)"]
    columns = [interpret(i, text, annual(2008)) for i, text in enumerate(headers, start=1)]
    rows = [Row(7, "Tổng số", 0, {1: 723.941, 2: 957.525, 3: 132.27}),
            Row(8, "Tháng 1", 0, {1: 39.645, 2: 62.71, 3: 158.18}),
            Row(9, "Tháng 2", 0, {1: 105.826, 2: 98.91, 3: 93.46})]
    table = Table("social", "Sheet5", "Số hộ và số nhân khẩu thiếu đói năm 2008", annual(2008),
                  columns, rows)
    kind = next(k for k in catalogue.table_kinds() if k.kind == "social")
    december = parse_period("tháng 12 năm 2008")
    assert december is not None
    observations, rejected = normalise_items(table, kind, december)
    assert rejected == []
    got = {o.provenance: (str(o.period), o.measure, o.unit, o.product) for o in observations}
    assert got == {
        "Sheet5!B8": ("2007", "level", "THOUS_HOUSEHOLDS", "SO_HO_THIEU_DOI"),
        "Sheet5!C8": ("2008", "level", "THOUS_HOUSEHOLDS", "SO_HO_THIEU_DOI"),
        "Sheet5!D8": ("2008", "index_yoy", "INDEX", "SO_HO_THIEU_DOI"),
        "Sheet5!B9": ("2007-01", "level", "THOUS_HOUSEHOLDS", "SO_HO_THIEU_DOI"),
        "Sheet5!C9": ("2008-01", "level", "THOUS_HOUSEHOLDS", "SO_HO_THIEU_DOI"),
        "Sheet5!D9": ("2008-01", "index_yoy", "INDEX", "SO_HO_THIEU_DOI"),
        "Sheet5!B10": ("2007-02", "level", "THOUS_HOUSEHOLDS", "SO_HO_THIEU_DOI"),
        "Sheet5!C10": ("2008-02", "level", "THOUS_HOUSEHOLDS", "SO_HO_THIEU_DOI"),
        "Sheet5!D10": ("2008-02", "index_yoy", "INDEX", "SO_HO_THIEU_DOI"),
    }
