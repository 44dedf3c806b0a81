-- The latest value of every series and period, from the most trusted source that has it.
create or replace view v_latest as
with current_values as (
    select * from v_vintages where valid_to is null
), ranked as (
    select c.*, row_number() over (
        partition by c.series_key, c.period_type, c.period_start, c.period_end
        order by s.precedence, c.source
    ) as rank
    from current_values c
    join source s using (source)
)
select
    series_key, indicator, geo, industry, product, measure, unit, period_type, period_start,
    period_end, value, status, source, release_id, published_at, partner, provenance
from ranked
where rank = 1;
