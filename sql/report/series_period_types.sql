-- series_period_types: the period types a series has figures for, the one to chart first.
--
-- Monthly first if the series has months, then the others by how many observations they
-- have, most first.
--
-- parameter  type  default  example                          meaning
-- series     text  -        IIP.VN._T._Z._Z.INDEX_YOY.INDEX  the series
--
-- example: flows/present/report.py (the Revisions section)
with counted as (
    select period_type, count(*) as observations
    from observation
    where series_key = $series
    group by period_type
)
select period_type
from counted
order by period_type <> 'M', observations desc;
