"""Find GSO tables in a workbook by their title text and split them into header and rows.

Sheets are renamed and reordered from month to month ("7.IIPthang" in September 2024,
"2. IIP" in August), so a table is recognised only by the title written above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from flows.core.periods import Period, parse_period
from flows.core.text import fold
from flows.readers.workbook.grid import Cell, Grid
from flows.readers.workbook.headers import Column, header_texts, interpret, is_year, table_columns

# Table kinds chiso reads, by the folded title with its number ("23.") removed.
TABLE_TITLES: dict[str, re.Pattern[str]] = {
    "iip": re.compile(r"^chỉ số sản xuất (ngành )?công nghiệp(?! trên địa bàn)"),
    "exports": re.compile(r"^(hàng hoá xuất khẩu|xuất khẩu hàng hoá|xuất khẩu)(?! dịch vụ)\b"),
    "imports": re.compile(r"^(hàng hoá nhập khẩu|nhập khẩu hàng hoá|nhập khẩu)(?! dịch vụ)\b"),
    "cpi": re.compile(r"^chỉ số giá tiêu dùng"),
}
# How far down a sheet the title may sit, and how many columns in.
TITLE_ROWS = 4
TITLE_COLS = 3
# Row labels sit in the first columns (A-C); text further right on a row with figures is
# header text ("Trị giá", "Đơn vị tính: ...") or a note beside worked figures ("csg").
LABEL_COLS = 3
_NUMBERING = re.compile(r"^\s*(biểu\s*)?[\divxl]+[.)]\s*", re.I)
_NOTE = re.compile(r"^\s*(\(\*+\))\.?\s*(\S.*)$", re.S)
_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


@dataclass
class Row:
    """One body row: its label, where the label sits, and its cells in the value columns."""

    number: int
    label: str
    label_col: int
    values: dict[int, Cell] = field(default_factory=dict)

    @property
    def is_heading(self) -> bool:
        return not any(isinstance(v, float) for v in self.values.values())


@dataclass
class Table:
    """A recognised table: its kind, title, interpreted columns and body rows."""

    kind: str
    sheet: str
    title: str
    title_period: Period | None
    columns: list[Column]
    rows: list[Row]
    # Footnotes by marker: {"(*)": "Chiếc, triệu USD"}, which carry units for marked rows.
    notes: dict[str, str] = field(default_factory=dict)
    # Cells of body rows in value columns that show an Excel error or a formula without its
    # value instead of a figure (Grid.hidden), by (row, column): {(8, 1): "#DIV/0!"}.
    hidden: dict[tuple[int, int], str] = field(default_factory=dict)


def find_tables(grids: list[Grid], reference: Period | None) -> list[Table]:
    """Every table of a known kind in the workbook, in sheet order."""
    found = []
    for grid in grids:
        located = _locate_title(grid)
        if located is None:
            continue
        kind, title_row, title = located
        table = _read_table(grid, kind, title_row, title, reference)
        if table is not None:
            found.append(table)
    return found


def has_known_title(grid: Grid) -> bool:
    """Whether the sheet opens with the title of a table chiso reads."""
    return _locate_title(grid) is not None


def _locate_title(grid: Grid) -> tuple[str, int, str] | None:
    for r in range(min(TITLE_ROWS, len(grid.rows))):
        text = next((grid.text(r, c) for c in range(TITLE_COLS) if grid.text(r, c).strip()), "")
        if not text:
            continue
        key = _NUMBERING.sub("", fold(text))
        for kind, pattern in TABLE_TITLES.items():
            if pattern.search(key):
                following = grid.text(r + 1, 0) + grid.text(r + 1, 1)
                return kind, r, f"{text} {following}".strip()
        return None  # the first text on the sheet is its title: not one of ours
    return None


def _read_table(
    grid: Grid, kind: str, title_row: int, title: str, reference: Period | None
) -> Table | None:
    first_data = _first_data_row(grid, title_row + 1)
    if first_data is None:
        return None
    rows = [row for r in range(first_data, len(grid.rows)) if (row := _row(grid, r)) is not None]
    figure_cols = sorted({c for row in rows for c, v in row.values.items() if isinstance(v, float)})
    value_cols = table_columns(grid, title_row + 1, first_data, figure_cols)
    for row in rows:
        row.values = {c: v for c, v in row.values.items() if c in value_cols}
    title_period = _title_period(title, reference)
    default = title_period or reference
    texts = header_texts(grid, title_row + 1, first_data, value_cols)
    columns = [interpret(c, texts[c], default) for c in value_cols]
    body = {row.number for row in rows}
    hidden = {(r, c): shown for (r, c), shown in grid.hidden.items()
              if r in body and c in value_cols}
    return Table(kind, grid.sheet, title, title_period, columns, rows, _notes(grid, first_data),
                 hidden)


def dated(table: Table, reference: Period) -> Table:
    """The table with its title and column headers read again with `reference` supplying the
    year they leave out: what `find_tables` would give with it, without reading rows again."""
    title_period = _title_period(table.title, reference)
    default = title_period or reference
    columns = [interpret(c.index, c.text, default) for c in table.columns]
    return replace(table, title_period=title_period, columns=columns)


def _title_period(title: str, reference: Period | None) -> Period | None:
    year = _YEAR.search(title)
    default_year = int(year.group()) if year else (reference.end.year if reference else None)
    return parse_period(title, default_year)


def _notes(grid: Grid, start: int) -> dict[str, str]:
    """Footnotes below the header: "(*)Chiếc, triệu USD" gives {"(*)": "Chiếc, triệu USD"}."""
    notes: dict[str, str] = {}
    for r in range(start, len(grid.rows)):
        for cell in grid.rows[r]:
            match = _NOTE.match(cell) if isinstance(cell, str) else None
            if match:
                notes.setdefault(match.group(1), match.group(2).strip())
    return notes


def _first_data_row(grid: Grid, start: int) -> int | None:
    for r in range(start, len(grid.rows)):
        row = _row(grid, r)
        if row is not None and not row.is_heading and not _only_years(row):
            return r
    return None


def _only_years(row: Row) -> bool:
    """A header row whose only numbers are years typed as numbers ("Sơ bộ năm | 2024")."""
    numbers = [v for v in row.values.values() if isinstance(v, float)]
    return all(is_year(v) for v in numbers)


def _row(grid: Grid, r: int) -> Row | None:
    """The row's label (the rightmost text before its first figure) and its later cells."""
    cells = grid.rows[r]
    first_number = next((c for c, v in enumerate(cells) if isinstance(v, float)), len(cells))
    label_col = next(
        (c for c in range(first_number - 1, -1, -1) if grid.text(r, c).strip()),
        None,
    )
    if label_col is None or label_col >= LABEL_COLS:
        return None
    values = {c: cells[c] for c in range(label_col + 1, len(cells)) if cells[c] != ""}
    return Row(r, str(cells[label_col]).strip(), label_col, values)
