-- repeated_figure: one series and period that `incoming` gives more than once, if any.
select series_key, period_type, period_end, count(*) as copies
from incoming
group by series_key, period_type, period_start, period_end
having count(*) > 1
limit 1
