"""Find GSO tables in a workbook by their title text and split them into header and rows.

Sheets are renamed and reordered from month to month ("7.IIPthang" in September 2024,
"2. IIP" in August), so a table is recognised only by the title written above it, through the
table catalogue (flows/reference/gso_tables.csv). A sheet may hold more than one table (exports,
then imports further down): each title found down the sheet starts a table of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from flows.core.catalogue import kind_of
from flows.core.periods import Period, parse_period
from flows.core.text import fold
from flows.readers.workbook.grid import Cell, Grid
from flows.readers.workbook.headers import (
    Column,
    column_numbers,
    counts_up,
    header_cells,
    header_texts,
    interpret,
    is_year,
    table_columns,
    unit_of,
)

# How far down a sheet the title may sit, and how many columns in.
TITLE_ROWS = 4
TITLE_COLS = 3
# Row labels sit in the first columns (A-C); text further right on a row with figures is
# header text ("Trị giá", "Đơn vị tính: ...") or a note beside worked figures ("csg").
LABEL_COLS = 3
_NUMBERING = re.compile(r"^\s*(biểu\s*)?[\divxl]+[.)]\s*", re.I)
_NOTE = re.compile(r"^\s*(\(\*+\))\.?\s*(\S.*)$", re.S)
_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")
# A figure typed as text: "922.20", "34.049,6", "−5,2", "1 234" (signs: hyphen, minus, en dash).
TEXT_NUMBER = re.compile(r"^\s*[-\u2212\u2013+]?\s*\d[\d .,]*\s*$")
# A letter or a digit, as str.isalnum has it (\w less the underscore).
_ALNUM = re.compile(r"[^\W_]")
# The header cell over a column of units ("Đơn vị tính", "ĐVT", "Unit").
# Only the words: "Đơn vị tính: Nghìn tấn" states the unit of the whole table instead.
_UNIT_HEADER = re.compile(r"^(đơn vị( tính)?|đvt|unit)$")
# A unit cell repeating the one above ("ditto").
DITTO = {'"', "''", '""', "-nt-", "nt", "\u201d", "\u201c", "„", "〃", "-\"-"}
# Row numbers down column A go up to a few hundred (the tourism tables number every row).
MAX_ROW_NUMBER = 500


@dataclass
class Row:
    """One body row: its label, where the label sits, and its cells in the value columns."""

    number: int
    label: str
    label_col: int
    values: dict[int, Cell] = field(default_factory=dict)
    unit: str = ""  # the row's unit cell, where the table has a unit column ("Nghìn tấn")
    number_col: int | None = None  # the column numbering the row ("1", "2" down column A)

    @property
    def is_heading(self) -> bool:
        return not any(is_figure(v) for v in self.values.values())


def is_figure(value: Cell) -> bool:
    """A number, or a figure typed as text ("922.20", "34.049,6", "−5,2")."""
    # TEXT_NUMBER asks for a digit (\d), so a text that matches holds one.
    return isinstance(value, float) or TEXT_NUMBER.match(value) is not None


class Sheet:
    """A grid as find_tables walks it: each row's figure columns, found in one pass, and
    whether a row starts a table's body, kept, since every title and table asks again of the
    rows below it."""

    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self.rows = grid.rows
        # Figures are most cells: floats pass without a call.
        self.figures = [[c for c, v in enumerate(cells)
                         if v.__class__ is float or (v != "" and is_figure(v))]
                        for cells in grid.rows]
        self._data_rows: dict[tuple[int, int | None], bool] = {}

    def first_data_row(self, start: int, stop: int, unit_col: int | None) -> int | None:
        """The first row of rows start..stop-1 with figures that is no header row."""
        return next((r for r in range(start, stop) if self._is_data_row(r, unit_col)), None)

    def _is_data_row(self, r: int, unit_col: int | None) -> bool:
        key = (r, unit_col)
        if key not in self._data_rows:
            row = _row(self, r, unit_col)
            self._data_rows[key] = (row is not None and not row.is_heading
                                    and not _only_years(row)
                                    and not column_numbers(self.rows[r]))
        return self._data_rows[key]


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
    # Where the table sits on its sheet: its title row, first body row, and the row after it.
    title_row: int = 0
    first_row: int = 0
    stop_row: int = 0
    # Figure columns beside the table that no header claims (worked figures, spacers).
    unheaded: tuple[int, ...] = ()
    # The unit the header states for the whole table ("Tỷ đồng"), as a code; '' when none.
    unit: str = ""
    # Labelled rows without figures right above the body, in the header band: a section
    # heading over the first rows ("A. HÀNH KHÁCH | Nghìn HK | Triệu HK.km", "A. NGHÌN TẤN").
    lead: list[Row] = field(default_factory=list)
    # A section heading written between the header and the first body row ("XUẤT KHẨU DỊCH
    # VỤ" over "Tổng số" in the 2018-2021 services tables), which heads the first rows.
    heading: str = ""


def find_tables(grids: list[Grid], reference: Period | None) -> list[Table]:
    """Every table of a catalogued kind in the workbook, in sheet order, `reference` supplying
    the year its titles and headers leave out."""
    return [dated(table, reference) for table in locate_tables(grids)]


def locate_tables(grids: list[Grid]) -> list[Table]:
    """Every table of a catalogued kind in the workbook, in sheet order, its title and column
    headers not read yet (`dated` reads them): a workbook that does not say its month is read
    once its month is known, from the monthly core (gso.DATING_KINDS), not twice."""
    found = []
    for grid in grids:
        first = _locate_title(grid)
        if first is None:
            continue
        sheet = Sheet(grid)
        titles = _titles(sheet, first)
        for n, (kind, title_row, title) in enumerate(titles):
            stop = titles[n + 1][1] if n + 1 < len(titles) else len(grid.rows)
            table = _read_table(sheet, kind, title_row, title, stop)
            if table is not None:
                found.append(table)
    return found


def has_known_title(grid: Grid) -> bool:
    """Whether the sheet opens with the title of a catalogued table."""
    return _locate_title(grid) is not None


def title_key(text: str) -> str:
    """A title as the catalogue's patterns read it: folded, its number ("23.") removed."""
    return _NUMBERING.sub("", fold(text)).removeprefix("(tiếp theo)").strip()


def _locate_title(grid: Grid) -> tuple[str, int, str] | None:
    for r in range(min(TITLE_ROWS, len(grid.rows))):
        text = next((grid.text(r, c) for c in range(TITLE_COLS) if grid.text(r, c).strip()), "")
        if not text:
            continue
        kind = kind_of(title_key(text))
        if kind is None:
            return None  # the first text on the sheet is its title: not one of ours
        following = grid.text(r + 1, 0) + grid.text(r + 1, 1)
        if following and _continues(grid, r + 2):
            # A third line continuing the title ("hoặc đã học xong đối với người đã thôi
            # học", which alone tells two 1999 census tables apart).
            following += " " + grid.text(r + 2, 0).strip()
        return kind.kind, r, f"{text} {following}".strip()
    return None


def _continues(grid: Grid, r: int) -> bool:
    """Whether row `r` is one more line of the title above it: text in column A only, going on
    in lower case (a header's own cells are capitalised: "Đơn vị tính", "Chỉ tiêu")."""
    if r >= len(grid.rows):
        return False
    filled = [c for c, v in enumerate(grid.rows[r]) if str(v).strip()]
    text = grid.text(r, 0).strip()
    return filled == [0] and text[:1].islower()


def _titles(sheet: Sheet, first: tuple[str, int, str]) -> list[tuple[str, int, str]]:
    """The sheet's tables: the `first` title at its top, then any further title down the
    sheet, below the body of the table before it, on a row with no figures that a header
    follows (a second table: imports below exports)."""
    titles = [first]
    end = len(sheet.rows)
    while True:
        start = titles[-1][1] + 1
        body = sheet.first_data_row(start, end, _unit_column(sheet.grid, start, end))
        if body is None:
            return titles
        # (a title is on a row without figures: most rows are passed over at a glance)
        following = next((found for r in range(body + 1, end) if not sheet.figures[r]
                          and (found := _title_below(sheet, r)) is not None), None)
        if following is None:
            return titles
        titles.append(following)


def _title_below(sheet: Sheet, r: int) -> tuple[str, int, str] | None:
    """The title on row `r` (one without figures) of a table below another."""
    grid = sheet.grid
    text = next((grid.text(r, c) for c in range(TITLE_COLS) if grid.text(r, c).strip()), "")
    if not text or (not _NUMBERING.match(text) and r > 0 and sheet.figures[r - 1]):
        return None  # a title is numbered ("2.") or set apart from the table above it
    kind = kind_of(title_key(text))
    if kind is None:
        return None
    if (r + 1 < len(sheet.rows) and sheet.figures[r + 1]) or not _headed(sheet, r + 1):
        return None  # a section heading of the table above, not a title over a header
    return kind.kind, r, f"{text} {grid.text(r + 1, 0)}{grid.text(r + 1, 1)}".strip()


def _headed(sheet: Sheet, start: int) -> bool:
    """Whether a header stands between row `start` and the next row with figures: text over
    one of that row's figure columns. A section heading inside a table ("Diện tích, năng suất
    và sản lượng một số cây trồng" over the crop rows of the June tables) reads like a title
    but has only row labels below it."""
    grid = sheet.grid
    for r in range(start, len(grid.rows)):
        figures = sheet.figures[r]
        if figures and all(isinstance(v, float) and is_year(v)
                           for v in (grid.rows[r][c] for c in figures)):
            return True  # years typed as numbers head the columns ("2023 | 2024")
        if figures:
            return any(grid.text(h, c).strip() and not is_figure(grid.text(h, c))
                       for h in range(start, r) for c in figures)
    return False


def _read_table(sheet: Sheet, kind: str, title_row: int, title: str, stop: int) -> Table | None:
    grid = sheet.grid
    unit_col = _unit_column(grid, title_row + 1, stop)
    first_data = sheet.first_data_row(title_row + 1, stop, unit_col)
    if first_data is None:
        return None
    rows = [row for r in range(first_data, stop)
            if (row := _row(sheet, r, unit_col)) is not None]
    _fill_ditto_units(rows)
    figure_cols = sorted({c for row in rows for c in sheet.figures[row.number]
                          if c in row.values})
    header = _header_start(grid, title_row)
    band = header_cells(grid, header, first_data, figure_cols)
    value_cols = table_columns(grid, band, header, first_data, figure_cols)
    keep = set(value_cols)
    for row in rows:
        if not keep.issuperset(row.values):  # worked figures or notes beside the table
            row.values = {c: v for c, v in row.values.items() if c in keep}
    texts = header_texts(band, header, first_data, value_cols)
    columns = [Column.unread(c, texts[c]) for c in value_cols]
    body = {row.number for row in rows}
    hidden = {(r, c): shown for (r, c), shown in grid.hidden.items()
              if r in body and c in keep}
    return Table(kind, grid.sheet, title, None, columns, rows,
                 _notes(grid, first_data, stop), hidden, title_row, first_data, stop,
                 tuple(c for c in figure_cols if c not in value_cols),
                 _table_unit(grid, title_row, first_data),
                 _lead_rows(sheet, title_row, first_data, value_cols),
                 _lead_heading(grid, title_row, first_data, min(value_cols, default=LABEL_COLS)))


def _lead_rows(
    sheet: Sheet, title_row: int, first_data: int, value_cols: list[int]
) -> list[Row]:
    """The rows just above the body (up to a row without a label) that have a label in the
    label columns and no figure: headings GSO puts over the first body row."""
    grid = sheet.grid
    lead: list[Row] = []
    for r in range(first_data - 1, title_row + 1, -1):
        cells = grid.rows[r]
        label_col = next((c for c in range(LABEL_COLS) if grid.text(r, c).strip()), None)
        if label_col is None or sheet.figures[r]:
            break
        values = {c: cells[c] for c in value_cols if c < len(cells) and cells[c] != ""}
        lead.insert(0, Row(r, grid.text(r, label_col).strip(), label_col, values))
    return lead


def _header_start(grid: Grid, title_row: int) -> int:
    """The first row of the header: below the title and the line that continues it ("Nhà nước
    tập trung tháng 6 và 6 tháng đầu năm 2006", merged across the header's columns from
    column B in June 2006), which is part of the title, not of any column's description."""
    following = [(c, v) for c, v in enumerate(grid.rows[title_row + 1])
                 if str(v).strip()] if title_row + 1 < len(grid.rows) else []
    title_col = next((c for c in range(TITLE_COLS) if grid.text(title_row, c).strip()), None)
    if (len(following) == 1 and following[0][0] == title_col
            and isinstance(following[0][1], str) and not is_figure(following[0][1])
            and not unit_of(following[0][1]) and not UNIT_LINE.match(following[0][1])):
        return title_row + 2
    return title_row + 1


# A line stating the unit ("Đơn vị tính: %"), which belongs to the header, not the title.
UNIT_LINE = re.compile(r"^\s*(đơn vị|đvt|unit)", re.I)


def dated(table: Table, reference: Period | None) -> Table:
    """The table with its title and column headers read (again) with `reference` supplying the
    year they leave out: what `find_tables` would give with it, without reading rows again."""
    title_period = _title_period(table.title, reference)
    default = title_period or reference
    columns = [interpret(c.index, c.text, default) for c in table.columns]
    return replace(table, title_period=title_period, columns=columns)


def _title_period(title: str, reference: Period | None) -> Period | None:
    year = _YEAR.search(title)
    default_year = int(year.group()) if year else (reference.end.year if reference else None)
    return parse_period(title, default_year)


def _table_unit(grid: Grid, title_row: int, first_data: int) -> str:
    """The unit a header cell states for the table, when exactly one unit is stated."""
    found = {unit_of(cell) for r in range(title_row + 1, first_data) for cell in grid.rows[r]
             if isinstance(cell, str) and cell.strip()} - {""}
    return found.pop() if len(found) == 1 else ""


def _lead_heading(grid: Grid, title_row: int, first_data: int, first_value: int) -> str:
    """The text of the last non-blank row above the body, when it is only a label (text left
    of the value columns and nowhere else): a section heading, not a line of the header."""
    for r in range(first_data - 1, title_row, -1):
        filled = [(c, v) for c, v in enumerate(grid.rows[r]) if str(v).strip()]
        if filled:
            only_label = all(c < first_value and isinstance(v, str) and not is_figure(v)
                             for c, v in filled)
            return " ".join(str(v).strip() for _, v in filled) if only_label else ""
    return ""


def _notes(grid: Grid, start: int, stop: int) -> dict[str, str]:
    """Footnotes below the header: "(*)Chiếc, triệu USD" gives {"(*)": "Chiếc, triệu USD"}."""
    notes: dict[str, str] = {}
    for r in range(start, stop):
        for cell in grid.rows[r]:
            # (a marker opens every note: most cells are passed over without the pattern)
            match = _NOTE.match(cell) if isinstance(cell, str) and "(*" in cell else None
            if match:
                notes.setdefault(match.group(1), match.group(2).strip())
    return notes


def _only_years(row: Row) -> bool:
    """A header row whose only numbers are years typed as numbers ("Sơ bộ năm | 2024")."""
    numbers = [v for v in row.values.values() if is_figure(v)]
    return all(isinstance(v, float) and is_year(v) for v in numbers)


def _unit_column(grid: Grid, start: int, stop: int) -> int | None:
    """The column of units under an "Đơn vị tính" header cell left of the figures, if any."""
    for r in range(start, min(start + 6, stop)):
        for c in range(1, LABEL_COLS + 1):
            if _UNIT_HEADER.match(fold(grid.text(r, c))) and not any(
                    is_figure(v) for v in grid.rows[r][:c] if v != ""):
                return c
    return None


def _row(sheet: Sheet, r: int, unit_col: int | None = None) -> Row | None:
    """The row's label (the rightmost text before its first figure, the unit cell aside) and
    its later cells. A whole number in column A before the label numbers the row."""
    cells, figures = sheet.rows[r], sheet.figures[r]
    number_col = 0 if _numbers_row(cells) else None
    start = 0 if number_col is None else 1
    first_number = _first_number(cells, figures, start, unit_col)
    label_col = (_label_col(cells, figures, range(first_number - 1, start - 1, -1), unit_col)
                 if first_number < len(cells) else _heading_col(cells, figures, start, unit_col))
    if label_col is None:
        return None
    values = {c: cells[c] for c in range(label_col + 1, len(cells))
              if cells[c] != "" and c != unit_col}
    unit = sheet.grid.text(r, unit_col).strip() if unit_col is not None else ""
    label = cells[label_col]
    text = str(int(label)) if isinstance(label, float) else str(label).strip()
    return Row(r, text, label_col, values, unit, number_col)


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
        if c != unit_col and _is_label(cells, figures, c):
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
             if c != unit_col and _is_label(cells, figures, c)]
    return next((c for c in texts if not unit_of(_text(cells[c]))), texts[0] if texts else None)


def _is_label(cells: list[Cell], figures: list[int], c: int) -> bool:
    # A label has letters or digits ("13-14", an age group): a "-" (no figure) between the
    # label and the figures is a value.
    value = cells[c]
    if isinstance(value, str):  # (a year after a bullet, "-1996", is one by its digits)
        return _ALNUM.search(value) is not None
    return _number_label(cells, figures, c)


def _text(value: Cell) -> str:
    return value if isinstance(value, str) else ""


def _number_label(cells: list[Cell], figures: list[int], c: int) -> bool:
    """Whether a number in the label columns is the row's label: an age ("0", "5", "10" between
    "1-4" and "11-14", typed as numbers in column B of the 1999 census tables) with nothing left
    of it, or a year after a bullet ("-1996": dwellings by the year built)."""
    if c == 0 or c >= LABEL_COLS or any(v != "" for v in cells[:c]):
        return c == 0 and isinstance(cells[0], str) and bool(_BULLET_YEAR.match(cells[0]))
    value = cells[c]
    # Not a header row naming its columns by number ("6 | 7 | ... | 12 | Không xác định").
    # (`figures` holds `c` itself: a figure further right is one after it)
    return (isinstance(value, float) and value.is_integer() and 0 <= value <= MAX_AGE
            and figures[-1] > c and not counts_up(cells))


# The oldest age a table names on its own row, and a year written after a bullet dash.
MAX_AGE = 100
_BULLET_YEAR = re.compile(r"^-\s*(19|20)\d\d$")


def _fill_ditto_units(rows: list[Row]) -> None:
    """A unit cell saying "the same as above" (") takes the unit of the row above."""
    previous = ""
    for row in rows:
        if row.unit.strip() in DITTO:
            row.unit = previous
        elif row.unit:
            previous = row.unit
