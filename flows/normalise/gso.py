"""Turn GSO tables as published into canonical observations, through the reference data.

Every row label goes through an alias table; a label the tables do not know becomes a
rejected row with the code `unknown-label`, never a silent drop. A figure cell showing an Excel
error or a formula saved without its value becomes an `error-cell` reject.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import cache, lru_cache
from typing import TypeVar

from flows.core import catalogue, reference
from flows.core.model import Observation, Rejected, observation
from flows.core.periods import Period
from flows.core.text import fold
from flows.normalise.gso_figures import number, status
from flows.normalise.gso_items import normalise_items
from flows.readers.workbook.gso import WorkbookTables
from flows.readers.workbook.headers import Column, interpret
from flows.readers.workbook.tables import Row, Table
from flows.readers.workbook.xlsx_cells import cell_name, column_letters

_Item = TypeVar("_Item", reference.Commodity, reference.CpiGroup)

# Footnote units for marked rows, longest first ("nghìn chiếc" also starts like "chiếc").
NOTED_UNITS = (("nghìn chiếc", "THOUS_UNIT"), ("chiếc", "UNIT"))
_MARKER = re.compile(r"\(\*+\)")

GEO_VIETNAM = "VN"
NOT_APPLICABLE = "_Z"  # SDMX's code for a dimension that does not apply
# Cells that mean "no figure" in GSO tables.
NO_DATA = {"-", "--", "..", "...", "x", "X", "—", "–", "*"}
# The heading that opens the commodity rows of a trade table, as folded ("B. Mặt hàng chủ
# yếu" in 2000, "MAIN ITEMS" in the English edition).
TRADE_HEADINGS_COMMODITIES = {"mặt hàng chủ yếu", "main items"}
# Core inflation is published as a percentage change ("2,54"); the model stores indices.
PERCENT_CHANGE_INDICATORS = {"CORE_INFLATION"}
SUB_ITEM_LEAD_INS = ("trong đó", "trđ", "tđ")
# A row label that is a month: a table whose rows are all months ("Tháng 1" ... "Tháng 12",
# the December 2004 CPI table "Giathang") is a time series per column, not one row per item.
_MONTH_ROW = re.compile(r"tháng \d{1,2}")


@dataclass(frozen=True)
class Dims:
    """The dimensions a row label resolves to."""

    indicator: str
    industry: str = NOT_APPLICABLE
    product: str = NOT_APPLICABLE
    qty_unit: str = ""


def normalise_workbook(found: WorkbookTables) -> tuple[list[Observation], list[Rejected]]:
    """Observations of every table found in a workbook, and the rows and cells quarantined."""
    observations: list[Observation] = []
    rejected: list[Rejected] = []
    for table in found.tables:
        good, bad = normalise(table, found.reference_period)
        stale = _stale_estimate(good, found.reference_period)
        if stale is not None:  # the whole table is dated by last edition's template
            good, bad = [], bad + [_stale(table, o, stale, found.reference_period)
                                   for o in good]
        observations.extend(good)
        rejected.extend(bad + hidden_figures(table))
    return observations, rejected


# GSO estimates the month or quarter a release reports, or the one just before it: an
# estimate of a period that ended this long before the release's month began is no estimate.
STALE_ESTIMATE_DAYS = 62


def _stale_estimate(observations: list[Observation], reference_period: Period) -> Period | None:
    """The period of an estimate among a table's figures that ended more than
    STALE_ESTIMATE_DAYS before the release's month, or None. The December 2024 workbook's
    quarterly state-budget investment table is titled and headed "các quý năm 2023", "Ước
    tính quý IV năm 2023": last year's template over this year's figures (its "quý III" is
    what September 2024 gave for 2024's, revised), which read as dated would revise 2023."""
    cutoff = reference_period.start - timedelta(days=STALE_ESTIMATE_DAYS)
    for figure in observations:
        if figure.status == "estimate" and figure.period.end < cutoff:
            return figure.period
    return None


def _stale(table: Table, observation: Observation, estimate: Period,
           reference_period: Period) -> Rejected:
    cell = observation.provenance
    return Rejected(
        table.sheet, cell, observation.series_key, str(observation.value), "stale-headers",
        f"{cell}: the table estimates {estimate}, which ended long before this release's "
        f"month ({reference_period}): its title and headers are an earlier edition's, so "
        "none of its figures is dated by them")


def normalise(table: Table, reference_period: Period) -> tuple[list[Observation], list[Rejected]]:
    """Observations and rejects of one table; `reference_period` is the release's month."""
    if table.kind == "cpi" and _month_rows(table) and _compared(table):
        return _normalise_month_rows(table, reference_period)
    if (months := _months_as_rows(table)) is not None:
        return [], [months]
    kind = _kinds()[table.kind]
    if kind.rows == "item":
        return normalise_items(table, kind, reference_period)
    observations: list[Observation] = []
    rejected: list[Rejected] = []
    # What depends on the column alone, worked out once rather than for every cell: its
    # cells' reference without the row number ("Sheet!D"), why it cannot be read, its status.
    columns = [(c, f"{table.sheet}!{column_letters(c.index)}", c.problem,
                status(table, c, reference_period) if c.period is not None else "")
               for c in table.columns]
    # What each column makes of a figure depends on the row only through its indicator and
    # quantity unit, which most rows of a table share: worked out once for each (the 551
    # tables of the 125 shared workbooks read here, not through gso_items: 0.165 s CPU when
    # worked out for every cell, 0.140 s once for each).
    plans: dict[tuple[str, str], list[_ColumnPlan]] = {}
    for row, dims, problem in _resolve_rows(table):
        if problem is not None:
            rejected.append(problem)
            continue
        assert dims is not None
        shared = (dims.indicator, dims.qty_unit)
        if (planned := plans.get(shared)) is None:
            planned = plans[shared] = [
                (c.index, ref, unread, status_,
                 _measured(table.kind, dims, c) if unread is None else None)
                for c, ref, unread, status_ in columns]
        _row_figures(table, row, dims, planned, observations, rejected)
    return observations, rejected


# What a column makes of a figure of a row: the observations' indicator and period, each
# measure with its unit (and in capitals, for the series key), and whether the figure is a
# percentage change to store as its index.
_Measured = tuple[str, Period, tuple[tuple[str, str, str], ...], bool]


# What a column makes of the figures of rows of one indicator and quantity unit: its index,
# its cells' reference without the row number, why it is unread, its status, and what it
# makes of a figure (_measured; None when it is unread).
_ColumnPlan = tuple[int, str, str | None, str, _Measured | None]


def _row_figures(
    table: Table, row: Row, dims: Dims, columns: list[_ColumnPlan],
    observations: list[Observation], rejected: list[Rejected],
) -> None:
    """The observations and rejects of one row's cells, added to the table's (_observe's,
    written out: a call for each of 86,000 figures)."""
    number_, values = str(row.number + 1), row.values
    industry, product = dims.industry, dims.product
    where = f"{GEO_VIETNAM}.{industry}.{product}.{NOT_APPLICABLE}"  # (series_key_of's part)
    for index, column_ref, unreadable, status_, measured in columns:
        cell = values.get(index, "")
        if cell.__class__ is not float:  # most cells are figures as they are
            if cell == "" or cell in NO_DATA:
                continue
            cell = number(cell)
            if not isinstance(cell, float):
                ref = column_ref + number_
                rejected.append(Rejected(
                    table.sheet, ref, row.label, str(cell), "value-unparseable",
                    f"{ref}: {cell!r} is not a number"))
                continue
        ref = column_ref + number_
        if measured is None:
            rejected.append(Rejected(table.sheet, ref, row.label, str(cell),
                                     "header-unparseable", f"{ref}: {unreadable}"))
            continue
        indicator, period, measures, percent_change = measured
        value = 100.0 + cell if percent_change else cell
        for measure, unit, shouted in measures:
            observations.append(observation(
                indicator, GEO_VIETNAM, industry, product, NOT_APPLICABLE, measure, unit,
                period, value, status_, ref, None, f"{indicator}.{where}.{shouted}.{unit}"))


@cache
def _kinds() -> dict[str, catalogue.TableKind]:
    """The catalogue's table kinds by name."""
    return {k.kind: k for k in catalogue.table_kinds()}


def _month_rows(table: Table) -> list[Row]:
    """The body rows when every one is a month ("Tháng 1" ... "Tháng 12"), else []."""
    # The labels first: most tables fail on their first row, before its figures are looked at.
    if not all(_MONTH_ROW.fullmatch(fold(row.label)) or row.is_heading for row in table.rows):
        return []
    rows = [row for row in table.rows if not row.is_heading]
    return rows if len(rows) >= 2 else []


def _normalise_month_rows(
    table: Table, reference_period: Period
) -> tuple[list[Observation], list[Rejected]]:
    """A CPI table whose rows are months and whose columns are the series (the December 2004
    "Giathang": CPI, food, gold, US dollar each month against December of the year before).

    A column's series is the longest end of its header that names a CPI group ("Chỉ số giá
    tiêu dùng | Trong đó: | Lương thực" -> food); each row's period and measure are read as
    the header "<month> năm <year> so với <comparison>", the comparison taken from the title.
    """
    observations: list[Observation] = []
    rejected: list[Rejected] = []
    year = (table.title_period or reference_period).end.year
    parts = _SO_VOI.split(fold(table.title), maxsplit=1)
    comparison = f" so với {parts[1]}" if len(parts) == 2 else ""
    for row in _month_rows(table):
        column = interpret(row.label_col, f"{row.label} năm {year}{comparison}", None)
        state = "official"  # CPI is measured, not estimated
        for index, cell in sorted(row.values.items()):
            if cell == "" or cell in NO_DATA:
                continue
            header = next(c for c in table.columns if c.index == index)
            ref = f"{table.sheet}!{column_letters(index)}{row.number + 1}"
            group = _series_of(header.text)
            value = number(cell)
            if not isinstance(value, float):
                rejected.append(Rejected(table.sheet, ref, row.label, str(cell),
                                         "value-unparseable", f"{ref}: {cell!r} is not a number"))
                continue
            if group is None:
                rejected.append(Rejected(
                    table.sheet, ref, row.label, str(cell), "unknown-label",
                    f"{ref}: the column {header.text!r} names no CPI group of "
                    "flows/reference/cpi_groups.csv; add it"))
                continue
            if column.problem is not None:
                rejected.append(Rejected(table.sheet, ref, row.label, str(cell),
                                         "header-unparseable", f"{ref}: {column.problem}"))
                continue
            dims = Dims(group.indicator, product=group.code)
            _observe(observations, dims, _measured(table.kind, dims, column), value, ref, state)
    return observations, rejected


_SO_VOI = re.compile(r"\bso với\b")


def _compared(table: Table) -> bool:
    """Whether the title names what the months are compared with ("so với tháng 12 năm
    2003"); without it the figures' measure is unknown and the table stays unread."""
    return bool(_SO_VOI.search(fold(table.title)))


def _series_of(header: str) -> reference.CpiGroup | None:
    """The CPI group the longest end of a column header names."""
    words = fold(header).split()
    for start in range(len(words)):
        groups = reference.cpi_groups().get(fold(" ".join(words[start:])), [])
        if groups:
            return _pick(groups, "")
    return None


def _months_as_rows(table: Table) -> Rejected | None:
    """One reject for a table whose rows are months, a layout chiso does not read yet: its
    columns are the series and the comparison period sits in the title, so reading the rows
    as items would only quarantine each month as an unknown label."""
    rows = _month_rows(table)
    if not rows:
        return None
    first = rows[0]
    ref = f"{table.sheet}!{column_letters(first.label_col)}{first.number + 1}"
    figures = sum(1 for row in rows for value in row.values.values() if value != "")
    return Rejected(
        table.sheet, ref, first.label, "", "layout-not-read",
        f"{ref}: the rows of this {table.kind} table are months ({rows[0].label!r} to "
        f"{rows[-1].label!r}) with one series per column, not one {table.kind} item per row; "
        f"chiso does not read that layout yet, so its {figures} figures are not loaded",
    )


def hidden_figures(table: Table) -> list[Rejected]:
    """A quarantine row (`error-cell`) for each figure cell showing an Excel error ("#DIV/0!")
    or holding a formula saved without its value: the figure is missing from the file."""
    if not table.hidden:
        return []  # (most tables)
    labels = {row.number: row.label for row in table.rows}
    rejected = []
    for (r, c), shown in sorted(table.hidden.items()):
        ref = f"{table.sheet}!{cell_name(r, c)}"
        what = (f"the formula {shown} saved without its computed value" if shown.startswith("=")
                else f"the Excel error {shown}")
        rejected.append(Rejected(
            table.sheet, ref, labels[r], shown, "error-cell",
            f"{ref}: the {table.kind} figure for {labels[r]!r} is {what}, not a number, so it is "
            "missing from the publisher's file; check the cell in Excel or LibreOffice and load "
            "a corrected release when the publisher posts one",
        ))
    return rejected


def _resolve_rows(table: Table) -> Iterator[tuple[Row, Dims | None, Rejected | None]]:
    section = "total"
    # Rows further right, or led in by "Trong đó:", are sub-items of the row above them.
    parents: list[tuple[int, str, str]] = []  # (label column, code, label)
    for row in table.rows:
        key = fold(row.label)
        if table.kind in ("exports", "imports") and key in TRADE_HEADINGS_COMMODITIES:
            # A structural marker even where it carries a stray worked figure (the April and
            # August 2018 trade tables put "100" on it).
            section = "commodity"
            continue
        if row.is_heading:
            continue
        lead_in = row.label.lower().lstrip().startswith(SUB_ITEM_LEAD_INS)
        while parents and parents[-1][0] >= row.label_col and not lead_in:
            parents.pop()
        dims, code = _dims(table.kind, key, section, parents[-1][1] if parents else "")
        if dims is None:
            ref = f"{table.sheet}!{column_letters(row.label_col)}{row.number + 1}"
            yield row, None, Rejected(
                table.sheet, ref, row.label, _raw(row), "unknown-label",
                f"{ref}: {table.kind} row label {row.label!r} is not in the reference data; "
                "add it to flows/reference (see flows/reference/README.md)",
            )
        else:
            # "Ô tô(*)" marks the parent, "Trong đó: Nguyên chiếc" carries the quantity (2016).
            marked = row.label + (parents[-1][2] if parents and lead_in else "")
            yield row, _with_noted_unit(dims, marked, table.notes), None
        if table.kind in ("exports", "imports") and section == "total":
            section = "sector"
        if not lead_in:
            parents.append((row.label_col, code, row.label))


def _with_noted_unit(dims: Dims, label: str, notes: dict[str, str]) -> Dims:
    """The quantity unit a footnote gives a marked row: GSO counted cars and motorcycles in
    thousands ("(*)Nghìn chiếc") until March 2018 and in units ("(*)Chiếc") since."""
    marker = _MARKER.search(label) if "(*" in label else None  # (a pattern for few labels)
    if marker is None:
        return dims  # (most labels: no mark, so no note)
    note = fold(notes.get(marker.group(), ""))
    for words, unit in NOTED_UNITS:
        if note.startswith(words):
            return replace(dims, qty_unit=unit)
    return dims


@lru_cache(maxsize=1 << 12)  # a Dims per label, shared by the rows naming it
def _dims(kind: str, key: str, section: str, parent: str) -> tuple[Dims | None, str]:
    if kind == "iip":
        code = reference.industries().get(key)
        return (Dims("IIP", industry=code) if code else None), code or ""
    if kind == "cpi":
        groups = reference.cpi_groups().get(key, [])
        group = _pick(groups, parent)
        return (Dims(group.indicator, product=group.code) if group else None), (
            group.code if group else "")
    flow = kind.upper()
    items = reference.commodities().get((flow, section, key), [])
    item = _pick(items, parent)
    if item is None:
        return None, ""
    return Dims(flow, product=item.code, qty_unit=item.qty_unit or "THOUS_T"), item.code


def _pick(items: list[_Item], parent: str) -> _Item | None:
    """The one candidate, or among several the one under the current parent row."""
    if len(items) <= 1:
        return items[0] if items else None
    under = [i for i in items if i.parent == parent]
    return (under or [i for i in items if not i.parent] or items)[0]


def _measured(kind: str, dims: Dims, column: Column) -> _Measured:
    """What a read column (one with a period) makes of a figure of a row of `dims`."""
    assert column.period is not None
    indicator, unit = _indicator_and_unit(kind, dims, column)
    return (indicator, column.period,
            tuple((m, f"INDEX_{column.base_year}" if m == "index_base" else unit, m.upper())
                  for m in column.measures),
            dims.indicator in PERCENT_CHANGE_INDICATORS and column.measures[0] != "level")


def _observe(
    into: list[Observation], dims: Dims, measured: _Measured, value: float, ref: str,
    status: str,
) -> None:
    """The observations of one figure, one per measure its column names, added to `into`."""
    indicator, period, measures, percent_change = measured
    if percent_change:
        value = 100.0 + value
    industry, product = dims.industry, dims.product
    for measure, unit, shouted in measures:  # (the series key as series_key_of makes it)
        into.append(observation(
            indicator, GEO_VIETNAM, industry, product, NOT_APPLICABLE, measure, unit, period,
            value, status, ref, None,
            f"{indicator}.{GEO_VIETNAM}.{industry}.{product}.{NOT_APPLICABLE}.{shouted}.{unit}"))


def _indicator_and_unit(kind: str, dims: Dims, column: Column) -> tuple[str, str]:
    if column.measures == ("share",):
        return dims.indicator, "PCT"
    is_level = column.measures == ("level",)
    if kind in ("exports", "imports"):
        if column.basis == "quantity":
            return f"{dims.indicator}_QTY", dims.qty_unit if is_level else "INDEX"
        return dims.indicator, "USD_MN" if is_level else "INDEX"
    return dims.indicator, "INDEX"




def _raw(row: Row) -> str:
    cells = [f"{column_letters(c)}={v}" for c, v in sorted(row.values.items())]
    return "; ".join([row.label, *cells])

