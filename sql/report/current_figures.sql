-- current_figures: every source's value current at $as_of, for one place and for named series.
--
-- The vintages valid at $as_of (every source's, not only the most trusted one's) with the
-- source's name and precedence: the series of the place $geo and the series listed in
-- $series_keys, wherever they are; oldest period first.
--
-- parameter    type  default  example                          meaning
-- geo          text  -        VN-31                            the place whose every figure is wanted
-- series_keys  text  ''       IIP.VN._T._Z._Z.INDEX_YOY.INDEX  series wanted as well, comma-separated
--
-- example: flows/present/report.py (the Hải Phòng and Viet Nam sections)
with current_values as (
    select v.*, s.name as source_name, s.precedence
    from v_vintages v
    join source s using (source)
    where v.valid_from <= $as_of::timestamp
      and (v.valid_to is null or v.valid_to > $as_of::timestamp)
), wanted as (
    select *
    from current_values
    where geo = $geo or list_contains(string_split($series_keys, ','), series_key)
)
select
    series_key, indicator, geo, industry, product, measure, unit, period_type, period_start,
    period_end, value, source, source_name, precedence, published_at
from wanted
order by period_end;
