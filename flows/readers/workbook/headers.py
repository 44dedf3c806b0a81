"""Interpret a table's stacked header rows into what each value column holds.

GSO stacks a column's description over several rows ("Tháng 9 | năm 2024 | so với | cùng kỳ |
năm trước") and merges cells across column groups ("Sơ bộ tháng 9" over "Lượng" and "Trị giá").
Each column's text is the concatenation of its header cells, top to bottom, with merged and
blank-above cells filled from the group they belong to; the text is then read as
`<status> <period> [so với <comparison>] [<quantity or value>]`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, NamedTuple

from flows.core import periods
from flows.core.catalogue import units
from flows.core.periods import Period
from flows.core.text import fold
from flows.readers.workbook.grid import Grid
from flows.readers.workbook.xlsx_cells import column_letters


class _Hinted:
    """A pattern searched for only in texts that hold one of its hints, parts of its every
    match in lower case: most header texts hold none, and a few words are looked for in a
    fraction of the time a pattern takes (interpret's patterns over the shared workbooks'
    headers: 0.146 -> 0.128 s CPU). No hint holds an "i" or an "s": re.IGNORECASE also matches
    "ı" and "ſ" to those, which str.lower() leaves as they are."""

    def __init__(self, pattern: re.Pattern[str], hints: tuple[str, ...]) -> None:
        self.pattern = pattern
        self.hints = hints

    def search(self, text: str, lowered: str) -> re.Match[str] | None:
        """The pattern's first match in `text`, whose lower case is `lowered`."""
        return self.pattern.search(text) if self._hinted(lowered) else None

    def split(self, text: str, lowered: str) -> list[str]:
        """`text` split in two at the pattern's first match; whole when there is none."""
        return self.pattern.split(text, maxsplit=1) if self._hinted(lowered) else [text]

    def _hinted(self, lowered: str) -> bool:
        return any(map(lowered.__contains__, self.hints))


# Status words, matched as whole words ("ước" must not match inside "năm trước").
STATUS_WORDS = tuple(
    (re.compile(rf"(?<!\w){word}(?!\w)", re.I), code)
    for word, code in (
        ("ước tính", "estimate"), ("ước", "estimate"), ("sơ bộ", "preliminary"),
        ("chính thức", "official"), ("thực hiện", "official"),
        # The English edition's words for the same.
        ("estimated?", "estimate"), ("preliminary", "preliminary"), ("official", "official"),
        ("performance", "official"),
    )
)
# A part of each status word, as `_Hinted` has them: most header texts (three in four) hold
# none, and name no status without a search for each word.
_STATUS_HINTS = ("ước", "ơ bộ", "thức", "thực", "mat", "prel", "off", "perf")
# A cell that only states the unit of the table ("%", "Đơn vị tính: Nghìn tấn, triệu USD",
# "Nghìn tấn; triệu USD; chiếc; %" in 2018).
UNIT_CELL = re.compile(
    r"^(đơn vị tính\s*:?)?\s*(%|nghìn tấn|triệu usd|tỷ đồng|nghìn tỷ đồng|chiếc|lượt người)"
    r"([;,]?\s*(và\s*)?(nghìn tấn|triệu usd|tỷ đồng|%|(nghìn )?chiếc))*\s*$",
    re.I,
)
# GSO's own shorthand over worked figures beside a table, never a published header: "T9/T8"
# (this month on the last), "ước tính t8" (last month's estimate), "utt8" (September 2014,
# 2016 trade tables). Published headers spell the month out ("tháng 8").
SCRATCH_HEADER = re.compile(r"(ước tính|utt?)?\s*t\d{1,2}(\s*/\s*t\d{1,2})?", re.I)
_UNIT_LEAD = re.compile(r"^(đơn vị tính|đơn vị|đvt|unit)\s*:?\s*")


# Header cells repeat down a table's columns and from one month's workbook to the next: what
# unit a cell states is read once per distinct text.
UNIT_CACHE_TEXTS = 1 << 14


@lru_cache(maxsize=UNIT_CACHE_TEXTS)
def unit_of(cell: str) -> str:
    """The unit code a header cell states ("Đơn vị tính: Tỷ đồng" -> "BN_VND"), else ''."""
    return units().get(_UNIT_LEAD.sub("", fold(cell)).strip(" ()"), "")


@lru_cache(maxsize=UNIT_CACHE_TEXTS)  # (asked of every text over a table, cell by cell)
def level_unit_of(cell: str) -> str:
    """The unit of the levels a header cell states: its one unit ("Tỷ đồng"), or the one of
    a list of units that is not the percentages' ("Nghìn lượt người; %" over the visitors of
    September 2018: THOUS_PERSONS, the "%" being the indexes'); else ''."""
    single = unit_of(cell)
    if single or not _UNIT_LIST.search(cell):
        return single
    parts = _listed_units(cell)
    levels = {part for part in parts if part != "PCT"}
    return levels.pop() if parts and all(parts) and len(levels) == 1 else ""


@lru_cache(maxsize=UNIT_CACHE_TEXTS)
def _is_unit(cell: str) -> bool:
    """Whether a header cell only states the unit of the table or of a column group: the
    pattern above, or unit words the catalogue knows ("Doanh nghiệp", "Lượt người"), one or
    a list of them."""
    if UNIT_CELL.match(cell):
        return True
    parts = _listed_units(cell)
    return bool(parts) and all(parts)


def _listed_units(cell: str) -> list[str]:
    """The unit code of each part of a cell listing units, '' for a part that names none;
    [] for a cell with no text past its lead. Several units in one cell: "1000 tons, Mill.
    USD" in the English edition, "Doanh nghiệp; %", "Dự án, triệu USD"."""
    key = _UNIT_LEAD.sub("", fold(cell)).strip(" ()")
    return [units().get(part.strip(" ."), "") for part in _UNIT_LIST.split(key)] if key else []


_UNIT_LIST = re.compile(r"\s*[;,]\s*(?:and\s+|và\s+)?")


# "so với" after a word or glued to a year ("Năm 2017so với năm 2016", December 2017) or to
# what follows it ("so vớicùng kỳ năm 2015", April 2016's retail table), or a
# bare "so" before what is compared ("So cùng kỳ năm trước (%)" over "Tháng 4 | 4 tháng", the
# visitors of April-July 2020); in English "versus", "compared to/with", "over the same
# period", "over (%)".
_SO_VOI = _Hinted(re.compile(
    r"(?<![^\W\d_])so\s+với(?:\b|(?=cùng))\s*:?"
    r"|(?<![^\W\d_])so\s+(?=cùng\s+k[ỳì]\b|tháng\s+trước\b|quý\s+trước\b|kỳ\s+trước\b)"
    r"|\b(?:versus|compared?\s+(?:to|with))\b\s*:?"
    r"|\bover\b(?=\s+(?:the\s+)?same\b|\s*\(%\))", re.I),
    ("vớ", "ver", "compar", "cùng k", "trước"))
# The comparison written first: "So với cùng kỳ năm trước Thực hiện quý I", and "cùng kỳ năm
# 1999" naming the year before ("Tỷ lệ so với cùng kỳ năm 1999 (%) 9 tháng"); in English
# "Compared to same period last year (%) 9 months of 2020".
_LEADING_COMPARISON = re.compile(
    r"\s*(cùng kỳ( năm trước| năm \d{4}(?!\d))?|tháng trước|quý trước|kỳ trước"
    r"|tháng 12 năm trước|kế hoạch năm( \d{4})?( \(%\))?"
    r"|(the\s+)?same\s+period(\s+(last\s+year|of\s+\d{4}|in\s+\d{4}))?"
    r"(\s*\(%\))?|last\s+month|previous\s+(month|quarter|period))", re.I
)
# "Tỷ lệ có việc làm ổn định so với tổng số (%)" (June 2002, 2003: the persons placed in stable
# jobs as a percentage of all placed): against the total is a share, not an index.
_OF_TOTAL = re.compile(r"^\s*tổng số\b")
# "Tỷ trọng (%)", "Cơ cấu (%)": a share of the total, not a level ("Structure (%)", "Share").
_SHARE = _Hinted(re.compile(r"tỷ trọng|cơ cấu|\bstructure\b|\bshare\b", re.I),
                ("trọng", "cơ cấu", "tructure", "hare"))
# "Kế hoạch năm 2024" (the year's plan), "so với kế hoạch năm (%)" (the share of it done).
_PLAN = re.compile(r"kế hoạch|\bpla?n\b|\bpaln\b", re.I)  # "paln": the English edition's typo
_PLAN_WORDS = _Hinted(_PLAN, ("kế", "pl", "pa"))
_BASE = _Hinted(re.compile(r"((kỳ\s+)?gốc|base\s+(year|period))\D*(\d{4})", re.I),
               ("gốc", "ba"))
# English comparisons: "same period last year", "last month" (also GSO's "same period last
# month", which is the previous month's same day), "December of last year".
_SAME_PERIOD = re.compile(r"same\s+period", re.I)
_LAST_PERIOD = _Hinted(re.compile(r"(last|previous)\s+(month|quarter|period)", re.I),
                      ("la", "prev"))
# A header that is only a year, typed as a number ("2013 | 2014 | Ước tính năm 2016").
_BARE_YEAR = re.compile(r"\s*((?:19|20)\d\d)\s*")
# The English edition's words for a trade column's basis: "Volume", "Value".
_QUANTITY_EN = _Hinted(re.compile(r"\b(volume|quantity)\b"), ("volume", "quantity"))
_VALUE_EN = _Hinted(re.compile(r"\bvalue\b"), ("value",))
# Against the period before: "so với tháng trước", "so với quý trước", "so với kỳ trước".
_PREVIOUS = re.compile(r"(tháng|quý|kỳ) trước")
# A year typed as a number under a heading that names no period ("Thực hiện (Triệu USD)" over
# "2007 | 2008" in the December 2008 services table): the header ends with it.
_TRAILING_YEAR = re.compile(r"(?<![\d/.-])\s((?:19|20)\d\d)\s*$")


@dataclass(frozen=True)
class Column:
    """What one value column holds."""

    index: int
    text: str
    period: Period | None
    measures: tuple[str, ...]  # several when one column answers two questions (January)
    status: str | None
    basis: str | None  # "quantity" or "value" in trade tables, else None
    base_year: int | None = None
    # Another column of the table headed exactly alike (its index; `headed_alike`).
    twin: int | None = None

    @staticmethod
    def unread(index: int, text: str) -> Column:
        """The column with its header text, not read yet (tables.locate_tables)."""
        return _unread(index, text)

    @property
    def problem(self) -> str | None:
        """Why the column cannot be read, or None when it can."""
        if self.twin is not None:
            return (f"the column is headed exactly like column {column_letters(self.twin)} "
                    f"({self.text!r}): the header cannot tell which is which")
        if self.period is None:
            return f"no period in the column header {self.text!r}"
        if not self.measures:
            return f"cannot tell what the column compares: {self.text!r}"
        return None


# A column and its header come back in every month's workbook (13,658 columns of the shared
# workbooks, 7,523 distinct): each is made once (a frozen dataclass is slow to build).
@lru_cache(maxsize=1 << 14)
def _unread(index: int, text: str) -> Column:
    return Column(index, text, None, (), None, None)


def headed_alike(columns: list[Column]) -> list[Column]:
    """The columns, each one whose whole header text another column of the table repeats
    marked with that twin: a slip that leaves neither readable (the September 2020 English
    consumption and inventory table heads both inventory columns "As of Sept. 30, 2019 versus
    same period last month", where the Vietnamese tables compare with last month and last
    year)."""
    first: dict[str, int] = {}
    twins: dict[int, int] = {}
    for column in columns:
        if column.text in first:
            twins[column.index] = first[column.text]
            twins.setdefault(first[column.text], column.index)
        else:
            first[column.text] = column.index
    if not twins:
        return columns
    return [replace(c, twin=twins[c.index]) if c.index in twins else c for c in columns]


# The header cells over a table's columns, by column, each column's top to bottom (the rows of
# the header band): {3: ["Ước tính tháng 9", "", "Trị giá"]}. Kept by column because every
# question asked of a header is asked of one column's cells in turn.
Band = dict[int, list[str]]


def value_band(band: Band, value_cols: list[int]) -> Band:
    """The header cells over the value columns alone, from the `band` of header cells
    (`header_cells`) over those columns or more, blanks filled from the left
    (`_fill_from_left`): what `header_texts` and `header_units` read."""
    cells = {c: band[c] for c in value_cols}
    _fill_from_left(cells, value_cols)
    return cells


def header_texts(cells: Band) -> dict[int, str]:
    """The joined header text of each column of `cells` (`value_band`)."""
    texts = {}
    for c, column in cells.items():
        parts: list[str] = []
        for part in column:
            # A cell merged down several rows would otherwise repeat itself.
            if part and not _is_unit(part) and (not parts or parts[-1] != part):
                parts.append(part)
        texts[c] = " ".join(parts)
    return texts


def header_units(cells: Band) -> dict[int, str]:
    """The unit a bracketed header cell over a column of `cells` (`value_band`) states for
    it, for the columns with exactly one: "(Người)" under "Lao động bình quân" and over its
    "Tổng số | Trung ương | Địa phương" (June 2007). `header_texts` leaves such cells out of
    the column's text, which would otherwise read as words of its description; the unit
    itself must not be lost, for it may differ from the one the catalogue gives the column's
    variable ("(Nghìn người)" in the other years)."""
    units: dict[int, str] = {}
    for c, column in cells.items():
        # (a bracketed cell opens with its bracket: the others, most, skip the pattern)
        found = {unit_of(text) for text in column
                 if text[:1] == "(" and _BRACKETED.fullmatch(text)} - {""}
        if len(found) == 1:
            units[c] = found.pop()
    return units


# A header cell that is all in brackets ("(Nghìn đồng)"): a column's unit, where a unit cell
# without them ("Nghìn người" at the right edge of the header in June 2002) is the table's.
_BRACKETED = re.compile(r"\([^()]+\)")


def _header_cell(grid: Grid, row: int, col: int) -> str:
    """A header cell as text; years typed as numbers (2019.0 under "Kỳ gốc năm") included.

    Other numbers are not header text: the 2017 and 2018 trade sheets carry worked figures
    ("100.00000000000001", "20.5") in the header rows beside the table.
    """
    if row >= len(grid.rows) or col >= len(grid.rows[row]):
        return ""
    value = grid.rows[row][col]
    if isinstance(value, float):
        return str(int(value)) if is_year(value) or is_header_label(grid.rows[row], value) else ""
    return value.strip()


def is_year(value: float) -> bool:
    """Whether a number typed in a header is a year ("Sơ bộ năm | 2024")."""
    return value.is_integer() and 1900 <= value <= 2100


def is_header_label(cells: list[Any], value: float) -> bool:
    """Whether a small whole number in a header row names its column: a school grade
    ("Chia theo lớp phổ thông đang học | 0 | 1 | 2 ..." in the 1999 census tables), an age;
    not when the row numbers the columns."""
    return 0 <= value <= MAX_LABEL_NUMBER and counts_up(cells) and not column_numbers(cells)


# The largest number a header names a column by (ages, grades); larger ones are worked figures.
MAX_LABEL_NUMBER = 100


def column_numbers(cells: list[Any]) -> bool:
    """A row numbering the columns under a header: "A | B | 1 | 2 | 3" or "1 | 2 | 3 | 4";
    columns are numbered from 1 (a row "0 | 1 | 2 ..." names school grades)."""
    numbers = [v for v in cells if isinstance(v, float)]
    # A number written as text beside them ("0(*) | 1 | 2") makes them names, not numbering.
    # (asked last: the row's every text is looked through for a digit)
    return counts_up(cells) and 1 <= numbers[0] <= 3 and not any(
        isinstance(v, str) and any(ch.isdigit() for ch in v) for v in cells)


def counts_up(cells: list[Any]) -> bool:
    """Whether the row's numbers are two or more whole numbers counting up by one."""
    numbers = [v for v in cells if isinstance(v, float)]
    return (len(numbers) >= 2 and all(v.is_integer() for v in numbers)
            and all(b - a == 1 for a, b in itertools.pairwise(numbers)))


def table_columns(
    grid: Grid, cells: Band, first: int, stop: int, figure_cols: list[int]
) -> list[int]:
    """The figure columns that belong to the table: those whose header hangs from its top row.

    A column with figures but no header text at all is a spacer (zeros in the 2017 trade
    tables) or scratch work; one whose only header is lower down ("utt2", "t3/t2", "csg" in
    the 2016 trade tables) or is GSO's shorthand ("T9/T8", "ước tính t8" in September 2014)
    is a worked calculation beside the table. A real column reaches
    the top row through a merged cell or, where the file records no merges (legacy .xls),
    through the unmerged group heading on its left ("Ước tính tháng 8" over "Trị giá").
    `cells` are the header cells (`header_cells`) of rows first..stop-1 over the figure columns.
    """
    # (a worked figure is a figure: only the header rows holding some, few, are looked at)
    numbered = [r for r in range(first, stop)
                if grid.figures[r] and not column_numbers(grid.rows[r])]
    own = [c for c in figure_cols if _own_header(grid, cells[c], c, numbered)]
    top = next((i for i in range(stop - first) if any(_is_text(cells[c][i]) for c in own)), None)
    if top is None:
        return []
    # A merge from column A is a title line or the label column's header, never a value
    # column's: the 2001 gross-output sheet merges only its title lines, across A-F.
    unmerged = not any(_in_band(span, first, stop) and span[0][1] > 0 for span in grid.merged)
    anchored: list[int] = []
    for c in own:
        # A unit over the column ("Tỷ đồng" over "Ước tính tháng 6/2009" in June 2009) anchors
        # it as well as a heading does.
        if cells[c][top] or (unmerged and anchored and anchored[-1] == c - 1) or (
                anchored and anchored[-1] == c - 1
                and _repeats_group(cells, top + 1, c, anchored)):
            anchored.append(c)
    return anchored


def _repeats_group(cells: Band, below: int, col: int, anchored: list[int]) -> bool:
    """Whether the column's own header words repeat those of a column of the table further
    left, row for row: the next column of a group whose heading was not merged over it
    ("11 tháng năm 2023" over "Số DN" only, then "Vốn đăng ký (Tỷ đồng)" as under "11 tháng
    năm 2024" in November 2024; "Tỷ lệ tốt nghiệp (%)" in 2003). Scratch beside a table has
    headers of its own ("utt8", "csg") or none. Rows from the band's `below`-th are compared."""
    own = {i: text for i, text in enumerate(cells[col]) if i >= below and text}
    return bool(own) and any(all(cells[a][i] == text for i, text in own.items())
                             for a in anchored[:-1])


def _worked_in_header(grid: Grid, rows: list[int], col: int) -> bool:
    """Whether the column's header `rows` (those with figures that do not number the columns)
    hold a number that names nothing (no year, no grade): a worked block ("Tổng | +/- | BQ"
    over sums in the header rows of the 2024 enterprise summaries), never a published column,
    whose header holds only words."""
    return any(col < len(grid.rows[r]) and isinstance(grid.rows[r][col], float)
               and not _header_cell(grid, r, col) for r in rows)


def _own_header(grid: Grid, column: list[str], col: int, numbered: list[int]) -> bool:
    """Whether the column, whose header cells are `column`, has header text of its own that
    is not only GSO's worked-figure shorthand ("T9/T8"), and no worked figure in its header
    rows (`numbered`: those with figures that do not number the columns)."""
    # (_is_text, inlined: blanks are most of these cells)
    texts = [text for text in column if text and not _is_unit(text)]
    # (most tables have no header row with figures in it: `numbered` is empty)
    return (bool(texts) and not all(map(SCRATCH_HEADER.fullmatch, texts))
            and not (numbered and _worked_in_header(grid, numbered, col)))


def _is_text(cell: str) -> bool:
    return bool(cell) and not _is_unit(cell)


def _in_band(span: tuple[tuple[int, int], tuple[int, int]], first: int, stop: int) -> bool:
    (r0, _), (r1, _) = span
    return r0 < stop and r1 >= first


def header_cells(grid: Grid, first: int, stop: int, cols: list[int]) -> Band:
    """Header cells of rows first..stop-1 over `cols`, blanks inside a merged range taking its
    text (read once for a table: which columns are its own, then their texts)."""
    rows = [grid.rows[r] if r < len(grid.rows) else [] for r in range(first, stop)]
    cells: Band = {}
    for c in cols:
        column = cells[c] = []
        for r, row in enumerate(rows, first):
            # (texts, most header cells, are taken without a call)
            text = row[c] if c < len(row) else ""
            column.append(text.strip() if text.__class__ is str else _header_cell(grid, r, c))
    for (r0, c0), (r1, c1) in grid.merged:
        if c0 == 0:
            continue  # a title line merged from column A ("và lạm phát cơ bản tháng 5 năm 2020")
        origin = _header_cell(grid, r0, c0)
        spanned = range(max(r0, first) - first, min(r1 + 1, stop) - first)
        for covered in (cells[c] for c in range(c0, c1 + 1) if c in cells):
            for i in spanned:
                if not covered[i]:
                    covered[i] = origin
    return cells


def _fill_from_left(cells: Band, value_cols: list[int]) -> None:
    """Blank cells above a column's own header take the text of the column to their left.

    Covers merges that the file does not record (legacy .xls): "Ước tính tháng 8" written
    once over the "Lượng" and "Trị giá" columns. The chain breaks at a column holding no
    figures, which GSO uses as a spacer between groups.
    """
    for c in value_cols:
        left = cells.get(c - 1)
        if left is None:
            continue
        column = cells[c] = list(cells[c])  # (a copy: `cells` shares the band's columns)
        top = next((i for i, text in enumerate(column) if text and not _is_unit(text)),
                   len(column))
        for i in range(top):
            if not column[i]:
                column[i] = left[i]


@lru_cache(maxsize=1 << 14)  # the same headers come back in every month's workbook
def interpret(index: int, text: str, default: Period | None) -> Column:
    """Read one column's header text; `default` supplies the period or year it leaves out."""
    read = _reading(text, default.end.year if default else None)
    if read.period is None and read.compared is not None and default is not None:
        # "Kỳ gốc 2019" under a spanning "Tháng 9 năm 2024 so với:" lost: the table's period.
        measures, base_year = _comparison(read.compared, default)
        return Column(index, text, default, measures, read.status, read.basis, base_year)
    return Column(index, text, read.period, read.measures, read.status, read.basis,
                  read.base_year)


class _Reading(NamedTuple):
    """What a header text says, a year given for what it leaves out (`_reading`)."""

    period: Period | None
    measures: tuple[str, ...]
    status: str | None
    basis: str | None
    base_year: int | None
    compared: str | None  # what the period is compared with, where it is ("cùng kỳ năm trước")


# Kept by the year alone, not by the whole period and the column: the same header comes back
# in every month's workbook of a year, under other columns (7,736 readings of the shared
# workbooks' headers instead of 9,856).
@lru_cache(maxsize=1 << 14)
def _reading(text: str, default_year: int | None) -> _Reading:
    """`interpret`'s reading of a header text, `default_year` the year it leaves out; a
    comparison whose period the text does not name has none (`interpret` gives the table's)."""
    lowered = text.lower()
    basis = ("quantity" if "lượng" in lowered or _QUANTITY_EN.search(lowered, lowered)
             else "value" if "trị giá" in lowered or _VALUE_EN.search(lowered, lowered) else None)
    parts = _SO_VOI.split(text, lowered)
    if len(parts) == 2 and periods.parse_period(parts[0], default_year) is None:
        first = _comparison_first(parts[1])
        # "Thực hiện so với kế hoạch năm 2004 (%) Cả năm 2004": the status stays with the period.
        parts = [f"{parts[0]} {first[0]}".strip(), first[1]] if first else parts
    status = _status(parts[0])
    period = periods.parse_period(parts[0], default_year)
    if period is None and (bare := _BARE_YEAR.fullmatch(parts[0]) or _TRAILING_YEAR.search(
            parts[0])):
        period = periods.annual(int(bare.group(1)))  # "2013" over a column of a yearly series
    if len(parts) == 1:
        measure = ("share" if _SHARE.search(lowered, lowered)
                   else "plan" if _PLAN_WORDS.search(lowered, lowered) else "level")
        return _Reading(period, (measure,), status, basis, None, None)
    measures, base_year = _comparison(parts[1], period)
    return _Reading(period, measures, status, basis, base_year, parts[1])


def _status(text: str) -> str | None:
    """The status the first status word the text holds names (STATUS_WORDS), if any."""
    lowered = text.lower()
    if not any(map(lowered.__contains__, _STATUS_HINTS)):
        return None
    return next((code for word, code in STATUS_WORDS if word.search(text)), None)


def _comparison_first(text: str) -> list[str] | None:
    """Split "So với cùng kỳ năm trước Thực hiện quý I năm 2018" or "So với kế hoạch năm 2009
    (%) 6 tháng năm 2009" (comparison written first)."""
    match = _LEADING_COMPARISON.match(text)
    if match is None:
        return None
    return [text[match.end():], match.group(0)]


def _comparison(text: str, period: Period | None) -> tuple[tuple[str, ...], int | None]:
    # "cùng kì" is the older spelling of "cùng kỳ" (September and November 2016 products).
    lowered = text.lower().replace("cùng kì", "cùng kỳ")
    base = _BASE.search(lowered, lowered)
    if base:
        return ("index_base",), int(base.group(4))
    for pattern, measure in _NAMED_COMPARISONS:
        if pattern.search(lowered, lowered):
            return (measure,), None
    if "cùng kỳ" in lowered or "cùng thời điểm năm" in lowered or _SAME_PERIOD.search(lowered):
        return ("index_yoy",), None
    if _PREVIOUS.search(lowered):
        return ("index_pop",), None
    if "tháng 12 năm trước" in lowered:
        return ("index_dec",), None
    if "năm trước" in lowered and period is not None and period.type == "A":
        return ("index_yoy",), None  # "Năm 2024 so với năm trước (%)" in December tables
    if period is None:
        return (), None
    other = periods.parse_period(text, period.end.year)
    if other is not None and other.type == "A" and period.type != "A" and (
            other.end < period.start):
        # "Quý II năm 2013 so với năm 2011": against an earlier year's average, its base year.
        return ("index_base",), other.start.year
    return _relation(period, other), None


# Comparisons a phrase names whatever the periods: against the total, the plan, last period.
_NAMED_COMPARISONS = ((_Hinted(_OF_TOTAL, ("tổng",)), "share"), (_PLAN_WORDS, "pct_of_plan"),
                      (_LAST_PERIOD, "index_pop"))


def _relation(period: Period, other: Period | None) -> tuple[str, ...]:
    """The measure comparing `period` with an explicitly named comparison period."""
    if other is None:
        return ()
    if other == periods.shift_years(period, -1):
        return ("index_yoy",)
    december = periods.month(period.start.year - 1, 12)
    if period.type == "M" and other == december:
        # January against December is both the month-on-month and the since-December index.
        return ("index_pop", "index_dec") if period.start.month == 1 else ("index_dec",)
    if period.type in ("M", "Q") and other == periods.previous(period):
        return ("index_pop",)
    return ()
