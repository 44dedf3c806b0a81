-- derive_batch_vintages: the vintages a backfill's batch of releases (`incoming`, each figure
-- with its release's `published_at`; each release published after the one before and after
-- every release of the source already loaded) opens, into the temp table `derived`. The
-- chain of a key goes on from its current vintage, so the source's history is not read
-- again: the releases before the batch already made its vintages, and only the current one
-- can close. A vintage opens where a release gives a key its first value or a different
-- value or status; `revises`: an earlier vintage of the key, before the batch or in it, had
-- another value. The current vintages come along with their row id (`closes`) and the time
-- the batch closes them (`valid_to`, null when it does not).
-- Most keys are given once in a batch and have no vintage before it (every key, in a
-- source's first batch): their one vintage opens, stays current and revises nothing, and
-- comes straight from `given`, the batch's keys with a figure of each. Only the other keys
-- (`chained`) have their figures read again and ordered. Grouping the batch's figures once
-- and joining back only the chained keys' figures, rather than numbering every key
-- (touched.sql) and joining every figure to its number and its release, took the 125 shared
-- workbooks' batch from 0.50 to 0.40 s CPU (0.75 to 0.65 s in the benchmark's pipeline, where
-- DuckDB first touches its memory here).
-- Parameter: $source.
create or replace temp table derived as
with given as materialized (
    select series_key, period_type, period_start, period_end, count(*) as copies,
           any_value(value) as value, any_value(status) as status,
           any_value(release_id) as release_id, any_value(published_at) as published_at
    from incoming
    group by series_key, period_type, period_start, period_end
), earlier as materialized (
    select o.series_key, o.period_type, o.period_start, o.period_end,
           min(o.value) as least_value, max(o.value) as greatest_value,
           max(o.rowid) filter (where o.valid_to is null) as closes
    from observation o
    semi join given g on g.series_key = o.series_key and g.period_type = o.period_type
                     and g.period_start = o.period_start and g.period_end = o.period_end
    where o.source = $source
    group by o.series_key, o.period_type, o.period_start, o.period_end
), chained as materialized (  -- keys given more than once in the batch, or with vintages before it
    select *, row_number() over () as key_id
    from (select series_key, period_type, period_start, period_end from given where copies > 1
          union
          select series_key, period_type, period_start, period_end from earlier)
), facts as (
    select c.key_id, i.series_key, i.period_type, i.period_start, i.period_end, i.value,
           i.status, i.release_id, i.published_at, null::bigint as closes
    from incoming i
    join chained c on c.series_key = i.series_key and c.period_type = i.period_type
                  and c.period_start = i.period_start and c.period_end = i.period_end
    union all
    select c.key_id, o.series_key, o.period_type, o.period_start, o.period_end, o.value,
           o.status, o.release_id, o.valid_from, o.rowid
    from earlier e
    join observation o on o.rowid = e.closes
    join chained c on c.series_key = e.series_key and c.period_type = e.period_type
                  and c.period_start = e.period_start and c.period_end = e.period_end
), ordered as (
    select *,
        lag(value) over w as previous_value,
        lag(status) over w as previous_status,
        row_number() over w as nth
    from facts
    window w as (partition by key_id order by published_at, release_id)
), changes as (
    select * from ordered
    where nth = 1 or value <> previous_value or status <> previous_status
)
select c.series_key, c.period_type, c.period_start, c.period_end, $source as source, c.value,
       c.status, c.release_id, c.published_at as valid_from,
       lead(c.published_at) over w as valid_to,
       coalesce(least(min(c.value) over before, e.least_value) <> c.value
                or greatest(max(c.value) over before, e.greatest_value) <> c.value, false)
           as revises,
       c.closes
from changes c
left join earlier e on e.series_key = c.series_key and e.period_type = c.period_type
                   and e.period_start = c.period_start and e.period_end = c.period_end
window w as (partition by c.key_id order by c.published_at, c.release_id),
       before as (w rows between unbounded preceding and 1 preceding)
union all  -- the other keys' one vintage each
select g.series_key, g.period_type, g.period_start, g.period_end, $source, g.value, g.status,
       g.release_id, g.published_at, null, false, null
from given g
anti join earlier e on e.series_key = g.series_key and e.period_type = g.period_type
                   and e.period_start = g.period_start and e.period_end = g.period_end
where g.copies = 1
