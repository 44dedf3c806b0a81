-- Every vintage of every observation, with its series dimensions and the release behind it.
create or replace view v_vintages as
with vintages as (
    select o.*, r.published_at
    from observation o
    join release r using (release_id)
)
select
    v.series_key, s.indicator, s.geo, s.industry, s.product, s.measure, s.unit,
    v.period_type, v.period_start, v.period_end, v.value, v.status,
    v.source, v.release_id, v.published_at, v.valid_from, v.valid_to
from vintages v
join series s using (series_key);
