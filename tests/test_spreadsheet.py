"""`chiso export --format xlsx` and `--format xlsx` answers: a workbook with the header row
frozen, an autofilter over every column, and publishers' text kept as text."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from flows.present.cli import main
from flows.present.spreadsheet import write_xlsx


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return book.read("xl/worksheets/sheet1.xml").decode("utf-8")


def _letters(column: int) -> str:
    """Excel's name of the 1-based `column`: 1 A, 26 Z, 27 AA."""
    name = ""
    while column:
        column, rest = divmod(column - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def test_export_freezes_the_header_and_filters_every_column(
    bundled_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two series with every vintage (the whole warehouse is written as xlsx by
    test_cli_queries.py::test_export_writes_every_current_observation)."""
    monkeypatch.setenv("CHISO_WAREHOUSE", str(bundled_warehouse))
    out = tmp_path / "observations.xlsx"
    keys = ["IIP.VN._T._Z._Z.INDEX_YOY.INDEX", "IIP.VN-31._T._Z._Z.INDEX_YOY.INDEX"]
    assert main(["export", "--format", "xlsx", "--series", *keys, "--output", str(out)]) == 0
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("chiso").to_python()
    header, body = rows[0], rows[1:]
    with duckdb.connect(str(bundled_warehouse), read_only=True) as con:
        vintages = con.execute("select count(*) from v_vintages where series_key in (?, ?)",
                               keys).fetchone()
    assert "series_key" in header and "value" in header and "valid_from" in header
    assert vintages is not None and len(body) == vintages[0] > 0  # every vintage of the two
    xml = sheet_xml(out)
    # the pane splits below row 1 and is frozen; the filter spans the header and every row
    assert re.search(r'<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
                     r'state="frozen"/>', xml), xml[:600]
    last_column = _letters(len(header))
    assert f'<autoFilter ref="A1:{last_column}{len(body) + 1}"/>' in xml


def test_text_that_looks_like_a_formula_or_link_stays_text(tmp_path: Path) -> None:
    frame = pd.DataFrame({"label": ["=SUM(A1:A9)", "https://www.gso.gov.vn/x"],
                          "value": [1.5, 2.0]})
    out = tmp_path / "odd.xlsx"
    write_xlsx(frame, out)
    xml = sheet_xml(out)
    assert "<f>" not in xml  # no formula cell
    with zipfile.ZipFile(out) as book:
        assert not any("hyperlink" in name or "_rels/sheet1" in name for name in book.namelist())
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("chiso").to_python()
    assert rows == [["label", "value"], ["=SUM(A1:A9)", 1.5], ["https://www.gso.gov.vn/x", 2.0]]


def test_each_kind_of_column_reads_back_as_written(tmp_path: Path) -> None:
    """Dates, timestamps (a zone dropped), missing values of every kind left blank, whole
    numbers, booleans and a column of mixed values, as a reader of the file sees them."""
    from datetime import date, datetime

    frame = pd.DataFrame({
        "period_end": pd.to_datetime(["2024-08-31", None]),
        "published_at": pd.to_datetime(["2024-09-06 09:00", "2024-10-06 09:30"]
                                       ).tz_localize("Asia/Ho_Chi_Minh"),
        "value": [108.38, float("nan")],
        "figures": pd.array([4468, None], dtype="Int64"),
        "withdrawn": [False, True],
        "mixed": [date(2024, 9, 30), "quý III"],
        "label": pd.array(["Toàn ngành công nghiệp", None], dtype="string"),
    })
    out = tmp_path / "kinds.xlsx"
    write_xlsx(frame, out)
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("chiso").to_python()
    assert rows[1:] == [
        [date(2024, 8, 31), datetime(2024, 9, 6, 9, 0), 108.38, 4468.0, False,
         date(2024, 9, 30), "Toàn ngành công nghiệp"],
        ["", datetime(2024, 10, 6, 9, 30), "", "", True, "quý III", ""],
    ]
