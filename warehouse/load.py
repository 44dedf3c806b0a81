"""Load one release into the warehouse in a single transaction, idempotently.

The release's figures go into `reported` as published; then the vintages of every series and
period it touched are derived again from all releases of the same source, ordered by
`published_at`. Deriving instead of patching makes the result independent of the order in
which releases arrive: a release loaded late lands in its right place in history.

A release newer than every other of its source (nearly every load) takes a shorter way to
the same vintages: the current vintage of each key it changes is closed and the new one
appended, without reading its source's history again (`_append_vintages`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from flows.core.killpoints import killpoint
from flows.core.model import Observation, Rejected


@dataclass(frozen=True)
class ReleaseRecord:
    """What the warehouse keeps about a release besides its figures."""

    release_id: str
    source: str
    dataset: str
    reference_period: str
    published_at: datetime
    fetched_at: datetime | None
    url: str | None
    file_name: str
    sha256: str
    archive_path: str


@dataclass(frozen=True)
class LoadResult:
    release_id: str
    loaded: bool  # False when the same file was already loaded
    reported: int = 0
    added: int = 0
    revised: int = 0
    quarantined: int = 0


def release_id(source: str, reference_period: str, sha256: str) -> str:
    return f"{source}:{reference_period}:{sha256[:12]}"


def loaded_release(con: duckdb.DuckDBPyConnection, source: str, sha256: str) -> str | None:
    """The id of the release already loaded from this exact file, if any."""
    row = con.execute(
        "select release_id from release where source = ? and sha256 = ?", [source, sha256]
    ).fetchone()
    return str(row[0]) if row else None


def load_release(
    con: duckdb.DuckDBPyConnection,
    record: ReleaseRecord,
    observations: list[Observation],
    rejected: list[Rejected],
) -> LoadResult:
    """Load a release's observations, its release row and its quarantine in one transaction."""
    return load_frame(con, record, _frame(record.release_id, observations), rejected)


def load_frame(
    con: duckdb.DuckDBPyConnection,
    record: ReleaseRecord,
    frame: pa.Table,
    rejected: list[Rejected],
) -> LoadResult:
    """`load_release` for figures already in an Arrow table of FRAME_SCHEMA (a bulk reader's
    output, or a chunk of one): no Python object per figure on the way in."""
    from warehouse import lake  # lake.py builds on this module

    # Which warehouse; whether the file is in it; whether it is newer than every release of
    # its source. One round trip: a single writer holds the file (warehouse/connect.py).
    row = con.execute(
        "select current_database(), (select release_id from release where source = $source "
        "and sha256 = $sha256), (select count(*) = 0 from release where source = $source "
        "and published_at >= $published)",
        {"source": record.source, "sha256": record.sha256, "published": record.published_at},
    ).fetchone()
    assert row is not None
    database, loaded, newest = row
    if database == lake.LAKE:  # several writers at once: retried on conflict
        return lake.load_release(con, record, frame, rejected)
    if loaded:
        return LoadResult(record.release_id, loaded=False)
    con.execute("begin")
    killpoint("load.begun")
    try:
        result = _load(con, record, frame, rejected, newest)
        killpoint("load.committing")
        con.execute("commit")
        killpoint("load.committed")
    except Exception:
        con.execute("rollback")
        raise
    return result


def _load(
    con: duckdb.DuckDBPyConnection,
    record: ReleaseRecord,
    figures: list[Observation] | pa.Table,
    rejected: list[Rejected],
    newest: bool | None = None,
) -> LoadResult:
    """The load's statements, in the caller's transaction. `newest`: whether the release is
    newer than every other of its source (the usual case); asked here when not given."""
    frame = figures if isinstance(figures, pa.Table) else _frame(record.release_id, figures)
    if newest is None:  # asked before the release's own row is in
        row = con.execute(
            "select count(*) = 0 from release where source = ? and published_at >= ?",
            [record.source, record.published_at],
        ).fetchone()
        newest = bool(row and row[0])
    con.execute(
        "insert into release (release_id, source, dataset, reference_period, published_at, "
        "fetched_at, url, file_name, sha256, archive_path, rows_reported, rows_added, "
        "rows_revised, rows_quarantined, loaded_at) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, current_timestamp)",
        [record.release_id, record.source, record.dataset, record.reference_period,
         record.published_at, record.fetched_at, record.url, record.file_name, record.sha256,
         record.archive_path, frame.num_rows, len(rejected)],
    )
    killpoint("load.release_row")
    con.register("incoming", frame)
    try:
        _check_keys(con, record)
        con.execute(
            "insert into reported select release_id, series_key, period_type, period_start, "
            "period_end, value, status, provenance, decimals from incoming"
        )
        killpoint("load.reported")
        if newest:
            added, revised = _append_vintages(con, record)
    finally:
        con.unregister("incoming")
    if not newest:
        _derive_vintages(con, record)
        added, revised = _counts(con, record)
    killpoint("load.derived")
    if rejected:
        con.register("rejected_rows", pa.table({
            "release_id": pa.array([record.release_id] * len(rejected), pa.string()),
            **{name: pa.array([getattr(r, name) for r in rejected], pa.string())
               for name in ("sheet", "cell", "label", "raw", "code", "message")},
        }))
        con.execute("insert into quarantine select * from rejected_rows")
        con.unregister("rejected_rows")
    return LoadResult(record.release_id, True, frame.num_rows, added, revised, len(rejected))


def _counts(con: duckdb.DuckDBPyConnection, record: ReleaseRecord) -> tuple[int, int]:
    """Vintages the release opened, and how many of them changed a value published before."""
    row = con.execute(
        "select count(*), count(*) filter (where exists ("
        "  select 1 from observation p where p.series_key = o.series_key"
        "  and p.period_type = o.period_type and p.period_start = o.period_start"
        "  and p.period_end = o.period_end"
        "  and p.source = o.source and p.valid_from < o.valid_from and p.value <> o.value))"
        " from observation o where o.release_id = ?",
        [record.release_id],
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def _append_vintages(con: duckdb.DuckDBPyConnection, record: ReleaseRecord) -> tuple[int, int]:
    """The vintages of a release newer than every other of its source, from `incoming`;
    returns the vintages opened and the revisions among them (as `_counts` would).

    Deriving the chains again would give the same with this release's figures at their end:
    a key's current vintage closes where the release changes its value or status, and the
    release opens a vintage there or where the key is new. Only those rows are written.
    """
    # Each figure that opens a vintage, with its key's current vintage (by row id: the rows
    # stay where they are until this transaction ends) if it has one.
    con.execute(
        "create or replace temp table opened as "
        "select i.series_key, i.period_type, i.period_start, i.period_end, i.value, i.status,"
        " o.rowid as closes, o.value as current_value"
        " from incoming i left join (select rowid, series_key, period_type, period_start,"
        "  period_end, value, status from observation"
        "  where source = $source and valid_to is null) o"
        " on o.series_key = i.series_key and o.period_type = i.period_type"
        " and o.period_start = i.period_start and o.period_end = i.period_end"
        " where o.rowid is null or o.value <> i.value or o.status <> i.status",
        {"source": record.source},
    )
    con.execute(
        "update observation set valid_to = $published "
        "where rowid in (select closes from opened where closes is not null)",
        {"published": record.published_at},
    )
    con.execute(
        "insert into observation select series_key, period_type, period_start, period_end, "
        "$source, value, status, $release, $published, null from opened",
        {"source": record.source, "release": record.release_id,
         "published": record.published_at},
    )
    row = con.execute(
        "select count(*), count(*) filter (where current_value <> value),"
        " count(*) filter (where current_value = value) from opened"
    ).fetchone()
    opened, revised, restated = (int(n) for n in row) if row else (0, 0, 0)
    if restated:  # the status alone changed: a revision if any earlier value differed
        row = con.execute(
            "select count(*) from opened n where n.current_value = n.value and exists ("
            " select 1 from observation p where p.source = $source"
            " and p.series_key = n.series_key and p.period_type = n.period_type"
            " and p.period_start = n.period_start and p.period_end = n.period_end"
            " and p.value <> n.value)",
            {"source": record.source},
        ).fetchone()
        revised += int(row[0]) if row else 0
    con.execute("drop table opened")
    return opened, revised


def _derive_vintages(con: duckdb.DuckDBPyConnection, record: ReleaseRecord) -> None:
    """Rebuild the vintage chains of every (series, period) this release touched."""
    con.execute(
        "create or replace temp table touched as select distinct series_key, period_type, "
        "period_start, period_end from reported where release_id = ?",
        [record.release_id],
    )
    con.execute(
        "delete from observation o using touched t where o.source = $source "
        "and o.series_key = t.series_key and o.period_type = t.period_type "
        "and o.period_start = t.period_start and o.period_end = t.period_end",
        {"source": record.source},
    )
    con.execute(_DERIVE_SQL, {"source": record.source})
    con.execute("drop table touched")


# A vintage opens when a release gives a key its first value or a different value or status;
# a release repeating the current figure adds nothing. Ties on published_at break on the id.
_DERIVE_SQL = """
insert into observation
with facts as (
    select rp.series_key, rp.period_type, rp.period_start, rp.period_end, rp.value, rp.status,
           rp.release_id, rl.published_at
    from reported rp
    join release rl on rl.release_id = rp.release_id and rl.source = $source
    join touched t on t.series_key = rp.series_key and t.period_type = rp.period_type
                  and t.period_start = rp.period_start and t.period_end = rp.period_end
    -- two releases of a source stamped with the same moment: one vintage, the later id's
    -- (both figures stay in `reported`)
    qualify row_number() over (
        partition by rp.series_key, rp.period_type, rp.period_start, rp.period_end,
                     rl.published_at
        order by rp.release_id desc) = 1
), ordered as (
    select *,
        lag(value) over w as previous_value,
        lag(status) over w as previous_status,
        row_number() over w as nth
    from facts
    window w as (partition by series_key, period_type, period_start, period_end
                 order by published_at, release_id)
), changes as (
    select * from ordered
    where nth = 1 or value <> previous_value or status <> previous_status
)
select series_key, period_type, period_start, period_end, $source, value, status, release_id,
       published_at as valid_from,
       lead(published_at) over (partition by series_key, period_type, period_start, period_end
                                order by published_at, release_id) as valid_to
from changes
"""


def _check_keys(con: duckdb.DuckDBPyConnection, record: ReleaseRecord) -> None:
    """Keep the keys DuckDB no longer keeps (sql/schema/006), in one pass over `incoming`:
    refuse a release giving a series and period twice (flows/validate.py already rejects the
    second of a pair), and add the series not yet in `series` (most releases bring none)."""
    # Counting distinct hashes is a third cheaper than grouping by the four columns; a hash
    # shared by two keys only sends the release to the exact question.
    row = con.execute(
        "select count(*) - count(distinct hash(series_key, period_type, period_start, "
        "period_end)), count(distinct series_key) filter (where series_key not in ("
        "select series_key from series)) from incoming"
    ).fetchone()
    repeats, new = row if row else (0, 0)
    if repeats:
        _refuse_repeated_figures(con, record)
    if new:
        # A key is its dimensions joined (Observation.series_key): any row of it will do.
        con.execute(
            "insert into series select series_key, any_value(indicator), any_value(geo), "
            "any_value(industry), any_value(product), any_value(partner), any_value(measure), "
            "any_value(unit) from incoming "
            "where series_key not in (select series_key from series) group by series_key"
        )


def _refuse_repeated_figures(con: duckdb.DuckDBPyConnection, record: ReleaseRecord) -> None:
    """Raise ConstraintException naming a series and period `incoming` gives twice."""
    repeated = con.execute(
        "select series_key, period_type, period_end, count(*) from incoming "
        "group by series_key, period_type, period_start, period_end having count(*) > 1 limit 1"
    ).fetchone()
    if repeated:
        key, kind, end, copies = repeated
        raise duckdb.ConstraintException(
            f"{record.file_name}: {key} {kind} {end} is given {copies} times in one release; "
            "a release gives one figure per series and period (nothing of it was loaded)"
        )


def _frame(release: str, observations: list[Observation]) -> pa.Table:
    """The release's observations as an Arrow table (DuckDB scans it without copying)."""
    # One pass over the objects, then each column from the transposed tuples.
    rows = [(o.series_key, o.indicator, o.geo, o.industry, o.product, o.partner, o.measure,
             o.unit, o.period.type, o.period.start, o.period.end, o.value, o.status,
             o.provenance, o.decimals) for o in observations]
    columns = list(zip(*rows, strict=True)) if rows else [()] * 15
    return pa.Table.from_arrays(
        [pa.array([release] * len(rows), pa.string()),
         *(pa.array(column, field.type) for column, field in zip(columns, list(FRAME_SCHEMA)[1:],
                                                                  strict=True))],
        schema=FRAME_SCHEMA,
    )


FRAME_SCHEMA = pa.schema(
    [(name, pa.string()) for name in (
        "release_id", "series_key", "indicator", "geo", "industry", "product", "partner",
        "measure", "unit", "period_type")]
    + [("period_start", pa.date32()), ("period_end", pa.date32()), ("value", pa.float64()),
       ("status", pa.string()), ("provenance", pa.string()),
       ("decimals", pa.int32())]
)
