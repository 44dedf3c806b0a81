"""Find GSO tables in a workbook by their title text and split them into header and rows.

Sheets are renamed and reordered from month to month ("7.IIPthang" in September 2024,
"2. IIP" in August), so a table is recognised only by the title written above it, through the
table catalogue (flows/reference/gso_tables.csv). A sheet may hold more than one table (exports,
then imports further down): each title found down the sheet starts a table of its own.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from flows.core.catalogue import TableKind, kind_of
from flows.core.periods import Period, parse_period
from flows.core.text import fold
from flows.readers.workbook.grid import Cell, Grid
from flows.readers.workbook.headers import (
    Column,
    headed_alike,
    header_cells,
    header_texts,
    header_units,
    interpret,
    is_year,
    level_unit_of,
    table_columns,
    unit_of,
    value_band,
)
from flows.readers.workbook.months import official_before_estimate
from flows.readers.workbook.quarters import align_quarters

# (Row, is_figure and LABEL_COLS are the normalisers' too, through this module)
from flows.readers.workbook.rows import LABEL_COLS as LABEL_COLS
from flows.readers.workbook.rows import Row as Row
from flows.readers.workbook.rows import Sheet, fill_ditto_units, read_row
from flows.readers.workbook.rows import is_figure as is_figure

# How far down a sheet the title may sit, and how many columns in.
TITLE_ROWS = 4
TITLE_COLS = 3
_NUMBERING = re.compile(r"^\s*(biểu\s*)?[\divxl]+[.)]\s*", re.I)
_NOTE = re.compile(r"^\s*(\(\*+\))\.?\s*(\S.*)$", re.S)
_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")
# The header cell over a column of units ("Đơn vị tính", "ĐVT", "Unit").
# Only the words: "Đơn vị tính: Nghìn tấn" states the unit of the whole table instead.
_UNIT_HEADER = re.compile(r"^(đơn vị( tính)?|đvt|unit)$")


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
    # The unit a bracketed header cell states for one column ("(Người)"), by column index.
    column_units: dict[int, str] = field(default_factory=dict)


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


def title_kind(grid: Grid) -> str | None:
    """The kind of the catalogued table the sheet opens with, if it opens with one."""
    first = _locate_title(grid)
    return first[0] if first else None


def title_key(text: str) -> str:
    """A title as the catalogue's patterns read it: folded, its number ("23.") removed."""
    return _NUMBERING.sub("", fold(text)).removeprefix("(tiếp theo)").strip()


# Title texts come back on every sheet and in every month's workbook, and the row labels a
# table's body is searched through for a title below it (`_title_below`) repeat as well: the
# kind a text names is worked out once per distinct text (6,927 texts asked of the shared
# workbooks, 1,222 distinct). The catalogue is read once per process (catalogue.table_kinds).
KIND_CACHE_TEXTS = 1 << 14


@lru_cache(maxsize=KIND_CACHE_TEXTS)
def _catalogued(text: str) -> TableKind | None:
    """The catalogue's kind for a title text as written (`title_key`, `kind_of`), or None."""
    return kind_of(title_key(text))


def _locate_title(grid: Grid) -> tuple[str, int, str] | None:
    for r in range(min(TITLE_ROWS, len(grid.rows))):
        text = _title_text(grid.rows[r])
        if not text:
            continue
        kind = _catalogued(text)
        if kind is None:
            return None  # the first text on the sheet is its title: not one of ours
        title = _title_lines(grid, r, text)
        return _whole_title_kind(title, kind).kind, r, title
    return None


def _title_text(cells: list[Cell]) -> str:
    """The first text in a row's title columns, '' when there is none."""
    # (a loop, not a generator: asked of every row without figures below a table)
    for value in cells[:TITLE_COLS]:
        if value.__class__ is str and value.strip():
            return value
    return ""


def _whole_title_kind(title: str, first_line: TableKind) -> TableKind:
    """The kind the whole title names, the lines below the first included: "Chỉ số giá bán sản
    phẩm của người sản xuất | hàng nông, lâm, thủy sản quý IV năm 2011" (2011-2016) says on its
    second line which producer price table it is. The first line's kind where the whole title
    matches none."""
    return _catalogued(title) or first_line


def _title_lines(grid: Grid, r: int, text: str) -> str:
    """The title whose first line, `text`, is on row `r`, with the lines that continue it."""
    following = grid.text(r + 1, 0) + grid.text(r + 1, 1)
    if following and _continues(grid, r + 2, f"{text} {following}"):
        # A third line continuing the title ("hoặc đã học xong đối với người đã thôi
        # học", which alone tells two 1999 census tables apart).
        following += " " + grid.text(r + 2, 0).strip()
    return f"{text} {following}".strip()


def _continues(grid: Grid, r: int, above: str) -> bool:
    """Whether row `r` is one more line of the title `above` it: text in column A only, going
    on in lower case (a header's own cells are capitalised: "Đơn vị tính", "Chỉ tiêu"), or
    naming the period a title without one is about ("15. Tình hình giải quyết việc làm cho
    những người | đăng ký xin việc tại các cơ sở sắp xếp việc làm | 6 tháng đầu năm 2001",
    June 2001, whose column headers name none)."""
    if r >= len(grid.rows):
        return False
    filled = [c for c, _ in _filled(grid.rows[r])]
    text = grid.text(r, 0).strip()
    if filled != [0]:
        return False
    return text[:1].islower() or (
        parse_period(above, None) is None and parse_period(text, None) is not None)


def _titles(sheet: Sheet, first: tuple[str, int, str]) -> list[tuple[str, int, str]]:
    """The sheet's tables: the `first` title at its top, then any further title down the
    sheet, below the body of the table before it, on a row with no figures that a header
    follows (a second table: imports below exports)."""
    titles = [first]
    end = len(sheet.rows)
    while True:
        start = titles[-1][1] + 1
        body = sheet.first_data_row(start, end, _unit_column(sheet, start, end))
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
    text = _title_text(grid.rows[r])
    if not text or (not _NUMBERING.match(text) and r > 0 and sheet.figures[r - 1]):
        return None  # a title is numbered ("2.") or set apart from the table above it
    kind = _catalogued(text)
    if kind is None:
        return None
    if (r + 1 < len(sheet.rows) and sheet.figures[r + 1]) or not _headed(sheet, r + 1):
        return None  # a section heading of the table above, not a title over a header
    title = _title_lines(grid, r, text)
    return _whole_title_kind(title, kind).kind, r, title


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
    unit_col = _unit_column(sheet, title_row + 1, stop)
    first_data = sheet.first_data_row(title_row + 1, stop, unit_col)
    if first_data is None:
        return None
    rows = [row for r in range(first_data, stop)
            if (row := read_row(sheet, r, unit_col)) is not None]
    if unit_col is not None:  # (without a unit column every row's unit is '')
        fill_ditto_units(rows)
    _join_wrapped(rows)
    figure_cols = sorted({c for row in rows for c in sheet.figures[row.number]
                          if c in row.values})
    header = _header_start(grid, title_row)
    band = header_cells(grid, header, first_data, figure_cols)
    value_cols = table_columns(grid, band, header, first_data, figure_cols)
    keep = set(value_cols)
    for row in rows:
        if not keep.issuperset(row.values):  # worked figures or notes beside the table
            row.values = {c: v for c, v in row.values.items() if c in keep}
    described = value_band(band, value_cols)
    texts = header_texts(described)
    columns = [Column.unread(c, texts[c]) for c in value_cols]
    hidden = _hidden_cells(grid, rows, keep) if grid.hidden else {}
    return Table(kind, grid.sheet, title, None, columns, rows,
                 _notes(grid, first_data, stop), hidden, title_row, first_data, stop,
                 tuple(c for c in figure_cols if c not in value_cols),
                 _table_unit(grid, title_row, first_data),
                 _lead_rows(sheet, title_row, first_data, value_cols),
                 _lead_heading(grid, title_row, first_data, min(value_cols, default=LABEL_COLS)),
                 header_units(described))


def _hidden_cells(grid: Grid, rows: list[Row], keep: set[int]) -> dict[tuple[int, int], str]:
    """The sheet's hidden cells (Grid.hidden) in the body `rows`, in the value columns `keep`."""
    body = {row.number for row in rows}
    return {(r, c): shown for (r, c), shown in grid.hidden.items() if r in body and c in keep}


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
    following = _filled(grid.rows[title_row + 1]) if title_row + 1 < len(grid.rows) else []
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
    columns = headed_alike(official_before_estimate(align_quarters(
        [interpret(c.index, c.text, default) for c in table.columns])))
    return replace(table, title_period=title_period, columns=columns)


def redated(located: Table, alone: Table, reference: Period) -> Table:
    """`dated(located, reference)`, given `alone`, `dated(located, None)`: `alone` itself when
    the title names a period with its year, for its headers then take the title's period,
    whatever the reference (a workbook that does not say its month has its monthly core read
    with no reference first, gso._latest_month, and most of those titles name their month)."""
    if alone.title_period is not None and _YEAR.search(located.title):
        return alone
    return dated(located, reference)


def _filled(cells: list[Cell]) -> list[tuple[int, Cell]]:
    """The cells of a row that show anything, with their columns: numbers, and texts not all
    blank."""
    # (the test inlined: a call for each cell of a header row cost more than the test)
    return [(c, v) for c, v in enumerate(cells) if isinstance(v, float) or v.strip()]


def _title_period(title: str, reference: Period | None) -> Period | None:
    year = _YEAR.search(title)
    default_year = int(year.group()) if year else (reference.end.year if reference else None)
    return parse_period(title, default_year)


def _table_unit(grid: Grid, title_row: int, first_data: int) -> str:
    """The unit a header cell states for the table's levels, when exactly one is stated; a
    "(%)" under the indexes' header beside it is theirs ("Đơn vị tính: Nghìn lượt người" over
    the visitors of December 2017, "(%)" under "Năm 2017 so với năm 2016")."""
    # (each text once: a header repeats its blanks and its merged cells)
    cells = set().union(*grid.rows[title_row + 1:first_data])
    found = {level_unit_of(cell) for cell in cells
             if cell.__class__ is str and cell.strip()} - {""}
    levels = found - {"PCT"} or found
    return levels.pop() if len(levels) == 1 else ""


def _lead_heading(grid: Grid, title_row: int, first_data: int, first_value: int) -> str:
    """The text of the last non-blank row above the body, when it is only a label (text left
    of the value columns and nowhere else): a section heading, not a line of the header."""
    for r in range(first_data - 1, title_row, -1):
        filled = _filled(grid.rows[r])
        if filled:
            only_label = all(c < first_value and isinstance(v, str) and not is_figure(v)
                             for c, v in filled)
            return " ".join(str(v).strip() for _, v in filled) if only_label else ""
    return ""


def _notes(grid: Grid, start: int, stop: int) -> dict[str, str]:
    """Footnotes below the header: "(*)Chiếc, triệu USD" gives {"(*)": "Chiếc, triệu USD"}."""
    notes: dict[str, str] = {}
    # (a marker opens every note: the cells without one, nearly all, are passed over in one
    # comprehension over the table's rows)
    marked = [cell for cells in grid.rows[start:stop] for cell in cells
              if cell.__class__ is str and "(*" in cell]
    for cell in marked:
        match = _NOTE.match(cell)
        if match:
            notes.setdefault(match.group(1), match.group(2).strip())
    return notes


def _unit_column(sheet: Sheet, start: int, stop: int) -> int | None:
    """The column of units under an "Đơn vị tính" header cell left of the figures, if any:
    one of the first rows from `start` says so."""
    # (asked twice of the same rows, for a title and then for its table: kept by the sheet)
    rows = (start, min(start + UNIT_HEADER_ROWS, stop))
    if rows not in sheet.unit_columns:
        sheet.unit_columns[rows] = _find_unit_column(sheet.grid, *rows)
    return sheet.unit_columns[rows]


# How many rows below a title may hold the header cell over a column of units.
UNIT_HEADER_ROWS = 6


def _find_unit_column(grid: Grid, start: int, stop: int) -> int | None:
    """`_unit_column`'s answer, from rows start..stop-1."""
    for cells in grid.rows[start:stop]:
        for c, text in enumerate(cells[1:LABEL_COLS + 1], 1):
            # (blanks and numbers, most of these cells, are passed over without folding)
            if text.__class__ is str and text and _heads_units(text) and not any(
                    is_figure(v) for v in cells[:c] if v != ""):
                return c
    return None


@lru_cache(maxsize=KIND_CACHE_TEXTS)  # (the same header cells in every month's workbook)
def _heads_units(text: str) -> bool:
    """Whether a header cell heads a column of units (_UNIT_HEADER, folded)."""
    return _UNIT_HEADER.match(fold(text)) is not None


# The end of a label's first line when GSO wraps it onto the next row: "Cung cấp nước; hoạt động
# quản lý và xử lý rác thải," over "nước thải", "Bà Rịa -" over "Vũng Tàu".
_WRAPPED = re.compile(r"([,;(\-\u2013]|\bvà|\band)$", re.I)


def _join_wrapped(rows: list[Row]) -> None:
    """A row with figures whose label goes on from the row right above it (a label without
    figures in the same column, ending mid-phrase) is labelled with both lines."""
    for above, row in itertools.pairwise(rows):
        if (row.number == above.number + 1 and row.label_col == above.label_col
                and above.is_heading and not row.is_heading
                and _WRAPPED.search(above.label.rstrip())):
            row.label = f"{above.label.rstrip()} {row.label}"
