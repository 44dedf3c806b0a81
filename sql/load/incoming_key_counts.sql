-- incoming_key_counts: in one pass over `incoming` (the figures of the releases being loaded),
-- how many figures repeat a key of their release, and how many series are not yet in `series`
-- (sql/schema/006: the load keeps the keys DuckDB no longer keeps). Counting distinct hashes
-- is a third cheaper than grouping by the columns; a hash shared by two keys only sends the
-- load to the exact question (repeated_figure.sql).
select
    count(*) - count(distinct hash(release_id, series_key, period_type, period_start,
                                   period_end)) as repeats,
    count(distinct series_key) filter (where series_key not in (select series_key from series))
        as new_series
from incoming
