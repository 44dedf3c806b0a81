"""calamine reads an .xlsx from a copy whose sheets xlsx_cells has already inflated, stored
uncompressed (flows/readers/workbook/xlsx_copy.py): the copy must hold the workbook's cells
exactly, and a workbook that does not copy is read as it is."""

from __future__ import annotations

import io
import zipfile

from python_calamine import CalamineWorkbook

from flows.readers.workbook.grid import MAX_UNZIPPED_BYTES
from flows.readers.workbook.xlsx_cells import HiddenCells
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
        assert stored.namelist() == source.namelist()
        kinds = {info.filename: info.compress_type for info in stored.infolist()}
        assert kinds[IIP_SHEET_PART] == zipfile.ZIP_STORED
        assert kinds["xl/sharedStrings.xml"] == zipfile.ZIP_DEFLATED
        assert all(stored.read(name) == source.read(name) for name in source.namelist())
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
