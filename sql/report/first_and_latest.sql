-- first_and_latest: per period, the value first published against the one current at $as_of.
--
-- For one series and period type: the vintages published by $as_of; per period and source
-- the first value (and when it was published) and the latest one; then per period only the
-- most trusted source's pair (lowest precedence, then source code). Oldest period first.
--
-- parameter    type  default  example                          meaning
-- series       text  -        IIP.VN._T._Z._Z.INDEX_YOY.INDEX  the series
-- period_type  text  -        M                                its period type (M, Q, H, A, YTD)
--
-- example: flows/present/report.py (the Revisions section)
with known as (
    select v.*, s.precedence
    from v_vintages v
    join source s using (source)
    where v.series_key = $series
      and v.period_type = $period_type
      and v.valid_from <= $as_of::timestamp
      -- a release withdrawn by then counts no more (sql/views/v_withdrawn.sql)
      and v.release_id not in (
          select release_id from v_withdrawn where withdrawn_at <= $as_of::timestamp)
), per_source as (
    select
        period_start, period_end, source, precedence,
        arg_min(value, valid_from) as first_value, min(published_at) as first_published,
        arg_max(value, valid_from) as latest_value, max(published_at) as latest_published
    from known
    group by period_start, period_end, source, precedence
), ranked as (
    select *, row_number() over (
        partition by period_start, period_end order by precedence, source) as rank
    from per_source
)
select
    period_end, source, first_value, first_published, latest_value, latest_published,
    period_start
from ranked
where rank = 1
order by period_end;
