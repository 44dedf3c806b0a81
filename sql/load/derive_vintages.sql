-- derive_vintages: the vintage chains of the touched keys, from every release of the source
-- in order of publication. A vintage opens when a release gives a key its first value or a
-- different value or status; a release repeating the current figure adds nothing. Ties on
-- published_at break on the release id. Parameter: $source.
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
