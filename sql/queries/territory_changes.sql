-- territory_changes: the border changes a series' place went through, with the date and where the figure goes on.
--
-- Rows of v_territory_changes: for each series of `series` (or of the province `geo`), each
-- change of its territory: `ended` (the series stops the day before `changed_on` and goes on as
-- `related_series_key`, on the successor's borders), `absorbed` (the province took in
-- `related_geo` and kept its code) or `formed` (the territory began when `related_geo` merged
-- into it). `break_in_span` marks figures on both sides of a change under one code. No rows: the
-- series' borders never changed. `chiso series show` prints these for one series.
--
-- parameter  type  default  example                                meaning
-- series     text  ''       IIP.VN-31._T._Z._Z.INDEX_YOY.INDEX     one series_key; '' for every series
-- geo        text  ''       VN-31                                  only the series of this province's territories; '' for all
--
-- example: chiso query territory_changes --param geo=VN-31
select
    c.series_key, c.geo, c.territory_vi, c.valid_from, c.valid_to, c.first_period_start,
    c.last_period_end, c.change, c.changed_on, c.related_geo, c.related_territory_vi,
    c.related_series_key, c.break_in_span
from v_territory_changes c
where ($series = '' or c.series_key = $series)
  and ($geo = '' or c.geo = $geo
       or c.geo in (select geo from territory where province = $geo))
order by c.series_key, c.changed_on, c.change, c.related_geo;
