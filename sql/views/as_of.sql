-- The warehouse as it stood at time `ts`: for each series and period, the value current then,
-- from the most trusted source that had published it.
create or replace macro as_of(ts) as table
with current_then as (
    select *
    from v_vintages
    where valid_from <= ts::timestamp
      and (valid_to is null or valid_to > ts::timestamp)
), ranked as (
    -- indicator and geo depend on series_key, so naming them changes no partition; it lets a
    -- filter on them (v_latest where indicator = ...) run before the ranking, not after it
    select c.*, row_number() over (
        partition by c.series_key, c.indicator, c.geo, c.period_type, c.period_start,
                     c.period_end
        order by s.precedence, c.source
    ) as rank
    from current_then c
    join source s using (source)
)
select
    series_key, indicator, geo, industry, product, measure, unit, period_type, period_start,
    period_end, value, status, source, release_id, published_at, partner, provenance
from ranked
where rank = 1;

comment on macro table as_of is
    'The warehouse as it stood at a moment: as_of(ts) gives, for each series and period, the value current at ts (a date or timestamp, e.g. as_of(''2024-09-30'')) from the most trusted publisher that had published it by then. Its columns are those of v_latest, which is as_of(''infinity'').';
