"""Defects found on GSO workbooks outside the shared set, fixed in kind: each on a small
workbook or grid carrying real figures in the publisher's layout."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from flows.core import periods
from flows.normalise.gso import normalise
from flows.normalise.gso_figures import number
from flows.pipeline import read_gso_workbook
from flows.readers.workbook import grid as workbook
from flows.readers.workbook.grid import Cell, Grid
from flows.readers.workbook.headers import interpret
from flows.readers.workbook.tables import find_tables
from tests.test_files import write_xlsx

SEPTEMBER = periods.month(2024, 9)


def _pad(rows: list[list[Cell]]) -> list[list[Cell]]:
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def _save(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """One sheet holding the tables one below the other, a blank row between them."""
    rows: list[list[object]] = []
    for table in sheets.values():
        rows += [*table, []]
    return write_xlsx(path, "Bieu", rows)


# Real figures of the September 2024 workbook, typed as text in every way GSO has typed them.
TEXT_NUMBERS = {
    "IIP": [
        ["1. Chỉ số sản xuất công nghiệp tháng 9 năm 2024"],
        ["", "Tháng 9 năm 2024 so với tháng trước", "Tháng 9 năm 2024 so với cùng kỳ năm trước"],
        ["Toàn ngành công nghiệp", "102.2", "110,91"],  # a point, a comma
        ["Khai khoáng", "−5,2", "– 7,06"],  # a minus sign, an en dash and a space
        ["Công nghiệp chế biến, chế tạo", "1.234", 111.69],  # ambiguous: quarantined
    ],
    "XK": [
        ["2. Hàng hóa xuất khẩu"],
        ["", "", "Đơn vị tính: Nghìn tấn; triệu USD"],
        ["", "Ước tính tháng 9 năm 2024", "Ước tính 9 tháng năm 2024"],
        ["TỔNG TRỊ GIÁ", "34.049,6", "299 625,1"],  # Vietnamese thousands; a space
        ["Khu vực kinh tế trong nước", "9.020,6", "83625.1"],
    ],
    "SP": [
        ["3. Một số sản phẩm công nghiệp chủ yếu tháng 9 năm 2024"],
        ["", "Đơn vị tính", "Ước tính tháng 9 năm 2024"],
        ["Than sạch khai thác", "Triệu tấn", "3,4"],
        ["Điện sản xuất", "Tỷ kwh", "25.1"],
        ["Xi măng", "Triệu tấn", "1,234"],  # ambiguous: quarantined
    ],
}


def test_figures_typed_as_text_are_read_or_quarantined_never_lost(tmp_path: Path) -> None:
    contents = read_gso_workbook(_save(tmp_path / "text.xlsx", TEXT_NUMBERS), "2024-09")
    outcomes: Counter[str] = Counter()
    for tally in contents.cells:
        outcomes[tally.outcome] += tally.cells
    assert outcomes["unaccounted"] == 0
    assert [t.kind for t in contents.tables] == ["iip", "exports", "products"]
    values = {o.provenance: o.value for o in contents.observations}
    assert values["Bieu!B3"] == 102.2 and values["Bieu!C3"] == 110.91
    assert values["Bieu!B10"] == 34049.6 and values["Bieu!C10"] == 299625.1
    assert values["Bieu!C11"] == 83625.1
    assert values["Bieu!C15"] == 3.4 and values["Bieu!C16"] == 25.1
    quarantined = {r.cell.rpartition("!")[2]: r.code for r in contents.rejected}
    # Read as -5.2 and -7.06, then turned away by validation: an index is never negative.
    assert {(r.cell, r.raw) for r in contents.rejected if r.code == "value-out-of-range"} == {
        ("Bieu!B4", "-5.2"), ("Bieu!C4", "-7.06")}
    assert quarantined.get("B5") == "value-unparseable"  # "1.234" in the IIP table
    assert quarantined.get("C17") == "value-unparseable"  # "1,234" in the products table


def test_an_ambiguous_text_number_is_not_guessed() -> None:
    assert number("1.234") == "1.234" and number("1,234") == "1,234"
    assert number("0.125") == 0.125 and number("1.234.567") == 1234567.0


def test_a_misspelt_quarter_is_a_quarter_not_a_year() -> None:
    # "Qúy I năm 2014" (2014) was read as the year 2014, a false annual vintage.
    assert periods.parse_period("Qúy I năm 2014") == periods.quarter(2014, 1)
    column = interpret(2, "Qúy I năm 2014 so với cùng kỳ năm trước", None)
    assert (column.period, column.measures) == (periods.quarter(2014, 1), ("index_yoy",))


def test_the_comparison_year_written_first_does_not_date_the_column() -> None:
    # 2000 trade table: "Tỷ lệ so với cùng kỳ năm 1999 (%)" over "9 tháng / Ước tính năm 2000".
    text = "Tỷ lệ so với cùng kỳ năm 1999 (%) 9 tháng / Ước tính năm 2000"
    column = interpret(3, text, periods.month(2000, 9))
    assert column.period == periods.year_to_date(2000, 9)
    assert column.measures == ("index_yoy",)


def test_a_second_table_down_the_sheet_is_a_table_of_its_own() -> None:
    # Exports then imports on one sheet; real totals of September 2024.
    rows: list[list[Cell]] = [
        ["1. Hàng hóa xuất khẩu"],
        ["", "Ước tính tháng 9 năm 2024"],
        ["TỔNG TRỊ GIÁ", 34049.6],
        [""],
        ["2. Hàng hóa nhập khẩu"],
        ["", "Ước tính tháng 9 năm 2024"],
        ["TỔNG TRỊ GIÁ", 31303.8],
    ]
    tables = find_tables([Grid("XNK", _pad(rows), [])], SEPTEMBER)
    assert [(t.kind, t.rows[0].values) for t in tables] == [
        ("exports", {1: 34049.6}), ("imports", {1: 31303.8})]


def test_a_lone_short_tcvn3_word_on_a_tcvn3_sheet_is_converted() -> None:
    texts = ["NhËp khÈu", "Lóa mú", "Tæng trÞ gi¸"]
    assert workbook._cell("Lóa mú", workbook.tcvn3.tcvn3_throughout(texts)) == "Lúa mỳ"


def test_a_dash_between_label_and_figures_is_no_label() -> None:
    # "-" (no figure) typed in the first value column made it the row's label.
    rows: list[list[Cell]] = [
        ["Chỉ số sản xuất công nghiệp"],
        ["", "Tháng 9 năm 2024 so với tháng trước", "Tháng 9 năm 2024 so với cùng kỳ năm trước"],
        ["Khai khoáng", "-", 92.94],
        ["Công nghiệp chế biến , chế tạo", 102.36, 111.69],  # a stray space before the comma
    ]
    observations, rejected = normalise(find_tables([Grid("IIP", _pad(rows), [])],
                                                   SEPTEMBER)[0], SEPTEMBER)
    assert not rejected
    assert {(o.industry, o.provenance, o.value) for o in observations} == {
        ("B", "IIP!C3", 92.94), ("C", "IIP!B4", 102.36), ("C", "IIP!C4", 111.69)}


def test_a_cpi_table_with_months_as_rows_is_read() -> None:
    # The December 2004 "Giathang" sheet: each month of 2004 against December 2003.
    rows: list[list[Cell]] = [
        ["19. Chỉ số giá tiêu dùng, chỉ số giá vàng và đô la Mỹ"],
        ["các tháng năm 2004 so với tháng 12 năm 2003"],
        ["", "", "Chỉ số giá tiêu dùng", "", "Chỉ số", "Chỉ số giá"],
        ["", "", "Chỉ số", "Trong đó:", "giá vàng", "đô la Mỹ"],
        ["", "", "chung", "Lương thực"],
        ["", "Tháng 1", 101.1, 102.1, 103.1, 99.7],
        ["", "Tháng 2", 104.1, 103.6, 102.2, 100.1],
    ]
    grid = Grid("Giathang", _pad(rows), [((2, 2), (2, 3))])
    observations, rejected = normalise(find_tables([grid], periods.month(2004, 12))[0],
                                       periods.month(2004, 12))
    assert not rejected
    got = {(o.indicator, o.product, str(o.period), o.measure, o.value, o.provenance)
           for o in observations}
    assert ("CPI", "_T", "2004-02", "index_dec", 104.1, "Giathang!C7") in got
    assert ("CPI", "CP01_1", "2004-02", "index_dec", 103.6, "Giathang!D7") in got
    assert ("GOLD_PRICE", "_T", "2004-02", "index_dec", 102.2, "Giathang!E7") in got
    assert ("USD_PRICE", "_T", "2004-01", "index_pop", 99.7, "Giathang!F6") in got
    assert len(observations) == 12  # January is both index_pop and index_dec


def test_the_month_comes_from_the_titles_not_the_file_name(tmp_path: Path) -> None:
    # Two workbooks with the same date prefix, for August and September.
    def iip(month: int, value: float) -> dict[str, list[list[object]]]:
        return {"IIP": [[f"Chỉ số sản xuất công nghiệp tháng {month} năm 2024"],
                        ["", f"Tháng {month} năm 2024 so với cùng kỳ năm trước"],
                        ["Toàn ngành công nghiệp", value]]}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    august = read_gso_workbook(_save(tmp_path / "a" / "2024-09-29-Bieu.xlsx", iip(8, 109.5)))
    september = read_gso_workbook(_save(tmp_path / "b" / "2024-09-29-Bieu.xlsx", iip(9, 110.91)))
    assert str(august.reference_period) == "2024-08"
    assert str(september.reference_period) == "2024-09"
