-- Revisions only: each vintage that changed a value a source had already published, with the
-- value it replaced and the lag in days since that value and since the first publication.
create or replace view v_revisions as
with chained as (
    select *,
        lag(value) over w as previous_value,
        lag(published_at) over w as previous_published_at,
        first_value(published_at) over w as first_published_at
    from v_vintages
    window w as (partition by series_key, period_type, period_start, period_end, source order by valid_from)
)
select
    series_key, indicator, geo, industry, product, measure, unit, period_type, period_start,
    period_end, value, status, source, release_id, published_at,
    previous_value,
    value - previous_value as revision,
    previous_published_at,
    date_diff('day', previous_published_at, published_at) as lag_days,
    date_diff('day', first_published_at, published_at) as days_since_first,
    partner, provenance
from chained
where previous_value is not null and value <> previous_value;
