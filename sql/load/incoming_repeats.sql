-- incoming_repeats: how many figures of `incoming` repeat a key of their release
-- (incoming_key_counts without the series, for a load that lists them itself). Counting
-- distinct hashes is a third cheaper than grouping by the columns; a hash shared by two keys
-- only sends the load to the exact question (repeated_figure.sql).
select count(*) - count(distinct hash(release_id, series_key, period_type, period_start,
                                      period_end)) as repeats
from incoming
