-- release_vintage_counts: the vintages the release opened, and how many of them changed a
-- value the source published before (revisions). Parameter: $release.
select count(*) as opened,
       count(*) filter (where exists (
           select 1 from observation p
           where p.series_key = o.series_key and p.period_type = o.period_type
             and p.period_start = o.period_start and p.period_end = o.period_end
             and p.source = o.source and p.valid_from < o.valid_from
             and p.value <> o.value)) as revised
from observation o
where o.release_id = $release
