-- points: the last `last` periods of one series at $as_of, oldest first, with status and source.
--
-- The value of each period as `as_of($as_of)` gives it (the most trusted source's current
-- value), with `vintages`: how many values that source has published for the period by then
-- (2 or more: it was revised, or its status changed), and the value it first published.
-- Periods are ordered by their end, a month before the quarter or year ending the same day.
-- `points`: how many periods the series has in all (shown or not).
--
-- parameter    type  default  example                          meaning
-- series       text  -        IIP.VN._T._Z._Z.INDEX_YOY.INDEX  the series_key
-- period_type  text  ''       M                                only this period type (M, Q, H, YTD, A, D); '' for all
-- last         int   24       12                               at most this many periods, the latest
--
-- example: chiso series show IIP.VN._T._Z._Z.INDEX_YOY.INDEX --period-type M
with current_then as (
    select *,
        row_number() over (
            order by period_end desc,
                     case period_type when 'M' then 0 when 'Q' then 1 when 'H' then 2
                                      when 'YTD' then 3 when 'A' then 4 else 5 end
        ) as recency,
        count(*) over () as points
    from as_of($as_of)
    where series_key = $series and ($period_type = '' or period_type = $period_type)
), history as (
    select period_type, period_start, period_end, source, count(*) as vintages,
           arg_min(value, valid_from) as first_value
    from v_vintages
    where series_key = $series and valid_from <= $as_of::timestamp
      -- a release withdrawn by then counts no more (sql/views/v_withdrawn.sql)
      and release_id not in (
          select release_id from v_withdrawn where withdrawn_at <= $as_of::timestamp)
    group by period_type, period_start, period_end, source
)
select
    c.period_type, c.period_start, c.period_end, c.value, c.status, c.source, c.published_at,
    h.vintages, h.first_value, c.points
from current_then c
join history h using (period_type, period_start, period_end, source)
where c.recency <= $last
order by c.recency desc;
