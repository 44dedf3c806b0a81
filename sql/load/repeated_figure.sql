-- repeated_figure: one series and period that a release of `incoming` gives more than once,
-- if any, with that release.
select release_id, series_key, period_type, period_end, count(*) as copies
from incoming
group by release_id, series_key, period_type, period_start, period_end
having count(*) > 1
limit 1
