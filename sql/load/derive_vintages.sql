-- derive_vintages: the vintage chains of the touched keys, from every release of the source
-- in order of publication, into the temp table `derived` (insert_derived_vintages.sql puts
-- them in `observation`). A vintage opens when a release gives a key its first value or a
-- different value or status; a release repeating the current figure adds nothing. Ties on
-- published_at break on the release id. `revises`: an earlier vintage of the key had another
-- value (every earlier value of a key opened a vintage, so the earlier vintages' least and
-- greatest values tell); a withdrawn release's values do not count there.
-- A withdrawn release (v_withdrawn) counts from its publication until it was withdrawn: the
-- keys it gives are followed moment by moment (each publication and withdrawal), the figure
-- of each moment being the latest release's still in force, so a withdrawal closes its
-- vintage and reopens the one it had replaced (or none). Keys no withdrawn release gives take
-- the short way: each release's figure at its publication. Parameter: $source.
create or replace temp table derived as
-- materialized: read five times below, and joined once (not inlined into each reading)
with facts as materialized (
    select t.key_id, rp.value, rp.status, rp.release_id, rl.published_at, w.withdrawn_at
    from reported rp
    join release rl on rl.release_id = rp.release_id and rl.source = $source
    join touched t on t.series_key = rp.series_key and t.period_type = rp.period_type
                  and t.period_start = rp.period_start and t.period_end = rp.period_end
    left join v_withdrawn w on w.release_id = rp.release_id
), withdrawn_keys as (
    select distinct key_id from facts where withdrawn_at is not null
), plain as (
    select key_id, value, status, release_id, published_at as moment
    from facts
    where key_id not in (select key_id from withdrawn_keys)
    -- two releases of a source stamped with the same moment: one vintage, the later id's
    -- (both figures stay in `reported`)
    qualify row_number() over (partition by key_id, published_at order by release_id desc) = 1
), moments as (
    select key_id, published_at as moment from facts
    where key_id in (select key_id from withdrawn_keys)
    union
    select key_id, withdrawn_at from facts where withdrawn_at is not null
), in_force as (
    -- the latest figure in force at each moment (arg_max: a third of the time of ranking
    -- the joined rows); none in force (all withdrawn): nulls, which end the chain
    select m.key_id, f.figure.value, f.figure.status, f.figure.release_id, m.moment
    from moments m
    left join lateral (
        select arg_max({'value': value, 'status': status, 'release_id': release_id},
                       (published_at, release_id)) as figure
        from facts f
        where f.key_id = m.key_id and f.published_at <= m.moment
          and (f.withdrawn_at is null or f.withdrawn_at > m.moment)
    ) f on true
), states as (
    select * from plain
    union all
    select * from in_force
), ordered as (
    select *,
        lag(value) over w as previous_value,
        lag(status) over w as previous_status,
        row_number() over w as nth
    from states
    window w as (partition by key_id order by moment)
), changes as (
    select o.*, v.release_id is not null as withdrawn
    from ordered o
    left join v_withdrawn v using (release_id)
    where nth = 1 or value is distinct from previous_value
       or status is distinct from previous_status
), chained as (
    select *,
        lead(moment) over w as valid_to,
        coalesce(min(value) filter (where not withdrawn) over earlier <> value
                 or max(value) filter (where not withdrawn) over earlier <> value, false)
            as revises
    from changes
    window w as (partition by key_id order by moment),
           earlier as (w rows between unbounded preceding and 1 preceding)
)
select t.series_key, t.period_type, t.period_start, t.period_end, $source as source, c.value,
       c.status, c.release_id, c.moment as valid_from, c.valid_to, c.revises
from chained c
join touched t using (key_id)
where c.release_id is not null
