-- touched_by_release: every (series, period) a release gives, whose vintage chains a
-- correction of that release derives again (derive_vintages.sql), numbered as touched.sql
-- numbers them. Parameter: $release.
create or replace temp table touched as
select *, row_number() over () as key_id
from (select distinct series_key, period_type, period_start, period_end
      from reported where release_id = $release)
