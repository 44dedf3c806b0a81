"""Ask the published warehouse questions: named queries (sql/queries), read-only SQL, search.

    from warehouse import query, queries, search, sql
    query("national_iip_by_industry", period="2024-09")        # a pandas DataFrame
    query("national_iip_by_industry", as_of="2024-09-10", period="2024-08")
    sql("select count(*) from v_latest")
    search("xuat khau dien thoai")
    series("IIP.VN._T._Z._Z.INDEX_YOY.INDEX", as_of="2024-09-10")  # warehouse/series.py

A named query is a file `sql/queries/<name>.sql` that opens with a comment block: its name and
summary, what it answers, a table of its parameters (name, type, default, example, meaning)
and an example command. Parameters are bound as DuckDB prepared named parameters (`$period`).
Every query also takes `$as_of`, a timestamp: the runner binds 'infinity' (the latest
vintages, what v_latest shows) or the end of the day asked for, and each query reads the
vintages valid then (`as_of($as_of)`, or `v_vintages` filtered on `valid_from`/`valid_to`).
The runner also creates the temporary table `label` (names of codes, warehouse/labels.py).

    QueryError (ChisoError)
    ├── UnknownQueryError     no sql/queries/<name>.sql
    ├── ParameterError        a parameter unknown, missing, not of its type, or naming a
    │   │                     series the warehouse does not hold
    │   └── UnknownSeriesError    a series key the warehouse lacks (the closest are named)
    ├── QuerySqlError         DuckDB refused or failed the SQL
    ├── ReadOnlyError         a statement that would write (INSERT, COPY, ATTACH, ...)
    └── WarehouseMissingError the published warehouse file does not exist yet

UnknownQueryError, ParameterError and ReadOnlyError are also UsageErrors: the command line
exits 2 for them (the question was asked wrong), 1 for the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from flows.core.config import SQL_DIR, lake_catalog, warehouse_path
from flows.core.errors import ChisoError, UsageError
from flows.core.suggest import did_you_mean
from warehouse.connect import reader
from warehouse.file_backend import reader as file_reader
from warehouse.labels import install_labels
from warehouse.sandbox import lock_down

QUERIES_DIR = SQL_DIR / "queries"
REPORT_DIR = SQL_DIR / "report"  # the report's and the run artifacts' questions, not listed
SERIES_DIR = SQL_DIR / "series"  # one series (warehouse/series.py), not listed
# `chiso sql` and `sql()` run only statements that read: SELECT (with DESCRIBE, SHOW, SUMMARIZE,
# PRAGMA table_info, VALUES, FROM-first) and EXPLAIN. COPY, ATTACH, EXPORT, INSTALL and SET would
# write files or change the session even on a read-only connection.
READ_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
# Parameter types a header may declare, and how an error names each.
TYPES = {"text": "text", "period": "month like 2024-09", "date": "date like 2024-10-31",
         "int": "whole number", "series": "series key like IIP.VN._T._Z._Z.INDEX_YOY.INDEX"}
_HEADER_PARAM = re.compile(r"^--\s+(\w+)\s+(\w+)\s+(\S+)\s+(.+?)\s{2,}(.+)$")
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_AS_OF = re.compile(r"\$as_of\b")


class QueryError(ChisoError):
    """A question the warehouse could not answer as asked."""


class UnknownQueryError(QueryError, UsageError):
    """No named query of that name."""


class ParameterError(QueryError, UsageError):
    """A parameter is unknown, missing or not of its declared type."""


class UnknownSeriesError(ParameterError):
    """A series key the warehouse does not have."""


class QuerySqlError(QueryError):
    """DuckDB refused or failed the SQL."""


class ReadOnlyError(QueryError, UsageError):
    """A statement that would write, refused."""


class WarehouseMissingError(QueryError):
    """The published warehouse file does not exist yet."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None  # None: required
    example: str
    meaning: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    summary: str
    params: tuple[Param, ...]
    example: str
    sql: str
    path: Path

    def describe_params(self) -> str:
        """`period=2024-09, geo=VN-31` (required ones as `text=TEXT`)."""
        return ", ".join(
            f"{p.name}={p.name.upper() if p.default is None else p.default}"
            for p in self.params
        )


def read_named_query(path: Path) -> NamedQuery:
    """Parse the comment block at the top of a named query file."""
    text = path.read_text(encoding="utf-8")
    name, summary, example, params = path.stem, "", "", []
    in_params = False
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        body = line[2:].strip()
        if not summary and body.startswith(f"{name}:"):
            summary = body[len(name) + 1:].strip()
        elif body.startswith("parameter ") and "type" in body:
            in_params = True
        elif in_params and body:
            params.append(_parse_param(path, line))
        elif body.startswith("example:"):
            example = body.removeprefix("example:").strip()
        if not body:
            in_params = False
    if not summary or not example:
        raise QueryError(f"{path}: the header needs '-- {name}: summary' and '-- example: ...'")
    return NamedQuery(name, summary, tuple(params), example, text, path)


def _parse_param(path: Path, line: str) -> Param:
    match = _HEADER_PARAM.match(line)
    if not match or match[2] not in TYPES:
        raise QueryError(
            f"{path}: parameter line {line!r} is not 'name  type  default  example  meaning' "
            f"with a type among {', '.join(TYPES)}"
        )
    name, type_, default, example, meaning = match.groups()
    value = None if default == "-" else "" if default == "''" else default
    return Param(name, type_, value, "" if example == "''" else example, meaning)


def named_queries(directory: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    """Every named query, by name."""
    return {p.stem: read_named_query(p) for p in sorted(directory.glob("*.sql"))}


def named_query(name: str, directory: Path = QUERIES_DIR) -> NamedQuery:
    path = directory / f"{name}.sql"
    if not re.fullmatch(r"\w+", name) or not path.is_file():
        names = list(named_queries(directory))
        raise UnknownQueryError(f"unknown query {name!r}{did_you_mean(name, names)}; known: "
                                f"{', '.join(names)}")
    return read_named_query(path)


def queries() -> pd.DataFrame:
    """The named queries: name, summary, parameters with their defaults, an example."""
    rows = [(q.name, q.summary, q.describe_params(), q.example)
            for q in named_queries().values()]
    return pd.DataFrame(rows, columns=["name", "summary", "params", "example"])


def parse_as_of(value: str | date | datetime | None) -> str:
    """The `$as_of` to bind: 'infinity' for the latest, else the end of the day given (a date
    means the warehouse after every release published that day) or the exact timestamp."""
    if value is None or value in ("", "latest"):
        return "infinity"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return datetime.combine(value, time.max).isoformat(sep=" ")
    try:
        if len(value) == 10:
            return parse_as_of(date.fromisoformat(value))
        return parse_as_of(datetime.fromisoformat(value))
    except ValueError:
        raise ParameterError(
            f"as_of {value!r} is not a date like 2024-10-31 (or a timestamp)"
        ) from None


def bind(named: NamedQuery, params: dict[str, Any]) -> dict[str, Any]:
    """The query's parameters, checked against its header and completed with defaults."""
    declared = {p.name: p for p in named.params}
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise ParameterError(
            f"query {named.name!r} has no parameter {unknown[0]!r}; "
            f"it takes: {named.describe_params() or 'none'}"
        )
    bound: dict[str, Any] = {}
    for p in named.params:
        value = params.get(p.name, p.default)
        if value is None:
            raise ParameterError(
                f"query {named.name!r} needs --param {p.name}=... ({p.meaning}), "
                f"e.g. --param {p.name}={p.example}"
            )
        bound[p.name] = _convert(named.name, p, value)
    return bound


def _convert(query_name: str, p: Param, value: Any) -> Any:
    text = str(value).strip()
    if p.type in ("text", "series") or (p.type in ("period", "date") and text == ""):
        return text
    if p.type == "period" and _PERIOD.match(text):
        return text
    if p.type == "int" and re.fullmatch(r"-?\d+", text):
        return int(text)
    if p.type == "date":
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    raise ParameterError(
        f"query {query_name!r}: {p.name}={text!r} is not a {TYPES[p.type]} ({p.meaning})"
    )


def connect(path: Path | None = None, allow_files: bool = False) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse (`path`, else CHISO_WAREHOUSE, or the
    lake in DuckLake mode), with the `label` table.

    In file mode it reaches the warehouse and nothing else (warehouse/sandbox.py: no other
    file, no network, no extension installed or loaded) unless `allow_files`; the lake's own
    data are files, so its reader is left as it is.
    """
    published = Path(path) if path else warehouse_path()
    sandboxed = not allow_files and (path is not None or lake_catalog() is None)
    try:
        if sandboxed:
            con = file_reader(published, sandboxed=True)
        else:
            con = reader(published if path else None)
    except FileNotFoundError:
        raise WarehouseMissingError(
            f"warehouse {published} does not exist yet: run `chiso run` (or set CHISO_WAREHOUSE)"
        ) from None
    if sandboxed:
        lock_down(con, install_labels)
    else:
        install_labels(con)
    return con


def statement(name: str, as_of: str | date | datetime | None = None, *,
              directory: Path = QUERIES_DIR, **params: Any) -> tuple[str, dict[str, Any]]:
    """The named query's SQL (to run, or to select from) and its parameters bound, `as_of`
    included if the SQL reads it; `directory`: sql/queries, or sql/report for the report's."""
    named = named_query(name, directory)
    bound = bind(named, params)
    if _AS_OF.search(_code(named.sql)):
        bound["as_of"] = parse_as_of(as_of)
    return named.sql.strip().rstrip(";"), bound


def _code(text: str) -> str:
    """The SQL without its `--` comments."""
    return "\n".join(line.split("--", 1)[0] for line in text.splitlines())


def query(name: str, as_of: str | date | datetime | None = None, *,
          path: Path | None = None, **params: Any) -> pd.DataFrame:
    """Run the named query `name` with `params` on the warehouse as it stood at `as_of`."""
    named = named_query(name)
    text, bound = statement(name, as_of, **params)
    con = connect(path)
    try:
        unknown = check_series(con, named, bound)  # a key it lacks is a mistake, not "no rows"
        if unknown:
            raise ParameterError(unknown)
        return con.execute(text, bound).df()
    except duckdb.Error as exc:
        raise QuerySqlError(f"query {name!r} ({named.path}): {_first_line(exc)}") from None
    finally:
        con.close()


def search(text: str, as_of: str | date | datetime | None = None, *,
           limit: int = 50, path: Path | None = None) -> pd.DataFrame:
    """Series whose codes or names (Vietnamese or English, accents optional) contain `text`,
    headlines first (sql/queries/catalog_search.sql); `.attrs["found"]`: how many matched in
    all, shown or not."""
    found = query("catalog_search", as_of, path=path, text=text, limit=limit)
    total = int(found["found"].iloc[0]) if len(found) else 0
    found = found.drop(columns="found")
    found.attrs["found"] = total
    return found


def check_series(con: duckdb.DuckDBPyConnection, named: NamedQuery,
                 bound: dict[str, Any]) -> str | None:
    """The problem with the first parameter of type `series` whose key the warehouse does not
    hold, or None when every one is known (or left empty): refused before the query runs,
    with the closest keys, rather than answered with an empty table that reads "no data".
    A key typed in another case is bound as the warehouse spells it (`known_key`)."""
    for p in named.params:
        key = bound.get(p.name)
        if p.type != "series" or not key:
            continue
        try:
            bound[p.name] = known_key(con, key)
        except UnknownSeriesError as exc:
            return f"query {named.name!r}: {exc}"
    return None


def known_key(con: duckdb.DuckDBPyConnection, key: str) -> str:
    """`key` as the warehouse spells it (case aside); UnknownSeriesError with the closest keys
    when it has no such series."""
    key = key.strip()
    text, bound = statement("keys", None, directory=SERIES_DIR)
    keys: list[str] = [row[0] for row in con.execute(text, bound).fetchall()]
    if key in keys:
        return key
    same = [k for k in keys if k.upper() == key.upper()]
    if len(same) == 1:
        return same[0]
    hint = did_you_mean(key, keys) or "; no key is close"
    raise UnknownSeriesError(
        f"unknown series {key!r}{hint}; `chiso series search WORDS` finds a key by name"
    )


def sql(text: str, *, path: Path | None = None, allow_files: bool = False) -> pd.DataFrame:
    """Run one read-only SQL statement on the warehouse (the `label` table is there too); it
    reads nothing but the warehouse unless `allow_files` (see `connect`)."""
    con = connect(path, allow_files)
    try:
        check_read_only(con, text)
        return con.execute(text).df()
    except duckdb.PermissionException as exc:
        raise QuerySqlError(
            f"SQL error: {_first_line(exc)}; it reads the warehouse only: give --allow-files "
            "to let it read files and URLs") from None
    except duckdb.Error as exc:
        raise QuerySqlError(f"SQL error: {_first_line(exc)}") from None
    finally:
        con.close()


def check_read_only(con: duckdb.DuckDBPyConnection, text: str) -> None:
    """Refuse anything but one statement that reads."""
    try:
        statements = con.extract_statements(text)
    except duckdb.Error as exc:
        raise QuerySqlError(f"SQL error: {_first_line(exc)}") from None
    if len(statements) != 1:
        raise QuerySqlError(f"give one SQL statement, not {len(statements)}")
    kind = statements[0].type
    if kind not in READ_STATEMENTS:
        raise ReadOnlyError(
            f"the warehouse is read-only here: {kind.name} statements are refused (only SELECT "
            "and EXPLAIN run; loads go through `chiso run` / `chiso ingest`, files through "
            "`chiso export` or `chiso query ... --output`)"
        )


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0]
