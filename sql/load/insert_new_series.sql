-- insert_new_series: the series `incoming` brings that `series` lacks. A key is its
-- dimensions joined (Observation.series_key), so any row of it gives them.
insert into series
select series_key, any_value(indicator), any_value(geo), any_value(industry),
       any_value(product), any_value(partner), any_value(measure), any_value(unit)
from incoming
where series_key not in (select series_key from series)
group by series_key
