-- largest_revisions: the revisions some releases brought, the largest relative change first.
--
-- From v_revisions, the rows the releases of $release_ids made: series, period, the value
-- before and after and the lag in days, ordered by the revision as a share of the value
-- before (revisions of a zero last), at most $limit rows.
--
-- parameter    type  default  example             meaning
-- release_ids  text  -        gso:2024-09:1a2b3c  the releases, comma-separated
-- limit        int   10       10                  rows at most
--
-- example: flows/present/artifacts.py (the data-quality artifact)
with brought as (
    select *
    from v_revisions
    where list_contains(string_split($release_ids, ','), release_id)
)
select series_key, period_type, period_end, previous_value, value, lag_days
from brought
order by abs(revision / nullif(previous_value, 0)) desc nulls last
limit $limit;
