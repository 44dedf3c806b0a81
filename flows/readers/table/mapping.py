"""Load and check the TOML mapping that says how to read an analyst's table (source `files`).

A mapping names, for one CSV or Excel table, which columns hold which dimension (or a constant
for the whole file), the period column and its format, the number format, and the figures to
take: value columns row by row (`[[values]]`) and counts, sums and means over rows
(`[[aggregations]]`), which turn a register (one row per thing) into series. Every problem is a
MappingError naming the mapping file and what to change.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from flows.core.errors import MappingError
from flows.core.reference import vsic_codes
from flows.core.text import fold, nfc

# The dimensions of a series, plus the observation's status, in the order of a series key.
DIMENSIONS = ("indicator", "geo", "industry", "product", "partner", "measure", "unit", "status")
# What a figure may leave out: most analysts' tables are not by industry, product or partner.
DEFAULTS = {"industry": "_Z", "product": "_Z", "partner": "_Z", "measure": "level"}
MEASURES = ("level", "share", "index_yoy", "index_pop", "index_dec", "index_base",
            "pct_of_plan", "plan")
STATUSES = ("estimate", "preliminary", "official")
# "vi": 6.200 and 26.351,9 (the publishers' prose); "en": 6,200 and 26,351.9 (PX-Web English
# CSV); "native": cells already hold numbers (Excel), so text in them is a bad cell.
NUMBER_STYLES = ("vi", "en", "native")
# Period formats besides strptime patterns: "vi" reads "quý III/2024", "9 tháng năm 2024" with
# flows.core.periods.parse_period.
PERIOD_KEYWORDS = ("YYYY-MM", "YYYY", "vi")
# The period a date falls in; a register's "as of" date is the stock at the end of that period.
DATE_PERIOD_TYPES = ("M", "Q", "H", "A")
FUNCTIONS = ("count", "sum", "mean")
_CODE = re.compile(r"^[A-Z0-9_]+$")
# ISO 3166 alpha-2, or "VN-<GSO province code>" (Hải Phòng is VN-31), with the year a
# territory began where its borders changed (VN-31-2025, flows/reference/territories.csv).
_GEO = re.compile(r"^[A-Z]{2}(-[0-9A-Z]{1,3}(-[0-9]{4})?)?$")

_SECTIONS = {"table", "period", "constants", "columns", "labels", "values", "aggregations"}
_TABLE_KEYS = {"numbers", "sheet", "header_row", "delimiter"}
_PERIOD_KEYS = {"column", "value", "format", "type"}
_FIGURE_KEYS = {"column", "where", *DIMENSIONS}
_REQUIRED = ("indicator", "geo", "unit", "status")


@dataclass(frozen=True)
class TableSpec:
    """Where the table sits in its file and how its numbers are written."""

    numbers: str
    sheet: str | None = None  # Excel: the sheet's name; None = the first sheet
    header_row: int = 1  # 1-based row holding the column names
    delimiter: str = ","  # CSV only


@dataclass(frozen=True)
class PeriodSpec:
    """The period of each row: a column, or one period for the whole file (`value`)."""

    format: str
    column: str | None = None
    value: str | None = None
    type: str = "M"


@dataclass(frozen=True)
class Figure:
    """A value column taken row by row, or an aggregation (count, sum, mean) over rows."""

    function: str  # "value" for a value column
    column: str | None
    where: tuple[tuple[str, tuple[str, ...]], ...]  # column -> accepted values, as written
    dims: dict[str, str] = field(default_factory=dict)  # this figure's own constants
    place: str = ""  # where in the mapping it is declared, for messages

    @cached_property
    def conditions(self) -> tuple[tuple[str, frozenset[str]], ...]:
        """`where` with the accepted values as `match_key` compares them."""
        return tuple((c, frozenset(match_key(v) for v in vs)) for c, vs in self.where)

    def describe(self) -> str:
        of = f" of {self.column}" if self.column else " of rows"
        shown = ", ".join(f"{c} = {' or '.join(vs)}" for c, vs in self.where)
        return f"{self.function}{of}" + (f" where {shown}" if shown else "")


@dataclass(frozen=True)
class Mapping:
    name: str  # the mapping file's name as the analyst knows it
    table: TableSpec
    period: PeriodSpec
    constants: dict[str, str]
    columns: dict[str, str]  # dimension -> column
    labels: dict[str, dict[str, str]]  # dimension -> folded label -> code
    figures: tuple[Figure, ...]

    def referenced(self) -> list[tuple[str, str]]:
        """(place in the mapping, column) for every column the mapping names."""
        found = [(f"[columns] {dim}", column) for dim, column in self.columns.items()]
        if self.period.column:
            found.append(("[period] column", self.period.column))
        for figure in self.figures:
            if figure.column:
                found.append((f"{figure.place} column", figure.column))
            found.extend((f"{figure.place} where", column) for column, _ in figure.where)
        return found


def match_key(text: str) -> str:
    """How `where` compares a cell with the mapping: NFC, spaces folded, case ignored."""
    return nfc(text).casefold()


def load_mapping(path: Path, name: str | None = None) -> Mapping:
    """The mapping in the TOML file at `path`; `name` is the file's name as the analyst knows
    it (the archive keeps it under its hash). Raises MappingError on any problem."""
    name = name or path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MappingError(f"{name}: no such mapping file; give --mapping PATH.toml") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MappingError(f"{name}: not a valid UTF-8 TOML file ({exc}); fix its syntax") from None
    return _Parser(name).mapping(data)


class _Parser:
    """Builds a Mapping from parsed TOML, naming the mapping file in every error."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, text: str) -> MappingError:
        return MappingError(f"{self.name}: {text}")

    def mapping(self, data: dict[str, Any]) -> Mapping:
        self.keys(data, _SECTIONS, "the top level")
        for key in ("constants", "columns"):
            self.keys(self.section(data, key), set(DIMENSIONS), f"[{key}]")
        constants = {k: self.code(k, v, "[constants]")
                     for k, v in self.section(data, "constants").items()}
        columns = {k: self.text(v, f"[columns] {k}")
                   for k, v in self.section(data, "columns").items()}
        both = sorted(set(constants) & set(columns))
        if both:
            raise self.fail(f"{', '.join(both)} is both in [constants] and [columns]; keep one")
        figures = (*self.figures(data, "values"), *self.figures(data, "aggregations"))
        if not figures:
            raise self.fail("declares no figures; add a [[values]] or [[aggregations]] entry")
        mapping = Mapping(self.name, self.table(self.section(data, "table")),
                          self.period(self.section(data, "period")), constants, columns,
                          self.labels(self.section(data, "labels"), columns), figures)
        for figure in figures:
            self.complete(figure, mapping)
        return mapping

    def section(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(f"[{key}] must be a table of keys, found {value!r}")
        return value

    def keys(self, data: dict[str, Any], allowed: set[str], where: str) -> None:
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise self.fail(f"unknown key {unknown[0]!r} in {where}; expected one of "
                            f"{', '.join(sorted(allowed))}")

    def text(self, value: object, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where} must be a non-empty string, found {value!r}")
        return nfc(value)

    def code(self, dim: str, value: object, where: str) -> str:
        code = self.text(value, f"{where} {dim}")
        problem = code_problem(dim, code)
        if problem:
            raise self.fail(f"{where} {dim}: {problem}")
        return code

    def table(self, data: dict[str, Any]) -> TableSpec:
        self.keys(data, _TABLE_KEYS, "[table]")
        numbers = data.get("numbers")
        if numbers not in NUMBER_STYLES:
            raise self.fail(f"[table] numbers must be one of {', '.join(NUMBER_STYLES)} (decided "
                            f"for the whole file), found {numbers!r}")
        header_row = data.get("header_row", 1)
        if not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 1:
            raise self.fail(f"[table] header_row is the 1-based row of the column names, found "
                            f"{header_row!r}")
        sheet = data.get("sheet")
        delimiter = data.get("delimiter", ",")
        if not isinstance(delimiter, str) or len(delimiter) != 1:
            raise self.fail(f"[table] delimiter must be one character, found {delimiter!r}")
        return TableSpec(numbers, None if sheet is None else self.text(sheet, "[table] sheet"),
                         header_row, delimiter)

    def period(self, data: dict[str, Any]) -> PeriodSpec:
        self.keys(data, _PERIOD_KEYS, "[period]")
        if ("column" in data) == ("value" in data):
            raise self.fail("[period] needs either column (the period of each row) or value "
                            "(one period for the whole file)")
        fmt = self.text(data.get("format"), "[period] format")
        kind = data.get("type", "M")
        if kind not in DATE_PERIOD_TYPES:
            raise self.fail(f"[period] type must be one of {', '.join(DATE_PERIOD_TYPES)}, "
                            f"found {kind!r}")
        check_period_format(fmt, self.fail)
        column, value = data.get("column"), data.get("value")
        return PeriodSpec(fmt, None if column is None else self.text(column, "[period] column"),
                          None if value is None else self.text(value, "[period] value"), kind)

    def labels(self, data: dict[str, Any], columns: dict[str, str]) -> dict[str, dict[str, str]]:
        labels: dict[str, dict[str, str]] = {}
        for dim, table in data.items():
            if dim not in columns:
                raise self.fail(f"[labels.{dim}] translates a column's labels, but {dim} is not "
                                "in [columns]")
            if not isinstance(table, dict):
                raise self.fail(f"[labels.{dim}] must map labels to codes")
            labels[dim] = {fold(str(k)): self.code(dim, v, f"[labels.{dim}]")
                           for k, v in table.items()}
        return labels

    def figures(self, data: dict[str, Any], key: str) -> list[Figure]:
        entries = data.get(key, [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise self.fail(f"{key} must be written as [[{key}]] tables")
        return [self.figure(entry, f"[[{key}]] #{n}", key == "aggregations")
                for n, entry in enumerate(entries, start=1)]

    def figure(self, entry: dict[str, Any], place: str, aggregation: bool) -> Figure:
        allowed = _FIGURE_KEYS | ({"function"} if aggregation else set())
        self.keys(entry, allowed, place)
        function = entry.get("function") if aggregation else "value"
        if function not in (*FUNCTIONS, "value"):
            raise self.fail(f"{place} function must be one of {', '.join(FUNCTIONS)}, "
                            f"found {function!r}")
        column = entry.get("column")
        if (function == "count") == (column is not None):
            raise self.fail(f"{place}: " + ("count takes no column" if column else
                                            f"{function} needs the column it reads"))
        dims = {k: self.code(k, v, place) for k, v in entry.items() if k in DIMENSIONS}
        return Figure(function, None if column is None else self.text(column, place),
                      self.where(entry.get("where", {}), place), dims, place)

    def where(self, data: object, place: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        if not isinstance(data, dict):
            raise self.fail(f"{place} where must be an inline table, e.g. "
                            '{ kind = "KCN", status = ["operating", "planned"] }')
        conditions = []
        for column, accepted in data.items():
            values = accepted if isinstance(accepted, list) else [accepted]
            texts = [self.text(v, f"{place} where {column}") for v in values]
            conditions.append((nfc(column), tuple(texts)))
        return tuple(conditions)

    def complete(self, figure: Figure, mapping: Mapping) -> None:
        clash = sorted(set(figure.dims) & set(mapping.columns))
        if clash:
            raise self.fail(f"{figure.place} sets {clash[0]}, which [columns] takes from a column")
        given = {*DEFAULTS, *mapping.constants, *mapping.columns, *figure.dims}
        missing = [dim for dim in _REQUIRED if dim not in given]
        if missing:
            raise self.fail(f"{figure.place} has no {', '.join(missing)}; set it in the entry, "
                            "in [constants] or in [columns]")


def code_problem(dim: str, code: str) -> str | None:
    """Why `code` cannot be a value of dimension `dim`, or None when it can."""
    if dim == "measure" and code not in MEASURES:
        return f"{code!r} is not a measure; expected one of {', '.join(MEASURES)}"
    if dim == "status" and code not in STATUSES:
        return f"{code!r} is not a status; expected one of {', '.join(STATUSES)}"
    if dim == "geo" and not _GEO.match(code):
        return f"{code!r} is not a geography code such as VN, VN-31 or US"
    if dim == "industry" and code not in {"_Z", *vsic_codes()}:
        return f"{code!r} is not in flows/reference/vsic.csv (or _Z, not applicable)"
    if dim in ("indicator", "product", "partner", "unit") and not _CODE.match(code):
        return f"{code!r} is not an upper-case code (A-Z, 0-9, _)"
    return None


def check_period_format(fmt: str, fail: Callable[[str], MappingError]) -> None:
    """A keyword, or a strptime pattern with a year that reads back what it writes."""
    if fmt in PERIOD_KEYWORDS:
        return
    sample = datetime(2024, 9, 30)
    try:
        ok = "%" in fmt and datetime.strptime(sample.strftime(fmt), fmt).year == 2024
    except ValueError:
        ok = False
    if not ok or not re.search(r"%[Yy]", fmt):
        raise fail(f"[period] format {fmt!r} is not one of {', '.join(PERIOD_KEYWORDS)} nor a "
                   "strptime pattern with a year such as %Y-%m-%d or %d/%m/%Y")
