-- Vintages of one series, period and source that overlap or run backwards: there must be
-- exactly one value at any moment.
with chained as (
    select *, lead(valid_from) over (
        partition by series_key, period_type, period_start, period_end, source
        order by valid_from
    ) as next_from
    from observation
)
select series_key, period_type, period_start, period_end, source, valid_from, valid_to, next_from
from chained
where (valid_to is not null and valid_to < valid_from)
   or (next_from is not null and (valid_to is null or valid_to <> next_from))
