-- provider_codes: how many of a source's series are coded to chiso's indicators and how many
-- are kept under the provider's own code (an indicator in the provider's namespace, NSDP.<code>).
--
-- One row per source that has series kept under a provider's code, or `source` only.
--
-- parameter    type  default  example  meaning
-- source       text  ''       nsdp     only this source; '' for all
-- namespace    text  'NSDP.'  NSDP.    the prefix of indicators kept under the provider's code
--
-- example: flows/present/coverage.py (chiso coverage)
with reported_series as (
    select distinct r.source, s.series_key, s.indicator
    from release r
    join reported p using (release_id)
    join series s using (series_key)
    where $source = '' or r.source = $source
)
select
    source,
    count(*) filter (where not starts_with(indicator, $namespace)) as coded,
    count(*) filter (where starts_with(indicator, $namespace)) as provider_codes
from reported_series
group by source
having count(*) filter (where starts_with(indicator, $namespace)) > 0
order by source;
