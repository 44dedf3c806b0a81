"""Find the tables of a GSO monthly workbook and the month it reports; no normalising here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flows.core import periods
from flows.core.errors import NoTablesError
from flows.core.periods import Period
from flows.readers.workbook.grid import Grid, read_workbook
from flows.readers.workbook.tables import Table, dated, locate_tables, redated, title_kind

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
    if given:
        # Headers without a year take the reference's.
        return WorkbookTables([dated(table, given) for table in found], given, grids)
    alone = _self_dated(found)
    reference = _latest_month([table for table in alone if table is not None])
    # Headers without a year take the reference's (those read alone already may stand).
    return WorkbookTables([dated(table, reference) if read is None
                           else redated(table, read, reference)
                           for table, read in zip(found, alone, strict=True)], reference, grids)


def reference_month(path: Path) -> Period:
    """The month `read_gso_tables` would date the workbook at `path` by, read from the sheets
    that open with a table of the monthly core only (a backfill from a folder dates every file
    before loading any: reading each whole twice cost as much as the load). A workbook without
    such a table is read whole."""
    grids = read_workbook(path, keep=lambda head: title_kind(head) in DATING_KINDS)
    found = [table for table in locate_tables(grids) if table.kind in DATING_KINDS]
    if not found:
        return read_gso_tables(path).reference_period
    return _latest_month([table for table in _self_dated(found) if table is not None])


def _month(text: str) -> Period:
    year, number = text.split("-")
    return periods.month(int(year), int(number))


def _self_dated(found: list[Table]) -> list[Table | None]:
    """Each table as found that dates the workbook (of DATING_KINDS; all when there are none)
    read with the years its title and headers name themselves; None for the others."""
    dating = any(t.kind in DATING_KINDS for t in found)
    return [dated(t, None) if t.kind in DATING_KINDS or not dating else None for t in found]


def _latest_month(tables: list[Table]) -> Period:
    """The latest month the `tables` (`_self_dated`) report, or the month their latest
    period ends in."""
    months = [c.period for t in tables for c in t.columns if c.period and c.period.type == "M"]
    if months:
        return max(months)
    ends = [c.period.end for t in tables for c in t.columns if c.period]
    if not ends:
        raise NoTablesError("the workbook's tables name no period; cannot place it in time")
    latest = max(ends)
    return periods.month(latest.year, latest.month)
