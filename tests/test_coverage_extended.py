"""Extended: every GSO workbook in ../shared/releases/gso: every IIP, trade and CPI table in it
found and fully mapped (failing with every label or header it could not place), and every
numeric cell of every sheet accounted for, against issue 13's targets."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from flows.core.errors import NoTablesError
from flows.pipeline import read_gso_workbook

pytestmark = pytest.mark.extended

# Mapping problems; `duplicate-observation` and `value-out-of-range` are data checks, reported
# but not coverage failures.
MAPPING_CODES = {"unknown-label", "header-unparseable", "value-unparseable"}
# Workbooks that hold none of the tables by design: the English twin of September 2020
# (its tables are in English; the Vietnamese workbook of that month is the release).
NOT_RELEASES = {"2020-09-29-03-Bieu-9.2020-EN.xlsx"}


# The tables read with hand-built lists since the start (industry_aliases.csv, commodities.csv,
# cpi_groups.csv): every label and header of theirs is mapped. The catalogue's other tables are
# held to the cell-accounting targets below.
CORE_KINDS = {"iip", "exports", "imports", "cpi"}


def test_every_core_table_in_every_workbook_is_mapped(shared_releases: Path) -> None:
    workbooks = sorted((shared_releases / "gso").glob("*.xls*"))
    assert len(workbooks) >= 111
    problems: list[str] = []
    tables: Counter[str] = Counter()
    for path in workbooks:
        if path.name in NOT_RELEASES:
            continue
        try:
            contents = read_gso_workbook(path)
        except NoTablesError as exc:
            problems.append(str(exc))
            continue
        tables.update(t.kind for t in contents.tables)
        core = {t.sheet for t in contents.tables if t.kind in CORE_KINDS}
        problems += [f"{path.name} {r.code}: {r.message}" for r in contents.rejected
                     if r.code in MAPPING_CODES and r.sheet in core]
    print(f"tables found: {dict(tables)} in {len(workbooks)} workbooks")
    assert not problems, f"{len(problems)} unmapped:\n" + "\n".join(problems[:200])


# Issue 13's targets over the whole shared folder, as shares of the numeric cells a reader of
# the workbooks sees: figures at least 92% (97.9% once the labour, job-placement and unit
# causes were read, 98.9% with the quarantined; 97.89% once the 228 figures of December 2024's
# quarterly investment table, headed with 2023's template, were quarantined as stale-headers
# rather than read as 2023's), nothing unaccounted. The cells the workbooks
# hide (hidden rows, columns and sheets, legacy .xls ones too: 14,716 of 335,049, skip reason
# hidden-cell; GSO's last-year columns, stale copies and sums) are left out of those shares and
# held by floors of their own over every numeric cell (figures 93.59%, figures and quarantined
# 94.6%), so hiding cannot swallow published ones.
# The floors hold what is reached, so a change that loses ground fails; raise them as gaps close.
FIGURED_AT_LEAST = 0.978
READ_OR_QUARANTINED_AT_LEAST = 0.989
OF_EVERY_CELL_FIGURED_AT_LEAST = 0.935
OF_EVERY_CELL_READ_OR_QUARANTINED_AT_LEAST = 0.945
# Known gaps, each a defect to fix: none.
KNOWN_UNACCOUNTED: dict[tuple[str, str], int] = {}


def test_every_numeric_cell_of_every_workbook_is_accounted_for(shared_releases: Path) -> None:
    totals: Counter[str] = Counter()
    unaccounted: Counter[tuple[str, str]] = Counter()
    unrecognised: Counter[tuple[str, str]] = Counter()
    for path in sorted((shared_releases / "gso").glob("*.xls*")):
        contents = read_gso_workbook(path)
        for tally in contents.cells:
            totals["hidden" if tally.reason == "hidden-cell" else tally.outcome] += tally.cells
            if tally.outcome == "unaccounted":
                unaccounted[path.name, tally.sheet] += tally.cells
            if not tally.table and tally.outcome != "skipped":
                unrecognised[path.name, tally.sheet] += tally.cells
    cells = sum(totals.values())
    shown = cells - totals["hidden"]
    print(f"{cells} numeric cells, {shown} shown: "
          + ", ".join(f"{k} {v / shown:.1%}" for k, v in totals.items() if k != "hidden")
          + f"; hidden {totals['hidden']}")
    assert not unrecognised, f"sheets no catalogue row recognises: {unrecognised.most_common(20)}"
    assert dict(unaccounted) == KNOWN_UNACCOUNTED, f"unaccounted: {unaccounted.most_common(20)}"
    assert totals["figure"] / shown >= FIGURED_AT_LEAST
    assert (totals["figure"] + totals["quarantined"]) / shown >= READ_OR_QUARANTINED_AT_LEAST
    assert totals["figure"] / cells >= OF_EVERY_CELL_FIGURED_AT_LEAST
    assert ((totals["figure"] + totals["quarantined"]) / cells
            >= OF_EVERY_CELL_READ_OR_QUARANTINED_AT_LEAST)


def test_december_2024_enterprise_summary_is_read_beside_its_hidden_columns(
        shared_releases: Path) -> None:
    # Columns I:J (December and the year 2023) and the worked block L:N ("Tổng | +/- | BQ",
    # GSO's sums in the header rows) are hidden: none of their numbers is a figure, all counted.
    contents = read_gso_workbook(shared_releases / "gso" / "2024-12-29-02.Bieu-T12.2024.xlsx")
    sheet = "17. Chi tieu DN"
    figures = {o.provenance: (str(o.period), o.measure, o.value) for o in contents.observations
               if o.provenance.startswith(sheet)}
    assert figures[f"{sheet}!B10"] == ("2024-11", "level", 11159.0)
    assert figures[f"{sheet}!G17"] == ("2024", "index_yoy", 119.95114910625068)
    assert len(figures) == 48
    assert not any(ref[len(sheet) + 1] in "IJLMN" for ref in figures)
    tallies = {(t.outcome, t.reason): t.cells for t in contents.cells if t.sheet == sheet}
    assert tallies == {("figure", ""): 48, ("skipped", "hidden-cell"): 50,
                       ("skipped", "header-year"): 5}
