-- release_headline: the headline figures a release printed, for the event announcing it.
--
-- What the release printed (table reported) for the latest period it covers, limited to the
-- headline indicators of a monthly report (industrial production and consumer prices
-- against a year before; exports, imports and retail sales) for the whole of its place:
-- every industry, product and partner: the month's, the year to date's and, in December, the
-- year's (a city report gives years to date only).
--
-- parameter   type  default  example                  meaning
-- release_id  text  -        gso:2024-09:46cb18d3a9cb  the release announced
--
-- example: flows/present/headline.py (the event chiso.release.published carries them)
with headline(indicator, measure, position) as (
    values ('IIP', 'index_yoy', 1), ('CPI', 'index_yoy', 2), ('EXPORTS', 'level', 3),
           ('IMPORTS', 'level', 4), ('RETAIL', 'level', 5), ('RETAIL', 'index_yoy', 6)
), printed as (
    select r.series_key, s.indicator, s.geo, s.measure, s.unit, r.period_type, r.period_start,
           r.period_end, r.value, h.position
    from reported r
    join series s using (series_key)
    join headline h using (indicator, measure)
    where r.release_id = $release_id
      and r.period_type in ('M', 'YTD', 'A')
      and s.industry in ('_T', '_Z') and s.product in ('_T', '_Z') and s.partner in ('_T', '_Z')
)
select series_key, indicator, geo, measure, unit, period_type, period_start, period_end, value
from printed
where period_end = (select max(period_end) from printed)
order by geo, position, period_type;
