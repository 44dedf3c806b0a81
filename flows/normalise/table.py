"""Turn the rows of an analyst's table into observations as its mapping says.

Value columns give one observation per row; aggregations count rows, or sum or average a
column, per period (and per value of any dimension taken from a column), so a register with
one row per industrial park becomes series. A cell that cannot be read quarantines its row with
the row number and raw values; rows quarantined for their period or a label are left out of
every aggregate, which the quarantine records.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from flows.core import periods
from flows.core.errors import MappingError
from flows.core.model import Observation, Rejected
from flows.core.periods import Period
from flows.core.text import fold
from flows.readers.table.file import TableFile, TableRow, cell_text, column_letter
from flows.readers.table.mapping import DEFAULTS, Figure, Mapping, code_problem, match_key
from flows.readers.workbook.grid import Cell

# Cells that mean "no figure" in Vietnamese statistical tables (as in flows/normalise/gso.py).
NO_DATA = {"", "-", "--", "..", "...", "x", "X", "—", "–", "*"}
# One rule per file, never guessed per value: "6.200" is 6200 in "vi" and 6.2 in "en".
_NUMBER_RULES = {
    "vi": (re.compile(r"[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?"), ".", ","),
    "en": (re.compile(r"[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?"), ",", "."),
}
_EXAMPLES = {
    "vi": "Vietnamese: dot thousands, comma decimals, e.g. 6.200 or 26.351,9",
    "en": "English: comma thousands, dot decimals, e.g. 6,200 or 26,351.9",
    "native": "a number cell, not text",
}
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class Number:
    value: float
    decimals: int | None  # places as written; None for a native (exact) number


@dataclass(frozen=True)
class MappedRow:
    """A row whose period and dimension columns could be read."""

    row: TableRow
    period: Period
    dims: dict[str, str]  # the dimensions [columns] takes from this row
    numbers: dict[str, Number | None]  # None: empty or quarantined


def parse_number(cell: Cell, style: str) -> Number | None:
    """The number in `cell` written in `style`; None for an empty or no-data cell.

    Raises ValueError when the text is not a number in that style."""
    if isinstance(cell, float):
        return Number(cell, None)
    text = cell.replace("\u00a0", " ").strip()
    if text in NO_DATA:
        return None
    if style not in _NUMBER_RULES:
        raise ValueError(text)
    pattern, thousands, decimal = _NUMBER_RULES[style]
    if not pattern.fullmatch(text):
        raise ValueError(text)
    whole, _, fraction = text.replace(thousands, "").partition(decimal)
    return Number(float(f"{whole}.{fraction}" if fraction else whole), len(fraction))


def period_of(cell: Cell, fmt: str, kind: str) -> Period:
    """The period `cell` names in format `fmt`; a date gives the period of type `kind` (M, Q,
    H, A) it falls in. Raises ValueError when it names none."""
    text = cell_text(cell).strip()
    if fmt == "vi":
        found = periods.parse_period(text)
        if found is None:
            raise ValueError(text)
        return found
    if fmt == "YYYY-MM" and (match := _YEAR_MONTH.fullmatch(text)):
        return periods.month(int(match.group(1)), int(match.group(2)))
    if fmt == "YYYY" and _YEAR.fullmatch(text):
        return periods.annual(int(text))
    if "%" not in fmt:
        raise ValueError(text)
    return period_containing(datetime.strptime(text, fmt).date(), kind)


def period_containing(day: date, kind: str) -> Period:
    if kind == "M":
        return periods.month(day.year, day.month)
    if kind == "Q":
        return periods.quarter(day.year, (day.month - 1) // 3 + 1)
    if kind == "H":
        first = day.month <= 6
        return Period(date(day.year, 1 if first else 7, 1),
                      date(day.year, 6, 30) if first else date(day.year, 12, 31), "H")
    return periods.annual(day.year)


def table_figures(
    table: TableFile, mapping: Mapping
) -> tuple[list[Observation], list[Rejected], Period]:
    """Observations, rejects, and the latest period in the table; the pipeline validates."""
    check_fits(mapping, table)
    rows, rejected = _mapped_rows(table, mapping)
    observations: list[Observation] = []
    for figure in mapping.figures:
        if figure.function == "value":
            observations.extend(_values(table, mapping, figure, rows))
        else:
            found, problems = _aggregate(table, mapping, figure, rows)
            observations.extend(found)
            rejected.extend(problems)
    return observations, rejected, max((row.period for row in rows), key=lambda p: p.end)


def check_fits(mapping: Mapping, table: TableFile) -> None:
    """Raise MappingError unless every column the mapping names is in the table, once."""
    if mapping.table.numbers == "native" and table.kind != "excel":
        raise MappingError(f"{mapping.name}: [table] numbers = \"native\" is for Excel cells; "
                           f"{table.name} is CSV text, so say \"vi\" or \"en\"")
    for place, column in mapping.referenced():
        count = table.columns.count(column)
        if count != 1:
            what = "lacks" if count == 0 else f"has {count} times"
            raise MappingError(
                f"{mapping.name}: {place} names column {column!r}, which {table.name} {what}; "
                f"its columns (header row {mapping.table.header_row}) are: "
                f"{', '.join(table.columns) or 'none'}"
            )
    if not table.rows:
        raise MappingError(f"{mapping.name}: {table.name} has no rows below the header row "
                           f"{mapping.table.header_row}; check [table] header_row")


def _mapped_rows(table: TableFile, mapping: Mapping) -> tuple[list[MappedRow], list[Rejected]]:
    constant = _constant_period(mapping)
    numbered = {f.column for f in mapping.figures if f.column}
    rows: list[MappedRow] = []
    rejected: list[Rejected] = []
    for row in table.rows:
        period, problem = (constant, None) if constant else _row_period(table, mapping, row)
        dims, label_problems = _row_dims(table, mapping, row)
        if problem or label_problems:
            rejected.extend([*([problem] if problem else []), *label_problems])
            continue
        assert period is not None
        numbers = {column: _number(table, mapping, row, column, rejected)
                   for column in sorted(numbered)}
        rows.append(MappedRow(row, period, dims, numbers))
    if not rows:
        first = rejected[0].message if rejected else ""
        raise MappingError(f"{mapping.name}: no row of {table.name} could be read; the first "
                           f"problem: {first}")
    return rows, rejected


def _constant_period(mapping: Mapping) -> Period | None:
    spec = mapping.period
    if spec.value is None:
        return None
    try:
        return period_of(spec.value, spec.format, spec.type)
    except ValueError:
        raise MappingError(f"{mapping.name}: [period] value {spec.value!r} is not a period in "
                           f"format {spec.format!r}") from None


def _row_period(
    table: TableFile, mapping: Mapping, row: TableRow
) -> tuple[Period | None, Rejected | None]:
    spec = mapping.period
    assert spec.column is not None
    cell = row.cells[spec.column]
    try:
        return period_of(cell, spec.format, spec.type), None
    except ValueError:
        return None, _reject(
            table, row, spec.column, "period-unparseable",
            f"{cell_text(cell)!r} is not a period in format {spec.format!r} (as "
            f"{mapping.name} says); correct the cell, or [period] format if the whole column "
            "is written another way",
        )


def _row_dims(
    table: TableFile, mapping: Mapping, row: TableRow
) -> tuple[dict[str, str], list[Rejected]]:
    dims: dict[str, str] = {}
    problems: list[Rejected] = []
    for dim, column in mapping.columns.items():
        raw = row.text(column).strip()
        labels = mapping.labels.get(dim)
        code = labels.get(fold(raw), "") if labels is not None else raw
        problem = "no code in [labels] for it" if labels is not None and not code else (
            code_problem(dim, code) if code else "the cell is empty")
        if problem:
            problems.append(_reject(
                table, row, column, "unknown-label",
                f"{raw!r} cannot be the {dim}: {problem}; correct the cell or add the label to "
                f"[labels.{dim}] in {mapping.name}",
            ))
        dims[dim] = code
    return dims, problems


def _number(
    table: TableFile, mapping: Mapping, row: TableRow, column: str, rejected: list[Rejected]
) -> Number | None:
    style = mapping.table.numbers
    try:
        return parse_number(row.cells[column], style)
    except ValueError:
        rejected.append(_reject(
            table, row, column, "value-unparseable",
            f"{row.text(column)!r} is not a number as {mapping.name} says this file writes "
            f"them ({_EXAMPLES[style]}); correct the cell and load the file again",
        ))
        return None


def _reject(table: TableFile, row: TableRow, column: str, code: str, message: str) -> Rejected:
    return Rejected(table.sheet, table.address(row.number, column), column, row.raw(), code,
                    f"{table.name} row {row.number}, column {column}: {message}")


def _observation(
    mapping: Mapping, figure: Figure, dims: dict[str, str], period: Period, number: Number,
    provenance: str,
) -> Observation:
    d = {**DEFAULTS, **mapping.constants, **figure.dims, **dims}
    return Observation(d["indicator"], d["geo"], d["industry"], d["product"], d["partner"],
                       d["measure"], d["unit"], period, number.value, d["status"], provenance,
                       number.decimals)


def _matches(row: TableRow, figure: Figure) -> bool:
    return all(match_key(row.text(column)) in accepted for column, accepted in figure.conditions)


def _values(
    table: TableFile, mapping: Mapping, figure: Figure, rows: list[MappedRow]
) -> list[Observation]:
    assert figure.column is not None
    return [
        _observation(mapping, figure, row.dims, row.period, number,
                     f"{table.sheet}!{table.address(row.row.number, figure.column)}")
        for row in rows
        if _matches(row.row, figure) and (number := row.numbers[figure.column]) is not None
    ]


def _aggregate(
    table: TableFile, mapping: Mapping, figure: Figure, rows: list[MappedRow]
) -> tuple[list[Observation], list[Rejected]]:
    groups: dict[tuple[Period, tuple[tuple[str, str], ...]], list[MappedRow]] = defaultdict(list)
    if figure.function == "count" and not mapping.columns:
        for row in rows:  # a period of the register with no matching row counts zero
            groups[(row.period, ())] = []
    for row in rows:
        if _matches(row.row, figure):
            groups[(row.period, tuple(sorted(row.dims.items())))].append(row)
    found: list[Observation] = []
    problems: list[Rejected] = []
    for (period, dims), members in sorted(groups.items()):
        number, problem = _combine(table, figure, members)
        if problem is not None:
            problems.append(problem)
        elif number is not None:
            used = [m.row.number for m in members  # the cells the figure is made of
                    if figure.column is None or m.numbers[figure.column] is not None]
            cells = _ranges(table, figure.column, used)
            where = f"{table.sheet}!{cells}" if cells else f"{table.sheet} (no row matches)"
            found.append(_observation(mapping, figure, dict(dims), period, number,
                                      f"{where}: {figure.describe()}"))
    return found, problems


def _combine(
    table: TableFile, figure: Figure, members: list[MappedRow]
) -> tuple[Number | None, Rejected | None]:
    if figure.function == "count":
        return Number(float(len(members)), None), None
    assert figure.column is not None
    values = [m.numbers[figure.column] for m in members]
    known = [v for v in values if v is not None]
    if not known:
        return None, None  # nothing is known, so nothing is claimed
    places = [v.decimals for v in known if v.decimals is not None]
    decimals = min(places) if places else None  # as precise as the coarsest figure
    if figure.function == "mean":  # of the rows with a known value
        return Number(math.fsum(v.value for v in known) / len(known), decimals), None
    if len(known) < len(values):
        gaps = [m.row.number for m, v in zip(members, values, strict=True) if v is None]
        return None, Rejected(
            table.sheet, _ranges(table, figure.column, gaps), figure.describe(),
            f"rows without a value: {', '.join(map(str, gaps))}", "aggregate-incomplete",
            f"{table.name}: {figure.describe()} leaves out rows {', '.join(map(str, gaps))}, "
            "which have no value; a partial sum would understate the total, so none is stored. "
            "Fill those cells, or narrow the aggregation's where",
        )
    return Number(math.fsum(v.value for v in known), decimals), None


def _ranges(table: TableFile, column: str | None, numbers: list[int]) -> str:
    """Rows as A1 ranges: "D2:D5,D7" for a column, "2:5,7" for whole rows."""
    letter = column_letter(table.positions[column]) if column else ""
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ",".join(f"{letter}{a}" if a == b else f"{letter}{a}:{letter}{b}" for a, b in spans)
