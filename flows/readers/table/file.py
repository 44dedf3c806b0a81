"""Read an analyst's CSV or Excel table into named columns and numbered rows, cells as found."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path, PurePath

from flows.core.errors import CorruptFileError, MappingError, NotAWorkbookError
from flows.core.text import nfc
from flows.readers.table.mapping import TableSpec
from flows.readers.workbook.grid import Cell, Grid, read_workbook

CSV_SUFFIXES = (".csv",)
EXCEL_SUFFIXES = (".xlsx", ".xls")
# A browser's "save as" of an error page is the usual way a .csv turns out not to be one.
_HTML_STARTS = ("<!doctype html", "<html", "<?xml", "<head", "<body")


@dataclass(frozen=True)
class TableRow:
    """One row below the header: its 1-based row number in the file and its cells by column."""

    number: int
    cells: dict[str, Cell]

    def text(self, column: str) -> str:
        """The cell as text ("" when empty); whole numbers without ".0" (2024, not 2024.0)."""
        return cell_text(self.cells.get(column, ""))

    def raw(self) -> str:
        """Every non-empty cell of the row, for the quarantine."""
        return "; ".join(f"{c}={self.text(c)}" for c in self.cells if self.text(c))


@dataclass(frozen=True)
class TableFile:
    """A table as published: its file name, the sheet read, its column names and its rows."""

    name: str  # the file's name as the analyst knows it
    sheet: str  # the sheet read; for a CSV, the file's name
    columns: tuple[str, ...]  # in file order, duplicates kept so they can be reported
    rows: tuple[TableRow, ...]
    positions: dict[str, int]  # column name -> 0-based position in the file
    kind: str = "csv"  # "csv" or "excel": only Excel cells can hold native numbers

    def address(self, row: int, column: str) -> str:
        """The cell's A1 address without the sheet ("D7")."""
        return f"{column_letter(self.positions[column])}{row}"


def read_table(path: Path, name: str, spec: TableSpec, mapping_name: str) -> TableFile:
    """The table in the file at `path` (`name` is how the analyst knows it: its suffix says CSV
    or Excel). Raises a ReadError subclass when the file is not a readable table, and
    MappingError when the mapping's sheet is not in the workbook."""
    suffix = PurePath(name).suffix.lower() or path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        grid, kind = Grid(name, _csv_rows(path, name, spec.delimiter), []), "csv"
    elif suffix in EXCEL_SUFFIXES:
        grid, kind = _sheet(path, name, spec.sheet, mapping_name), "excel"
    else:
        kind = suffix or "a file without a suffix"
        raise NotAWorkbookError(
            f"{name}: files reads .csv, .xlsx and .xls tables, not {kind}; save the table as one"
        )
    return _table(grid, name, spec.header_row, mapping_name, kind)


def cell_text(value: Cell) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return value


def column_letter(index: int) -> str:
    """Spreadsheet column letters for a 0-based index: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _csv_rows(path: Path, name: str, delimiter: str) -> list[list[Cell]]:
    try:
        # utf-8-sig: Excel's "CSV UTF-8" starts the file with a byte-order mark.
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorruptFileError(
            f"{name}: not UTF-8 text (byte {exc.start}); save the table as CSV UTF-8"
        ) from None
    if text.lstrip().lower().startswith(_HTML_STARTS):
        raise NotAWorkbookError(
            f"{name}: this is an HTML page, not a CSV table; download the table again"
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [[nfc(cell) for cell in row] for row in reader]
    except csv.Error as exc:  # a field over csv's 128 KiB limit, a NUL byte
        raise CorruptFileError(
            f"{name}: not a readable CSV table (line {reader.line_num}: {exc})"
        ) from None


def _sheet(path: Path, name: str, sheet: str | None, mapping_name: str) -> Grid:
    seen: list[str] = []

    def wanted(grid: Grid) -> bool:
        seen.append(grid.sheet)
        return grid.sheet == sheet if sheet else len(seen) == 1

    grids = read_workbook(path, keep=wanted)
    if not grids:
        raise MappingError(
            f"{mapping_name}: [table] sheet {sheet!r} is not in {name}; its sheets are: "
            f"{', '.join(seen) or 'none'}"
        )
    return grids[0]


def _table(grid: Grid, name: str, header_row: int, mapping_name: str, kind: str) -> TableFile:
    if len(grid.rows) < header_row:
        raise MappingError(
            f"{mapping_name}: [table] header_row is {header_row} but {name} has "
            f"{len(grid.rows)} rows; point header_row at the row of column names"
        )
    named = [(i, column) for i, cell in enumerate(grid.rows[header_row - 1])
             if (column := nfc(cell_text(cell)))]
    positions: dict[str, int] = {}
    for i, column in named:
        positions.setdefault(column, i)  # where a name repeats, the first column is read
    rows = []
    for number, cells in enumerate(grid.rows[header_row:], start=header_row + 1):
        values = {c: cells[i] if i < len(cells) else "" for c, i in positions.items()}
        if any(cell_text(v).strip() for v in values.values()):
            rows.append(TableRow(number, values))
    return TableFile(name, grid.sheet, tuple(c for _, c in named), tuple(rows), positions, kind)
