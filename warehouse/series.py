"""One series whole: its values (as known on any day), every vintage, and what it is.

    from warehouse import series
    series("IIP.VN._T._Z._Z.INDEX_YOY.INDEX")                      # every period, its value now
    series("IIP.VN._T._Z._Z.INDEX_YOY.INDEX", as_of="2024-09-10")  # as known on that day
    series("IIP.VN._T._Z._Z.INDEX_YOY.INDEX", vintages=True)       # every value ever published

`describe` gathers what `chiso series show` prints: names in both languages, sources and their
precedence, the latest value, the first release, revisions, the last periods. The SQL is in
sql/series/. A key the warehouse does not have raises UnknownSeriesError, naming the closest
keys it has (a `ParameterError`: the user's mistake, said in one line).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from warehouse.query import (
    SERIES_DIR,
    ParameterError,
    QuerySqlError,
    UnknownSeriesError,
    connect,
    known_key,
    parse_as_of,
    statement,
)

# Columns of `series(..., vintages=True)`: the series' own, without its codes and names.
VINTAGE_COLUMNS = ["period_type", "period_start", "period_end", "source", "vintage", "value",
                   "revision", "status", "published_at", "valid_from", "valid_to", "release_id",
                   "provenance"]
DEFAULT_POINTS = 24
# `describe(period_type=...)`: '' the type of the latest period, 'all' every type.
PERIOD_TYPES = ("", "M", "Q", "H", "YTD", "A", "D", "all")


@dataclass(frozen=True)
class SeriesCard:
    """What `chiso series show` prints about one series."""

    key: str
    as_of: str  # 'infinity' or the moment asked for
    period_type: str  # of the points shown: M, Q, H, YTD, A, D, or 'all'
    card: dict[str, Any]  # one row of sql/series/card.sql
    sources: pd.DataFrame  # sql/series/sources.sql
    points: pd.DataFrame  # sql/series/points.sql, oldest first
    total_points: int  # periods of the series (at as_of), shown or not
    vintages: pd.DataFrame | None  # sql/series/vintages.sql for the points shown, if asked
    # sql/queries/territory_changes.sql: the border changes of its place (none for most)
    territory: pd.DataFrame = field(default_factory=pd.DataFrame)


def series(key: str, as_of: str | date | datetime | None = None, *, vintages: bool = False,
           path: Path | None = None) -> pd.DataFrame:
    """One series as pandas, a row per period (type, start, end): the value the warehouse held
    at `as_of` (None: now), from the most trusted source that had it, as `v_latest` and
    `as_of()` choose. `vintages=True`: every value each source published by then, oldest
    first, with `vintage`, `revision`, `valid_from` and `valid_to`."""
    con = connect(path)
    try:
        key = known_key(con, key)
        if vintages:
            frame = _run(con, "vintages", as_of, series=key, period_type="", last=0)
            return frame[VINTAGE_COLUMNS]
        return _run(con, "values", as_of, series=key)
    finally:
        con.close()


def describe(key: str, as_of: str | date | datetime | None = None, *, last: int = DEFAULT_POINTS,
             period_type: str = "", vintages: bool = False,
             path: Path | None = None) -> SeriesCard:
    """Everything `chiso series show` prints about `key`, at `as_of`: the last `last` periods
    of `period_type` ('': the type of the latest period, the series' own rhythm; 'all': every
    type, by period end)."""
    if last < 1:
        raise ParameterError(f"--last {last}: give a number of periods of 1 or more, e.g. 24")
    if period_type not in PERIOD_TYPES:
        raise ParameterError(f"--period-type {period_type!r}: choose one of "
                             f"{', '.join(t for t in PERIOD_TYPES if t)}")
    con = connect(path)
    try:
        key = known_key(con, key)
        card = _run(con, "card", as_of, series=key)
        if card.empty or not card.loc[0, "periods"]:
            raise UnknownSeriesError(
                f"series {key} has no figure published by {parse_as_of(as_of)[:10]}: try a "
                "later --as-of, or none"
            )
        if period_type == "":
            period_type = str(card.loc[0, "latest_period_type"])
        kind = "" if period_type == "all" else period_type
        points = _run(con, "points", as_of, series=key, period_type=kind, last=last)
        shown = None
        if vintages:
            shown = _run(con, "vintages", as_of, series=key, period_type=kind, last=last)
        sources = _run(con, "sources", as_of, series=key)
        territory = _territory(con, key, as_of)
    finally:
        con.close()
    total = int(points["points"].iloc[0]) if len(points) else 0
    facts = {str(name): value for name, value in card.iloc[0].items()}
    return SeriesCard(key, parse_as_of(as_of), period_type, facts, sources,
                      points.drop(columns="points"), total, shown, territory)


def export_frame(keys: list[str], as_of: str | date | datetime | None = None, *,
                 path: Path | None = None) -> pd.DataFrame:
    """Every vintage of the series `keys` at `as_of`, with their codes and names in both
    languages (what `chiso export --series` writes)."""
    con = connect(path)
    try:
        checked = [known_key(con, key) for key in keys]
        return _run(con, "vintages", as_of, series=",".join(checked), period_type="", last=0)
    finally:
        con.close()


def _territory(con: duckdb.DuckDBPyConnection, key: str,
               as_of: str | date | datetime | None) -> pd.DataFrame:
    """The border changes of the series' place (v_territory_changes, through the named query
    territory_changes): where an old Hải Phòng series goes on, where a merged city's came from."""
    text, bound = statement("territory_changes", as_of, series=key, geo="")
    try:
        return con.execute(text, bound).df()
    except duckdb.CatalogException:
        return pd.DataFrame()  # a warehouse no load has migrated to 010 yet: no territory table


def _run(con: duckdb.DuckDBPyConnection, name: str, as_of: str | date | datetime | None,
         **params: Any) -> pd.DataFrame:
    text, bound = statement(name, as_of, directory=SERIES_DIR, **params)
    try:
        return con.execute(text, bound).df()
    except duckdb.Error as exc:
        raise QuerySqlError(f"sql/series/{name}.sql: {str(exc).strip().splitlines()[0]}") from None

