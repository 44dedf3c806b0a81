"""Read the GSO item tables whose rows are the months of a year and whose columns name the year.

The December 2008 food-shortage table ("Số hộ và số nhân khẩu thiếu đói năm 2008") has a row
per month ("Tháng 1" ... "Tháng 12") under a total ("Tổng số"), and columns grouped by what
they count ("Số hộ thiếu đói (Nghìn lượt hộ)") over the year and measure of each ("Năm 2007",
"Ước tính năm 2008", "Năm 2008 so với năm 2007 (%)"). A cell is the item its column group
names, for the row's month of the column's year (the total row: the column's year), measured
as the column says. Reading the headers as items and the months as periods of the title's year
would file 2007's figures as 2008's, and the indexes as levels.
"""

from __future__ import annotations

import re

from flows.core import catalogue
from flows.core.catalogue import TableKind
from flows.core.model import Observation, Rejected
from flows.core.periods import Period, parse_period
from flows.core.text import fold
from flows.normalise.gso_figures import measure_unit, number
from flows.readers.workbook.headers import Column, unit_of
from flows.readers.workbook.tables import Row, Table
from flows.readers.workbook.xlsx_cells import cell_name

# A row that is a month of no stated year, and a row that totals the year.
_MONTH = re.compile(r"tháng \d{1,2}")
_TOTAL = {"tổng số", "cả năm", "tổng"}
# Where a column header stops naming its item and starts naming its period or measure.
_PERIOD_WORDS = re.compile(r"\b(?:năm|ước tính|sơ bộ|chính thức|tháng|quý)\b")
_IN_BRACKETS = re.compile(r"\(([^()]*)\)")
# Cells that mean "no figure" (as in gso_items.NO_FIGURE).
_NO_FIGURE = {"-", "--", "..", "...", "x", "X", "—", "–", "*", "-/-", "…"}


def months_by_year(table: Table) -> bool:
    """Whether the table's rows are the months of a year (a total row aside) and every dated
    column names a year: the month of a cell is its row's, the year its column's."""
    rows = [fold(row.label) for row in table.rows if not row.is_heading]
    months = sum(1 for label in rows if _MONTH.fullmatch(label))
    dated = [c.period for c in table.columns if c.period is not None]
    return (months >= 2 and all(_MONTH.fullmatch(label) or label in _TOTAL for label in rows)
            and bool(dated) and all(period.type == "A" for period in dated))


def normalise_months_by_year(
    table: Table, kind: TableKind, reference_period: Period
) -> tuple[list[Observation], list[Rejected]]:
    """Observations and rejects of a table `months_by_year` recognises."""
    observations: list[Observation] = []
    rejected: list[Rejected] = []
    for row in table.rows:
        if row.is_heading:
            continue
        for column in table.columns:
            cell = row.values.get(column.index, "")
            if cell == "" or (isinstance(cell, str) and cell.strip() in _NO_FIGURE):
                continue
            ref = f"{table.sheet}!{cell_name(row.number, column.index)}"
            value = number(cell)
            if not isinstance(value, float):
                rejected.append(Rejected(table.sheet, ref, row.label, str(cell),
                                         "value-unparseable", f"{ref}: {cell!r} is not a number"))
                continue
            if column.problem is not None or column.period is None:
                rejected.append(Rejected(table.sheet, ref, row.label, str(value),
                                         "header-unparseable", f"{ref}: {column.problem}"))
                continue
            found, stated = _item(kind, column)
            if found is None:
                rejected.append(Rejected(
                    table.sheet, ref, row.label, str(value), "unknown-label",
                    f"{ref}: the column {column.text!r} names no item of the list "
                    f"{kind.items!r} of flows/reference/gso_items/; add it"))
                continue
            period = _period(row, column)
            status = column.status if period == column.period and column.status else (
                "estimate" if period.end >= reference_period.end else "preliminary")
            for measure in column.measures:
                unit = measure_unit(measure, column, found.unit or stated or kind.unit)
                if not unit:
                    rejected.append(Rejected(
                        table.sheet, ref, row.label, str(value), "unit-unknown",
                        f"{ref}: neither the item {found.code!r} nor the column {column.text!r} "
                        "gives a unit in flows/reference (gso_items/, gso_units.csv); add it"))
                    break
                observations.append(Observation(
                    kind.indicator, "VN", "_Z", found.value, "_Z", measure, unit, period,
                    value, status, ref))
    return observations, rejected


def item_label(column: Column) -> str:
    """The folded item label a column header names before its period words ("số hộ thiếu
    đói" of "Số hộ thiếu đói (Nghìn lượt hộ) Năm 2007"), brackets left out."""
    name = _PERIOD_WORDS.split(_IN_BRACKETS.sub(" ", fold(column.text)), maxsplit=1)[0]
    return " ".join(name.split())


def _item(kind: TableKind, column: Column) -> tuple[catalogue.Item | None, str]:
    """The item a column header names (item_label), and the unit it states in brackets."""
    stated = next((u for u in map(unit_of, _IN_BRACKETS.findall(fold(column.text))) if u), "")
    found = catalogue.item(kind.items, "", item_label(column))
    if found is not None and found.dimension != "product":
        return None, stated
    return found, stated


def _period(row: Row, column: Column) -> Period:
    """The row's month in the column's year; the column's year on the total row."""
    assert column.period is not None
    if fold(row.label) in _TOTAL:
        return column.period
    period = parse_period(row.label, column.period.end.year)
    assert period is not None  # months_by_year saw every other row is a month
    return period


