-- hp_industry_ytd: Hải Phòng's industrial production index year to date, by industry and source.
--
-- How much did the city's industry grow from January to the end of `period`, against the same
-- months of the year before (index, same period last year = 100), in total and by industry?
-- Every source that published it has its own row: the city statistics office, the Department
-- of Industry and Trade and a press article disagree (January-September 2024: 114.09 against
-- 115.14), and `preferred` marks the one v_latest takes (the lowest precedence). `growth_pct`
-- is the index less 100; `plan_index` the year's target (same year before = 100) where a
-- source states one; `last_year_index` the same months' index a year earlier, on the same
-- territory. Hải Phòng merged with Hải Dương on 1 July 2025: `geo` VN-31 asks for the province,
-- so 2024 figures come on the old city's territory (VN-31) and 2025 ones on the merged city's
-- (VN-31-2025, whose 2024 comparison the city office recomputed on the merged borders), each
-- row labelled with its territory (`territory`), never one spliced onto the other.
--
-- parameter  type    default  example  meaning
-- period     period  2024-09  2024-08  the last month of the year to date (YYYY-MM)
-- geo        text    VN-31    VN-31    the province (VN-<GSO code>; Hải Phòng is VN-31), all its territories
--
-- example: chiso query hp_industry_ytd --param period=2024-09
with at_then as (
    -- every source's value current at $as_of
    select v.*, s.precedence
    from v_vintages v
    join source s using (source)
    where v.valid_from <= $as_of::timestamp
      and (v.valid_to is null or v.valid_to > $as_of::timestamp)
      and v.indicator = 'IIP'
      and (v.geo = $geo or v.geo in (select geo from territory where province = $geo))
), bounds as (
    select last_day(strptime($period, '%Y-%m'))::date as period_end
), ytd as (
    select a.*, row_number() over (
        partition by a.geo, a.industry order by a.precedence, a.source
    ) = 1 as preferred
    from at_then a, bounds b
    where a.measure = 'index_yoy' and a.period_type = 'YTD' and a.period_end = b.period_end
), last_year as (
    select a.geo, a.industry, a.source, a.value
    from at_then a, bounds b
    where a.measure = 'index_yoy' and a.period_type = 'YTD'
      and a.period_end = last_day(b.period_end - interval 1 year)
), plan as (
    select a.geo, a.industry, a.value, a.source
    from at_then a, bounds b
    where a.measure = 'plan' and a.period_type = 'A' and year(a.period_end) = year(b.period_end)
    qualify row_number() over (
        partition by a.geo, a.industry order by a.precedence, a.source
    ) = 1
)
select
    y.geo, t.name_vi as territory, y.industry, l.name_vi as industry_name, y.source, y.value as index_yoy,
    round(y.value - 100, 2) as growth_pct, p.value as plan_index, ly.value as last_year_index,
    y.status, y.published_at, y.preferred
from ytd y
left join plan p using (geo, industry)
left join last_year ly on ly.geo = y.geo and ly.industry = y.industry and ly.source = y.source
left join label l on l.dimension = 'industry' and l.code = y.industry
left join label t on t.dimension = 'geo' and t.code = y.geo
order by y.geo, y.industry <> '_T', y.preferred desc, y.value desc, y.industry, y.source;
