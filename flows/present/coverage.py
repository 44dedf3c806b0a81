"""Cell accounting for people: how much of each workbook or release became figures.

`chiso coverage` shows it for the releases in the warehouse (table cell_account) or for
workbooks read without loading them; the run's data-quality artifact shows the same counts
for the releases it loaded (flows/present/artifacts.py). Both go through `Account`, so a
workbook read here and the same workbook loaded give the same table.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from flows.core.errors import ChisoError
from flows.core.model import OUTCOMES, CellTally
from flows.present.terminal import render_table

# What the tables call the cells of each outcome (flows/core/model.py OUTCOMES, in order).
OUTCOME_COLUMNS = dict(zip(OUTCOMES, ("figured", "quarantined", "skipped", "unaccounted"),
                           strict=True))
# The skip reason of the cells a workbook hides (flows/normalise/gso_cells.py): counted in a
# column of their own, and left out of the share figured, which is of the cells a reader sees.
HIDDEN_REASON = "hidden-cell"
HIDDEN_COLUMN = "hidden"
# The table kind of a sheet where no table was recognised ('' in cell_account).
UNRECOGNISED = "(unrecognised)"
# ... and of one whose every numeric cell is hidden (a hidden sheet): not a gap in the reading.
HIDDEN_SHEETS = "(hidden)"
# A folder's workbooks; other files (notes, READMEs) are not read.
WORKBOOK_SUFFIXES = (".xlsx", ".xls")


@dataclass(frozen=True)
class Account:
    """The cell accounting of one release or workbook.

    `name` is the release id or the workbook's file name; `tables` the (sheet, kind) of the
    tables a reader recognised, so a workbook read before its reader counted cells still
    lists its sheets.
    """

    name: str
    cells: Sequence[CellTally]
    tables: Sequence[tuple[str, str]] = field(default_factory=tuple)

    def sheets(self) -> dict[str, list[str]]:
        """Each sheet, in the order first met, with its table kinds ('' when unrecognised)."""
        found: dict[str, list[str]] = {}
        for sheet, kind in [*((c.sheet, c.table) for c in self.cells), *self.tables]:
            kinds = found.setdefault(sheet, [])
            if kind not in kinds:
                kinds.append(kind)
        return found

    def unrecognised(self) -> list[str]:
        """The sheets with numeric cells shown on which no table was recognised."""
        counted = Counter[str]()
        for c in self.cells:
            if c.reason != HIDDEN_REASON:
                counted[c.sheet] += c.cells
        return [sheet for sheet, kinds in self.sheets().items()
                if kinds == [""] and counted[sheet]]


def outcome_counts(cells: Iterable[CellTally]) -> dict[str, int]:
    """Cells by outcome column (figured, quarantined, skipped, hidden, unaccounted); `skipped`
    without the hidden cells."""
    counts = dict.fromkeys(("figured", "quarantined", "skipped", HIDDEN_COLUMN, "unaccounted"), 0)
    for c in cells:
        column = HIDDEN_COLUMN if c.reason == HIDDEN_REASON else OUTCOME_COLUMNS[c.outcome]
        counts[column] += c.cells
    return counts


def _with_share(counts: dict[str, int]) -> dict[str, object]:
    shown = sum(counts.values()) - counts[HIDDEN_COLUMN]
    # None (shown blank) when nothing was counted: 0 % would say every cell was lost.
    return {**counts, "% figured": round(100 * counts["figured"] / shown, 2) if shown else None}


def summary(accounts: Sequence[Account], label: str, total: bool = False) -> pd.DataFrame:
    """One row per account (`label` names the first column): sheets, table kinds, cells by
    outcome, % figured, the unrecognised sheets; with a `total` row when asked."""
    rows = []
    for account in accounts:
        sheets = account.sheets()
        kinds = {k for ks in sheets.values() for k in ks if k}
        rows.append({label: account.name, "sheets": len(sheets), "table kinds": len(kinds),
                     **_with_share(outcome_counts(account.cells)),
                     "unrecognised sheets": ", ".join(account.unrecognised())})
    if total and rows:
        kinds = {k for a in accounts for ks in a.sheets().values() for k in ks if k}
        unrecognised = sum(len(a.unrecognised()) for a in accounts)
        rows.append({label: "total", "sheets": sum(len(a.sheets()) for a in accounts),
                     "table kinds": len(kinds),
                     **_with_share(outcome_counts(c for a in accounts for c in a.cells)),
                     "unrecognised sheets": f"{unrecognised} sheets" if unrecognised else ""})
    return _frame(rows)


def by_table_kind(accounts: Sequence[Account]) -> pd.DataFrame:
    """Per table kind over all accounts: sheets and cells by outcome, then the unrecognised
    sheets, then those whose every numeric cell is hidden."""
    sheets: defaultdict[str, set[tuple[str, str]]] = defaultdict(set)
    cells: defaultdict[str, list[CellTally]] = defaultdict(list)
    for account in accounts:
        hidden = _hidden_sheets(account)
        for sheet, kinds in account.sheets().items():
            for kind in kinds:
                sheets[HIDDEN_SHEETS if not kind and sheet in hidden else kind].add(
                    (account.name, sheet))
        for c in account.cells:
            cells[HIDDEN_SHEETS if not c.table and c.sheet in hidden else c.table].append(c)
    order = sorted(sheets, key=lambda kind: (kind == HIDDEN_SHEETS, kind == "", kind))
    return _frame([{"table kind": kind or UNRECOGNISED, "sheets": len(sheets[kind]),
                    **_with_share(outcome_counts(cells[kind]))} for kind in order])


def _hidden_sheets(account: Account) -> set[str]:
    """The sheets of `account` whose numeric cells are all hidden."""
    shown, hidden = Counter[str](), Counter[str]()
    for c in account.cells:
        (hidden if c.reason == HIDDEN_REASON else shown)[c.sheet] += c.cells
    return {sheet for sheet in hidden if hidden[sheet] and not shown[sheet]}


def by_sheet(account: Account) -> pd.DataFrame:
    """Per sheet of one account: its table kind, cells by outcome, and the reasons of the
    cells that are not figures ("row-numbers 12, unknown-label 3")."""
    rows = []
    for sheet, kinds in account.sheets().items():
        for kind in kinds:
            mine = [c for c in account.cells if c.sheet == sheet and c.table == kind]
            reasons = Counter[str]()
            for c in mine:
                if c.reason:
                    reasons[c.reason] += c.cells
            rows.append({"sheet": sheet, "table kind": kind or UNRECOGNISED,
                         **_with_share(outcome_counts(mine)),
                         "reasons": ", ".join(f"{r} {n}" for r, n in reasons.most_common())})
    return _frame(rows)


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    if "% figured" in frame:  # a float column even when every value is blank
        frame["% figured"] = frame["% figured"].astype(float)
    return frame


def render(accounts: Sequence[Account], label: str, total: bool = False) -> str:
    """The coverage tables as text: the summary, per table kind, and per sheet when there is
    one account."""
    parts = [render_table(summary(accounts, label, total)), "",
             "by table kind", render_table(by_table_kind(accounts))]
    if len(accounts) == 1:
        parts += ["", f"by sheet of {accounts[0].name}", render_table(by_sheet(accounts[0]))]
    return "\n".join(parts)


@dataclass(frozen=True)
class WarehouseCoverage:
    """The releases asked about that have cell accounting, latest first, and how many have
    none (not workbooks, or loaded before the warehouse kept it)."""

    accounts: list[Account]
    without: list[str]


def from_warehouse(
    con: duckdb.DuckDBPyConnection, release_ids: Sequence[str] = (), source: str = ""
) -> WarehouseCoverage:
    """The cell accounting of the warehouse's releases (all, or `release_ids`, of `source`)."""
    from warehouse.query import REPORT_DIR, statement

    text, bound = statement("cell_account", None, directory=REPORT_DIR,
                            release_ids=",".join(release_ids), source=source)
    tallies: dict[str, list[CellTally]] = {}
    for release, sheet, kind, outcome, reason, cells in con.execute(text, bound).fetchall():
        tallies.setdefault(release, [])
        if sheet is not None:
            tallies[release].append(CellTally(sheet, kind, outcome, reason, int(cells)))
    return WarehouseCoverage([Account(r, t) for r, t in tallies.items() if t],
                             [r for r, t in tallies.items() if not t])


def workbooks(folder: Path) -> list[Path]:
    """The workbooks of a folder, by name."""
    if not folder.is_dir():
        raise ChisoError(f"{folder} is not a folder; give a folder of .xlsx or .xls workbooks")
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in WORKBOOK_SUFFIXES)


def read_account(path: Path) -> Account:
    """A GSO workbook's cell accounting, read without loading it; ChisoError naming the file
    when it cannot be read."""
    from flows.pipeline import read_gso_workbook

    if not path.is_file():
        raise ChisoError(f"{path}: no such file; give the path of a .xlsx or .xls workbook")
    try:
        found = read_gso_workbook(path)
    except ChisoError as exc:
        message = str(exc)
        raise ChisoError(message if message.startswith(path.name) else f"{path}: {message}"
                         ) from None
    except OSError as exc:
        raise ChisoError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return Account(path.name, found.cells, [(t.sheet, t.kind) for t in found.tables])


def warehouse_text(con: duckdb.DuckDBPyConnection, release: str = "", source: str = "") -> str:
    """`chiso coverage`: the releases with cell accounting (or `release`, of `source`)."""
    found = from_warehouse(con, [release] if release else (), source)
    if release and not found.accounts and not found.without:
        raise ChisoError(f"no release {release!r} in the warehouse; `chiso coverage` lists "
                         "the releases with cell accounting")
    if not found.accounts and not found.without:
        return f"no release{' of ' + source if source else ''} in the warehouse yet"
    lines = []
    if found.accounts:
        lines += [f"{_releases(len(found.accounts))} with cell accounting, latest first",
                  render(found.accounts, "release"), ""]
    if found.without:
        lines.append(f"{release or _releases(len(found.without))} without cell accounting: "
                     "their reader counted no cells (not workbooks), or they were loaded "
                     "before the warehouse kept it (`chiso rebuild` loads the archive again)")
    if not release:
        lines += provider_codes(con, source)
    return "\n".join(lines).rstrip("\n")


def provider_codes(con: duckdb.DuckDBPyConnection, source: str = "") -> list[str]:
    """A line per source whose series are partly kept under the provider's own codes (the
    NSDP's ECOFIN codes without a chiso meaning yet): how many are coded, how many are not."""
    from flows.normalise.nsdp import INDICATORS_FILE, NAMESPACE
    from warehouse.query import REPORT_DIR, statement

    text, bound = statement("provider_codes", None, directory=REPORT_DIR, source=source,
                            namespace=NAMESPACE)
    return [f"{name}: {coded:,} series coded to chiso's indicators, {kept:,} kept under the "
            f"provider's code ({NAMESPACE}<code>; flows/reference/{INDICATORS_FILE} codes more)"
            for name, coded, kept in con.execute(text, bound).fetchall()]


def _releases(n: int) -> str:
    return f"{n} release{'s' if n != 1 else ''}"
