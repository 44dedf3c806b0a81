-- Series and periods where the current values of two sources differ beyond the precision
-- they were published at (34,049.626711 and "34.049,6" agree; 115.14 and 114.09 do not).
-- `source` is the one v_latest prefers (lower precedence), `other_source` the one it does not.
create or replace view v_conflicts as
with current_values as (
    select v.*, s.precedence
    from v_vintages v
    join source s using (source)
    where v.valid_to is null
), pairs as (
    select
        a.series_key, a.indicator, a.geo, a.industry, a.product, a.measure, a.unit,
        a.period_type, a.period_start, a.period_end,
        a.source, a.value, b.source as other_source, b.value as other_value,
        least(coalesce(a.decimals, 15), coalesce(b.decimals, 15)) as compared_decimals,
        a.release_id, b.release_id as other_release_id,
        a.published_at, b.published_at as other_published_at,
        a.provenance, b.provenance as other_provenance
    from current_values a
    join current_values b
      on a.series_key = b.series_key and a.period_type = b.period_type
     and a.period_start = b.period_start and a.period_end = b.period_end
     and (a.precedence < b.precedence or (a.precedence = b.precedence and a.source < b.source))
)
select *, other_value - value as difference
from pairs
where round(value, compared_decimals) <> round(other_value, compared_decimals);
