-- Every vintage of every observation, with its series dimensions, the release behind it and
-- where in that release it was published (a workbook cell, a report's sentence).
create or replace view v_vintages as
with vintages as (
    select o.*, r.published_at, p.provenance, p.decimals
    from observation o
    join release r using (release_id)
    left join reported p using (release_id, series_key, period_type, period_start, period_end)
)
select
    v.series_key, s.indicator, s.geo, s.industry, s.product, s.measure, s.unit,
    v.period_type, v.period_start, v.period_end, v.value, v.status,
    v.source, v.release_id, v.published_at, v.valid_from, v.valid_to, s.partner, v.provenance, v.decimals
from vintages v
join series s using (series_key);
