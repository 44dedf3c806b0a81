-- derive_batch_vintages: the vintages a backfill's batch of releases (`release_rows`, each
-- published after the one before and after every release of the source already loaded)
-- opens on the touched keys, into the temp table `derived`. The chain of a key goes on from
-- its current vintage, so the source's history is not read again: the releases before
-- the batch already made its vintages, and only the current one can close. A vintage opens
-- where a release gives a key its first value or a different value or status; `revises`: an
-- earlier vintage of the key, before the batch or in it, had another value. The current
-- vintages come along with their row id (`closes`) and the time the batch closes them
-- (`valid_to`, null when it does not). Most keys are given once in a batch and have no
-- vintage before it (every key, in a source's first batch): their one vintage opens, stays
-- current and revises nothing, so only the other keys (`chained`) are ordered and compared.
-- Parameter: $source.
create or replace temp table derived as
with earlier as (
    select t.key_id, min(o.value) as least_value, max(o.value) as greatest_value,
           max(o.rowid) filter (where o.valid_to is null) as closes
    from observation o
    join touched t on t.series_key = o.series_key and t.period_type = o.period_type
                  and t.period_start = o.period_start and t.period_end = o.period_end
    where o.source = $source
    group by t.key_id
), given as materialized (
    select t.key_id, i.series_key, i.period_type, i.period_start, i.period_end, i.value,
           i.status, i.release_id, r.published_at
    from incoming i
    join release_rows r on r.release_id = i.release_id
    join touched t on t.series_key = i.series_key and t.period_type = i.period_type
                  and t.period_start = i.period_start and t.period_end = i.period_end
), chained as (  -- keys given more than once in the batch, or with vintages before it
    select key_id from given group by key_id having count(*) > 1
    union
    select key_id from earlier
), facts as (
    select *, null::bigint as closes from given
    where key_id in (select key_id from chained)
    union all
    select e.key_id, o.series_key, o.period_type, o.period_start, o.period_end, o.value,
           o.status, o.release_id, o.valid_from, o.rowid
    from earlier e
    join observation o on o.rowid = e.closes
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
left join earlier e on e.key_id = c.key_id
window w as (partition by c.key_id order by c.published_at, c.release_id),
       before as (w rows between unbounded preceding and 1 preceding)
union all  -- the other keys' one vintage each
select series_key, period_type, period_start, period_end, $source, value, status, release_id,
       published_at, null, false, null
from given
where key_id not in (select key_id from chained)
