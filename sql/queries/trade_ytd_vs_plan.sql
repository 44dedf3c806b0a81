-- trade_ytd_vs_plan: exports and imports year to date, against last year and against the plan.
--
-- For goods exports and imports (value, million USD) of `geo`: the month, January to the end
-- of the month (`ytd`), the same months of the year before (`last_year_ytd`: as published, else
-- derived from the year-to-date index), the index (same period last year = 100), and the
-- annual plan: the share of it reached (`pct_of_plan`) and the plan itself (as published, else
-- derived from that share). Plans are published by Hải Phòng's Department of Industry and
-- Trade, not by GSO: `note` says which figure is missing or derived (Viet Nam: "no plan
-- published"). Each figure from the most trusted source holding it at $as_of (`sources`).
--
-- parameter  type    default  example  meaning
-- period     period  2024-09  2024-06  the last month of the year to date (YYYY-MM)
-- geo        text    VN       VN-31    Viet Nam (VN) or a province (VN-31 Hải Phòng: its territory in force then)
--
-- example: chiso query trade_ytd_vs_plan --param period=2024-09 --param geo=VN-31
with bounds as (
    select last_day(strptime($period, '%Y-%m'))::date as period_end
), placed as (
    -- the province's territory in force at the end of the period (Hải Phòng in 2025-09 is the
    -- merged city, VN-31-2025), so this year and last are compared on the same borders
    select coalesce(max(t.geo), $geo) as geo
    from bounds b
    left join territory t on t.province = $geo
        and (t.valid_from is null or t.valid_from <= b.period_end)
        and (t.valid_to is null or t.valid_to >= b.period_end)
), figures as (
    select a.*
    from as_of($as_of) a, bounds b, placed p
    where a.indicator in ('EXPORTS', 'IMPORTS') and a.geo = p.geo and a.product = '_T'
      and a.partner = '_Z'
      and ((a.period_end = b.period_end and a.period_type in ('M', 'YTD'))
           or (a.period_type = 'YTD' and a.period_end = last_day(b.period_end - interval 1 year))
           or (a.period_type = 'A' and a.measure = 'plan' and year(a.period_end) = year(b.period_end)))
), wide as (
    select
        f.indicator,
        max(f.value) filter (where f.measure = 'level' and f.period_type = 'M' and f.period_end = b.period_end) as month,
        max(f.value) filter (where f.measure = 'level' and f.period_type = 'YTD' and f.period_end = b.period_end) as ytd,
        max(f.value) filter (where f.measure = 'level' and f.period_type = 'YTD' and f.period_end < b.period_end) as last_year_published,
        max(f.value) filter (where f.measure = 'index_yoy' and f.period_type = 'YTD' and f.period_end = b.period_end) as index_published,
        max(f.value) filter (where f.measure = 'pct_of_plan' and f.period_type = 'YTD' and f.period_end = b.period_end) as pct_of_plan,
        max(f.value) filter (where f.measure = 'plan' and f.period_type = 'A') as plan_published,
        max(f.published_at) as published_at,
        string_agg(distinct f.source, ', ' order by f.source) as sources
    from figures f, bounds b
    group by f.indicator
), flows as (
    select unnest(['EXPORTS', 'IMPORTS']) as indicator
)
select
    fl.indicator, p.geo, w.month, w.ytd,
    coalesce(w.last_year_published, w.ytd * 100 / w.index_published) as last_year_ytd,
    coalesce(w.index_published, w.ytd * 100 / w.last_year_published) as ytd_index_yoy,
    w.pct_of_plan,
    coalesce(w.plan_published, w.ytd * 100 / w.pct_of_plan) as plan,
    concat_ws('; ',
        case when w.ytd is null then 'no year-to-date figure for ' || p.geo || ' ' || $period end,
        case when w.ytd is not null and w.last_year_published is null and w.index_published is not null
             then 'last year derived from the index' end,
        case when w.pct_of_plan is null and w.plan_published is null
             then 'no plan published for ' || p.geo
             when w.plan_published is null then 'plan derived from pct_of_plan' end
    ) as note,
    w.published_at, w.sources
from flows fl
cross join placed p
left join wide w using (indicator)
order by fl.indicator;
