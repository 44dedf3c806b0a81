"""Read a GSO monthly workbook into validated observations and rejects."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flows.core import periods
from flows.core.errors import NoTablesError
from flows.core.model import Observation, Rejected
from flows.core.periods import Period
from flows.normalise.gso import normalise
from flows.readers.workbook.grid import read_workbook
from flows.readers.workbook.tables import TABLE_TITLES, Table, dated, find_tables, has_known_title
from flows.readers.workbook.xlsx_cells import cell_name
from flows.validate import validate


@dataclass(frozen=True)
class WorkbookContents:
    """What a workbook holds: good observations, rejects, its tables and its latest month."""

    observations: list[Observation]
    rejected: list[Rejected]
    tables: list[Table]
    reference_period: Period


def read_gso_workbook(path: Path, reference_period: str | None = None) -> WorkbookContents:
    """Observations of every IIP, trade and CPI table in the workbook at `path`.

    `reference_period` (YYYY-MM) is the release's month; when None it is the latest month
    any table reports. Raises ReadError subclasses for files that cannot be read at all.
    """
    grids = read_workbook(path, keep=has_known_title)
    given = _month(reference_period) if reference_period else None
    tables = find_tables(grids, given)
    if not tables:
        kinds = ", ".join(TABLE_TITLES)
        raise NoTablesError(
            f"{path.name}: none of the tables chiso reads ({kinds}) is in this workbook; "
            "check that it is a GSO monthly workbook, or that GSO has not renamed the tables"
        )
    reference = given or _latest_month(tables)
    if given is None:  # headers without a year take the reference's
        tables = [dated(table, reference) for table in tables]
    observations: list[Observation] = []
    rejected: list[Rejected] = []
    for table in tables:
        found, bad = normalise(table, reference)
        observations.extend(found)
        rejected.extend(bad + hidden_figures(table))
    good, invalid = validate(observations)
    return WorkbookContents(good, rejected + invalid, tables, reference)


def hidden_figures(table: Table) -> list[Rejected]:
    """A quarantine row (`error-cell`) for each figure cell showing an Excel error ("#DIV/0!")
    or holding a formula saved without its value: the figure is missing from the file."""
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


def _month(text: str) -> Period:
    year, number = text.split("-")
    return periods.month(int(year), int(number))


def _latest_month(tables: list[Table]) -> Period:
    months = [c.period for t in tables for c in t.columns if c.period and c.period.type == "M"]
    if months:
        return max(months)
    ends = [c.period.end for t in tables for c in t.columns if c.period]
    if not ends:
        raise NoTablesError("the workbook's tables name no period; cannot place it in time")
    latest = max(ends)
    return periods.month(latest.year, latest.month)
