-- revision_history: one series' full history: its first release and every revision, with lags.
--
-- Every vintage of `series` (a series_key: `chiso series search` finds one), period by period:
-- the value first published and each value that replaced it, from each source, with the
-- revision (value less the one it replaced), the days from the end of the period to the
-- release and the days since the first release. `kind` is "first release" or "revision".
--
-- parameter    type    default                          example                           meaning
-- series       series  IIP.VN._T._Z._Z.INDEX_YOY.INDEX  EXPORTS.VN._Z._T._Z.LEVEL.USD_MN  the series_key
-- period_type  text    M                                Q                                 M, Q, H, YTD, A or D; '' for every type
-- period       period  ''                               2024-08                           only the period ending in that month (YYYY-MM); '' for every period
--
-- example: chiso query revision_history --param series=IIP.VN._T._Z._Z.INDEX_YOY.INDEX --param period=2024-08
with vintages as (
    select *
    from v_vintages
    where series_key = $series
      and valid_from <= $as_of::timestamp
      -- a release withdrawn by then counts no more (sql/views/v_withdrawn.sql)
      and release_id not in (
          select release_id from v_withdrawn where withdrawn_at <= $as_of::timestamp)
      and ($period_type = '' or period_type = $period_type)
      and ($period = '' or strftime(period_end, '%Y-%m') = $period)
), chained as (
    select *,
        row_number() over w as vintage,
        lag(value) over w as previous_value,
        first_value(published_at) over w as first_published_at
    from vintages
    window w as (partition by period_type, period_start, period_end, source order by valid_from)
)
select
    period_type, period_start, period_end, source, vintage,
    case when vintage = 1 then 'first release' else 'revision' end as kind,
    value, value - previous_value as revision, status, published_at,
    date_diff('day', period_end, published_at::date) as days_after_period_end,
    date_diff('day', first_published_at, published_at) as days_since_first,
    release_id
from chained
order by period_type, period_end, source, vintage;
