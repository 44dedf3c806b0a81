-- Figures or vintages given twice: a release's figure per series and period, and a vintage
-- per series, period, publisher and start are each unique (the keys the load keeps,
-- sql/schema/006_keys_kept_by_the_load.sql).
select 'reported' as "table", release_id || ' ' || series_key || ' ' || period_type || ' '
       || period_end as "key", count(*) as copies
from reported
group by release_id, series_key, period_type, period_start, period_end
having count(*) > 1
union all
select 'observation', series_key || ' ' || period_type || ' ' || period_end || ' ' || source
       || ' ' || valid_from, count(*)
from observation
group by series_key, period_type, period_start, period_end, source, valid_from
having count(*) > 1
