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


# Issue 13's targets over the whole shared folder: figures at least 92% of the numeric cells
# (met: 94.5% on 5 December 2026), figures and quarantined at least 97% (NOT met: 95.8%; 4.2% are
# skipped for registered reasons, 3.2 points of them worked figures: GSO's scratch sums,
# differences and stale copies beside the 2014-2022 trade tables, the December agriculture and
# enterprise tables, audited cell by cell and none a published figure), nothing unaccounted
# (met). The floors hold what is reached, so a change that loses ground fails; raise them as
# the gaps close.
FIGURED_AT_LEAST = 0.945
READ_OR_QUARANTINED_AT_LEAST = 0.958
# Known gaps, each a defect to fix: none.
KNOWN_UNACCOUNTED: dict[tuple[str, str], int] = {}


def test_every_numeric_cell_of_every_workbook_is_accounted_for(shared_releases: Path) -> None:
    totals: Counter[str] = Counter()
    unaccounted: Counter[tuple[str, str]] = Counter()
    unrecognised: Counter[tuple[str, str]] = Counter()
    for path in sorted((shared_releases / "gso").glob("*.xls*")):
        contents = read_gso_workbook(path)
        for tally in contents.cells:
            totals[tally.outcome] += tally.cells
            if tally.outcome == "unaccounted":
                unaccounted[path.name, tally.sheet] += tally.cells
            if not tally.table and tally.outcome != "skipped":
                unrecognised[path.name, tally.sheet] += tally.cells
    cells = sum(totals.values())
    share = {outcome: totals[outcome] / cells for outcome in totals}
    print(f"{cells} numeric cells: " + ", ".join(f"{k} {v:.1%}" for k, v in share.items()))
    assert not unrecognised, f"sheets no catalogue row recognises: {unrecognised.most_common(20)}"
    assert dict(unaccounted) == KNOWN_UNACCOUNTED, f"unaccounted: {unaccounted.most_common(20)}"
    assert share.get("figure", 0) >= FIGURED_AT_LEAST
    assert share.get("figure", 0) + share.get("quarantined", 0) >= READ_OR_QUARANTINED_AT_LEAST


def test_december_2024_enterprise_summary_is_read_beside_its_worked_block(
        shared_releases: Path) -> None:
    # "Tổng | +/- | BQ" and GSO's sums in the header rows (L3:N8), "E - 100" beside the body.
    contents = read_gso_workbook(shared_releases / "gso" / "2024-12-29-02.Bieu-T12.2024.xlsx")
    sheet = "17. Chi tieu DN"
    figures = {o.provenance: (str(o.period), o.measure, o.value) for o in contents.observations
               if o.provenance.startswith(sheet)}
    assert figures[f"{sheet}!B10"] == ("2024-11", "level", 11159.0)
    assert figures[f"{sheet}!G17"] == ("2024", "index_yoy", 119.95114910625068)
    assert len(figures) == 64
    tallies = {(t.outcome, t.reason): t.cells for t in contents.cells if t.sheet == sheet}
    assert tallies == {("figure", ""): 64, ("skipped", "worked-figures"): 32,
                       ("skipped", "header-year"): 7}


def test_the_english_editions_services_quarters_are_those_of_the_vietnamese(
        shared_releases: Path) -> None:
    # "Performance 1st quarter | Estimate 2sd quarter | Accrued 3rd quarter" over the second
    # quarter, the third and the nine months (tests/test_gso_english_quarters.py).
    contents = read_gso_workbook(shared_releases / "gso" / "2020-09-29-03-Bieu-9.2020-EN.xlsx")
    got = {o.provenance: (str(o.period), o.measure, o.value) for o in contents.observations
           if o.provenance in ("29!B8", "29!C8", "29!D8", "29!G8")}
    assert got == {"29!B8": ("2020-Q2", "level", 895.0), "29!C8": ("2020-Q3", "level", 787.0),
                   "29!D8": ("2020-YTD09", "level", 5467.0),
                   "29!G8": ("2020-YTD09", "index_yoy", 37.6644850155012)}
