"""Row labels as GSO types them on workbooks outside the shared set (issue 13's defects list):
wrapped over two rows, misspelt ("Hoạt độg"), shouting the whole country ("TOÀN QUỐC"), with
stray spaces ("chế biến , chế tạo"). Each on a grid in the publisher's layout carrying the real
figures of September and December 2024; each figure is read with the code the correctly typed
label gets, and no cell is left unaccounted."""

from __future__ import annotations

from collections import Counter

from flows.core import periods
from flows.core.model import Observation, Rejected
from flows.normalise.gso import normalise
from flows.normalise.gso_cells import account
from flows.readers.workbook.grid import Cell, Grid
from flows.readers.workbook.tables import find_tables

SEPTEMBER = periods.month(2024, 9)
DECEMBER = periods.month(2024, 12)


def _pad(rows: list[list[Cell]]) -> list[list[Cell]]:
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def _read(sheet: str, rows: list[list[Cell]], reference: periods.Period
          ) -> tuple[list[Observation], list[Rejected], Counter[str]]:
    grid = Grid(sheet, _pad(rows), [])
    tables = find_tables([grid], reference)
    observations: list[Observation] = []
    rejected: list[Rejected] = []
    for table in tables:
        good, bad = normalise(table, reference)
        observations += good
        rejected += bad
    outcomes: Counter[str] = Counter()
    for tally in account([grid], tables, observations, rejected):
        outcomes[tally.outcome] += tally.cells
    return observations, rejected, outcomes


# "7.IIPthang" of September 2024: its header, then its rows as GSO has also typed them.
IIP_HEADER: list[list[Cell]] = [
    ["7. Chỉ số sản xuất công nghiệp tháng 9 và 9 tháng năm 2024"],
    ["", "", "", "", "%"],
    ["", "Tháng 8", "Tháng 9", "Tháng 9", "9 tháng"],
    ["", "năm 2024", "năm 2024", "năm 2024", "năm 2024"],
    ["", "so với", "so với", "so với", "so với"],
    ["", "cùng kỳ", "tháng", "cùng kỳ", "cùng kỳ"],
    ["", "năm trước", "trước", "năm trước", "năm trước"],
    [],
]


def _iip_by_industry(rows: list[list[Cell]]) -> dict[str, tuple[float, ...]]:
    observations, rejected, outcomes = _read("7.IIPthang", IIP_HEADER + rows, SEPTEMBER)
    assert not rejected, [(r.code, r.cell, r.label) for r in rejected]
    assert outcomes["unaccounted"] == 0 and outcomes["quarantined"] == 0
    by_industry: dict[str, list[tuple[str, float]]] = {}
    for o in observations:
        by_industry.setdefault(o.industry, []).append((o.provenance, o.value))
    return {k: tuple(v for _, v in sorted(cells)) for k, cells in by_industry.items()}


def test_a_label_wrapped_over_two_rows_codes_the_row_with_the_figures() -> None:
    got = _iip_by_industry([
        ["Toàn ngành công nghiệp", 108.38, 99.81, 110.84, 108.64],
        ["Cung cấp nước; hoạt động quản lý và xử lý rác thải,"],
        ["nước thải", 124.1, 94.87, 115.24, 109.91],
        ["Hoạt động thu gom, xử lý và tiêu huỷ rác thải;"],
        ["tái chế phế liệu", 157.23, 88.3, 131.98, 116.71],
    ])
    assert got == {"_T": (108.38, 99.81, 110.84, 108.64), "E": (124.1, 94.87, 115.24, 109.91),
                   "38": (157.23, 88.3, 131.98, 116.71)}


def test_a_misspelt_label_is_read_as_the_word_it_misspells() -> None:
    got = _iip_by_industry([
        ["Khai khoáng", 93.9, 92.7, 94.1, 93.55],
        ["Hoạt độg dịch vụ hỗ trợ khai thác mỏ và quặng", 102.92, 100.19, 98.49, 112.52],
    ])
    assert got == {"B": (93.9, 92.7, 94.1, 93.55), "09": (102.92, 100.19, 98.49, 112.52)}


def test_stray_spaces_in_a_label_are_folded_away() -> None:
    got = _iip_by_industry([
        ["Công nghiệp chế biến , chế tạo", 109.13, 102.0, 113.1, 109.87],
        ["Sản xuất  đồ uống ", 101.31, 101.54, 102.25, 100.39],  # two spaces, one trailing
        ["Sản xuất và phân phối điện ", 109.93, 90.02, 106.4, 111.08],
    ])
    assert got == {"C": (109.13, 102.0, 113.1, 109.87), "11": (101.31, 101.54, 102.25, 100.39),
                   "D": (109.93, 90.02, 106.4, 111.08)}


def test_the_whole_country_in_capitals_is_the_country() -> None:
    # "16. LĐCN_DP" of December 2024, its "CẢ NƯỚC" typed "TOÀN QUỐC" as other editions do.
    rows: list[list[Cell]] = [
        ["16. Chỉ số sử dụng lao động của doanh nghiệp công nghiệp"],
        ["phân theo địa phương"],
        [],
        ["", "", "%"],
        ["", "Chỉ số sử dụng lao động", "Chỉ số sử dụng lao động"],
        ["", "thời điểm 01/12/2024 so với", "thời điểm 01/12/2024 so với"],
        ["", "cùng thời điểm tháng trước", "cùng thời điểm năm trước"],
        [],
        ["TOÀN QUỐC", 100.77, 103.21],
        ["Hà Nội", 100.49, 101.57],
        ["Bà Rịa -"],
        ["Vũng Tàu", 99.95, 102.23],  # wrapped over two rows
    ]
    observations, rejected, outcomes = _read("16. LĐCN_DP", rows, DECEMBER)
    assert not rejected, [(r.code, r.cell, r.label) for r in rejected]
    assert outcomes["unaccounted"] == 0
    got = {(o.geo, o.measure, o.value) for o in observations}
    assert got == {("VN", "index_pop", 100.77), ("VN", "index_yoy", 103.21),
                   ("VN-01", "index_pop", 100.49), ("VN-01", "index_yoy", 101.57),
                   ("VN-77", "index_pop", 99.95), ("VN-77", "index_yoy", 102.23)}
