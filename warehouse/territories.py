"""Copy flows/reference/territories.csv into the warehouse's `territory` table."""

from __future__ import annotations

from contextlib import suppress

import duckdb
import pyarrow as pa

from flows.core.territories import territories

# The columns of `territory` (sql/schema/010), in order.
NAMES = ("geo", "province", "name_vi", "name_en", "valid_from", "valid_to", "unknown_from",
         "successor", "basis")
TYPES = (pa.string(),) * 4 + (pa.date32(),) * 3 + (pa.string(),) * 2


def sync_territories(con: duckdb.DuckDBPyConnection) -> None:
    """Make `territory` match the reference file; rewrites only when they differ, so a lake
    writer commits nothing (and races no one) on the usual migration that changes nothing."""
    if not con.execute("select 1 from duckdb_tables() where table_name = 'territory' "
                       "and schema_name = 'main'").fetchall():
        return  # a schema before migration 010 (tests migrate old versions step by step)
    wanted = [
        (t.geo, t.province, t.name_vi, t.name_en, t.valid_from, t.valid_to, t.unknown_from,
         t.successor or None, t.basis or None)
        for t in sorted(territories().values(), key=lambda t: t.geo)
    ]
    have = con.execute("select * from territory order by geo").fetchall()
    if have == wanted:
        return
    con.register("territory_rows", pa.table(
        [pa.array([row[n] for row in wanted], kind) for n, kind in enumerate(TYPES)],
        names=NAMES))
    con.execute("begin")
    try:  # one insert from Arrow: executemany ran a statement a row (0.017 s -> 0.004 s)
        con.execute("delete from territory")
        con.execute("insert into territory select * from territory_rows")
        con.execute("commit")
    except BaseException:
        with suppress(duckdb.TransactionException):  # a failed commit already ended it
            con.execute("rollback")
        raise
    finally:
        con.unregister("territory_rows")
