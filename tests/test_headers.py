"""Stacked header text, as GSO writes it, read into period, measure and status."""

from __future__ import annotations

import pytest

from flows.core.periods import month, parse_period
from flows.readers.workbook.headers import (
    header_texts,
    header_units,
    interpret,
    level_unit_of,
    value_band,
)

SEPTEMBER = month(2024, 9)


@pytest.mark.parametrize(
    ("text", "period", "measures", "status", "basis"),
    [
        ("Tháng 8 năm 2024 so với cùng kỳ năm trước", "2024-08", ("index_yoy",), None, None),
        ("Tháng 9 năm 2024 so với tháng trước", "2024-09", ("index_pop",), None, None),
        ("9 tháng năm 2024 so với cùng kỳ năm trước", "2024-YTD09", ("index_yoy",), None, None),
        ("Sơ bộ tháng 9 năm 2024 Lượng", "2024-09", ("level",), "preliminary", "quantity"),
        ("Ước tính 9 tháng năm 2024 Trị giá", "2024-YTD09", ("level",), "estimate", "value"),
        ("Thực hiện quý II năm 2024 Trị giá", "2024-Q2", ("level",), "official", "value"),
        ("Tháng 9 năm 2024 so với: Kỳ gốc năm 2019", "2024-09", ("index_base",), None, None),
        ("Tháng 9 năm 2024 so với: Tháng 9 năm 2023", "2024-09", ("index_yoy",), None, None),
        ("Tháng 9 năm 2024 so với: Tháng 12 năm 2023", "2024-09", ("index_dec",), None, None),
        ("Tháng 9 năm 2024 so với: Tháng 8 năm 2024", "2024-09", ("index_pop",), None, None),
        ("Bình quân quý III năm 2024 so với cùng kỳ năm trước", "2024-Q3", ("index_yoy",),
         None, None),
        ("Năm 2015 so với năm 2014", "2015", ("index_yoy",), None, None),
        # January against December answers two questions at once.
        ("Tháng 01 năm 2016 so với tháng 12 năm 2015", "2016-01", ("index_pop", "index_dec"),
         None, None),
        # 2018: the comparison written first, and "năm" twice.
        ("So với cùng kỳ năm trước Thực hiện quý I năm năm 2018", "2018-Q1", ("index_yoy",),
         "official", None),
        # April-July 2020's visitors: a bare "So" before what is compared, written first.
        ("So cùng kỳ năm trước (%) Tháng 4 năm 2020", "2020-04", ("index_yoy",), None, None),
        ("So cùng kỳ năm trước (%) 4 tháng năm 2020", "2020-YTD04", ("index_yoy",), None,
         None),
        # April 2016's retail: "với" glued to what follows it.
        ("4 tháng đầu năm 2016 so vớicùng kỳ năm 2015 (%)", "2016-YTD04", ("index_yoy",),
         None, None),
        # 2012: "Quí" with the other accent.
        ("Quí 1 năm 2012 so với cùng kỳ năm 2011", "2012-Q1", ("index_yoy",), None, None),
        # "ước" must not be found inside "năm trước".
        ("Tháng 9 năm 2024 so với cùng kỳ năm trước (%) Trị giá", "2024-09", ("index_yoy",),
         None, "value"),
        # June 2002: the stable jobs as a percentage of all placed; the period is the default
        # (there the title's, "6 tháng đầu năm 2002").
        ("Tỷ lệ có việc làm ổn định so với tổng số (%)", "2024-09", ("share",), None, None),
    ],
)
def test_header_text(
    text: str, period: str, measures: tuple[str, ...], status: str | None, basis: str | None
) -> None:
    column = interpret(3, text, SEPTEMBER)
    assert (str(column.period), column.measures, column.status, column.basis) == (
        period, measures, status, basis)
    assert column.problem is None


def test_a_base_year_is_kept() -> None:
    assert interpret(3, "Tháng 01 năm 2016 so với: Kỳ gốc (2014)", month(2016, 1)).base_year == 2014


def test_an_unreadable_comparison_is_a_problem_not_a_guess() -> None:
    column = interpret(3, "Tháng 9 năm 2024 so với bình quân", SEPTEMBER)
    assert column.problem is not None and "compares" in column.problem


def test_a_plan_and_the_share_of_it_done() -> None:
    # The state-budget investment tables: "Kế hoạch năm 2024" and "9 tháng năm 2024 so với
    # kế hoạch năm 2024 (%)".
    plan = interpret(2, "Kế hoạch năm 2024", SEPTEMBER)
    done = interpret(5, "9 tháng năm 2024 so với kế hoạch năm 2024 (%)", SEPTEMBER)
    assert (str(plan.period), plan.measures) == ("2024", ("plan",))
    assert (str(done.period), done.measures) == ("2024-YTD09", ("pct_of_plan",))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tháng 9/2024", "2024-09"), ("9 tháng/2024", "2024-YTD09"), ("quý III/2024", "2024-Q3"),
        ("6 tháng đầu năm 2008", "2008-YTD06"), ("tháng Ba năm 2012", "2012-03"),
        ("12 tháng năm 2023", "2023"), ("năm 2024", "2024"), ("Tháng 6/2008", "2008-06"),
    ],
)
def test_periods(text: str, expected: str) -> None:
    assert str(parse_period(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A stock at the first of a month is the close of the month before (2014-2017
        # inventories "thời điểm 01/6/2015" beside sales for "tháng 5"; workers "01/10/2024").
        ("Chỉ số tồn kho thời điểm 01/6/2015 so với cùng thời điểm tháng trước", "2015-05"),
        ("Chỉ số tồn kho thời điểm 1/1/2016 so với cùng thời điểm năm 2015", "2015-12"),
        ("Chỉ số sử dụng lao động thời điểm 01/10/2024", "2024-09"),
        ("at 1/9/2020 compared to 1/8/2020", "2020-08"), ("LEI as of Sept. 1,2019", "2019-08"),
        # A stock at the last day is that month's (from 2018, "30/6/2018", "31/12/2018").
        ("Chỉ số tồn kho Thời điểm 30/6/2018 so với cùng thời điểm tháng trước", "2018-06"),
        ("Ước tính thời điểm 31/12/2018", "2018-12"),
        # Licensed from 1 January to a day: the months so far, with or without the first year.
        ("cấp giấy phép từ 01/01/2001 đến 21/06/2001", "2001-YTD06"),
        ("cấp phép từ 01/01 - 20/9/2024", "2024-YTD09"),
    ],
)
def test_a_stock_at_a_day(text: str, expected: str) -> None:
    assert str(parse_period(text)) == expected


def test_a_period_without_year_takes_the_default_or_none() -> None:
    assert str(parse_period("Tháng 8", 2024)) == "2024-08"
    assert parse_period("Tháng 8") is None


def test_a_quarter_against_an_earlier_year_is_indexed_on_that_base_year() -> None:
    # The 2013 export and import price table: "Quý II năm 2013 so với | Năm | 2011".
    column = interpret(2, "Quý II năm 2013 so với Năm 2011", SEPTEMBER)
    assert (str(column.period), column.measures, column.base_year) == (
        "2013-Q2", ("index_base",), 2011)


# The header band of the June 2007 state-sector labour table (sheet "TN", rows 6-11, columns
# B-H as written; E is the spacer between the two groups), and June 2002's lone "Nghìn người"
# at the right edge of its header (H5), which states the table's unit, not column H's.
_LABOUR_2007 = {
    5: {1: "Lao động bình quân", 5: "Thu nhập bình quân"},
    6: {1: "(Người)", 5: "(Nghìn đồng)"},
    8: {1: "Tổng", 2: "Chia ra", 5: "Tổng", 6: "Chia ra"},
    9: {1: "số", 2: "Trung", 3: "Địa", 5: "số", 6: "Trung", 7: "Địa"},
    10: {2: "ương", 3: "phương", 6: "ương", 7: "phương"},
}
_VALUE_COLS = [1, 2, 3, 5, 6, 7]


def _band(rows: dict[int, dict[int, str]], first: int, stop: int) -> dict[int, list[str]]:
    return {c: [rows.get(r, {}).get(c, "") for r in range(first, stop)] for c in _VALUE_COLS}


def test_a_bracketed_unit_cell_is_the_unit_of_the_columns_under_it() -> None:
    band = _band(_LABOUR_2007, 5, 11)
    assert header_units(value_band(band, _VALUE_COLS)) == {
        1: "PERSONS", 2: "PERSONS", 3: "PERSONS",
        5: "THOUS_VND", 6: "THOUS_VND", 7: "THOUS_VND"}
    # ... and stays out of the column's description.
    assert header_texts(value_band(band, _VALUE_COLS))[2] == "Lao động bình quân Chia ra Trung ương"


def test_a_unit_cell_without_brackets_is_no_column_unit() -> None:
    band = _band({4: {7: "Nghìn người"}, 5: {1: "Ước tính", 5: "Ước tính 6 tháng 2002"}}, 4, 6)
    assert header_units(value_band(band, _VALUE_COLS)) == {}


@pytest.mark.parametrize(("cell", "unit"), [
    ("Tỷ đồng", "BN_VND"),
    ("Đơn vị tính: Tỷ đồng", "BN_VND"),
    ("Nghìn lượt người; %", "THOUS_PERSONS"),  # the levels' unit, then the indexes'
    ("Nghìn tỷ đồng; %", "THOUS_BN_VND"),
    ("Dự án, triệu USD", ""),  # two units of levels: the columns say which is whose
    ("Nghìn lượt người; các nước", ""),  # not a list of units
    ("%", "PCT"),
])
def test_the_unit_a_header_cell_gives_the_levels(cell: str, unit: str) -> None:
    assert level_unit_of(cell) == unit
