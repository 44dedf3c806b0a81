"""The English edition of September 2020 heads its services-trade table "Performance 1st
quarter | Estimate 2sd quarter | Accrued 3rd quarter" over the figures the Vietnamese edition
heads "Thực hiện quý II | Ước tính quý III | Cộng dồn 9 tháng": read with the Vietnamese
periods, the tables in other editions as written."""

from __future__ import annotations

from flows.core import periods
from flows.normalise.gso import normalise
from flows.readers.workbook.grid import Cell, Grid
from flows.readers.workbook.tables import dated, find_tables

SEPTEMBER = periods.month(2020, 9)


def _pad(rows: list[list[Cell]]) -> list[list[Cell]]:
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def _figures(rows: list[list[Cell]], reference: periods.Period,
             merged: list[tuple[tuple[int, int], tuple[int, int]]] | None = None,
             ) -> dict[str, tuple[str, str]]:
    table = find_tables([Grid("29", _pad(rows), merged or [])], reference)[0]
    observations, rejected = normalise(table, reference)
    assert not rejected, [(r.code, r.cell) for r in rejected]
    return {o.provenance.partition("!")[2]: (str(o.period), o.measure) for o in observations}


# "29" of 2020-09-29-03-Bieu-9.2020-EN.xlsx, its first two rows.
ENGLISH: list[list[Cell]] = [
    ["29. Exports and imports of services"],
    [],
    ["", "", "", "", "", "", "US$ million"],
    ["", "Performance", "Estimate", "Accrued", "Compared to same period last year (%)"],
    ["", "1st quarter", "2sd quarter", "3rd quarter", "1st quarter", "2sd quarter",
     "3rd quarter"],
    ["", "of 2020", "of 2020", "of 2020", "of 2020", "of 2020", "of 2020"],
    [],
    ["EXPORTS OF SERVICES", 895.0, 787.0, 5467.0, 19.5542932051562, 15.8000401525798,
     37.6644850155012],
    ["Travel service", 38.0, 30.0, 2468.0, 1.46153846153846, 1.02389078498294,
     29.1037735849057],
]


def test_the_english_editions_quarters_are_counted_from_its_cumulative_column() -> None:
    got = _figures(ENGLISH, SEPTEMBER)
    assert got["B8"] == ("2020-Q2", "level") and got["C8"] == ("2020-Q3", "level")
    assert got["D8"] == ("2020-YTD09", "level")
    assert got["E9"] == ("2020-Q2", "index_yoy") and got["F9"] == ("2020-Q3", "index_yoy")
    assert got["G9"] == ("2020-YTD09", "index_yoy")


def test_dating_the_table_again_keeps_the_quarters_counted() -> None:
    table = find_tables([Grid("29", _pad(ENGLISH), [])], None)[0]
    again = dated(table, SEPTEMBER)
    assert [str(c.period) for c in again.columns] == [
        "2020-Q2", "2020-Q3", "2020-YTD09", "2020-Q2", "2020-Q3", "2020-YTD09"]


def test_a_cumulative_quarter_beside_a_monthly_estimate_is_read_as_written() -> None:
    # The exports table of March 2012: "Cộng dồn quý I" is the first quarter (January to
    # March is filed as the quarter everywhere); the estimate is of March, no quarter.
    rows: list[list[Cell]] = [
        ["9. Hàng hóa xuất khẩu"],
        ["", "", "", "", "", "", "", "", "", "", "", "", "Đơn vị tính: Nghìn tấn, triệu USD"],
        ["", "", "Thực hiện tháng 02 năm 2012", "", "", "Ước tính tháng 3 năm 2012", "", "",
         "Cộng dồn quý I năm 2012", "", "", "Quý I năm 2012 so với cùng kỳ năm 2011 (%)"],
        [],
        ["", "", "Lượng", "Trị giá", "", "Lượng", "Trị giá", "", "Lượng", "Trị giá", "",
         "Lượng", "Trị giá"],
        [],
        ["TỔNG TRỊ GIÁ", "", "", 8300.0, "", "", 9150.0, "", "", 24523.0, "", "", 123.6],
    ]
    # Each heading is merged over its "Lượng" and "Trị giá" columns.
    merged = [((2, c), (2, c + 1)) for c in (2, 5, 8, 11)]
    got = _figures(rows, periods.month(2012, 3), merged)
    assert got == {"D7": ("2012-02", "level"), "G7": ("2012-03", "level"),
                   "J7": ("2012-Q1", "level"), "M7": ("2012-Q1", "index_yoy")}
