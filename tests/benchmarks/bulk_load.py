"""Benchmark: 10 million synthetic SDMX-shaped observations through the load stage
(warehouse.connect.load_frame: release row, series, reported figures, vintages, in one
transaction per release), against a raw DuckDB insert of the same rows from Arrow into a
table without keys, in the same run. Each side runs in a child process of its own, so its
peak resident memory is its own.

    python tests/benchmarks/bulk_load.py [--quick] [--series N] [--periods N] [--vintages N]

The dataset: 2,000 series (20 indicators x 10 areas x 10 products) x 500 monthly periods,
published in 10 vintages; each vintage revises about 10% of the figures. It arrives as an
SDMX dataset with vintages does: one release per vintage and block of series (a query by
series key), streamed one block at a time (--block series, default 500: 250,000 rows a
release, 40 releases). Targets: load rate >= 0.5 of the raw rate; peak RSS of the load < 2 GB.
--statements prints where the load's time goes, statement by statement; --checkpoint-threshold
runs the load with another DuckDB checkpoint_threshold (16MB, DuckDB's default, to compare).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
from common import arguments, figure

GENERATE = """
select
    $release as release_id,
    'BLK' || (s // 100) || '.G' || (s // 10 % 10) || '._T.P' || (s % 10) || '._Z.VALUE.USD'
        as series_key,
    'BLK' || (s // 100) as indicator, 'G' || (s // 10 % 10) as geo, '_T' as industry,
    'P' || (s % 10) as product, '_Z' as partner, 'value' as measure, 'USD' as unit,
    'M' as period_type,
    (date '1985-01-01' + to_months(p::integer))::date as period_start,
    last_day(date '1985-01-01' + to_months(p::integer)) as period_end,
    ((s * 31 + p * 17) % 1000) / 10.0
        + case when (s * 7 + p * 13 + $vintage) % 20 = 0 then $vintage / 100.0 else 0 end
        as value,
    'A' as status, null::varchar as provenance, 1::integer as decimals
from range($first, $last) a(s), range(0, $periods) b(p)
order by s, p
"""


def chunks(series: int, periods: int, vintages: int, block: int
           ) -> Iterator[tuple[int, int, pa.Table]]:
    """(vintage, first series, Arrow table of FRAME_SCHEMA) per release, one at a time."""
    import duckdb

    from warehouse.load import FRAME_SCHEMA

    gen = duckdb.connect()
    for vintage in range(1, vintages + 1):
        for first in range(0, series, block):
            params = {"release": _release_id(vintage, first), "vintage": vintage,
                      "first": first, "last": min(first + block, series), "periods": periods}
            table = gen.execute(GENERATE, params).to_arrow_table().cast(FRAME_SCHEMA)
            yield vintage, first, table
    gen.close()


def _release_id(vintage: int, first: int) -> str:
    return f"sdmx:bulk-v{vintage:02d}-s{first:05d}"


class StatementTimes:
    """A connection that adds up the time of each statement it runs (`--statements`)."""

    def __init__(self, con: Any) -> None:
        self.con = con
        self.seconds: dict[str, float] = {}
        self.calls: Counter[str] = Counter()

    def execute(self, sql: str, *args: Any) -> Any:
        began = time.perf_counter()
        try:
            return self.con.execute(sql, *args)
        finally:
            key = " ".join(sql.split())[:72]
            self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - began
            self.calls[key] += 1

    def __getattr__(self, name: str) -> Any:
        return getattr(self.con, name)

    def print(self) -> None:
        for key, seconds in sorted(self.seconds.items(), key=lambda item: -item[1]):
            print(f"{seconds:7.2f} s {self.calls[key]:4d}x  {key}", file=sys.stderr)


def run_load(work: Path, args: argparse.Namespace) -> dict[str, float]:
    """The load stage, one release per chunk, into a fresh warehouse file."""
    import duckdb

    from warehouse.connect import load_frame
    from warehouse.file_backend import WRITER_CONFIG
    from warehouse.load import ReleaseRecord
    from warehouse.migrate import migrate

    config = {**WRITER_CONFIG, **({"checkpoint_threshold": args.checkpoint_threshold}
                                  if args.checkpoint_threshold else {})}
    con = duckdb.connect(str(work / "bulk.duckdb"), config=config)
    migrate(con)
    profiled = StatementTimes(con) if args.statements else None
    seconds, rows, added, revised = 0.0, 0, 0, 0
    start = datetime(2020, 1, 1)
    for vintage, first, table in chunks(args.series, args.periods, args.vintages, args.block):
        published = start + timedelta(days=30 * vintage, minutes=first)
        release = _release_id(vintage, first)
        record = ReleaseRecord(release, "sdmx", "BULK", "2026-08", published, None, None,
                               f"{release}.xml", release.ljust(64, "0"), "")
        began = time.perf_counter()
        result = load_frame(profiled or con, record, table, [])  # type: ignore[arg-type]
        seconds += time.perf_counter() - began
        rows += table.num_rows
        added, revised = added + result.added, revised + result.revised
    began = time.perf_counter()
    con.close()  # the checkpoint belongs to the load
    seconds += time.perf_counter() - began
    if profiled:
        profiled.seconds["close (the final checkpoint)"] = time.perf_counter() - began
        profiled.calls["close (the final checkpoint)"] = 1
        profiled.print()
    return {"seconds": seconds, "rows": rows, "added": added, "revised": revised}


def run_raw(work: Path, args: argparse.Namespace) -> dict[str, float]:
    """The same rows inserted as they come, into a keyless table of `reported`'s columns."""
    import duckdb

    con = duckdb.connect(str(work / "raw.duckdb"))
    con.execute("create table raw (release_id varchar, series_key varchar, "
                "period_type varchar, period_start date, period_end date, value double, "
                "status varchar, provenance varchar, decimals integer)")
    seconds, rows = 0.0, 0
    for _, _, table in chunks(args.series, args.periods, args.vintages, args.block):
        began = time.perf_counter()
        con.execute("begin")
        con.register("chunk", table)
        con.execute("insert into raw select release_id, series_key, period_type, "
                    "period_start, period_end, value, status, provenance, decimals from chunk")
        con.unregister("chunk")
        con.execute("commit")
        seconds += time.perf_counter() - began
        rows += table.num_rows
    began = time.perf_counter()
    con.close()
    seconds += time.perf_counter() - began
    return {"seconds": seconds, "rows": rows}


def child(phase: str, args: argparse.Namespace, work: Path) -> tuple[dict[str, float], float]:
    """Run one phase in a fresh interpreter; its result and its peak RSS in MB."""
    command = [sys.executable, __file__, "--phase", phase, "--work", str(work),
               "--series", str(args.series), "--periods", str(args.periods),
               "--vintages", str(args.vintages), "--block", str(args.block),
               *(["--statements"] if args.statements else []),
               *(["--checkpoint-threshold", args.checkpoint_threshold]
                 if args.checkpoint_threshold else [])]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"the {phase} phase failed (exit {process.returncode})")
    return json.loads(output.strip().splitlines()[-1]), usage.ru_maxrss / 1024


def main() -> None:
    def extra(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--series", type=int, default=2000)
        parser.add_argument("--periods", type=int, default=500)
        parser.add_argument("--vintages", type=int, default=10)
        parser.add_argument("--block", type=int, default=500, help="series a release")
        parser.add_argument("--statements", action="store_true",
                            help="print the load's time by statement (on stderr)")
        parser.add_argument("--checkpoint-threshold", metavar="SIZE",
                            help="the load's DuckDB checkpoint_threshold instead of the "
                                 "writer's (e.g. 16MB, DuckDB's default)")
        parser.add_argument("--phase", choices=["load", "raw"], help=argparse.SUPPRESS)
        parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)

    args = arguments(__doc__, extra)
    if args.phase:
        run = run_load if args.phase == "load" else run_raw
        print(json.dumps(run(args.work, args)))
        return
    if args.quick:
        args.series, args.periods, args.vintages, args.block = 40, 50, 3, 20
    total = args.series * args.periods * args.vintages
    releases = args.vintages * -(-args.series // args.block)
    print(f"{args.series:,} series x {args.periods:,} periods x {args.vintages} vintages = "
          f"{total:,} observations in {releases} releases", flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        raw, raw_rss = child("raw", args, Path(scratch))
        load, load_rss = child("load", args, Path(scratch))
        assert raw["rows"] == load["rows"] == total, (raw, load, total)
    raw_rate, load_rate = total / raw["seconds"], total / load["seconds"]
    print(f"raw DuckDB insert from Arrow: {raw['seconds']:8.2f} s, {raw_rate:12,.0f} rows/s, "
          f"peak RSS {raw_rss:,.0f} MB")
    print(f"load stage (warehouse.load): {load['seconds']:8.2f} s, {load_rate:12,.0f} rows/s, "
          f"peak RSS {load_rss:,.0f} MB; vintages opened {load['added']:,.0f}, revisions "
          f"{load['revised']:,.0f}")
    figure("bulk load rate", load_rate, "rows/s")
    figure("bulk load rate / raw insert rate", load_rate / raw_rate, "x", ">= 0.5")
    figure("bulk load peak RSS", load_rss, "MB", "< 2048")


if __name__ == "__main__":
    main()
