"""Open an archived workbook (.xlsx or legacy .xls) as plain grids of cells, one per sheet."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from flows.core.errors import CorruptFileError, NotAWorkbookError
from flows.core.text import nfc
from flows.readers.workbook import tcvn3
from flows.readers.workbook.xls_lines import Lines
from flows.readers.workbook.xls_lines import hidden_lines as xls_hidden_lines
from flows.readers.workbook.xlsx_cells import DAMAGED, HiddenCells, Position

Cell = str | float
Span = tuple[tuple[int, int], tuple[int, int]]

# File signatures: .xlsx is a zip, legacy .xls an OLE2 compound document.
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A GSO workbook unpacks to a few MB; anything past 200 MB uncompressed is a zip bomb, not data.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
# Rows shown to a `keep` filter: enough for a title and the line under it.
HEAD_ROWS = 6
# A figure typed as text: "922.20", "34.049,6", "−5,2", "1 234" (signs: hyphen, minus, en dash).
TEXT_NUMBER = re.compile(r"^\s*[-\u2212\u2013+]?\s*\d[\d .,]*\s*$")


@dataclass(frozen=True)
class Grid:
    """One sheet: cells at their absolute positions, text NFC (TCVN3 converted), numbers float.

    `hidden` holds the cells that read as '' but hold an Excel error or a formula saved without
    its value (.xlsx only): {(8, 1): "#DIV/0!", (8, 3): "=1/0"}.

    `concealed` holds the cells the workbook hides, taken out of `rows` (left ''): those of a
    hidden sheet, and of a sheet's hidden rows and columns (.xlsx, and legacy .xls through
    xls_lines). A reader of the release
    never sees them; in GSO's workbooks they are last year's columns kept for the sums, stale
    copies with last edition's headers, and calculations, so they are not read as figures.
    """

    sheet: str
    rows: list[list[Cell]]
    merged: list[Span]
    hidden: dict[Position, str] = field(default_factory=dict)
    concealed: dict[Position, Cell] = field(default_factory=dict)

    def text(self, row: int, col: int) -> str:
        """The cell's text ('' for numbers and for cells outside the sheet)."""
        if row >= len(self.rows) or col >= len(self.rows[row]):
            return ""
        value = self.rows[row][col]
        return value if isinstance(value, str) else ""

    @cached_property
    def figures(self) -> list[list[int]]:
        """Each row's figure columns (is_figure), found in one pass over the sheet when first
        asked for: finding the tables and accounting for the cells both walk them, and most
        of a sheet read with its empty area is blank."""
        # Figures are most cells: floats pass without a call.
        return [[c for c, v in enumerate(cells)
                 if v.__class__ is float or (v != "" and is_figure(v))]
                for cells in self.rows]


def is_figure(value: Cell) -> bool:
    """A number, or a figure typed as text ("922.20", "34.049,6", "−5,2")."""
    # TEXT_NUMBER asks for a digit (\d), so a text that matches holds one.
    return isinstance(value, float) or TEXT_NUMBER.match(value) is not None


def read_workbook(path: Path, keep: Callable[[Grid], bool] | None = None) -> list[Grid]:
    """Every sheet of the workbook at `path`, or those whose first rows `keep` accepts.

    Converting cells is most of the cost of reading, and a GSO workbook has 30-45 sheets of
    which a handful are wanted: `keep` sees each sheet's top rows before the rest is converted.

    Raises NotAWorkbookError for files that are not spreadsheets (HTML error pages, PDFs) and
    CorruptFileError for truncated or damaged ones.
    """
    archive = _check_signature(path)
    hidden = HiddenCells(archive, MAX_UNZIPPED_BYTES) if archive is not None else None
    try:
        book = _open(path, hidden)
        shown = {sheet.name for sheet in book.sheets_metadata
                 if sheet.visible == SheetVisibleEnum.Visible}
        legacy = _legacy_lines(path, book.sheet_names) if archive is None else {}
        grids = (_grid(book, name, keep, hidden, name not in shown, legacy.get(name))
                 for name in book.sheet_names)
        return [grid for grid in grids if grid is not None]
    except (CalamineError, *DAMAGED) as exc:
        raise CorruptFileError(
            f"{path.name}: the workbook is damaged or truncated ({exc}); "
            "download it again or ask the publisher for a good copy"
        ) from None
    finally:
        if hidden is not None:
            hidden.close()


def _open(path: Path, hidden: HiddenCells | None) -> CalamineWorkbook:
    """calamine's reading of the workbook: for an .xlsx, of the copy whose sheets `hidden` has
    inflated for itself, stored (xlsx_copy), so calamine need not inflate them again."""
    copy = hidden.stored_copy() if hidden is not None else None
    if copy is None:
        return CalamineWorkbook.from_path(str(path))
    return CalamineWorkbook.from_filelike(io.BytesIO(copy))


def _legacy_lines(path: Path, names: list[str]) -> dict[str, Lines]:
    """The hidden rows and columns of each sheet of a legacy .xls workbook that hides any, by
    the name calamine gives it: the two list the sheets in the workbook's order, so a sheet is
    matched by its place (calamine decodes a name as it does, xls_lines as it does)."""
    found = xls_hidden_lines(path)
    if len(found) != len(names):
        return {}  # not the workbook calamine read: hide nothing rather than guess
    return {name: lines for name, (_, lines) in zip(names, found, strict=True)
            if lines[0] or lines[1]}


def _check_signature(path: Path) -> zipfile.ZipFile | None:
    """The file's zip archive, open, for an .xlsx; None for OLE2 (.xls); raises for anything
    else."""
    with path.open("rb") as handle:
        head = handle.read(512)
    if head.startswith(OLE2_MAGIC):
        return None
    if head.startswith(ZIP_MAGIC):
        return _check_zip(path)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
        raise NotAWorkbookError(
            f"{path.name}: this is an HTML page, not a workbook (the publisher probably served "
            "an error page in its place); fetch it again later or check the URL"
        )
    kind = "a PDF" if head.startswith(b"%PDF") else "not an Excel file"
    raise NotAWorkbookError(
        f"{path.name}: this is {kind} (no .xlsx or .xls signature); "
        "check that the right file was downloaded"
    )


def _check_zip(path: Path) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise CorruptFileError(
            f"{path.name}: the .xlsx container is damaged or truncated ({exc}); "
            "download it again"
        ) from None
    unzipped = sum(info.file_size for info in archive.infolist())
    if unzipped > MAX_UNZIPPED_BYTES:
        archive.close()
        raise CorruptFileError(
            f"{path.name}: unpacks to {unzipped:,} bytes, over the {MAX_UNZIPPED_BYTES:,} limit "
            "(a zip bomb or not a statistics workbook); not reading it"
        )
    return archive


def _grid(
    book: CalamineWorkbook, name: str, keep: Callable[[Grid], bool] | None = None,
    hidden: HiddenCells | None = None, hidden_sheet: bool = False,
    legacy: Lines | None = None,
) -> Grid | None:
    sheet = book.get_sheet_by_name(name)
    # skip_empty_area=False keeps absolute positions, so merged ranges line up with cells.
    raw_rows = sheet.to_python(skip_empty_area=False)
    merged = list(sheet.merged_cell_ranges or [])
    sheet_name = tcvn3.to_unicode(name)
    if keep is not None:
        head = [[value if value.__class__ is float else _cell(value) for value in raw]
                for raw in raw_rows[:HEAD_ROWS]]
        if not keep(Grid(sheet_name, head, merged)):
            return None
    rows = _cells(raw_rows)
    if hidden_sheet:
        return Grid(sheet_name, rows, merged, {}, _take(rows, range(len(rows)), frozenset()))
    if legacy is not None:  # an .xls sheet that hides rows or columns
        return Grid(sheet_name, rows, merged, {}, _take(rows, *legacy))
    if hidden is None:
        return Grid(sheet_name, rows, merged)
    errors = hidden.of(name)
    hidden_rows, hidden_cols = hidden.hidden_lines(name)
    concealed = _take(rows, hidden_rows, hidden_cols) if hidden_rows or hidden_cols else {}
    # The errors the sheet shows: none in its hidden lines, nor below calamine's last cell (an
    # error cell written without its value there is outside the sheet as read, and outside
    # what the scans see of a sheet cut short for calamine's copy).
    if errors and (hidden_rows or hidden_cols or max(r for r, _ in errors) >= len(rows)):
        errors = {(r, c): shown for (r, c), shown in errors.items()
                  if r < len(rows) and r not in hidden_rows and c not in hidden_cols}
    return Grid(sheet_name, rows, merged, errors, concealed)


def _take(
    rows: list[list[Cell]], hidden_rows: Iterable[int], hidden_cols: frozenset[int]
) -> dict[Position, Cell]:
    """Blank the cells of `rows` in the hidden rows and columns, in place; what they held."""
    taken: dict[Position, Cell] = {}
    for r in hidden_rows:
        if r < len(rows):
            cells = rows[r] = list(rows[r])
            for c, value in enumerate(cells):
                if value != "":
                    taken[r, c] = value
                    cells[c] = ""
    if hidden_cols:
        for r, cells in enumerate(rows):
            if any(cells[c] != "" for c in hidden_cols if c < len(cells)):
                cells = rows[r] = list(cells)
                for c in hidden_cols:
                    if c < len(cells) and cells[c] != "":
                        taken[r, c] = cells[c]
                        cells[c] = ""
    return taken


def _cells(raw_rows: list[list[Any]]) -> list[list[Cell]]:
    """The sheet's cells as Grid holds them, each distinct text converted once (a sheet
    repeats its labels and blanks)."""
    others = {v for raw in raw_rows for v in raw if v.__class__ is not float}
    texts = {v for v in others if v.__class__ is str}
    # Decided per sheet: a lone ambiguous TCVN3 label ("Lóa mú" = "Lúa mỳ" in the 2008 imports
    # table) reads as TCVN3 only when nothing on the sheet is Unicode.
    throughout = tcvn3.tcvn3_throughout(texts)
    if len(texts) < len(others):
        # Integers (some legacy .xls sheets), dates: cell by cell. Figures (most cells) are
        # floats already, and blank cells (most of a sheet read with its empty area) stay.
        return [[value if value.__class__ is float or value == "" else _cell(value, throughout)
                 for value in raw] for raw in raw_rows]
    # Only texts and figures: a row whose texts all read as they are stays as calamine gave
    # it; in the others, the texts that change are looked up (a text never equals a figure).
    changed = {v: new for v in texts if (new := _text(v, throughout)) != v}
    return [list(map(changed.get, raw, raw)) if not changed.keys().isdisjoint(raw) else raw
            for raw in raw_rows]


def _cell(value: object, tcvn3_sheet: bool = False) -> Cell:
    if isinstance(value, str):
        return _text(value, tcvn3_sheet)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return float(value)
    # Dates, times and durations are not figures in these tables; keep their text.
    return "" if value is None else str(value)


@lru_cache(maxsize=1 << 16)
def _text(value: str, tcvn3_sheet: bool) -> str:
    """A text cell, NFC, TCVN3 converted; cached, as workbooks repeat blanks and labels."""
    if tcvn3_sheet or tcvn3.looks_tcvn3(value):
        return nfc(tcvn3.to_unicode(value, assume_tcvn3=tcvn3_sheet))
    return nfc(value)
