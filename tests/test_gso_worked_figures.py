"""Worked figures beside a table (GSO's scratch sums, differences and shares left on the sheet)
are skipped, and the published figures around them are read: each case on a grid in the
publisher's exact layout carrying the real figures of the workbook it comes from."""

from __future__ import annotations

from collections import Counter

from flows.core import periods
from flows.normalise.gso import normalise
from flows.normalise.gso_cells import account
from flows.readers.workbook.grid import Cell, Grid
from flows.readers.workbook.tables import find_tables

DECEMBER = periods.month(2024, 12)


def _pad(rows: list[list[Cell]]) -> list[list[Cell]]:
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def _read(grid: Grid, reference: periods.Period) -> tuple[dict[str, tuple[str, str, float]],
                                                           Counter[tuple[str, str]]]:
    """{cell: (period, measure, value)} of the figures, and the cells per outcome and reason."""
    tables = find_tables([grid], reference)
    observations, rejected = [], []
    for table in tables:
        good, bad = normalise(table, reference)
        observations += good
        rejected += bad
    outcomes: Counter[tuple[str, str]] = Counter()
    for tally in account([grid], tables, observations, rejected):
        outcomes[tally.outcome, tally.reason] += tally.cells
    figures = {o.provenance.partition("!")[2]: (str(o.period), o.measure, o.value)
               for o in observations}
    return figures, outcomes


def test_a_worked_block_in_the_header_rows_is_neither_header_nor_body() -> None:
    # "17. Chi tieu DN", December 2024: "Tổng | +/- | BQ" and sums in L3:N8, beside the header,
    # and "E - 100" in L:N beside the body. The row "năm | 2024 | so với (%) | ... | 217.864"
    # was taken for the first body row and the worked block for the table's only columns.
    rows: list[list[Cell]] = [
        ["17. Một số chỉ tiêu về doanh nghiệp"],
        [],
        ["", "", "", "", "", "", "", "", "", "", "", "Tổng", "+/-", "BQ"],
        ["", "Tháng 11", "Tháng 12", "Năm", "Tháng 12 năm 2024", "", "Năm 2024", "",
         "Tháng 12", "Năm", "", 233.419, 7.139775272647157, 19.451583333333335],
        ["", "năm", "năm", 2024.0, "so với (%)", "", "so với", "", "năm", 2023.0, "", 217.864],
        ["", 2024.0, 2024.0, "", "Tháng 11", "Tháng 12", "năm 2023", "", 2023.0],
        ["", "", "", "", "năm", "năm", "(%)", "", "", "", "", 197.861, 14.666133500237606,
         16.488416666666666],
        ["", "", "", "", 2024.0, 2023.0, "", "", "", "", "", 172.554],
        [],
        ["Doanh nghiệp đăng ký thành lập mới (DN)", 11159.0, 9996.0, 157240.0,
         89.57791916838427, 87.43112044082918, 98.6127486641748, "", 11433.0, 159452.0, "",
         -10.42208083161573, -12.568879559170824, -1.3872513358251979],
        ["Lao động (Người)", 90160.0, 95749.0, 1001483.0, 106.19897959183673,
         127.8221284775992, 94.57517413837391, "", 74908.0, 1058928.0, "",
         6.198979591836732, 27.822128477599193, -5.42482586162609],
    ]
    grid = Grid("17. Chi tieu DN", _pad(rows), [((3, 4), (3, 5)), ((4, 4), (4, 5))])
    figures, outcomes = _read(grid, DECEMBER)
    assert figures["B10"] == ("2024-11", "level", 11159.0)
    assert figures["D10"] == ("2024", "level", 157240.0)
    assert figures["E10"] == ("2024-12", "index_pop", 89.57791916838427)
    assert figures["F11"] == ("2024-12", "index_yoy", 127.8221284775992)
    assert figures["G11"] == ("2024", "index_yoy", 94.57517413837391)
    assert figures["J11"] == ("2023", "level", 1058928.0)
    assert len(figures) == 16  # B:G and I:J of both rows
    # L4:N8 (8 numbers) and L10:N11 (6) are GSO's own sums and differences.
    assert outcomes["skipped", "worked-figures"] == 14
    assert outcomes["unaccounted", ""] == 0 and outcomes["quarantined", "header-unparseable"] == 0


def test_the_next_column_of_a_group_whose_heading_was_not_merged_over_it_is_read() -> None:
    # "18. DN DK thanh lap", December 2024: "Năm 2023" written over L only (C4:E5 and G4:I4
    # are merged, L4:N4 is not); M and N repeat "Vốn đăng ký (Tỷ đồng)", "Số lao động (Người)".
    rows: list[list[Cell]] = [
        ["18. Doanh nghiệp đăng ký thành lập mới"],
        [], [],
        ["", "", "Năm 2024", "", "", "", "Năm 2024 so với", "", "", "", "", "Năm 2023"],
        ["", "", "", "", "", "", "năm 2023 (%)"],
        ["", "", "Số", "Vốn", "Số lao", "", "Số", "Vốn", "Số lao", "", "", "Số", "Vốn",
         "Số lao"],
        ["", "", "DN", "đăng ký", "động", "", "doanh", "đăng ký", "động", "", "", "DN",
         "đăng ký", "động"],
        ["", "", "(DN)", "(Tỷ đồng)", "(Người)", "", "nghiệp", "", "", "", "", "(DN)",
         "(Tỷ đồng)", "(Người)"],
        [],
        ["TỔNG SỐ", "", 157240.0, 1547031.810859222, 1001483.0, "", 98.6127486641748,
         98.17476166255263, 94.57517413837391, "", "", 159452.0, 1575793.8034794491,
         1058928.0],
    ]
    grid = Grid("18. DN DK thanh lap", _pad(rows),
                [((3, 2), (4, 4)), ((3, 6), (3, 8)), ((4, 6), (4, 8))])
    figures, outcomes = _read(grid, DECEMBER)
    assert figures["M10"] == ("2023", "level", 1575793.8034794491)
    assert figures["N10"] == ("2023", "level", 1058928.0)
    assert figures["D10"] == ("2024", "level", 1547031.810859222)
    assert outcomes == Counter({("figure", ""): 9})


def test_scratch_columns_with_headers_of_their_own_stay_worked_figures() -> None:
    # September 2016 imports: "utt8" (last month's estimate) and "t9/t8" beside the table,
    # whose sub-headers do not repeat any of the table's.
    rows: list[list[Cell]] = [
        ["8. Hàng hóa nhập khẩu"],
        ["", "Ước tính tháng 9 năm 2016", "", "Cộng dồn 9 tháng năm 2016", "", "utt8", "t9/t8"],
        ["", "Lượng", "Trị giá", "Lượng", "Trị giá"],
        ["TỔNG TRỊ GIÁ", "", 15000.0, "", 128300.0, 14600.0, 2.74],
    ]
    figures, outcomes = _read(Grid("NK", _pad(rows), [((1, 1), (1, 2)), ((1, 3), (1, 4))]),
                              periods.month(2016, 9))
    assert set(figures) == {"C4", "E4"}
    assert outcomes["skipped", "worked-figures"] == 2
