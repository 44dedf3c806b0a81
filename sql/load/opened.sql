-- opened: each figure of `incoming` that opens a vintage (its key is new to the source, or
-- its value or status differs from the key's current vintage), with that current vintage's
-- row id (rows stay where they are until the load's transaction ends), and whether it
-- revises: `revised` when it changes the current value; `restated_revision` when it changes
-- the status alone but some earlier vintage of the key had another value. One pass over the
-- source's vintages, read into Arrow by the load (warehouse/load.py, `_append_vintages`).
-- Used when the release is newer than every other of its source. Parameter: $source.
with vintages as (
    select i.series_key, i.period_type, i.period_start, i.period_end,
           any_value(o.rowid) filter (where o.valid_to is null) as closes,
           any_value(o.value) filter (where o.valid_to is null) as current_value,
           any_value(o.status) filter (where o.valid_to is null) as current_status,
           bool_or(o.value <> i.value) as other_value
    from incoming i
    join observation o
        on o.source = $source
       and o.series_key = i.series_key and o.period_type = i.period_type
       and o.period_start = i.period_start and o.period_end = i.period_end
    group by i.series_key, i.period_type, i.period_start, i.period_end
)
select i.series_key, i.period_type, i.period_start, i.period_end, i.value, i.status,
       v.closes,
       v.current_value <> i.value as revised,
       v.current_value = i.value and v.other_value as restated_revision
from incoming i
left join vintages v
    on v.series_key = i.series_key and v.period_type = i.period_type
   and v.period_start = i.period_start and v.period_end = i.period_end
where v.closes is null or v.current_value <> i.value or v.current_status <> i.status
