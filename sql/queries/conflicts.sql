-- conflicts: series and periods where two sources' current values disagree.
--
-- v_conflicts at $as_of: each pair of sources whose values for the same series and period
-- differ beyond the precision they were published at (34,049.626711 and "34.049,6" agree;
-- 114.09 and 115.14 do not). `source` is the one v_latest prefers (lower precedence),
-- `other_source` the other; `difference` is other_value less value. Latest: the rows of
-- v_conflicts itself; an earlier date: the same rule applied to the values current then.
--
-- parameter  type  default  example  meaning
-- indicator  text  ''       IIP      only this indicator; '' for all
-- geo        text  ''       VN-31    only this place (a province: each of its territories); '' for all
--
-- example: chiso query conflicts --param geo=VN-31
with current_values as (
    select v.*, s.precedence
    from v_vintages v
    join source s using (source)
    where v.valid_from <= $as_of::timestamp
      and (v.valid_to is null or v.valid_to > $as_of::timestamp)
      and ($indicator = '' or v.indicator = $indicator)
      and ($geo = '' or v.geo = $geo
           or v.geo in (select geo from territory where province = $geo))
), pairs as (
    -- the pairing and precision rule of v_conflicts (sql/views/v_conflicts.sql)
    select
        a.series_key, a.indicator, a.geo, a.measure, a.unit, a.period_type, a.period_start,
        a.period_end,
        a.source, a.value, b.source as other_source, b.value as other_value,
        compared_places(a.value, a.decimals, b.value, b.decimals) as compared_decimals,
        a.published_at, b.published_at as other_published_at
    from current_values a
    join current_values b
      on a.series_key = b.series_key and a.period_type = b.period_type
     and a.period_start = b.period_start and a.period_end = b.period_end
     and (a.precedence < b.precedence or (a.precedence = b.precedence and a.source < b.source))
)
select
    indicator, geo, series_key, period_type, period_start, period_end, source, value,
    other_source, other_value, other_value - value as difference, published_at,
    other_published_at
from pairs
where round(value, compared_decimals) <> round(other_value, compared_decimals)
order by indicator, geo, series_key, period_type, period_end, other_source;
