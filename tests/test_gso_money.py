"""Figures pinned from the GSO money tables: state-budget and total investment, FDI, enterprise
registrations, retail sales, services trade and GDP, in a bundled 2024 workbook and in older eras.

Each figure is checked against the workbook's own cell, read with python-calamine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.core.periods import Period, parse_period
from flows.pipeline import read_gso_workbook
from flows.readers.workbook.grid import Grid
from flows.readers.workbook.tables import find_tables

from samples import workbook_cell

BUNDLED = (Path(__file__).resolve().parents[1]
           / "flows/mirror/www.gso.gov.vn/wp-content/uploads/2024")
SEPTEMBER_2024 = BUNDLED / "10/2.Bieu-T9.2024.xlsx"
AUGUST_2024 = BUNDLED / "09/02.-Bieu-T8.2024.xlsx"
MARCH_2024 = BUNDLED / "03/02-Bieu-3.2024-ngay-28.3-1.xlsx"

_READ: dict[Path, object] = {}


def _read(path: Path):  # type: ignore[no-untyped-def]
    if path not in _READ:
        _READ[path] = read_gso_workbook(path)
    return _READ[path]


def _check(path: Path, ref: str, key: str, period: str, value: float) -> None:
    found = [o for o in _read(path).observations if o.provenance == ref and o.series_key == key]
    assert len(found) == 1, (ref, key, [(o.series_key, str(o.period)) for o in
                                        _read(path).observations if o.provenance == ref])
    obs = found[0]
    assert str(obs.period) == period
    assert obs.value == pytest.approx(value)
    shown = workbook_cell(path, ref)
    assert isinstance(shown, float)
    if obs.measure.startswith("index") and "tốc độ tăng" not in key:
        assert obs.value == pytest.approx(shown) or obs.value == pytest.approx(shown + 100)


# (cell, series key, period, value): September 2024, one or more a kind.
SEPTEMBER = [
    # investment_state, monthly and quarterly tables; plan attainment in %
    ("18.VNSNN tháng!D9", "INV_STATE_BUDGET.VN._Z._T._Z.LEVEL.BN_VND", "2024-09", 64371.28784),
    ("18.VNSNN tháng!F9", "INV_STATE_BUDGET.VN._Z._T._Z.PCT_OF_PLAN.PCT", "2024-YTD09",
     55.7396566987631),
    ("19.VNSNN quý!E8", "INV_STATE_BUDGET.VN._Z._T._Z.LEVEL.BN_VND", "2024-Q3", 184159.86204),
    # investment_total
    ("17.VĐT TXH!E9", "INV_TOTAL.VN._Z._T._Z.LEVEL.THOUS_BN_VND", "2024-YTD09",
     2417.2199592853103),
    # fdi: new and net adjusted capital, and a partner country
    ("20.FDI!D7", "FDI_CAPITAL_NEW.VN._Z._T._Z.LEVEL.USD_MN", "2024-YTD09", 13553.75756567),
    ("20.FDI!E7", "FDI_CAPITAL_ADJUSTED_NET.VN._Z._T._Z.LEVEL.USD_MN", "2024-YTD09",
     7643.956388277447),
    ("20.FDI!C33", "FDI_PROJECTS.VN._Z._Z.KR.LEVEL.PROJECTS", "2024-YTD09", 302.0),
    # enterprises_*
    ("13.DN DK thanh lap!C9", "ENT_NEW.VN._Z._T._Z.LEVEL.ENTERPRISES", "2024-YTD09", 121898.0),
    ("14.DN quay lai hoat dong!C7", "ENT_RETURNING.VN._Z._T._Z.LEVEL.ENTERPRISES", "2024-YTD09",
     61103.0),
    ("15.DN Ngừng có thời hạn!C7", "ENT_SUSPENDED_FIXED_TERM.VN._Z._T._Z.LEVEL.ENTERPRISES",
     "2024-YTD09", 86904.0),
    ("16.DN giải thể!D7", "ENT_DISSOLVED.VN._Z._T._Z.INDEX_YOY.INDEX", "2024-YTD09",
     118.87668265511373),
    # retail, monthly and quarterly
    ("21.Tongmuc!D11", "RETAIL.VN._Z._T._Z.LEVEL.BN_VND", "2024-09", 535773.05746755),
    ("22.TM_Quy!F9", "RETAIL.VN._Z._T._Z.INDEX_YOY.INDEX", "2024-Q3", 108.39998538128322),
    # services_trade: exports' total and an import item, told apart by their section
    ("27.XNK Dich vu!C9", "SERVICES_TRADE.VN._Z.EXPORTS._Z.LEVEL.USD_MN", "2024-Q3", 5873.0),
    ("27.XNK Dich vu!C18", "SERVICES_TRADE.VN._Z.IMPORTS_TRAVEL._Z.LEVEL.USD_MN", "2024-Q3",
     3700.0),
    # gdp: current and constant 2010 prices, by VSIC section
    ("1.GDP-HH!D8", "GDP_CURRENT.VN._T._Z._Z.LEVEL.BN_VND", "2024-Q3", 2849908.1173087927),
    ("2.GDP-SS!G8", "GDP_CONSTANT_2010.VN._T._Z._Z.INDEX_YOY.INDEX", "2024-Q3",
     107.40485312039641),
    ("2.GDP-SS!D16", "GDP_CONSTANT_2010.VN.C._Z._Z.LEVEL.BN_VND", "2024-Q3", 378618.0762916976),
]


@pytest.mark.parametrize(("ref", "key", "period", "value"), SEPTEMBER)
def test_september_2024(ref: str, key: str, period: str, value: float) -> None:
    _check(SEPTEMBER_2024, ref, key, period, value)


def test_enterprise_summary_august_2024() -> None:
    _check(AUGUST_2024, "6. Chi tieu DN!C10", "ENT.VN._Z.NEW._Z.LEVEL.ENTERPRISES", "2024-08",
           13393.0)


def test_rate_of_increase_is_stored_as_an_index() -> None:
    """March 2024: "Tốc độ tăng so với quý I năm 2023 (%)" holds 5.66, stored as 105.66."""
    ref = "1.GDP !G8"
    assert workbook_cell(MARCH_2024, ref) == pytest.approx(5.65754422756794)
    found = [o for o in _read(MARCH_2024).observations if o.provenance == ref]
    assert [(o.series_key, str(o.period)) for o in found] == [
        ("GDP_CONSTANT_2010.VN._T._Z._Z.INDEX_YOY.INDEX", "2024-Q1")]
    assert found[0].value == pytest.approx(105.65754422756794)


def test_no_false_duplicates_in_the_money_tables() -> None:
    """One series per concept: no duplicate-observation among these tables in September 2024."""
    money = ("INV_", "FDI", "ENT", "RETAIL", "SERVICES_TRADE", "GDP")
    rejects = [r for r in _read(SEPTEMBER_2024).rejected
               if r.code == "duplicate-observation" and r.message.split(": ", 1)[1].startswith(
                   money)]
    assert rejects == []


# Older eras, from the workplace's releases.
OLDER = [
    # 2008: GDP at constant 1994 prices (half-year table), FDI in thousand USD, a partner
    ("2008-06-30-Bieu0608-1.xls", "GDP!G9", "GDP_CONSTANT_1994.VN._T._Z._Z.LEVEL.BN_VND",
     "2008-YTD06", 222158.0),
    ("2008-06-30-Bieu0608-1.xls", "GDP!C9", "GDP_CURRENT.VN._T._Z._Z.LEVEL.BN_VND", "2008-YTD06",
     625738.0),
    ("2008-06-30-Bieu0608-1.xls", "06DTNN!E7", "FDI_CAPITAL_NEW.VN._Z._T._Z.LEVEL.USD_THOUS",
     "2008-YTD06", 30946906.884),
    ("2008-06-30-Bieu0608-1.xls", "06DTNN!C90", "FDI_PROJECTS.VN._Z._Z.JP.LEVEL.PROJECTS",
     "2008-YTD06", 47.0),
    ("2008-06-30-Bieu0608-1.xls", "Tongmuc!C8", "RETAIL.VN._Z._T._Z.LEVEL.BN_VND", "2008-YTD06",
     447326.0),
    ("2008-06-30-Bieu0608-1.xls", "XNK dich vu!C18",
     "SERVICES_TRADE.VN._Z.IMPORTS_TRAVEL._Z.LEVEL.USD_MN", "2008-YTD06", 710.0),
    # 2006: the title's second line is no header text; three periods, no false duplicates
    ("2006-06-29-Bieu0606.xls", "04XD5!D10", "INV_STATE_BUDGET.VN._Z._T._Z.LEVEL.BN_VND",
     "2006-YTD05", 21220.0),
    ("2006-06-29-Bieu0606.xls", "04XD5!F10", "INV_STATE_BUDGET.VN._Z._T._Z.LEVEL.BN_VND",
     "2006-06", 5475.0),
    # 2009: a unit over the columns anchors them; plan comparison written first
    ("2009-06-29-Bieu0609-1.xls", "02Dtu (2)!C7", "INV_STATE_BUDGET.VN._Z._T._Z.LEVEL.BN_VND",
     "2009-06", 13143.96),
    ("2009-06-29-Bieu0609-1.xls", "02Dtu (2)!G7",
     "INV_STATE_BUDGET.VN._Z._T._Z.PCT_OF_PLAN.PCT", "2009-YTD06", 35.12416666666667),
    # 2012: "chín tháng" (nine months, in words)
    ("2012-09-29-", "1GDP!G9", "GDP_CONSTANT_1994.VN._T._Z._Z.INDEX_YOY.INDEX", "2012-YTD09",
     104.73366306875722),
    # 2018: two suspension tables, each its own indicator; a section heading above the body
    ("2018-09-28-", "15.Tamngungkdcothoihan!C8",
     "ENT_SUSPENDED_FIXED_TERM.VN._Z._T._Z.LEVEL.ENTERPRISES", "2018-YTD09", 23053.0),
    ("2018-09-28-", "16.Tamngunghdkdk!C8",
     "ENT_SUSPENDED_AWAITING_DISSOLUTION.VN._Z._T._Z.LEVEL.ENTERPRISES", "2018-YTD09", 50050.0),
    ("2018-12-27-", "XNKdichvu!D11", "SERVICES_TRADE.VN._Z.EXPORTS_TRANSPORT._Z.LEVEL.USD_MN",
     "2018", 2885.0),
    # 2019: "Số | dự án", the unit words under "Số"
    ("2019-08-29-", "4.DTNN!C7", "FDI_PROJECTS.VN._Z._T._Z.LEVEL.PROJECTS", "2019-YTD08",
     2406.0),
    # September 2018: "Nghìn tỷ đồng; %", trillions for the levels
    ("2018-09-28-", "18.VĐTTXH!C9", "INV_TOTAL.VN._Z._T._Z.LEVEL.THOUS_BN_VND", "2018-Q2",
     415.47196),
    # April 2016: "4 tháng đầu năm 2016 so vớicùng kỳ năm 2015 (%)", "với" glued on
    ("2016-04-29-", "Tongmuc!F9", "RETAIL.VN._Z.BAN_LE_HANG_HOA._Z.INDEX_YOY.INDEX",
     "2016-YTD04", 108.99),
    # 2019: partners spelt as GSO transliterates them ("Ai-len" Ireland, "Ai Cập" Egypt)
    ("2019-05-27-", "FDI!D45", "FDI_CAPITAL_NEW.VN._Z._Z.IE.LEVEL.USD_MN", "2019-YTD05", 21.0),
    ("2019-11-29-", "21.DTNN!C40", "FDI_PROJECTS.VN._Z._Z.EG.LEVEL.PROJECTS", "2019-YTD11",
     6.0),
    ("2020-11-29-", "6!E10", "ENT.VN._Z.NEW._Z.LEVEL.ENTERPRISES", "2020-11", 13092.0),
]


@pytest.mark.extended
@pytest.mark.parametrize(("name", "ref", "key", "period", "value"), OLDER)
def test_older_eras(
    shared_releases: Path, name: str, ref: str, key: str, period: str, value: float
) -> None:
    path = next(p for p in sorted((shared_releases / "gso").glob(f"{name}*"))
                if p.suffix in (".xls", ".xlsx"))
    _check(path, ref, key, period, value)


@pytest.mark.extended
def test_fdi_partners_are_iso_codes(shared_releases: Path) -> None:
    """Every FDI partner is an ISO 3166 alpha-2 code, in every workbook."""
    partners = set()
    for path in sorted((shared_releases / "gso").glob("*.xls*")):
        try:
            read = _read(path)
        except Exception:  # the English edition names no period
            continue
        partners |= {o.partner for o in read.observations if o.indicator.startswith("FDI")}
    partners.discard("_Z")
    assert partners and all(len(p) == 2 and p.isupper() for p in partners), sorted(partners)


def _grid(rows: list[list[object]]) -> Grid:
    return Grid("t", [[("" if v is None else v) for v in row] for row in rows], [])


def test_a_unit_list_in_one_cell_is_no_header() -> None:
    """"Doanh nghiệp; %" over the last column (2018) must not leave the others unanchored."""
    grid = _grid([
        ["13. Doanh nghiệp đăng ký thành lập mới", None, None, None],
        [None, None, None, "Doanh nghiệp; %"],
        [None, "Quý III năm 2018", "9 tháng năm 2018", "9 tháng năm 2018 so với cùng kỳ"],
        ["TỔNG SỐ", 32080.0, 96611.0, 102.8],
    ])
    (table,) = find_tables([grid], parse_period("tháng 9 năm 2018"))
    assert [c.index for c in table.columns] == [1, 2, 3]
    assert table.unheaded == ()


def test_a_section_heading_above_the_first_row_heads_it() -> None:
    grid = _grid([
        ["Xuất, nhập khẩu dịch vụ các quý năm 2018", None],
        [None, "Quý IV năm 2018"],
        ["XUẤT KHẨU DỊCH VỤ", None],
        ["Tổng số", 3715.0],
        ["NHẬP KHẨU DỊCH VỤ", None],
        ["Tổng số", 4600.0],
    ])
    reference = parse_period("tháng 12 năm 2018")
    assert isinstance(reference, Period)
    (table,) = find_tables([grid], reference)
    assert table.heading == "XUẤT KHẨU DỊCH VỤ"


def test_months_counted_in_words() -> None:
    assert str(parse_period("Tổng sản phẩm trong nước chín tháng năm 2012")) == "2012-YTD09"
    assert str(parse_period("sáu tháng đầu năm 2010")) == "2010-YTD06"
    assert str(parse_period("tháng chín năm 2012")) == "2012-09"  # a month, not nine months
