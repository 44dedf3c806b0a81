-- batch_earlier: for each key of a backfill's batch (`incoming`) with vintages of $source
-- already, the least and greatest value they held and its current vintage: row id
-- (`closes`), value and status, null when none is current (warehouse/batch_vintages.py).
select o.series_key, o.period_type, o.period_start, o.period_end,
       min(o.value) as least_value, max(o.value) as greatest_value,
       max(o.rowid) filter (where o.valid_to is null) as closes,
       arg_max(o.value, o.rowid) filter (where o.valid_to is null) as value,
       arg_max(o.status, o.rowid) filter (where o.valid_to is null) as status
from observation o
semi join incoming g on g.series_key = o.series_key and g.period_type = o.period_type
                     and g.period_start = o.period_start and g.period_end = o.period_end
where o.source = $source
group by o.series_key, o.period_type, o.period_start, o.period_end
