"""calamine reads an .xlsx from a copy whose sheets xlsx_cells has already inflated, stored
uncompressed (flows/readers/workbook/xlsx_copy.py) without their empty rows at the end, and
whose workbook.xml ends with its sheets: the copy must hold the workbook's cells exactly, and a
workbook that does not copy is read as it is."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest
from python_calamine import CalamineWorkbook

from flows.readers.workbook import xlsx_cells
from flows.readers.workbook.grid import MAX_UNZIPPED_BYTES
from flows.readers.workbook.xlsx_cells import (
    UNREAD_PARTS,
    WORKBOOK_PART,
    HiddenCells,
    _sheets_only,
    without_empty_rows,
)
from flows.readers.workbook.xlsx_copy import stored_copy

from samples import SEPTEMBER_2024

IIP_SHEET_PART = "xl/worksheets/sheet7.xml"  # "7.IIPthang" of the September 2024 workbook


def test_the_copy_holds_every_cell_of_the_workbook() -> None:
    hidden = HiddenCells(zipfile.ZipFile(SEPTEMBER_2024), MAX_UNZIPPED_BYTES)
    copy = hidden.stored_copy()
    hidden.close()
    assert copy is not None
    with zipfile.ZipFile(io.BytesIO(copy)) as stored, zipfile.ZipFile(SEPTEMBER_2024) as source:
        assert stored.testzip() is None  # every part's CRC holds
        # every part but those calamine never opens
        unread = [name for name in source.namelist() if name.startswith(UNREAD_PARTS)]
        assert unread and not any(name.startswith(UNREAD_PARTS) for name in stored.namelist())
        assert stored.namelist() == [name for name in source.namelist() if name not in unread]
        kinds = {info.filename: info.compress_type for info in stored.infolist()}
        assert kinds[IIP_SHEET_PART] == zipfile.ZIP_STORED
        assert kinds["xl/sharedStrings.xml"] == zipfile.ZIP_DEFLATED
        sheets = {name for name in source.namelist() if name.startswith("xl/worksheets/sheet")}
        assert all(stored.read(name) == source.read(name) for name in stored.namelist()
                   if name != WORKBOOK_PART and name not in sheets)
        assert all(stored.read(name) == without_empty_rows(source.read(name)) for name in sheets)
        # the IIP sheet's formatted rows below its table are not in the copy
        iip = source.read(IIP_SHEET_PART)
        assert len(stored.read(IIP_SHEET_PART)) < len(iip)
        assert stored.read(IIP_SHEET_PART).endswith(iip[iip.index(b"</sheetData>"):])
        # workbook.xml to the end of its sheets, without the defined names after them
        whole, short = source.read(WORKBOOK_PART), stored.read(WORKBOOK_PART)
        sheets_end = whole.index(b"</sheets>") + len(b"</sheets>")
        assert short == whole[:sheets_end] + b"</workbook>"
        assert b"<definedName " in whole[sheets_end:]
        assert b"<workbookPr" in short  # the date system, before the sheets
    original = CalamineWorkbook.from_path(str(SEPTEMBER_2024))
    copied = CalamineWorkbook.from_filelike(io.BytesIO(copy))
    assert copied.sheet_names == original.sheet_names
    assert [s.visible for s in copied.sheets_metadata] == [
        s.visible for s in original.sheets_metadata]
    for name in original.sheet_names:
        one, other = original.get_sheet_by_name(name), copied.get_sheet_by_name(name)
        assert one.to_python(skip_empty_area=False) == other.to_python(skip_empty_area=False)
        assert one.merged_cell_ranges == other.merged_cell_ranges


def test_an_archive_a_plain_zip_cannot_count_is_not_copied() -> None:
    parts = [zipfile.ZipInfo(f"part{n}") for n in range(0x10000)]  # empty, stored
    for info in parts:
        info.CRC = 0
    assert stored_copy(parts, {}, lambda info: b"") is None
    copy = stored_copy(parts[:0xFFFF], {}, lambda info: b"")
    assert copy is not None and len(zipfile.ZipFile(io.BytesIO(copy)).infolist()) == 0xFFFF


def test_a_workbook_part_is_cut_after_its_sheets_only_when_they_end_in_what_was_read() -> None:
    head = (b'<?xml version="1.0"?>\n<x:workbook xmlns:x="s"><x:workbookPr date1904="1"/>'
            b'<x:sheets><x:sheet name="A" sheetId="1" r:id="rId1"/></x:sheets>')
    names = b'<x:definedNames><x:definedName name="N">A!$A$1</x:definedName>'
    assert _sheets_only(head + names) == head + b"</x:workbook>"
    assert _sheets_only(head[:-len(b"</x:sheets>")]) is None  # read stopped short of the end
    assert _sheets_only(b"<sheets></sheets>") is None  # no workbook element to close


SHEET = (b'<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="2"/></row>'
         b'<row r="2"><c r="A2" s="1"/></row>%s<row r="4" hidden="1"><c r="B4" s="3"/></row>'
         b'</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>')


def test_a_sheet_is_cut_after_its_last_row_with_a_cell_that_holds_anything() -> None:
    formula = b'<row r="3"><c r="B3" s="1"/><c r="C3"><f>1/0</f></c></row>'
    assert without_empty_rows(SHEET % formula) == (
        b'<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="2"/></row>'
        b'<row r="2"><c r="A2" s="1"/></row>' + formula + b'</sheetData><mergeCells count="1">'
        b'<mergeCell ref="A1:B1"/></mergeCells></worksheet>')
    assert without_empty_rows(SHEET % b"").startswith(
        b'<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="2"/></row>'
        b'</sheetData>')
    prefixed = (b'<x:worksheet><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'
                b'<x:row r="2"><x:c r="A2" s="1"/></x:row></x:sheetData></x:worksheet>')
    assert without_empty_rows(prefixed) == (
        b'<x:worksheet><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'
        b'</x:sheetData></x:worksheet>')


def test_a_sheet_is_left_whole_when_what_would_be_cut_may_hold_a_cell() -> None:
    nothing_after = SHEET.replace(b'<row r="2"><c r="A2" s="1"/></row>%s<row r="4" hidden="1">'
                                  b'<c r="B4" s="3"/></row>', b"")
    for xml in (nothing_after, b'<worksheet><sheetData/></worksheet>',
                b'<worksheet><sheetData><row r="1"><c r="A1" s="1"/></row></sheetData>'
                b'</worksheet>'):
        assert without_empty_rows(xml) is xml
    # a cell whose prefix is not its sheet's, or whose end tag is spaced, stays
    for cell in (b'<row r="3"><y:c r="C3"><y:v>5</y:v></y:c></row>',
                 b'<row r="3"><c r="C3"><v>5</v></c ></row>'):
        xml = SHEET % cell
        assert without_empty_rows(xml) is xml


def test_the_copy_is_the_same_inflated_by_the_standard_librarys_zlib(monkeypatch) -> None:
    """Where isal has no wheel, the sheets are inflated and summed with zlib: the same copy,
    byte for byte (its CRCs are checked with zlib's above)."""
    pytest.importorskip("isal", reason="isal is not installed here: zlib makes the only copy")

    def copy() -> bytes | None:
        hidden = HiddenCells(zipfile.ZipFile(SEPTEMBER_2024), MAX_UNZIPPED_BYTES)
        try:
            return hidden.stored_copy()
        finally:
            hidden.close()

    with_isal = copy()
    monkeypatch.setattr(xlsx_cells, "inflating", zlib)
    assert with_isal is not None and copy() == with_isal
