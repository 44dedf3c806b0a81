-- source_conflicts: the current conflicts a source is part of, the largest difference first.
--
-- From v_conflicts (the latest values), the pairs where $source is either side: series,
-- period, each source and its value; at most $limit rows.
--
-- parameter  type  default  example  meaning
-- source     text  -        gso      the source
-- limit      int   10       10       rows at most
--
-- example: flows/present/artifacts.py (the data-quality artifact)
with involved as (
    select *
    from v_conflicts
    where $source in (source, other_source)
)
select series_key, period_type, period_end, source, value, other_source, other_value
from involved
order by abs(difference) desc
limit $limit;
