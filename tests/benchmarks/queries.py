"""Benchmark: the two questions analysts ask most, on a warehouse of 50 million observation
vintages: `as_of` for one series, and `v_latest` for a whole indicator (medians).

    python tests/benchmarks/queries.py [--quick] [--indicators N] [--series N] [--periods N]
                                       [--vintages N]

The warehouse is the real schema (warehouse.migrate) filled inside DuckDB with range(), in
the order loads leave it (release by release): 200 indicators x 100 series (areas) x 250
monthly periods x 10 vintages = 50,000,000 vintages, each with the figure its release
reported (`reported`, 50,000,000 rows more). Baseline in the same run: a plain count of the
indicator's current vintages straight from `observation`. Targets: as_of < 50 ms,
v_latest for an indicator < 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from common import arguments, figure, peak_rss_mb

RELEASES = """
insert into release
select 'sdmx:q-v' || lpad(v::varchar, 2, '0'), 'sdmx', 'BENCH', '2016-' || lpad(v::varchar, 2, '0'),
       timestamp '2016-01-15' + to_months(v::integer), null, null, 'q.xml',
       lpad(v::varchar, 64, '0'), '', $periods * $series, 0, 0, 0, current_timestamp
from range(1, $vintages + 1) r(v)
"""
SERIES = """
insert into series
select 'Q' || lpad((s // $per)::varchar, 3, '0') || '.G' || (s % $per) || '._T._Z._Z.VALUE.USD',
       'Q' || lpad((s // $per)::varchar, 3, '0'), 'G' || (s % $per), '_T', '_Z', '_Z', 'value',
       'USD'
from range(0, $series) r(s)
"""
# One statement per vintage, as releases arrive; every vintage revises every figure.
REPORTED = """
insert into reported
select 'sdmx:q-v' || lpad($v::varchar, 2, '0'),
       'Q' || lpad((s // $per)::varchar, 3, '0') || '.G' || (s % $per) || '._T._Z._Z.VALUE.USD',
       'M', (date '2000-01-01' + to_months(p::integer))::date,
       last_day(date '2000-01-01' + to_months(p::integer)),
       ((s * 31 + p * 17) % 1000) / 10.0 + $v / 100.0, 'A', null, 2
from range(0, $series) a(s), range(0, $periods) b(p)
"""
OBSERVATIONS = """
insert into observation
select series_key, period_type, period_start, period_end, 'sdmx', value, status, release_id,
       timestamp '2016-01-15' + to_months($v::integer),
       case when $v < $vintages then timestamp '2016-01-15' + to_months($v::integer + 1) end
from reported where release_id = 'sdmx:q-v' || lpad($v::varchar, 2, '0')
"""
CLOSE = """
update observation set valid_to = timestamp '2016-01-15' + to_months($v::integer)
where release_id = 'sdmx:q-v' || lpad(($v - 1)::varchar, 2, '0')
"""


def build(path: Path, indicators: int, per: int, periods: int, vintages: int) -> float:
    """The warehouse at `path`; returns the seconds it took.

    `reported` and `observation` are filled without their keys, which are then built in one
    go (ALTER TABLE ... ADD PRIMARY KEY): row by row, 100 million keyed rows take hours on
    two cores. DuckDB cannot add foreign keys to a filled table, so `reported` has none
    here; no query uses them.
    """
    import duckdb

    from warehouse.migrate import drop_views, migrate, rebuild_views

    began = time.perf_counter()
    con = duckdb.connect(str(path))
    migrate(con)
    drop_views(con)
    for table in ("reported", "observation"):
        con.execute(f"create table {table}_bulk as select * from {table} limit 0")
        con.execute(f"drop table {table}")
        con.execute(f"alter table {table}_bulk rename to {table}")
    series = indicators * per
    con.execute(RELEASES, {"series": series, "periods": periods, "vintages": vintages})
    con.execute(SERIES, {"series": series, "per": per})
    for v in range(1, vintages + 1):
        con.execute("begin")
        con.execute(REPORTED, {"v": v, "series": series, "per": per, "periods": periods})
        con.execute(OBSERVATIONS, {"v": v, "vintages": vintages})
        con.execute("commit")
        print(f"  vintage {v}/{vintages} written ({time.perf_counter() - began:.0f} s)",
              flush=True)
    con.execute("alter table reported add primary key "
                "(release_id, series_key, period_type, period_start, period_end)")
    con.execute("alter table observation add primary key "
                "(series_key, period_type, period_start, period_end, source, valid_from)")
    rebuild_views(con)
    con.close()
    return time.perf_counter() - began


def median_ms(con: object, sql: str, params: list[object], rounds: int) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(rounds):
        began = time.perf_counter()
        rows = len(con.execute(sql, params).fetchall())  # type: ignore[attr-defined]
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), rows


def main() -> None:
    def extra(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--indicators", type=int, default=200)
        parser.add_argument("--series", type=int, default=100, help="series an indicator")
        parser.add_argument("--periods", type=int, default=250)
        parser.add_argument("--vintages", type=int, default=10)
        parser.add_argument("--rounds", type=int, default=11)
        parser.add_argument("--keep", type=Path, help="build here and keep the file (reused "
                            "when it exists)")

    args = arguments(__doc__, extra)
    if args.quick:
        args.indicators, args.series, args.periods, args.vintages, args.rounds = 4, 5, 12, 3, 3
    import duckdb

    total = args.indicators * args.series * args.periods * args.vintages
    with tempfile.TemporaryDirectory() as scratch:
        path = args.keep or Path(scratch) / "queries.duckdb"
        if not path.exists():
            print(f"building {total:,} observation vintages ...", flush=True)
            seconds = build(path, args.indicators, args.series, args.periods, args.vintages)
            print(f"built in {seconds:.0f} s; {path.stat().st_size / 1e9:.2f} GB on disk")
        else:  # a kept warehouse: the views as sql/views has them now
            from warehouse.migrate import rebuild_views

            writable = duckdb.connect(str(path))
            rebuild_views(writable)
            writable.close()
        con = duckdb.connect(str(path), read_only=True)
        count = con.execute("select count(*) from observation").fetchone()
        print(f"{count[0] if count else 0:,} observation vintages")
        indicator = f"Q{args.indicators // 2:03d}"
        series = f"{indicator}.G{args.series // 2}._T._Z._Z.VALUE.USD"
        moment = f"2016-{1 + args.vintages // 2:02d}-20"  # between two vintages
        baseline_ms, _ = median_ms(
            con, "select count(*) from observation o join series s using (series_key) "
            "where s.indicator = ? and o.valid_to is null", [indicator], args.rounds)
        as_of_ms, as_of_rows = median_ms(
            con, "select * from as_of(?::timestamp) where series_key = ?", [moment, series],
            args.rounds)
        latest_ms, latest_rows = median_ms(
            con, "select * from v_latest where indicator = ?", [indicator], args.rounds)
        con.close()
    print(f"median of {args.rounds} runs; peak RSS of this process {peak_rss_mb():,.0f} MB")
    print(f"baseline: count an indicator's current vintages in observation: "
          f"{baseline_ms:8.1f} ms")
    print(f"as_of('{moment}') for one series ({as_of_rows} rows):            {as_of_ms:8.1f} ms")
    print(f"v_latest for one indicator ({latest_rows:,} rows):               "
          f"{latest_ms:8.1f} ms")
    figure("as_of, one series", as_of_ms, "ms", "< 50")
    figure("v_latest, one indicator", latest_ms / 1000, "s", "< 1")
    figure("v_latest indicator / baseline count", latest_ms / baseline_ms, "x")


if __name__ == "__main__":
    main()
