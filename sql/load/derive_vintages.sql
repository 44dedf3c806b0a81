-- derive_vintages: the vintage chains of the touched keys, from every release of the source
-- in order of publication, into the temp table `derived` (insert_derived_vintages.sql puts
-- them in `observation`). A vintage opens when a release gives a key its first value or a
-- different value or status; a release repeating the current figure adds nothing. Ties on
-- published_at break on the release id. `revises`: an earlier vintage of the key had another
-- value (every earlier value of a key opened a vintage, so the earlier vintages' least and
-- greatest values tell). Parameter: $source.
create or replace temp table derived as
with facts as (
    select t.key_id, rp.series_key, rp.period_type, rp.period_start, rp.period_end, rp.value,
           rp.status, rp.release_id, rl.published_at
    from reported rp
    join release rl on rl.release_id = rp.release_id and rl.source = $source
    join touched t on t.series_key = rp.series_key and t.period_type = rp.period_type
                  and t.period_start = rp.period_start and t.period_end = rp.period_end
    -- two releases of a source stamped with the same moment: one vintage, the later id's
    -- (both figures stay in `reported`)
    qualify row_number() over (
        partition by t.key_id, rl.published_at order by rp.release_id desc) = 1
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
select series_key, period_type, period_start, period_end, $source as source, value, status,
       release_id, published_at as valid_from,
       lead(published_at) over w as valid_to,
       coalesce(min(value) over earlier <> value or max(value) over earlier <> value, false)
           as revises
from changes
window w as (partition by key_id order by published_at, release_id),
       earlier as (w rows between unbounded preceding and 1 preceding)
