-- The value each series and period had when first published, from the most trusted source.
create or replace view v_first_release as
with firsts as (
    select *, row_number() over (
        partition by series_key, period_type, period_start, period_end, source order by valid_from
    ) as nth
    from v_vintages
), ranked as (
    select f.*, row_number() over (
        partition by f.series_key, f.period_type, f.period_start, f.period_end
        order by s.precedence, f.source
    ) as rank
    from firsts f
    join source s using (source)
    where f.nth = 1
)
select
    series_key, indicator, geo, industry, product, measure, unit, period_type, period_start,
    period_end, value, status, source, release_id, published_at, partner, provenance
from ranked
where rank = 1;
