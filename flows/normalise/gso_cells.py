"""Cell accounting of a GSO workbook: where every numeric cell of every sheet ended.

A numeric cell (a number, or a figure typed as text) is a `figure` when an observation came
from it, `quarantined` when its row or cell was set aside with a code, `skipped` for a
registered reason (kind `skip` in flows/reference/codes.csv), else `unaccounted`. Counted per
sheet, table kind, outcome and reason (CellTally), after validation, so the figures validation
turned away count as quarantined.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from flows.core.model import CellTally, Observation, Rejected
from flows.core.text import fold
from flows.normalise.gso import TRADE_HEADINGS_COMMODITIES
from flows.readers.workbook.grid import Grid
from flows.readers.workbook.headers import column_numbers, is_header_label, is_year
from flows.readers.workbook.tables import LABEL_COLS, Row, Table, is_figure
from flows.readers.workbook.xlsx_cells import cell_position, column_letters

# Quarantine codes that set a whole table aside (its body's cells are all quarantined).
TABLE_CODES = {"layout-not-read"}
# Quarantine codes that set a whole row aside, wherever the reject points in it.
ROW_CODES = {"unknown-label", "rows-misaligned", "period-unparseable"}
# Marks a cell whose figure repeats one loaded from another cell (see `account`).
REPEATED = "(repeated)"
HIDDEN = "hidden-cell"
Position = tuple[int, int]


def account(
    grids: list[Grid], tables: list[Table], observations: Iterable[Observation],
    rejected: Iterable[Rejected], repeated: Iterable[str] = (),
) -> list[CellTally]:
    """The workbook's cells, counted per sheet, table kind, outcome and reason. `repeated`:
    the cells whose figures validation set aside as repeats of the same value."""
    # The cells figures came from ("Sheet!D9"), as normalising wrote them: each numeric cell's
    # reference is looked up there, a third of the cost of parsing every figure's.
    figures = {obs.provenance for obs in observations}
    repeats: dict[str, set[Position]] = {}
    for ref in repeated:
        sheet, position = _parse(ref)
        if position is not None:
            repeats.setdefault(sheet, set()).add(position)
    by_sheet: dict[str, list[Table]] = {}
    for table in tables:
        by_sheet.setdefault(table.sheet, []).append(table)
    quarantined = _quarantined(rejected, by_sheet)
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for grid in grids:
        marked: dict[Position | int, str] = dict(quarantined.get(grid.sheet, {}))
        marked.update({p: REPEATED for p in repeats.get(grid.sheet, ())})
        _count_sheet(grid, by_sheet.get(grid.sheet, []), figures, marked, counts)
    return [CellTally(sheet, kind, outcome, reason, n)
            for (sheet, kind, outcome, reason), n in counts.items()]


def _count_sheet(
    grid: Grid, tables: list[Table], figures: set[str],
    marked: dict[Position | int, str], counts: Counter[tuple[str, str, str, str]],
) -> None:
    _count_concealed(grid, tables, counts)
    if not tables and not any(v.__class__ is str and v.strip() and not is_figure(v)
                              for cells in grid.rows for v in cells):
        _count_textless(grid, counts)
        return
    first_kind = tables[0].kind if tables else ""
    titles = {t.title_row for t in tables}
    # Each column's cells' reference without the row number ("Sheet!D").
    columns = [f"{grid.sheet}!{column_letters(c)}"
               for c in range(max(map(len, grid.rows), default=0))]
    # The table's kind is worked out where the table changes, its figures tallied there, and
    # the body row of a cell only for a cell that is no figure, not for every row
    # (accounting the 125 shared workbooks: 0.174 -> 0.151 s CPU; with a table's figures
    # tallied at once rather than row by row, and the body row looked for only in the body,
    # 0.128 -> 0.105 s).
    table, figure, tally = None, ("", "", "", ""), 0  # (the table's figures not yet added)
    for r, numbers in enumerate(grid.figures):  # each row's numeric cells
        if r == 0 or r in titles:  # the table holding the row changes only at a title
            if tally:
                counts[figure] += tally
            table = _table_at(tables, r)
            kind = table.kind if table is not None else first_kind
            figure, tally = (grid.sheet, kind, "figure", ""), 0
        if not numbers:
            continue
        number = str(r + 1)
        for c in numbers:
            if columns[c] + number in figures:
                if not tally:
                    counts.setdefault(figure, 0)  # the tallies stay in the order first met
                tally += 1
            else:
                outcome, reason = _outcome(grid, table, _body(table, r), r, c, marked)
                counts[grid.sheet, kind, outcome, reason] += 1
    if tally:
        counts[figure] += tally
    _count_hidden(grid, tables, marked, counts)


def _body(table: Table | None, r: int) -> Row | None:
    """The table's body row `r`, if it is one (asked only for a cell that is no figure)."""
    if table is None or r < table.first_row:  # (most such cells: years over the columns)
        return None
    return next((row for row in table.rows if row.number == r), None)


def _count_textless(grid: Grid, counts: Counter[tuple[str, str, str, str]]) -> None:
    """No word on the sheet: no title, label or header, so no published table."""
    numbers = sum(map(len, grid.figures))
    if numbers:
        counts[grid.sheet, "", "skipped", "sheet-without-text"] += numbers


def _count_concealed(
    grid: Grid, tables: list[Table], counts: Counter[tuple[str, str, str, str]]
) -> None:
    """The numbers the workbook hides (Grid.concealed): skipped, as no reader sees them."""
    first_kind = tables[0].kind if tables else ""
    row, key = -1, ("", "", "", "")  # the table's key worked out once a row, not once a cell
    for (r, _), value in grid.concealed.items():
        if value.__class__ is float or is_figure(value):
            if r != row:
                table = _table_at(tables, r)
                row, key = r, (grid.sheet, table.kind if table else first_kind, "skipped", HIDDEN)
            counts[key] += 1


def _count_hidden(
    grid: Grid, tables: list[Table], marked: dict[Position | int, str],
    counts: Counter[tuple[str, str, str, str]],
) -> None:
    """A cell showing an Excel error holds no number, but the figure it stands for was
    quarantined (`error-cell`): count it there."""
    for position in grid.hidden:
        if marked.get(position) == "error-cell":
            table = _table_at(tables, position[0])
            counts[grid.sheet, table.kind if table else "", "quarantined", "error-cell"] += 1


def _table_at(tables: list[Table], r: int) -> Table | None:
    """The table whose rows (title to its end) hold row `r`, or None above the first title."""
    return next((t for t in reversed(tables) if t.title_row <= r), None)


def _outcome(
    grid: Grid, table: Table | None, row: Row | None, r: int, c: int,
    quarantined: dict[Position | int, str],
) -> tuple[str, str]:
    """How a numeric cell that is no figure ended; `row` is the table's body row at `r`."""
    code = quarantined.get((r, c)) or quarantined.get(r)
    if code == REPEATED:
        return "skipped", "repeated-figure"
    label_col = row.label_col if row is not None else LABEL_COLS - 1
    if code is not None and (table is None or c > label_col):
        return "quarantined", code
    if table is None:
        return "unaccounted", ""
    if r < table.first_row:
        return "skipped", _header_reason(grid, r, c)
    if c in table.unheaded or (table.columns and c > table.columns[-1].index):
        return "skipped", "worked-figures"  # beside the table, under no column of it
    return _body_outcome(grid, row, r, c)


def _page_number(grid: Grid, r: int) -> bool:
    """A whole number alone on the sheet's last row (the printed page's number)."""
    filled = [v for v in grid.rows[r] if v != ""]
    return (len(filled) == 1 and filled[0].__class__ is float and filled[0].is_integer()
            and not any(v != "" for cells in grid.rows[r + 1:] for v in cells))


def _header_reason(grid: Grid, r: int, c: int) -> str:
    """Why a number in a table's header is no figure."""
    value = grid.rows[r][c]
    if isinstance(value, float) and is_year(value):
        return "header-year"
    if column_numbers(grid.rows[r]):
        return "column-numbers"
    if isinstance(value, float) and is_header_label(grid.rows[r], value):
        return "header-label"
    return "worked-figures"


def _body_outcome(grid: Grid, row: Row | None, r: int, c: int) -> tuple[str, str]:
    """A number in the table's body that is neither a figure nor quarantined."""
    if row is None:
        if column_numbers(grid.rows[r]):
            return "skipped", "column-numbers"
        if _page_number(grid, r):
            return "skipped", "page-number"
        if not any(v.__class__ is str and v.strip() and not is_figure(v) for v in grid.rows[r]):
            return "skipped", "unlabelled-row"
        return "unaccounted", ""
    if row.number_col is not None and c == row.number_col:
        return "skipped", "row-numbers"
    if c == row.label_col:
        return "skipped", "row-label"
    if fold(row.label) in TRADE_HEADINGS_COMMODITIES:
        return "skipped", "heading-figure"
    return "unaccounted", ""


def _quarantined(
    rejected: Iterable[Rejected], by_sheet: dict[str, list[Table]]
) -> dict[str, dict[Position | int, str]]:
    """Per sheet: quarantined cells {(row, col): code} and rows {row: code} (a row-wide reject
    is addressed at the row's label; a table-wide one covers the table's body)."""
    out: dict[str, dict[Position | int, str]] = {}
    for reject in rejected:
        sheet, position = _parse(reject.cell if "!" in reject.cell
                                 else f"{reject.sheet}!{reject.cell}")
        if position is None:
            continue
        marks = out.setdefault(sheet, {})
        r, c = position
        if reject.code in TABLE_CODES:
            table = _table_at(by_sheet.get(sheet, []), r)
            if table is not None:
                for row in range(table.first_row, table.stop_row):
                    marks.setdefault(row, reject.code)
            continue
        table = _table_at(by_sheet.get(sheet, []), r)
        first_value = table.columns[0].index if table is not None and table.columns else LABEL_COLS
        if c < first_value or reject.code in ROW_CODES:
            marks.setdefault(r, reject.code)
        else:
            marks.setdefault((r, c), reject.code)
    return out


def _parse(ref: str) -> tuple[str, Position | None]:
    """"Sheet name!D9" -> ("Sheet name", (8, 3))."""
    sheet, _, cell = ref.rpartition("!")
    return sheet, cell_position(cell)
