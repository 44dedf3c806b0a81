"""What a GSO table cell says as a figure, and the status of a column's figures: shared by the
normalisers of the catalogue's tables (flows/normalise/gso.py, gso_items.py)."""

from __future__ import annotations

import re

from flows.core.periods import Period
from flows.readers.numbers import UnparseableNumberError, parse_number
from flows.readers.workbook.headers import Column
from flows.readers.workbook.tables import Table

# A figure stored as text with a decimal point ("-0.09" in the March 2018 CPI table, "922.20").
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")
# Minus signs as typed: hyphen, the minus sign, an en dash.
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-"})
_DIGIT_SPACE = re.compile(r"(?<=\d)\s+(?=\d)")
# One point or comma followed by exactly three digits, after one to three digits not led by a
# zero: "1.234" is 1234 by the Vietnamese rule and 1.234 by the decimal point GSO's text cells
# also use ("922.20"); nothing in the cell tells which, so it is quarantined, never guessed.
_AMBIGUOUS = re.compile(r"-?[1-9]\d{0,2}[.,]\d{3}")


def number(cell: float | str) -> float | str:
    """A figure typed as text as the number it is: "922.20" (a decimal point), "34.049,6" and
    "−5,2" (Vietnamese: points group thousands, a comma marks decimals), "1 234"; any other
    text, and an ambiguous "1.234" or "1,234", comes back as it is, for the caller to
    quarantine."""
    if not isinstance(cell, str):
        return cell
    text = _DIGIT_SPACE.sub("", cell.strip().translate(_MINUS)).replace(" ", "")
    if _AMBIGUOUS.fullmatch(text):
        return cell
    if _PLAIN_NUMBER.fullmatch(text):
        return float(text)
    try:
        return parse_number(text)[0]
    except UnparseableNumberError:
        return cell


def status(table: Table, column: Column, reference_period: Period) -> str:
    """The status of a column's figures: as its header states it, else as the table states it
    for the same period, else by default."""
    assert column.period is not None
    return (column.status or _stated_status(table, column)
            or _default_status(table.kind, column.period, reference_period))


def _stated_status(table: Table, column: Column) -> str | None:
    """The status the table states for the same period elsewhere: an index column takes the
    "Sơ bộ" or "Ước tính" written over the level it is computed from."""
    return next(
        (c.status for c in table.columns
         if c.status and c.period == column.period and c.basis == column.basis),
        None,
    )


def _default_status(kind: str, period: Period, reference_period: Period) -> str:
    """Status when the header names none: CPI is measured, not estimated; for other tables
    the release's own month is an estimate and earlier periods are revised figures."""
    if kind == "cpi":
        return "official"
    return "estimate" if period.end >= reference_period.end else "preliminary"


def measure_unit(measure: str, column: Column, level_unit: str) -> str:
    """A figure's unit from its measure: an index's base, a percentage, or the level's unit."""
    if measure == "index_base":
        return f"INDEX_{column.base_year}"
    if measure in ("share", "pct_of_plan"):
        return "PCT"
    if measure.startswith("index"):
        return "INDEX"
    return level_unit
