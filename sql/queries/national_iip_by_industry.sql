-- national_iip_by_industry: Viet Nam's industrial production index for a month, by industry.
--
-- The month's index against the same month of the year before, the year to date's, and the
-- month against the previous month (all indexes, comparison period = 100), for every industry
-- GSO publishes (whole industry `_T`, sections B-E, divisions), in VSIC order. Each index as it
-- stands at $as_of (`month_yoy`, `ytd_yoy`) and as first published (`month_yoy_first`,
-- `ytd_yoy_first`): GSO revises the month's index in the next release (September 2024: first
-- 110.84, now 108.30).
--
-- parameter  type    default  example  meaning
-- period     period  2024-09  2024-06  the month (YYYY-MM)
--
-- example: chiso query national_iip_by_industry --param period=2024-09
with at_then as (
    select v.*, s.precedence
    from v_vintages v
    join source s using (source)
    where v.valid_from <= $as_of::timestamp
      and v.indicator = 'IIP' and v.geo = 'VN' and v.measure in ('index_yoy', 'index_pop')
      and v.period_end = last_day(strptime($period, '%Y-%m'))::date
      and v.period_type in ('M', 'YTD')
), ranked as (
    -- the most trusted source's vintages, newest first (current one: latest = 1)
    select *,
        row_number() over (partition by series_key, period_type order by valid_from desc) as latest,
        row_number() over (partition by series_key, period_type order by valid_from) as nth
    from at_then
    qualify dense_rank() over (
        partition by series_key, period_type order by precedence, source) = 1
), wide as (
    select
        industry,
        max(value) filter (where measure = 'index_yoy' and period_type = 'M' and latest = 1) as month_yoy,
        max(value) filter (where measure = 'index_yoy' and period_type = 'M' and nth = 1) as month_yoy_first,
        max(value) filter (where measure = 'index_yoy' and period_type = 'YTD' and latest = 1) as ytd_yoy,
        max(value) filter (where measure = 'index_yoy' and period_type = 'YTD' and nth = 1) as ytd_yoy_first,
        max(value) filter (where measure = 'index_pop' and period_type = 'M' and latest = 1) as month_pop,
        max(published_at) filter (where latest = 1) as published_at,
        string_agg(distinct source, ', ') as source
    from ranked
    group by industry
)
select
    w.industry, l.name_vi as industry_name,
    w.month_yoy, w.month_yoy_first, w.ytd_yoy, w.ytd_yoy_first, w.month_pop,
    w.published_at, w.source
from wide w
left join label l on l.dimension = 'industry' and l.code = w.industry
order by coalesce(l.position, 1e9), w.industry;
