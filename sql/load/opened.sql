-- opened: each figure of `incoming` that opens a vintage (its key is new to the source, or
-- its value or status differs from the key's current vintage), with that current vintage's
-- row id (rows stay where they are until the load's transaction ends) and value.
-- Used when the release is newer than every other of its source. Parameter: $source.
create or replace temp table opened as
with current_vintage as (
    select rowid, series_key, period_type, period_start, period_end, value, status
    from observation
    where source = $source and valid_to is null
)
select i.series_key, i.period_type, i.period_start, i.period_end, i.value, i.status,
       o.rowid as closes, o.value as current_value
from incoming i
left join current_vintage o
    on o.series_key = i.series_key and o.period_type = i.period_type
   and o.period_start = i.period_start and o.period_end = i.period_end
where o.rowid is null or o.value <> i.value or o.status <> i.status
