-- series_dimensions: the dimensions of the series listed, by series key.
--
-- One row per series of $series_keys that the warehouse holds: what it measures (indicator,
-- place, industry, product), the measure and the unit; the report describes a series in words
-- from them.
--
-- parameter    type  default  example                          meaning
-- series_keys  text  -        IIP.VN._T._Z._Z.INDEX_YOY.INDEX  the series, comma-separated
--
-- example: flows/present/report.py (the Revisions and Conflicts sections)
with wanted as (
    select unnest(string_split($series_keys, ',')) as series_key
)
select s.series_key, s.indicator, s.geo, s.industry, s.product, s.measure, s.unit
from series s
join wanted using (series_key)
order by s.series_key;
