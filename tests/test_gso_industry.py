"""Figures pinned from the GSO industry tables: main industrial products, gross industrial
output (before the IIP), consumption and inventory indexes, employment in industry, in the
bundled 2024 workbooks and in older eras; and the reading quirks they need, on small grids.

Each pinned figure is checked against the workbook's own cell, read with python-calamine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.core import catalogue, periods
from flows.normalise.gso_items import normalise_items
from flows.pipeline import read_gso_workbook
from flows.readers.workbook.grid import Cell, Grid
from flows.readers.workbook.tables import find_tables

from samples import workbook_cell

BUNDLED = (Path(__file__).resolve().parents[1]
           / "flows/mirror/www.gso.gov.vn/wp-content/uploads/2024")
SEPTEMBER_2024 = BUNDLED / "10/2.Bieu-T9.2024.xlsx"
OCTOBER_2024 = BUNDLED / "11/02.-Bieu-T10.2024.xlsx"

_READ: dict[Path, object] = {}


def _read(path: Path):  # type: ignore[no-untyped-def]
    if path not in _READ:
        _READ[path] = read_gso_workbook(path)
    return _READ[path]


def _check(path: Path, ref: str, key: str, period: str, value: float) -> None:
    found = [o for o in _read(path).observations if o.provenance == ref and o.series_key == key]
    assert len(found) == 1, (ref, key, [(o.series_key, str(o.period)) for o in
                                        _read(path).observations if o.provenance == ref])
    assert str(found[0].period) == period
    assert found[0].value == pytest.approx(value, abs=0.005)
    shown = workbook_cell(path, ref)
    assert isinstance(shown, float)
    assert found[0].value == pytest.approx(shown)


# (workbook, cell, series key, period, value): the bundled 2024 workbooks.
BUNDLED_FIGURES = [
    # products, monthly and quarterly: natural gas in million m3, petrol in thousand tonnes
    (SEPTEMBER_2024, "9.SPCNthang!C10",
     "IND_PRODUCTION.VN._Z.KHI_DOT_THIEN_NHIEN_DANG_KHI._Z.LEVEL.MN_M3", "2024-08", 449.99),
    (SEPTEMBER_2024, "9.SPCNthang!F12", "IND_PRODUCTION.VN._Z.XANG_DAU._Z.INDEX_YOY.INDEX",
     "2024-09", 248.80),
    (SEPTEMBER_2024, "10.SPCNquy!D12", "IND_PRODUCTION.VN._Z.XANG_DAU._Z.LEVEL.THOUS_T",
     "2024-Q2", 4056.34),
    # consumption and inventory of manufacturing, food (division 10)
    (SEPTEMBER_2024, "11.CS TT TK!C12",
     "IND_CONSUMPTION_INVENTORY_CONSUMPTION.VN.10._Z._Z.INDEX_YOY.INDEX", "2024-09", 109.69),
    (SEPTEMBER_2024, "11.CS TT TK!G12",
     "IND_CONSUMPTION_INVENTORY_INVENTORY.VN.10._Z._Z.INDEX_YOY.INDEX", "2024-09", 95.59),
    # employment: the whole industry, division 08, and Hải Phòng in the provinces table. The
    # workers "thời điểm 01/10/2024" are a stock at the first of October: September's close.
    (OCTOBER_2024, "4.LĐCN!C10", "IND_EMPLOYMENT.VN._T._Z._Z.INDEX_YOY.INDEX", "2024-09",
     105.68),
    (OCTOBER_2024, "4.LĐCN!B15", "IND_EMPLOYMENT.VN.08._Z._Z.INDEX_POP.INDEX", "2024-09",
     100.14),
    (OCTOBER_2024, "5. LĐCN_DP!C15", "IND_EMPLOYMENT.VN-31._Z._Z._Z.INDEX_YOY.INDEX",
     "2024-09", 102.86),
]


@pytest.mark.parametrize(("path", "ref", "key", "period", "value"), BUNDLED_FIGURES)
def test_bundled_2024_industry_figures(
    path: Path, ref: str, key: str, period: str, value: float
) -> None:
    _check(path, ref, key, period, value)


# (workbook name start, cell, series key, period, value): older eras.
OLDER_FIGURES = [
    # January 2000 (TCVN3): coal and its centrally managed state part, ditto units
    ("2000-01", "3sp!D10", "IND_PRODUCTION.VN._Z.THAN_DA_THAN_SACH._Z.LEVEL.THOUS_T",
     "2000-01", 827.8),
    ("2000-01", "3sp!D11",
     "IND_PRODUCTION_STATE_CENTRAL.VN._Z.THAN_DA_THAN_SACH._Z.LEVEL.THOUS_T", "2000-01", 800.0),
    # gross output: the central state part of the total, of Hà Nội, and Hà Tây on its own
    ("2000-01", "2gtcn!D13", "GROSS_IND_OUTPUT_STATE_CENTRAL.VN._Z._T._Z.LEVEL.BN_VND",
     "2000-01", 4655.0),
    ("2000-01", "2gtcn!D29", "GROSS_IND_OUTPUT_STATE_CENTRAL.VN-01._Z._Z._Z.LEVEL.BN_VND",
     "2000-01", 498.6),
    ("2000-01", "2gtcn!F38", "GROSS_IND_OUTPUT.VN-HT._Z._Z._Z.INDEX_YOY.INDEX", "2000-01",
     106.74),
    # June 2001: the estimate and cumulative columns under an unmerged "Thực hiện" heading
    ("2001-06", "03GTCN!E12", "GROSS_IND_OUTPUT.VN._Z._T._Z.LEVEL.BN_VND", "2001-YTD06",
     113337.0),
    ("2001-06", "03GTCN!D33", "GROSS_IND_OUTPUT_STATE.VN-HT._Z._Z._Z.LEVEL.BN_VND", "2001-06",
     49.8),
    # June 2003: a part row with no unit written takes its product's ("Cái")
    ("2003-06", "03SPCN5!E108",
     "IND_PRODUCTION_STATE_CENTRAL.VN._Z.DONG_CO_DIEZEN._Z.LEVEL.PIECES", "2003-YTD06", 10583.0),
    # June 2007: canned milk of central state enterprises, "Doanh nghiệp Nhà nước (TW)"
    ("2007-06", "03SPCN!E26", "IND_PRODUCTION_STATE_CENTRAL.VN._Z.SUA_HOP._Z.LEVEL.MN_BOXES",
     "2007-YTD06", 158.4),
    # June 2010: labour turnover, counts over May
    ("2010-06", "Sheet1 (4)!E5", "IND_EMPLOYMENT_WORKERS_ADDED.VN._T._Z._Z.LEVEL.PERSONS",
     "2010-05", 48833.0),
    ("2010-06", "Sheet1 (4)!G5", "IND_EMPLOYMENT_NET_CHANGE.VN._T._Z._Z.LEVEL.PERSONS",
     "2010-05", 8177.0),
    # September 2016: "so với cùng kì" (older spelling of kỳ)
    ("2016-09", "SP!F10", "IND_PRODUCTION.VN._Z.THAN_DA_THAN_SACH._Z.INDEX_YOY.INDEX",
     "2016-09", 109.3),
]


def _release(folder: Path, start: str) -> Path:
    return next(p for p in sorted((folder / "gso").glob("*.xls*")) if p.name.startswith(start))


@pytest.mark.extended
@pytest.mark.parametrize(("start", "ref", "key", "period", "value"), OLDER_FIGURES)
def test_older_industry_figures(
    shared_releases: Path, start: str, ref: str, key: str, period: str, value: float
) -> None:
    _check(_release(shared_releases, start), ref, key, period, value)


@pytest.mark.extended
def test_section_over_its_only_division_is_read_once(shared_releases: Path) -> None:
    # IIP June 2013: "Sản xuất và phân phối điện" twice (section D, division 35), one set of
    # figures: read from the first row, the second skipped as repeated-figure, none unaccounted.
    contents = _read(_release(shared_releases, "2013-06"))
    iip = [t for t in contents.cells if t.table == "iip"]
    assert not [t for t in iip if t.outcome == "unaccounted"]
    assert sum(t.cells for t in iip if t.reason == "repeated-figure") == 4


def _pad(rows: list[list[Cell]]) -> list[list[Cell]]:
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def test_part_rows_go_to_the_item_above_with_its_unit() -> None:
    rows: list[list[Cell]] = [
        ["Một số sản phẩm chủ yếu của ngành công nghiệp"],
        ["", "Đơn vị tính", "Ước tính tháng 6 năm 2003"],
        ["Than", "Nghìn tấn", 100.0],
        ["- Trung ương", '"', 60.0],
        ["Động cơ diezen", "Cái", 5.0],
        ["Địa phương", "", 3.0],
    ]
    june = periods.month(2003, 6)
    (table,) = find_tables([Grid("SP", _pad(rows), [])], june)
    kind = catalogue.kind_of("một số sản phẩm chủ yếu của ngành công nghiệp")
    assert kind is not None
    observations, rejected = normalise_items(table, kind, june)
    assert not rejected
    assert {o.series_key: o.value for o in observations} == {
        "IND_PRODUCTION.VN._Z.THAN_DA_THAN_SACH._Z.LEVEL.THOUS_T": 100.0,
        "IND_PRODUCTION_STATE_CENTRAL.VN._Z.THAN_DA_THAN_SACH._Z.LEVEL.THOUS_T": 60.0,
        "IND_PRODUCTION.VN._Z.DONG_CO_DIEZEN._Z.LEVEL.PIECES": 5.0,
        "IND_PRODUCTION_STATE_LOCAL.VN._Z.DONG_CO_DIEZEN._Z.LEVEL.PIECES": 3.0,
    }


def test_title_merges_do_not_stop_unmerged_columns_anchoring() -> None:
    # June 2001 gross output: merges only on the title lines (A-E); the unmerged heading
    # "Thực hiện (Tỷ đồng)" over "5 tháng" anchors the estimate and cumulative columns right
    # of it.
    rows: list[list[Cell]] = [
        ["Giá trị sản xuất công nghiệp"],
        ["6 tháng đầu năm 2001"],
        ["", "", "Thực hiện (Tỷ đồng)", "", ""],
        ["", "", "5 tháng năm 2001", "Ước tính tháng 6 năm 2001", "Cộng dồn 6 tháng năm 2001"],
        ["Tổng số", "", 93264.0, 20073.0, 113337.0],
    ]
    title_merges = [((0, 0), (0, 4)), ((1, 0), (1, 4))]
    (table,) = find_tables([Grid("GTCN", _pad(rows), title_merges)], periods.month(2001, 6))
    assert [c.index for c in table.columns] == [2, 3, 4]
