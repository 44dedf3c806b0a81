"""Table reading quirks of GSO workbooks, on small hand-built grids (no shared releases)."""

from __future__ import annotations

from flows.core import periods
from flows.core.text import fold
from flows.normalise.gso import normalise
from flows.readers.workbook import grid as workbook
from flows.readers.workbook.grid import Cell, Grid, Span
from flows.readers.workbook.headers import interpret
from flows.readers.workbook.tables import Table, dated, find_tables

SEPTEMBER = periods.month(2024, 9)


def _pad(rows: list[list[Cell]]) -> list[list[Cell]]:
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def _trade(body: list[list[Cell]], extra_header: list[Cell] | None = None,
           merged: list[Span] | None = None) -> Grid:
    """An exports table: title, unit, one group heading over Lượng / Trị giá, then `body`."""
    rows: list[list[Cell]] = [
        ["Hàng hóa xuất khẩu"],
        ["", "", "", "Đơn vị tính: Nghìn tấn, triệu USD"],
        ["", "", "Ước tính tháng 9 năm 2024", ""],
        ["", "", "Lượng", "Trị giá", *(extra_header or [])],
        *body,
    ]
    return Grid("XK", _pad(rows), merged if merged is not None else [((2, 2), (2, 3))])


def _one(grid: Grid) -> Table:
    (table,) = find_tables([grid], SEPTEMBER)
    return table


def test_worked_figures_right_of_the_table_are_not_columns() -> None:
    # The 2016 trade tables carry worked sums ("utt8", unheaded) to the right of the table.
    grid = _trade([
        ["TỔNG TRỊ GIÁ", "", "", 100.0, "", 90.0, 10.0],
        ["", "Gạo", 7.0, 40.0, "", 35.0, 5.0],
    ], extra_header=["", "utt8"])
    table = _one(grid)
    assert [c.index for c in table.columns] == [2, 3]
    assert all(set(r.values) <= {2, 3} for r in table.rows)


def test_worked_figures_under_gso_shorthand_in_the_top_header_row_are_not_columns() -> None:
    # September 2014: "ước tính t8" and "T9/T8" head worked figures in the table's top row.
    grid = _trade([
        ["TỔNG TRỊ GIÁ", "", "", 100.0, "", 90.0, -6.5],
        ["", "Gạo", 7.0, 40.0, "", 35.0, 5.0],
    ])
    grid.rows[2][5:7] = ["ước tính t8", "T9/T8"]
    table = _one(grid)
    assert [c.index for c in table.columns] == [2, 3]
    assert all(set(r.values) <= {2, 3} for r in table.rows)


def test_a_column_whose_header_is_only_a_merged_cell_is_kept() -> None:
    rows: list[list[Cell]] = [
        ["Hàng hóa xuất khẩu"],
        ["", "", "Ước tính tháng 9 năm 2024"],
        ["TỔNG TRỊ GIÁ", "", 100.0, 110.0],
    ]
    table = _one(Grid("XK", _pad(rows), [((1, 2), (1, 3))]))
    assert [c.index for c in table.columns] == [2, 3]


def test_unheaded_spacer_columns_are_not_columns() -> None:
    # The 2017 trade tables put zeros in the blank spacer columns between column groups.
    grid = _trade([["TỔNG TRỊ GIÁ", "", "", 100.0, 0.0], ["", "Gạo", 7.0, 40.0, 0.0]])
    assert [c.index for c in _one(grid).columns] == [2, 3]


def test_header_text_and_worked_numbers_in_the_header_are_not_rows() -> None:
    # March 2018: scratch figures beside the header rows made "Trị giá" and the unit cell rows.
    rows: list[list[Cell]] = [
        ["Hàng hóa xuất khẩu", "", "", "", "", 20.5],
        ["", "", "", "Đơn vị tính: Nghìn tấn, triệu USD", "", 17.0],
        ["", "", "Ước tính tháng 9 năm 2024", "", "So với cùng kỳ năm trước (%)", 4.75],
        ["", "", "Lượng", "Trị giá", "Trị giá", 43.7],
        ["TỔNG TRỊ GIÁ", "", "", 100.0, 105.0, 3.0],
    ]
    table = _one(Grid("XK", _pad(rows), [((2, 2), (2, 3))]))
    assert [r.label for r in table.rows] == ["TỔNG TRỊ GIÁ"]
    assert [c.index for c in table.columns] == [3, 4]
    assert table.columns[1].period == SEPTEMBER


def test_legacy_unmerged_group_heading_covers_the_column_to_its_right() -> None:
    # Legacy .xls files record no merges: "Ước tính tháng 9" is written once over two columns.
    grid = _trade([["TỔNG TRỊ GIÁ", "", 5.0, 100.0]], merged=[])
    table = _one(grid)
    assert [(c.index, c.basis, c.period) for c in table.columns] == [
        (2, "quantity", SEPTEMBER), (3, "value", SEPTEMBER)]


def test_commodity_heading_with_a_stray_figure_starts_the_commodity_rows() -> None:
    # April 2018 puts "100" on the "MẶT HÀNG CHỦ YẾU" row; 2000 writes "B. Mặt hàng chủ yếu".
    for heading in (["MẶT HÀNG CHỦ YẾU", "", "", 100.0], ["B. Mặt hàng chủ yếu"]):
        grid = _trade([
            ["TỔNG TRỊ GIÁ", "", "", 100.0],
            ["", "Dầu thô", "", 2.0],
            heading,
            ["", "Dầu thô", 5.0, 2.0],
        ])
        observations, rejected = normalise(_one(grid), SEPTEMBER)
        assert not rejected
        products = {(o.product, o.provenance) for o in observations}
        assert ("S_FDI_CRUDE", "XK!D6") in products
        assert ("CRUDE_OIL", "XK!D8") in products


def test_fold_drops_numbering_and_the_short_lead_in() -> None:
    assert fold("B. Mặt hàng chủ yếu") == "mặt hàng chủ yếu"
    assert fold("A. Tổng trị giá") == "tổng trị giá"
    assert fold("Tđ: Nguyên chiếc") == "nguyên chiếc"
    assert fold("Xăng dầu") == "xăng dầu"


def test_fold_drops_a_space_before_punctuation() -> None:
    # The September 2012 IIP table: "Công nghiệp chế biến , chế tạo".
    assert fold("Công nghiệp chế biến , chế tạo") == "công nghiệp chế biến, chế tạo"


def test_a_table_whose_rows_are_months_is_quarantined_once_as_not_read() -> None:
    # December 2004: CPI, gold and USD each month of 2004 against December 2003, a column each.
    rows: list[list[Cell]] = [
        ["Chỉ số giá tiêu dùng, chỉ số giá vàng và đô la Mỹ các tháng năm 2004"],
        ["", "Chỉ số giá tiêu dùng", "Chỉ số giá vàng"],
        ["Tháng 1", 101.1, 103.1],
        ["Tháng 2", 104.1, 102.2],
    ]
    observations, rejected = normalise(_one(Grid("Giathang", _pad(rows), [])), SEPTEMBER)
    assert observations == []
    assert [(r.code, r.label) for r in rejected] == [("layout-not-read", "Tháng 1")]
    assert "4 figures are not loaded" in rejected[0].message


def test_a_sheet_all_in_tcvn3_converts_its_lone_ambiguous_words() -> None:
    # The 2008 imports table: "Lóa mú" alone reads as Unicode, but the sheet is TCVN3.
    texts = ["NhËp khÈu hµng hãa", "Lóa mú", "Ph©n bãn"]
    assert workbook._cell("Lóa mú", workbook.tcvn3.tcvn3_throughout(texts)) == "Lúa mỳ"
    assert workbook._cell("Lóa mú") == "Lóa mú"


def test_a_year_against_the_year_before() -> None:
    # December tables: "Năm 2024 so với năm trước (%)".
    column = interpret(3, "Năm 2024 so với năm trước (%) Trị giá", SEPTEMBER)
    assert column.period == periods.annual(2024)
    assert column.measures == ("index_yoy",)


def test_a_figure_typed_as_text_is_a_number() -> None:
    # The March 2018 CPI table holds "-0.09" as text.
    rows: list[list[Cell]] = [
        ["Chỉ số giá tiêu dùng"],
        ["", "Tháng 9 năm 2024 so với tháng trước", "Tháng 9 năm 2024 so với cùng kỳ năm trước"],
        ["Chỉ số giá tiêu dùng", 100.5, 103.0],
        ["Lương thực", 101.0, "-0.09"],
    ]
    observations, rejected = normalise(_one(Grid("CPI", _pad(rows), [])), SEPTEMBER)
    assert not rejected
    assert [o.value for o in observations] == [100.5, 103.0, 101.0, -0.09]


def _car_imports(note: str) -> Grid:
    grid = _trade([
        ["TỔNG TRỊ GIÁ", "", "", 100.0],
        ["MẶT HÀNG CHỦ YẾU"],
        ["", "Ô tô(*)", "", 704.3],
        ["", "Trong đó: Nguyên chiếc", 14.468, 397.1],
        ["", note],
    ])
    grid.rows[0][0] = "Hàng hóa nhập khẩu"
    return grid


def test_a_footnote_sets_the_quantity_unit_of_the_rows_it_marks() -> None:
    # Until March 2018 GSO counted cars in thousands, since then in units.
    for note, unit in (("(*)Nghìn chiếc, triệu USD", "THOUS_UNIT"),
                       ("(*)Chiếc, triệu USD", "UNIT")):
        observations, rejected = normalise(_one(_car_imports(note)), SEPTEMBER)
        assert not rejected
        quantities = [o for o in observations if o.indicator == "IMPORTS_QTY"]
        assert [(o.product, o.unit, o.value) for o in quantities] == [("CARS_CBU", unit, 14.468)]


def test_a_title_line_merged_across_the_sheet_is_not_column_header() -> None:
    # May 2020 CPI: "và lạm phát cơ bản tháng 5 năm 2020" is merged from column A over every
    # column; the year-to-date column must stay year to date.
    rows: list[list[Cell]] = [
        ["Chỉ số giá tiêu dùng, chỉ số giá vàng, chỉ số giá đô la Mỹ"],
        ["và lạm phát cơ bản tháng 5 năm 2020"],
        ["", "", "", "Tháng 5 năm 2020 so với:", "Bình quân 5 tháng"],
        ["", "", "", "Tháng 5 năm 2019", "năm 2020 so với cùng kỳ năm 2019"],
        ["CHỈ SỐ GIÁ TIÊU DÙNG", "", "", 102.4, 104.39],
    ]
    grid = Grid("CPI", _pad(rows), [((1, 0), (1, 4))])
    (table,) = find_tables([grid], periods.month(2020, 5))
    assert [str(c.period) for c in table.columns] == ["2020-05", "2020-YTD05"]


def test_a_share_column_is_a_share() -> None:
    column = interpret(6, "Tỷ trọng (%) Tháng 1/2000", periods.month(2000, 1))
    assert (str(column.period), column.measures) == ("2000-01", ("share",))


def test_dating_a_table_later_reads_its_headers_as_finding_it_with_the_month_would() -> None:
    # A header without a year ("Tháng 9", "9 tháng") takes the release's; a workbook found
    # before its month is known is dated once the month is, without reading its rows again.
    rows: list[list[Cell]] = [
        ["Chỉ số sản xuất công nghiệp"],
        ["", "", "", "Tháng 9 so với cùng kỳ năm trước", "9 tháng so với cùng kỳ năm trước"],
        ["Toàn ngành công nghiệp", "", "", 110.91, 108.26],
    ]
    grid = Grid("IIP", _pad(rows), [])
    (undated,) = find_tables([grid], None)
    assert [c.period for c in undated.columns] == [None, None]
    dated_table = dated(undated, SEPTEMBER)
    assert [str(c.period) for c in dated_table.columns] == ["2024-09", "2024-YTD09"]
    assert dated_table == _one(grid)
