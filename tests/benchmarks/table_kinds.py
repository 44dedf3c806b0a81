"""Profile: where reading and normalising the GSO workbooks goes, per table kind (issue 13).

Every shared workbook goes through `flows.pipeline.read_gso_workbook` once, with a CPU timer
(time.process_time: on a shared machine wall time mostly measures the neighbours) around the
table reader's `_read_table` and `dated` (flows/readers/workbook/tables.py: find and read a
table) and around `flows.normalise.gso.normalise` (one table's observations), each charged
to the table's kind. Reading the grids, finding the titles on a sheet, validating and the
cell accounting are outside all three, and printed as the rest. The cyclic garbage collector
is paused as a backfill pauses it (flows.orchestration.backfill.collector_paused), so its
runs are not charged to whichever table was being read when they came.

    python tests/benchmarks/table_kinds.py [FOLDER] [--quick] [--top N]

FOLDER defaults to ../shared/releases/gso; --quick takes three workbooks of the bundled
mirror. No target: this says where the time of backfill.py's pipeline goes.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import ROOT, arguments, figure

from flows.normalise import gso as normaliser
from flows.orchestration.backfill import collector_paused
from flows.pipeline import read_gso_workbook
from flows.readers.workbook import gso as workbook
from flows.readers.workbook import tables

DEFAULT = ROOT.parent / "shared" / "releases" / "gso"
MIRROR = ROOT / "flows" / "mirror" / "www.gso.gov.vn"


def charged(spent: Counter[str], kind_of: Callable[..., str],
            function: Callable[..., Any]) -> Callable[..., Any]:
    """`function`, its CPU time added to `spent` under the kind `kind_of(*args)` names."""
    def timed(*args: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args)
        finally:
            spent[kind_of(*args)] += time.process_time() - start
    return timed


def main() -> None:
    def extra(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("folder", nargs="?", type=Path, help="a folder of GSO workbooks")
        parser.add_argument("--top", type=int, default=10, help="kinds listed (the slowest)")

    args = arguments(__doc__, extra)
    files = (sorted(MIRROR.rglob("*.xls*"))[:3] if args.quick
             else sorted((args.folder or DEFAULT).glob("*.xls*")))
    if not files:
        raise SystemExit(f"no workbooks in {args.folder or DEFAULT}: pass a folder of GSO "
                         "workbooks (or ../shared/releases/gso)")
    read_gso_workbook(files[0])  # imports, reference data and first-use caches, not counted
    reading: Counter[str] = Counter()
    normalising: Counter[str] = Counter()
    figures: Counter[str] = Counter()
    # (the kind of a table to be read is its second argument; of a table read, its own)
    tables._read_table = charged(reading, lambda _s, kind, *_: kind, tables._read_table)
    workbook.dated = charged(reading, lambda table, _r: table.kind, tables.dated)
    normalise = normaliser.normalise

    def counted(table: tables.Table, reference: Any) -> Any:
        good, bad = normalise(table, reference)
        figures[table.kind] += len(good)
        return good, bad

    normaliser.normalise = charged(normalising, lambda table, _r: table.kind, counted)
    start = time.process_time()
    with collector_paused():
        for path in files:
            read_gso_workbook(path)
    total = time.process_time() - start

    kinds = sorted(reading.keys() | normalising.keys(),
                   key=lambda k: reading[k] + normalising[k], reverse=True)
    print(f"{len(files)} workbooks, {sum(figures.values()):,} figures, "
          f"{total:.2f} s CPU in all")
    print("| table kind | figures | find+read ms | normalise ms | µs a figure |")
    print("| --- | ---: | ---: | ---: | ---: |")

    def line(name: str, chosen: list[str]) -> None:
        count = sum(figures[k] for k in chosen)
        spent = sum(reading[k] + normalising[k] for k in chosen)
        print(f"| {name} | {count:,} | {sum(reading[k] for k in chosen) * 1000:,.0f} | "
              f"{sum(normalising[k] for k in chosen) * 1000:,.0f} | "
              f"{spent / max(count, 1) * 1e6:.1f} |")

    for kind in kinds[:args.top]:
        line(kind, [kind])
    if kinds[args.top:]:
        line(f"the other {len(kinds[args.top:])} kinds", kinds[args.top:])
    line("all", kinds)
    rest = total - sum(reading.values()) - sum(normalising.values())
    print(f"the rest (grids, titles, validation, cell accounting): {rest * 1000:,.0f} ms")
    figure("read+normalise per figure", (sum(reading.values()) + sum(normalising.values()))
           / max(sum(figures.values()), 1) * 1e6, "µs")


if __name__ == "__main__":
    main()
