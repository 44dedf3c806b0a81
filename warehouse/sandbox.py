"""A read-only connection that reaches the warehouse and nothing else, for SQL a user types.

`chiso sql` runs whatever SELECT it is given, and a SELECT can read any file
(`read_csv('/etc/passwd')`), fetch from the network, or install an extension. Here the
published file is attached to an in-memory database of its own, then DuckDB's external access
and its automatic installing and loading of extensions are turned off and the configuration
locked, so the statement cannot turn them back on. The database is a new one because these
settings belong to a database, and DuckDB shares one database between the connections a
process opens to the same file: locking a direct connection would lock the others too.
See https://duckdb.org/docs/stable/operations_manual/securing_duckdb/overview.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

# The name the warehouse is attached under (what current_database() answers).
CATALOG = "warehouse"
# Applied in this order: the lock last, or it would refuse the others.
LOCKED_SETTINGS = (
    ("enable_external_access", "false"),
    ("autoinstall_known_extensions", "false"),
    ("autoload_known_extensions", "false"),
    ("lock_configuration", "true"),
)


def attached(published: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory database with `published` attached read-only as its default catalog."""
    con = duckdb.connect()
    try:
        quoted = str(published).replace("'", "''")
        con.execute(f"attach '{quoted}' as {CATALOG} (read_only)")
        con.execute(f"use {CATALOG}")
    except BaseException:
        con.close()
        raise
    return con


def lock_down(con: duckdb.DuckDBPyConnection,
              prepare: Callable[[duckdb.DuckDBPyConnection], None] = lambda con: None) -> None:
    """Run `prepare` (which may still read Python objects, e.g. the `label` table), then shut
    `con`'s database off from files, the network and extensions for good."""
    prepare(con)
    for name, value in LOCKED_SETTINGS:
        con.execute(f"set {name} = {value}")
