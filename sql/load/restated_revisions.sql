-- restated_revisions: of the figures in `opened` that changed only the status, those whose
-- key had some other value in an earlier vintage of the source. Parameter: $source.
select count(*)
from opened n
where n.current_value = n.value and exists (
    select 1 from observation p
    where p.source = $source
      and p.series_key = n.series_key and p.period_type = n.period_type
      and p.period_start = n.period_start and p.period_end = n.period_end
      and p.value <> n.value)
