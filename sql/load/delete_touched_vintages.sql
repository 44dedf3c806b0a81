-- delete_touched_vintages: the source's vintages of the touched keys, about to be derived
-- again from all its releases (derive_vintages.sql). Parameter: $source.
delete from observation o
using touched t
where o.source = $source
  and o.series_key = t.series_key and o.period_type = t.period_type
  and o.period_start = t.period_start and o.period_end = t.period_end
