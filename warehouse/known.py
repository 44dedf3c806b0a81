"""Parameters that must name something the warehouse holds (type `series`: a series key). A
key it does not hold is refused before the query runs, with the closest keys it does hold,
rather than answered with an empty table that reads like "no data"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import duckdb

from flows.core.suggest import did_you_mean

if TYPE_CHECKING:
    from warehouse.query import NamedQuery


def check_series(con: duckdb.DuckDBPyConnection, named: NamedQuery,
                 bound: dict[str, Any]) -> str | None:
    """The problem with the first `series` parameter whose key the warehouse does not hold,
    or None when every one is known (or left empty)."""
    for p in named.params:
        key = bound.get(p.name)
        if p.type != "series" or not key:
            continue
        if con.execute("select 1 from series where series_key = ?", [key]).fetchone():
            continue
        keys = [row[0] for row in con.execute("select series_key from series").fetchall()]
        return (f"query {named.name!r}: no series {key!r} in the warehouse"
                f"{did_you_mean(key, keys)}; `chiso series search WORDS` finds a series' key")
    return None
