-- territory_changes: the border changes a series' place went through, with the date and where the figure goes on.
--
-- Rows of v_territory_changes: for each series of `series` (or of the province `geo`), each
-- change of its territory: `ended` (the series stops the day before `changed_on` and goes on as
-- `related_series_key`, on the successor's borders), `absorbed` (the province took in
-- `related_geo` and kept its code) or `formed` (the territory began when `related_geo` merged
-- into it). `break_in_span` marks figures on both sides of a change under one code. No rows: the
-- series' borders never changed (or it had no figure at $as_of). `chiso series show` prints
-- these for one series.
--
-- parameter  type  default  example                                meaning
-- series     text  ''       IIP.VN-31._T._Z._Z.INDEX_YOY.INDEX     one series_key; '' for every series
-- geo        text  ''       VN-31                                  only the series of this province's territories; '' for all
--
-- example: chiso query territory_changes --param geo=VN-31
with changes as (
    select *
    from v_territory_changes
    where ($series = '' or series_key = $series)
      and ($geo = '' or geo = $geo or geo in (select geo from territory where province = $geo))
), known as (
    -- each series' span as the warehouse stood at $as_of
    select series_key, min(period_start) as first_period_start, max(period_end) as last_period_end
    from v_vintages
    where valid_from <= $as_of::timestamp
      and series_key in (select series_key from changes union select related_series_key from changes)
    group by series_key
)
select
    c.series_key, c.geo, c.territory_vi, c.valid_from, c.valid_to, k.first_period_start,
    k.last_period_end, c.change, c.changed_on, c.related_geo, c.related_territory_vi,
    r.series_key as related_series_key,
    c.change <> 'formed' and k.first_period_start < c.changed_on
        and k.last_period_end >= c.changed_on as break_in_span
from changes c
join known k using (series_key)
left join known r on r.series_key = c.related_series_key
order by c.series_key, c.changed_on, c.change, c.related_geo;
