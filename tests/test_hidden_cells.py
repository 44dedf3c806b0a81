"""Cells a workbook hides (hidden rows, hidden columns, a hidden sheet) are not published: no
reader of the release sees them. They are taken out of the grid, read as no figure, and counted
as skipped `hidden-cell`, so nothing vanishes from the cell accounting."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from flows.core.errors import CorruptFileError
from flows.pipeline import read_gso_workbook
from flows.readers.workbook.grid import MAX_UNZIPPED_BYTES, read_workbook
from flows.readers.workbook.xlsx_cells import DAMAGED, HiddenCells, hidden_lines

from samples import GSO_UPLOADS, SEPTEMBER_2024, workbook_number

APRIL_2024 = GSO_UPLOADS / "2024" / "04" / "02.-Bieu-so-lieu-T4.2024-1.xlsx"
ENTERPRISES = "6. Chi tieu DN"
IIP_SHEET = "7.IIPthang"
IIP_SHEET_PART = "xl/worksheets/sheet7.xml"


@pytest.mark.parametrize(("xml", "rows", "columns"), [
    (b'<cols><col min="14" max="20" width="0" hidden="1" customWidth="1"/></cols>',
     set(), set(range(13, 20))),
    (b'<cols><col min="2" max="2" hidden="true"/><col min="3" max="3" hidden="0"/></cols>',
     set(), {1}),
    (b'<sheetData><row r="9" spans="1:12" hidden="1"><c r="A9"><v>1</v></c></row>'
     b'<row r="10"><c r="A10"><v>2</v></c></row></sheetData>', {8}, set()),
    (b'<x:sheetData><x:row r="3" hidden="1"/></x:sheetData>', {2}, set()),
    # Other elements' attributes that merely contain the word are not hidden lines.
    (b'<autoFilter><filterColumn colId="0" hiddenButton="1"/></autoFilter>'
     b'<sheetView showHidden="1"/>', set(), set()),
])
def test_hidden_rows_and_columns_in_sheet_xml(
        xml: bytes, rows: set[int], columns: set[int]) -> None:
    assert hidden_lines(xml) == (rows, columns)


def test_last_years_hidden_columns_are_no_figures_and_are_counted() -> None:
    # April 2024, new enterprises: columns K:L ("Tháng 4 năm 2023", "4 tháng năm 2023") are
    # hidden; the published index against April 2023 (F10) is computed from K10.
    grid = next(g for g in read_workbook(APRIL_2024) if g.sheet == ENTERPRISES)
    assert grid.concealed[9, 10] == workbook_number(APRIL_2024, f"{ENTERPRISES}!K10") == 15967.0
    assert grid.rows[9][10] == ""
    contents = read_gso_workbook(APRIL_2024, "2024-04")
    figures = {o.provenance: (str(o.period), o.value) for o in contents.observations
               if o.provenance.startswith(ENTERPRISES)}
    assert figures[f"{ENTERPRISES}!C10"] == ("2024-04", 15307.0)
    assert round(figures[f"{ENTERPRISES}!F10"][1], 2) == round(15307 / 15967 * 100, 2)
    assert not any(ref.endswith(("!K10", "!L10")) for ref in figures)
    numbers = sum(1 for v in grid.concealed.values() if isinstance(v, float))
    tallies = {(t.outcome, t.reason): t.cells for t in contents.cells if t.sheet == ENTERPRISES}
    assert tallies[("skipped", "hidden-cell")] == numbers == 18


def _altered(tmp_path: Path, part: str, old: bytes, new: bytes) -> Path:
    """The September 2024 workbook with one part's text rewritten, all else as is."""
    target = tmp_path / SEPTEMBER_2024.name
    with zipfile.ZipFile(SEPTEMBER_2024) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == part:
                assert data.count(old) == 1, old
                data = data.replace(old, new)
            copy.writestr(info, data)
    return target


def test_a_hidden_row_is_no_figure_and_the_rows_around_it_load(tmp_path: Path) -> None:
    row = b'<row r="9" spans="1:120" s="86" customFormat="1" ht="15.95" customHeight="1">'
    path = _altered(tmp_path, IIP_SHEET_PART, row, row.replace(b'ht=', b'hidden="1" ht='))
    good = read_gso_workbook(SEPTEMBER_2024, "2024-09")
    hidden = read_gso_workbook(path, "2024-09")
    cells = {o.provenance for o in hidden.observations}
    row9 = {o.provenance for o in good.observations
            if re.fullmatch(rf"{IIP_SHEET}![A-Z]+9", o.provenance)}
    assert f"{IIP_SHEET}!D9" in row9 and not row9 & cells
    assert f"{IIP_SHEET}!D10" in cells
    assert len(good.observations) - len(hidden.observations) == len(row9)
    tallies = {(t.outcome, t.reason): t.cells for t in hidden.cells if t.sheet == IIP_SHEET}
    assert tallies[("skipped", "hidden-cell")] >= len(row9)


def test_a_hidden_sheet_is_read_as_no_figures_but_every_number_is_counted(
        tmp_path: Path) -> None:
    sheet = f'<sheet name="{IIP_SHEET}"'.encode()
    path = _altered(tmp_path, "xl/workbook.xml", sheet, sheet + b' state="hidden"')
    good = read_gso_workbook(SEPTEMBER_2024, "2024-09")
    hidden = read_gso_workbook(path, "2024-09")
    assert not any(o.provenance.startswith(f"{IIP_SHEET}!") for o in hidden.observations)
    others = {o.provenance for o in good.observations if not o.provenance.startswith(IIP_SHEET)}
    assert others == {o.provenance for o in hidden.observations}
    before = sum(t.cells for t in good.cells if t.sheet == IIP_SHEET)
    after = {(t.outcome, t.reason): t.cells for t in hidden.cells if t.sheet == IIP_SHEET}
    assert after == {("skipped", "hidden-cell"): before}


def test_sheets_stored_without_compression_read_as_when_deflated(tmp_path: Path) -> None:
    # A writer may store parts as they are: April 2024 so rewritten hides the same columns.
    target = tmp_path / APRIL_2024.name
    with zipfile.ZipFile(APRIL_2024) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            copy.writestr(info.filename, source.read(info), zipfile.ZIP_STORED)
    with zipfile.ZipFile(target) as stored:
        assert {i.compress_type for i in stored.infolist()} == {zipfile.ZIP_STORED}
    grids = {g.sheet: (g.rows, g.hidden, g.concealed) for g in read_workbook(target)}
    assert grids == {g.sheet: (g.rows, g.hidden, g.concealed) for g in read_workbook(APRIL_2024)}
    assert grids[ENTERPRISES][2][9, 10] == 15967.0


def _declared(tmp_path: Path, at: int, size: Callable[[int], int]) -> Path:
    """The September 2024 workbook with a size its central directory declares for the IIP
    sheet (`at` 20 the compressed one, at 24 the inflated one) replaced by `size` of it."""
    data = bytearray(SEPTEMBER_2024.read_bytes())
    name = IIP_SHEET_PART.encode()
    entry = data.index(b"PK\x01\x02")
    while data[entry + 46:entry + 46 + len(name)] != name:
        entry = data.index(b"PK\x01\x02", entry + 4)
    field = slice(entry + at, entry + at + 4)
    data[field] = size(int.from_bytes(data[field], "little")).to_bytes(4, "little")
    target = tmp_path / SEPTEMBER_2024.name
    target.write_bytes(bytes(data))
    return target


def test_a_sheet_cut_short_in_its_archive_is_damaged(tmp_path: Path) -> None:
    # The IIP sheet's compressed size in the central directory, 1000 bytes short of its data.
    target = _declared(tmp_path, 20, lambda size: size - 1000)
    with pytest.raises(CorruptFileError, match="damaged or truncated"):
        read_workbook(target)
    hidden = HiddenCells(zipfile.ZipFile(target), MAX_UNZIPPED_BYTES)
    with pytest.raises(DAMAGED):
        hidden.hidden_lines(IIP_SHEET)
    hidden.close()


def test_the_scans_find_the_same_in_each_sheet_read_without_its_empty_rows() -> None:
    """Once stored_copy has made calamine's copy, `of` and `hidden_lines` read each sheet as
    the copy holds it, without its empty rows at the end: they find the same errors, formulas
    and hidden rows and columns as in the whole sheet, on every sheet of the bundled
    workbooks, and read less of some."""
    shorter = 0
    for path in sorted(GSO_UPLOADS.rglob("*.xlsx")):
        copied = HiddenCells(zipfile.ZipFile(path), MAX_UNZIPPED_BYTES)
        whole = HiddenCells(zipfile.ZipFile(path), MAX_UNZIPPED_BYTES)
        try:
            assert copied.stored_copy() is not None
            for sheet in whole._sheet_parts():
                assert copied.of(sheet) == whole.of(sheet), (path.name, sheet)
                assert copied.hidden_lines(sheet) == whole.hidden_lines(sheet), (path.name, sheet)
                shorter += len(copied._xml(sheet)) < len(whole._xml(sheet))
        finally:
            copied.close()
            whole.close()
    assert shorter > 100


def test_what_a_sheet_hides_below_its_last_cell_reaches_no_grid(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Below the IIP sheet's last cell: an error cell written without its value, a hidden row.
    tail = (b'<row r="990"><c r="B990" t="e"/></row>'
            b'<row r="995" hidden="1"><c r="C995" s="3"/></row></sheetData>')
    path = _altered(tmp_path, IIP_SHEET_PART, b"</sheetData>", tail)
    scans = HiddenCells(zipfile.ZipFile(path), MAX_UNZIPPED_BYTES)
    try:  # the whole sheet's scans see them
        assert scans.of(IIP_SHEET)[989, 1] == "#ERROR"
        assert 994 in scans.hidden_lines(IIP_SHEET)[0]
    finally:
        scans.close()
    # read through calamine's copy, cut short (the scans too), and read whole: one grid
    copied = {g.sheet: (g.rows, g.hidden, g.concealed) for g in read_workbook(path)}
    monkeypatch.setattr(HiddenCells, "stored_copy", lambda self: None)
    whole = {g.sheet: (g.rows, g.hidden, g.concealed) for g in read_workbook(path)}
    assert copied == whole
    rows, hidden, _ = copied[IIP_SHEET]
    assert len(rows) < 989 and all(r < len(rows) for r, _ in hidden)


def test_a_part_declaring_no_bytes_is_read_as_none(tmp_path: Path) -> None:
    # The IIP sheet's size in the central directory set to 0: inflating it is not unbounded
    # (a max_length of 0 would mean no bound), it reads as nothing.
    target = _declared(tmp_path, 24, lambda size: 0)
    hidden = HiddenCells(zipfile.ZipFile(target), MAX_UNZIPPED_BYTES)
    try:
        assert hidden.of(IIP_SHEET) == {} and hidden._xml(IIP_SHEET) == b""
    finally:
        hidden.close()


def test_a_sheet_that_does_not_inflate_is_damaged(tmp_path: Path) -> None:
    # Bytes flipped in the middle of the IIP sheet's deflated data: whichever inflater reads
    # it (isal's or zlib's), the scans raise one of DAMAGED and the workbook is named damaged.
    with zipfile.ZipFile(SEPTEMBER_2024) as source:
        info = source.getinfo(IIP_SHEET_PART)
    data = bytearray(SEPTEMBER_2024.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle:middle + 16] = bytes(b ^ 0xFF for b in data[middle:middle + 16])
    target = tmp_path / SEPTEMBER_2024.name
    target.write_bytes(bytes(data))
    hidden = HiddenCells(zipfile.ZipFile(target), MAX_UNZIPPED_BYTES)
    try:
        with pytest.raises(DAMAGED):
            hidden.of(IIP_SHEET)
    finally:
        hidden.close()
    with pytest.raises(CorruptFileError, match="damaged or truncated"):
        read_workbook(target)
