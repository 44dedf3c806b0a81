-- touched: every (series, period) the release gives, whose vintage chains are derived again
-- when the release is not newer than every other of its source. Parameter: $release.
create or replace temp table touched as
select distinct series_key, period_type, period_start, period_end
from reported
where release_id = $release
