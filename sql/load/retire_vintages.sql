-- retire_vintages: the source's vintages of the touched keys that the chains derived again
-- (`derived`) do not keep exactly as they are, into vintage_retired as they stood, before
-- delete_touched_vintages.sql removes them from observation. Parameters: $source,
-- $correction.
insert into vintage_retired
select o.*, $correction
from observation o
join touched t on o.series_key = t.series_key and o.period_type = t.period_type
              and o.period_start = t.period_start and o.period_end = t.period_end
where o.source = $source
  and not exists (
      select 1 from derived d
      where d.series_key = o.series_key and d.period_type = o.period_type
        and d.period_start = o.period_start and d.period_end = o.period_end
        and d.valid_from = o.valid_from and d.release_id = o.release_id
        and d.value = o.value and d.status = o.status
        and d.valid_to is not distinct from o.valid_to)
