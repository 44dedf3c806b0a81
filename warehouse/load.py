"""Load one release into the warehouse in a single transaction, idempotently.

The release's figures go into `reported` as published; then the vintages of every series and
period it touched are derived again from all releases of the same source, ordered by
`published_at`. Deriving instead of patching makes the result independent of the order in
which releases arrive: a release loaded late lands in its right place in history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from flows.release import Observation, Rejected


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
    if loaded_release(con, record.source, record.sha256):
        return LoadResult(record.release_id, loaded=False)
    con.execute("begin")
    try:
        result = _load(con, record, observations, rejected)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return result


def _load(
    con: duckdb.DuckDBPyConnection,
    record: ReleaseRecord,
    observations: list[Observation],
    rejected: list[Rejected],
) -> LoadResult:
    con.execute(
        "insert into release (release_id, source, dataset, reference_period, published_at, "
        "fetched_at, url, file_name, sha256, archive_path, rows_reported, rows_added, "
        "rows_revised, rows_quarantined, loaded_at) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, current_timestamp)",
        [record.release_id, record.source, record.dataset, record.reference_period,
         record.published_at, record.fetched_at, record.url, record.file_name, record.sha256,
         record.archive_path, len(observations), len(rejected)],
    )
    con.register("incoming", _frame(record.release_id, observations))
    con.execute(
        "insert into series select distinct series_key, indicator, geo, industry, product, "
        "partner, measure, unit from incoming on conflict do nothing"
    )
    con.execute(
        "insert into reported select release_id, series_key, period_type, period_start, "
        "period_end, value, status, provenance, decimals from incoming"
    )
    con.unregister("incoming")
    _derive_vintages(con, record)
    if rejected:
        con.executemany(
            "insert into quarantine values (?, ?, ?, ?, ?, ?, ?)",
            [[record.release_id, r.sheet, r.cell, r.label, r.raw, r.code, r.message]
             for r in rejected],
        )
    added, revised = con.execute(
        "select count(*), count(*) filter (where exists ("
        "  select 1 from observation p where p.series_key = o.series_key"
        "  and p.period_type = o.period_type and p.period_start = o.period_start"
        "  and p.period_end = o.period_end"
        "  and p.source = o.source and p.valid_from < o.valid_from and p.value <> o.value))"
        " from observation o where o.release_id = ?",
        [record.release_id],
    ).fetchone() or (0, 0)
    return LoadResult(record.release_id, True, len(observations), added, revised, len(rejected))


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


def _frame(release: str, observations: list[Observation]) -> pa.Table:
    """The release's observations as an Arrow table (DuckDB scans it without copying)."""
    return pa.table(
        {
            "release_id": pa.array([release] * len(observations), pa.string()),
            "series_key": [o.series_key for o in observations],
            "indicator": [o.indicator for o in observations],
            "geo": [o.geo for o in observations],
            "industry": [o.industry for o in observations],
            "product": [o.product for o in observations],
            "partner": [o.partner for o in observations],
            "measure": [o.measure for o in observations],
            "unit": [o.unit for o in observations],
            "period_type": [o.period.type for o in observations],
            "period_start": pa.array([o.period.start for o in observations], pa.date32()),
            "period_end": pa.array([o.period.end for o in observations], pa.date32()),
            "value": pa.array([o.value for o in observations], pa.float64()),
            "status": [o.status for o in observations],
            "provenance": [o.provenance for o in observations],
            "decimals": pa.array([o.decimals for o in observations], pa.int32()),
        },
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
