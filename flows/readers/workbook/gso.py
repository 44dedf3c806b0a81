"""Find the tables of a GSO monthly workbook and the month it reports; no normalising here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flows.core import periods
from flows.core.errors import NoTablesError
from flows.core.periods import Period
from flows.readers.workbook.grid import Grid, read_workbook
from flows.readers.workbook.tables import Table, dated, locate_tables, title_kind

# The tables whose columns date a release when the caller gives no month: the monthly core.
DATING_KINDS = ("iip", "exports", "imports", "cpi")


@dataclass(frozen=True)
class WorkbookTables:
    """What a workbook says: the tables of the catalogue, as found, the month they report, and
    every sheet as read (for cell accounting: nothing on a sheet goes unseen)."""

    tables: list[Table]
    reference_period: Period
    grids: list[Grid] = field(default_factory=list)


def read_gso_tables(path: Path, reference_period: str | None = None) -> WorkbookTables:
    """Every catalogued table in the workbook at `path` (flows/reference/gso_tables.csv).

    `reference_period` (YYYY-MM) is the release's month; when None it is the latest month
    the IIP, trade and CPI tables report. Raises ReadError subclasses for files that cannot be
    read at all.
    """
    grids = read_workbook(path)
    given = _month(reference_period) if reference_period else None
    found = locate_tables(grids)
    if not found:
        raise NoTablesError(
            f"{path.name}: none of the tables in chiso's catalogue (flows/reference/"
            "gso_tables.csv) is in this workbook; check that it is a GSO monthly workbook, or "
            "add the renamed titles to the catalogue"
        )
    reference = given or _latest_month(found)
    # Headers without a year take the reference's.
    return WorkbookTables([dated(table, reference) for table in found], reference, grids)


def reference_month(path: Path) -> Period:
    """The month `read_gso_tables` would date the workbook at `path` by, read from the sheets
    that open with a table of the monthly core only (a backfill from a folder dates every file
    before loading any: reading each whole twice cost as much as the load). A workbook without
    such a table is read whole."""
    grids = read_workbook(path, keep=lambda head: title_kind(head) in DATING_KINDS)
    found = [table for table in locate_tables(grids) if table.kind in DATING_KINDS]
    return _latest_month(found) if found else read_gso_tables(path).reference_period


def _month(text: str) -> Period:
    year, number = text.split("-")
    return periods.month(int(year), int(number))


def _latest_month(found: list[Table]) -> Period:
    # Read with the years their titles and headers name themselves.
    tables = [dated(t, None) for t in found if t.kind in DATING_KINDS] or [
        dated(t, None) for t in found]
    months = [c.period for t in tables for c in t.columns if c.period and c.period.type == "M"]
    if months:
        return max(months)
    ends = [c.period.end for t in tables for c in t.columns if c.period]
    if not ends:
        raise NoTablesError("the workbook's tables name no period; cannot place it in time")
    latest = max(ends)
    return periods.month(latest.year, latest.month)
