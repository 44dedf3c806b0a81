"""Find the tables of a GSO monthly workbook and the month it reports; no normalising here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flows.core import periods
from flows.core.errors import NoTablesError
from flows.core.periods import Period
from flows.readers.workbook.grid import read_workbook
from flows.readers.workbook.tables import TABLE_TITLES, Table, dated, find_tables, has_known_title


@dataclass(frozen=True)
class WorkbookTables:
    """What a workbook says: the tables chiso reads, as found, and the month they report."""

    tables: list[Table]
    reference_period: Period


def read_gso_tables(path: Path, reference_period: str | None = None) -> WorkbookTables:
    """Every IIP, trade and CPI table in the workbook at `path`.

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
    return WorkbookTables(tables, reference)


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
