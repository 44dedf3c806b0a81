"""Read the body rows of a table: each row's label, where it sits, its cells and its unit.

Finding a sheet's tables asks of its rows again for each title and table (where are this row's
figures? does the body start here?): a `Sheet` answers from one pass over the grid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

# (is_figure and TEXT_NUMBER are this module's readers' too)
from flows.readers.workbook.grid import TEXT_NUMBER as TEXT_NUMBER
from flows.readers.workbook.grid import Cell, Grid
from flows.readers.workbook.grid import is_figure as is_figure
from flows.readers.workbook.headers import column_numbers, counts_up, is_year, unit_of

# Row labels sit in the first columns (A-C); text further right on a row with figures is
# header text ("Trị giá", "Đơn vị tính: ...") or a note beside worked figures ("csg").
LABEL_COLS = 3
# A letter or a digit, as str.isalnum has it (\w less the underscore).
_ALNUM = re.compile(r"[^\W_]")
# A unit cell repeating the one above ("ditto").
DITTO = {'"', "''", '""', "-nt-", "nt", "\u201d", "\u201c", "„", "〃", "-\"-"}
# Row numbers down column A go up to a few hundred (the tourism tables number every row).
MAX_ROW_NUMBER = 500


@dataclass(slots=True)
class Row:
    """One body row: its label, where the label sits, and its cells in the value columns."""

    number: int
    label: str
    label_col: int
    values: dict[int, Cell] = field(default_factory=dict)
    unit: str = ""  # the row's unit cell, where the table has a unit column ("Nghìn tấn")
    number_col: int | None = None  # the column numbering the row ("1", "2" down column A)
    # is_heading, kept with the values it was worked out from: it is asked for again and again,
    # and tables.py replaces a row's values after reading it.
    _heading: tuple[dict[int, Cell], bool] | None = field(
        default=None, init=False, repr=False, compare=False)

    @property
    def is_heading(self) -> bool:
        if self._heading is None or self._heading[0] is not self.values:
            self._heading = (self.values, not any(is_figure(v) for v in self.values.values()))
        return self._heading[1]


class Sheet:
    """A grid as tables.find_tables walks it: each row's figure columns, found in one pass, and
    whether a row starts a table's body, kept, since every title and table asks again of the
    rows below it."""

    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self.rows = grid.rows
        self.figures = grid.figures
        self._data_rows: dict[tuple[int, int | None], bool] = {}
        # Which column of rows first..stop-1 holds units (tables._unit_column), by (first, stop).
        self.unit_columns: dict[tuple[int, int], int | None] = {}

    def first_data_row(self, start: int, stop: int, unit_col: int | None) -> int | None:
        """The first row of rows start..stop-1 with figures that is no header row."""
        # (a row without figures is none: header rows, most of those passed over, are not read)
        figures = self.figures
        return next((r for r in range(start, stop)
                     if figures[r] and self._is_data_row(r, unit_col)), None)

    def _is_data_row(self, r: int, unit_col: int | None) -> bool:
        key = (r, unit_col)
        if key not in self._data_rows:
            row = read_row(self, r, unit_col)
            self._data_rows[key] = (row is not None and not row.is_heading
                                    and not _only_years(row)
                                    and not column_numbers(self.rows[r]))
        return self._data_rows[key]


def _only_years(row: Row) -> bool:
    """A header row whose only numbers are years typed as numbers ("Sơ bộ năm | 2024"), or
    that has a year among header words, whatever worked figures stand beside it ("năm | 2024 |
    so với (%) | ... | 217.864" in December 2024's enterprise summary)."""
    numbers = [v for v in row.values.values() if is_figure(v)]
    years = sum(1 for v in numbers if isinstance(v, float) and is_year(v))
    return years == len(numbers) or (bool(years) and any(
        isinstance(v, str) and not is_figure(v) and any(ch.isalpha() for ch in v)
        for v in row.values.values()))


def read_row(sheet: Sheet, r: int, unit_col: int | None = None) -> Row | None:
    """The row's label (the rightmost text before its first figure, the unit cell aside) and
    its later cells. A whole number in column A before the label numbers the row."""
    cells, figures = sheet.rows[r], sheet.figures[r]
    if not figures and cells.count("") == len(cells):
        return None  # a blank row: one read in ten
    # (a row that is not blank has a first cell; one in a thousand is a number)
    number_col = 0 if cells[0].__class__ is float and _numbers_row(cells) else None
    start = 0 if number_col is None else 1
    first_number = figures[0] if figures else len(cells)
    # (most rows: a label in column A, then the figures; a number in the label columns with
    # nothing left of it, or the unit column, is asked about)
    if (first_number < LABEL_COLS and not (first_number > start and cells[0] != "")) or (
            first_number == unit_col):
        first_number = _first_number(cells, figures, start, unit_col)
    label_col = (_label_col(cells, figures, range(first_number - 1, start - 1, -1), unit_col)
                 if first_number < len(cells) else _heading_col(cells, figures, start, unit_col))
    if label_col is None:
        return None
    # (a loop, not a comprehension: a row has a few cells right of its label, and the
    # comprehension's own call and pairs cost more than they do)
    values: dict[int, Cell] = {}
    c = label_col
    for value in cells[label_col + 1:]:
        c += 1
        if value != "":
            values[c] = value
    unit = ""
    if unit_col is not None:
        values.pop(unit_col, None)
        unit = sheet.grid.text(r, unit_col).strip()
    label = cells[label_col]
    text = str(int(label)) if isinstance(label, float) else label.strip()
    row = Row(r, text, label_col, values, unit, number_col)
    # Its values are figures where the sheet's figure columns say so: no need to ask each
    # (a figure is never blank, so those right of the label are among the values).
    row._heading = (values, values.keys().isdisjoint(figures))
    return row


def _numbers_row(cells: list[Cell]) -> bool:
    """Whether column A numbers the row: a whole number with a label right of it."""
    first = cells[0] if cells else None
    return (isinstance(first, float) and first.is_integer() and 0 < first <= MAX_ROW_NUMBER
            and any(isinstance(v, str) and v.strip() and not is_figure(v)
                    for v in cells[1:LABEL_COLS + 1]))


def _first_number(cells: list[Cell], figures: list[int], start: int, unit_col: int | None) -> int:
    """The column of the row's first figure from `start`, the unit column and numbers that
    label the row aside; the row's length when there is none."""
    for c in figures:
        if c >= start and c != unit_col and (
                c >= LABEL_COLS or not _number_label(cells, figures, c)):
            return c
    return len(cells)


def _label_col(
    cells: list[Cell], figures: list[int], leftwards: range, unit_col: int | None
) -> int | None:
    """The column of the row's label, the first label going `leftwards` from its first figure,
    when it is in the label columns (one more where the table has a unit column)."""
    for c in leftwards:
        # (blank cells, most of those passed over, are no label: skipped without a call; texts,
        # most of the others, are asked only for a letter or digit: _is_label, inlined)
        value = cells[c]
        if c != unit_col and value != "" and (
                _has_alnum(value) if value.__class__ is str else _number_label(cells, figures, c)):
            return c if c < LABEL_COLS + (unit_col is not None) else None
    return None


def _heading_col(
    cells: list[Cell], figures: list[int], start: int, unit_col: int | None
) -> int | None:
    """The label column of a row without figures: the rightmost label in the label columns,
    the units right of it aside: they are its columns' ("B. Hàng hoá | Nghìn tấn | Triệu
    tấn.km" opens a section)."""
    limit = min(len(cells), LABEL_COLS + (unit_col is not None))
    texts = [c for c in range(limit - 1, start - 1, -1)
             if c != unit_col and cells[c] != "" and _is_label(cells, figures, c)]
    return next((c for c in texts if not unit_of(_text(cells[c]))), texts[0] if texts else None)


def _is_label(cells: list[Cell], figures: list[int], c: int) -> bool:
    # A label has letters or digits ("13-14", an age group): a "-" (no figure) between the
    # label and the figures is a value.
    value = cells[c]
    if isinstance(value, str):  # (a year after a bullet, "-1996", is one by its digits)
        return _has_alnum(value)
    return _number_label(cells, figures, c)


@lru_cache(maxsize=1 << 16)  # a sheet repeats its labels down the rows and across its tables
def _has_alnum(text: str) -> bool:
    return _ALNUM.search(text) is not None


def _text(value: Cell) -> str:
    return value if isinstance(value, str) else ""


def _number_label(cells: list[Cell], figures: list[int], c: int) -> bool:
    """Whether a number in the label columns is the row's label: an age ("0", "5", "10" between
    "1-4" and "11-14", typed as numbers in column B of the 1999 census tables) with nothing left
    of it, or a year after a bullet ("-1996": dwellings by the year built)."""
    if c == 0 or c >= LABEL_COLS or cells[:c].count("") != c:  # something left of it
        return c == 0 and isinstance(cells[0], str) and bool(_BULLET_YEAR.match(cells[0]))
    value = cells[c]
    # Not a header row naming its columns by number ("6 | 7 | ... | 12 | Không xác định").
    # (`figures` holds `c` itself: a figure further right is one after it)
    return (isinstance(value, float) and value.is_integer() and 0 <= value <= MAX_AGE
            and figures[-1] > c and not counts_up(cells))


# The oldest age a table names on its own row, and a year written after a bullet dash.
MAX_AGE = 100
_BULLET_YEAR = re.compile(r"^-\s*(19|20)\d\d$")


def fill_ditto_units(rows: list[Row]) -> None:
    """A unit cell saying "the same as above" (") takes the unit of the row above."""
    previous = ""
    for row in rows:
        if row.unit.strip() in DITTO:
            row.unit = previous
        elif row.unit:
            previous = row.unit
