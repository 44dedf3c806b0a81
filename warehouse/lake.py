"""DuckLake mode: the warehouse as a lake that several workers load at once.

`CHISO_LAKE` names the catalog (PostgreSQL: `postgres:dbname=chiso host=...`) and
`CHISO_LAKE_DATA` the folder or bucket for the Parquet data files. The lake holds the same
tables and columns as the single-file warehouse, and the views and the `as_of` macro live in
the lake too, so an analyst who attaches it sees everything `chiso sql` shows.

DuckLake has no primary, foreign or unique keys, indexes or sequences. The lake's tables are
the file-mode schema (sql/schema, applied to an in-memory scratch database) copied without
its constraints; what the keys guaranteed, the load guarantees instead:
- a release is loaded once: the (source, sha256) check runs inside the load's transaction;
- concurrent loads never interleave: each bumps the one row of `lake_state`, so two
  overlapping load transactions always conflict and DuckLake refuses the later commit, which
  is then run again from the start against the new snapshot (`load_release`). Reading and
  normalising (the slow part) stays parallel; only the short load transactions queue.
No local lock is taken and nothing is published: every commit is a snapshot readers see.

A migration that changes the data, not only tables and columns (DATA_MIGRATIONS), runs in the
lake too, in the transaction that records it; on a new lake's empty tables it changes nothing.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import random
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb
import pyarrow as pa

from flows.core.config import SQL_DIR, lake_catalog, lake_data_path
from flows.core.errors import ConfigError, WarehouseBusyError
from flows.core.model import CellTally, Observation, Rejected
from flows.core.reference import sources
from warehouse.backend import Writer
from warehouse.load import LoadResult, ReleaseRecord, loaded_release, sql_text, write_release
from warehouse.migrate import migrate as migrate_file
from warehouse.migrate import sync_calendar
from warehouse.territories import sync_territories

T = TypeVar("T")


@dataclass
class Retries:
    """How many transactions this process ran again after losing a race (for reports)."""

    count: int = 0


RETRIES = Retries()

# The name the lake is attached under; `use lake` makes chiso's SQL run unchanged.
LAKE = "lake"
# The wheels on PyPI ship each extension under a package name; DuckDB finds an extension's
# entry point by its file name, which for postgres is `postgres_scanner`.
EXTENSIONS = {"ducklake": "ducklake", "postgres": "postgres_scanner"}
# A load that lost a race is run again; with a dozen workers a release rarely waits for more
# than a few others, 50 attempts leave ample room.
MAX_ATTEMPTS = 50
BACKOFF_SECONDS = 0.05
BACKOFF_CAP_SECONDS = 2.0
# Workers that start on a lake nobody has created yet all try to create it; one wins.
CREATE_ATTEMPTS = 5
# Migrations that rewrite rows: copying the schema's tables and columns would record them as
# applied with the lake's rows untouched (012 renames unit codes in the series keys, 013 the
# report reader's indicator codes).
DATA_MIGRATIONS = frozenset({"012_one_code_per_unit", "013_prose_indicators_as_gso"})


class LakeBackend:
    """DuckLake mode behind the storage interface (warehouse/backend.py)."""

    def writer(self) -> AbstractContextManager[Writer]:
        return writer()

    def reader(self) -> duckdb.DuckDBPyConnection:
        return reader()

    def load(self, con: duckdb.DuckDBPyConnection, record: ReleaseRecord,
             figures: list[Observation] | pa.Table, rejected: list[Rejected],
             cells: Sequence[CellTally] = ()) -> LoadResult:
        return load_release(con, record, figures, rejected, cells)


def attached(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether `con` works on the lake (its default database is the attached lake)."""
    row = con.execute("select current_database()").fetchone()
    return bool(row and row[0] == LAKE)


def connect(read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake attached as `lake` and made the default database."""
    catalog = lake_catalog()
    if catalog is None:
        raise ConfigError("lake mode is off: set CHISO_LAKE (e.g. 'postgres:dbname=chiso')")
    data = lake_data_path()
    con = duckdb.connect()
    try:
        _load_extensions(con)
        options = ["read_only"] if read_only else []
        if data and not read_only:
            options.append(f"data_path '{_quoted(data.rstrip('/') + '/')}'")
        suffix = f" ({', '.join(options)})" if options else ""
        _attach(con, f"attach 'ducklake:{_quoted(catalog)}' as {LAKE}{suffix}")
        con.execute(f"use {LAKE}")
    except duckdb.Error as exc:
        con.close()
        if read_only and "does not exist" in str(exc):
            raise FileNotFoundError(
                f"the lake ducklake:{catalog} has not been created yet: run `chiso run` first"
            ) from None
        raise ConfigError(
            f"cannot open the lake ducklake:{catalog} (CHISO_LAKE; data in "
            f"{data or 'the catalog default'}): {exc}. Check that PostgreSQL is up and the "
            "database exists (createdb), and set CHISO_LAKE_DATA the first time"
        ) from None
    return con


def _attach(con: duckdb.DuckDBPyConnection, statement: str) -> None:
    """Attach the lake; two workers creating a new lake at once race, the loser tries again."""
    for n in range(CREATE_ATTEMPTS):
        try:
            con.execute(statement)
            return
        except duckdb.Error as exc:
            if "Failed to initialize DuckLake" not in str(exc) or n == CREATE_ATTEMPTS - 1:
                raise
            time.sleep(BACKOFF_SECONDS * random.uniform(1, 4))


def reader() -> duckdb.DuckDBPyConnection:
    """A read-only connection to the lake: the latest snapshot, views included."""
    return connect(read_only=True)


@contextmanager
def writer() -> Iterator[Writer]:
    """A migrated connection to the lake for loading; no lock, nothing to publish."""
    con = connect()
    try:
        changed = bool(migrate(con))
        # `published` is the file mode's concern: a lake commit is visible at once.
        yield Writer(con, Path(lake_data_path() or "."), changed=changed)
    finally:
        con.close()


def migrate(con: duckdb.DuckDBPyConnection, sql_dir: Path = SQL_DIR) -> list[str]:
    """Bring the lake's tables, reference rows and views up to date; returns versions applied."""
    applied: list[str] = []
    if _version(con) != _latest_version(sql_dir):  # compare only when a migration is new
        applied = _retrying(lambda: _sync_tables(con, sql_dir), "migrating the lake")
    _retrying(lambda: _sync_sources(con), "syncing sources")
    _retrying(lambda: sync_territories(con), "syncing territories")
    _retrying(lambda: _in_transaction(con, lambda: sync_calendar(con)), "writing the calendar")
    _retrying(lambda: _sync_views(con, sql_dir), "rebuilding views")
    return applied


def load_release(
    con: duckdb.DuckDBPyConnection,
    record: ReleaseRecord,
    observations: list[Observation] | pa.Table,
    rejected: list[Rejected],
    cells: Sequence[CellTally] = (),
) -> LoadResult:
    """Load a release (its cell accounting too) as one lake transaction, run again whenever
    another load won the race."""

    def attempt() -> LoadResult:
        con.execute("begin")
        try:
            if loaded_release(con, record.source, record.sha256):
                con.execute("rollback")
                return LoadResult(record.release_id, loaded=False)
            result = write_release(con, record, observations, rejected, cells=cells)
            con.execute(sql_text("count_lake_load"))  # see the module docstring
            con.execute("commit")
        except BaseException:
            _rollback(con)
            raise
        return result

    return _retrying(attempt, f"loading {record.release_id}")


def _retrying(step: Callable[[], T], what: str) -> T:
    for n in range(MAX_ATTEMPTS):
        try:
            return step()
        except duckdb.TransactionException as exc:
            if "conflict" not in str(exc).lower():
                raise
            RETRIES.count += 1
            delay = min(BACKOFF_CAP_SECONDS, BACKOFF_SECONDS * 2**n)
            time.sleep(delay * random.uniform(0.5, 1.0))  # jitter: losers do not collide again
    raise WarehouseBusyError(
        f"{what}: other workers kept committing first ({MAX_ATTEMPTS} attempts); "
        "run again when fewer loads are running"
    )


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    with suppress(duckdb.TransactionException):  # a failed commit already ended it
        con.execute("rollback")


def _in_transaction(con: duckdb.DuckDBPyConnection, body: Callable[[], None]) -> None:
    con.execute("begin")
    try:
        body()
        con.execute("commit")
    except BaseException:
        _rollback(con)
        raise


def _version(con: duckdb.DuckDBPyConnection) -> int | None:
    try:
        row = con.execute("select max(version) from schema_migration").fetchone()
    except duckdb.CatalogException:
        return None  # a new lake
    return int(row[0]) if row and row[0] is not None else None


def _latest_version(sql_dir: Path) -> int:
    return max(int(p.name[:3]) for p in (sql_dir / "schema").glob("[0-9][0-9][0-9]_*.sql"))


def _sync_tables(con: duckdb.DuckDBPyConnection, sql_dir: Path) -> list[str]:
    """Create the tables and columns of the file-mode schema that the lake lacks."""
    wanted, notes, versions = _schema(sql_dir)
    con.execute("begin")
    try:
        have = {(t, c) for t, c in con.execute(
            "select table_name, column_name from duckdb_columns() "
            "where database_name = ? and schema_name = 'main'", [LAKE]).fetchall()}
        tables = {t for t, _ in have}
        for table, columns in wanted.items():
            _sync_table(con, table, columns, notes.get(table), have, table in tables)
        if "lake_state" not in tables:
            con.execute("create table lake_state (loads bigint not null, views_sha256 varchar)")
            con.execute("insert into lake_state values (0, null)")
        done = {v for (v,) in con.execute("select version from schema_migration").fetchall()}
        new = [(v, name) for v, name in versions if v not in done]
        for version, name in new:
            if name in DATA_MIGRATIONS:
                con.execute((sql_dir / "schema" / f"{name}.sql").read_text(encoding="utf-8"))
            con.execute("insert into schema_migration values (?, ?, current_timestamp)",
                        [version, name])
        con.execute("commit")
    except BaseException:
        _rollback(con)
        raise
    return [name for _, name in new]


Columns = dict[str, list[tuple[str, str, str | None]]]


def _sync_table(con: duckdb.DuckDBPyConnection, table: str,
                columns: list[tuple[str, str, str | None]], note: str | None,
                have: set[tuple[str, str]], exists: bool) -> None:
    """Create `table` or add the columns it lacks; (re)write its comments."""
    if not exists:
        body = ", ".join(f'"{c}" {kind}' for c, kind, _ in columns)
        con.execute(f'create table "{table}" ({body})')
    if note:  # a migration may have changed only the words
        con.execute(f'comment on table "{table}" is {_literal(note)}')
    for column, kind, comment in columns:
        if exists and (table, column) not in have:
            con.execute(f'alter table "{table}" add column "{column}" {kind}')
        if comment:
            con.execute(f'comment on column "{table}"."{column}" is {_literal(comment)}')
    names = {name for name, _, _ in columns}
    if extra := sorted(c for t, c in have if t == table and c not in names):
        raise ConfigError(
            f"lake table {table} has columns sql/schema no longer has ({', '.join(extra)}): "
            "a migration renamed or dropped them; apply that change to the lake by hand"
        )


def _schema(sql_dir: Path) -> tuple[Columns, dict[str, str], list[tuple[int, str]]]:
    """The file-mode schema: each table's (column, type, comment), table comments, migrations."""
    scratch = duckdb.connect()
    try:
        migrate_file(scratch, sql_dir)
        rows = scratch.execute(
            "select table_name, column_name, data_type, is_nullable, comment "
            "from duckdb_columns() where schema_name = 'main' and not internal "
            "and table_name in (select table_name from duckdb_tables() where schema_name = 'main')"
            " order by table_name, column_index").fetchall()
        notes = dict(scratch.execute(
            "select table_name, comment from duckdb_tables() "
            "where schema_name = 'main' and comment is not null").fetchall())
        versions = scratch.execute(
            "select version, name from schema_migration order by version").fetchall()
    finally:
        scratch.close()
    tables: dict[str, list[tuple[str, str, str | None]]] = {}
    for table, column, kind, nullable, comment in rows:
        tables.setdefault(table, []).append(
            (column, kind + ("" if nullable else " not null"), comment or None))
    return tables, notes, [(int(v), str(n)) for v, n in versions]


def _sync_sources(con: duckdb.DuckDBPyConnection) -> None:
    """Make `source` match flows/reference/sources.csv (no upsert without a key: replace)."""
    wanted = sorted((s.source, s.name, s.precedence, s.homepage) for s in sources().values())
    have = sorted(con.execute("select source, name, precedence, homepage from source").fetchall())
    if have == wanted:
        return  # the usual case: no snapshot, no conflict with other workers

    def replace() -> None:
        con.execute("delete from source")
        con.executemany("insert into source values (?, ?, ?, ?)", wanted)

    _in_transaction(con, replace)


def _sync_views(con: duckdb.DuckDBPyConnection, sql_dir: Path) -> None:
    """Rebuild the views and macros when sql/views changed since the lake last built them."""
    files = sorted((sql_dir / "views").glob("*.sql"))
    digest = hashlib.sha256(b"".join(p.name.encode() + p.read_bytes() for p in files))
    row = con.execute("select views_sha256 from lake_state").fetchone()
    if row and row[0] == digest.hexdigest():
        return
    pending = files
    while pending:  # a view whose dependency does not exist yet waits for the next round
        waiting = [path for path in pending if not _create_view(con, path)]
        if len(waiting) == len(pending):
            names = ", ".join(p.name for p in waiting)
            raise ConfigError(f"views that depend on missing objects: {names}")
        pending = waiting
    con.execute("update lake_state set views_sha256 = ?", [digest.hexdigest()])


def _create_view(con: duckdb.DuckDBPyConnection, path: Path) -> bool:
    """Run one sql/views file; False when its view depends on one not created yet.

    DuckLake keeps comments on tables, views and table columns but not on a view's columns
    or a macro: those statements are skipped (the file-mode warehouse and docs keep them).
    """
    create, *rest = con.extract_statements(path.read_text(encoding="utf-8"))
    try:
        con.execute(create.query)
    except duckdb.CatalogException:
        return False
    for statement in rest:
        try:
            con.execute(statement.query)
        except duckdb.BinderException as exc:
            if "comment" not in str(exc).lower():
                raise ConfigError(f"{path}: {exc}") from None
    return True


def _load_extensions(con: duckdb.DuckDBPyConnection) -> None:
    """Load ducklake and postgres from their PyPI wheels if installed, else DuckDB's own way."""
    for package, name in EXTENSIONS.items():
        shipped = _wheel_extension(package, name)
        try:
            con.execute(f"load '{_quoted(str(shipped))}'" if shipped else f"load {name}")
        except duckdb.Error as exc:
            raise ConfigError(
                f"DuckDB extension {name} is not available ({exc}); install it with "
                f"`pip install duckdb-extension-{package}=={duckdb.__version__}`"
            ) from None


def _wheel_extension(package: str, name: str) -> Path | None:
    """The extension file of wheel `duckdb_extension_<package>`, linked under its real name."""
    spec = importlib.util.find_spec(f"duckdb_extension_{package}")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(root.glob(f"extensions/v{duckdb.__version__}/*.duckdb_extension"))
    if not found:
        return None
    if found[0].stem == name:
        return found[0]
    links = Path(tempfile.gettempdir()) / f"chiso-duckdb-extensions-{os.getuid()}"
    links.mkdir(exist_ok=True)
    link = links / f"{name}.duckdb_extension"
    if not link.exists() or link.resolve() != found[0].resolve():
        staging = links / f".{name}.{os.getpid()}"
        staging.unlink(missing_ok=True)
        staging.symlink_to(found[0])
        staging.replace(link)  # atomic: concurrent workers never see a half-made link
    return link


def _quoted(text: str) -> str:
    return text.replace("'", "''")


def _literal(text: str) -> str:
    return "'" + _quoted(text) + "'"
