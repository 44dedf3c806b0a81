-- insert_batch_vintages: the vintages a backfill's batch opens into `observation`: the
-- figures of `batch_vintages` (`incoming` with `opens` and `valid_to`, worked out by
-- warehouse/batch_vintages.py) that open one.
insert into observation
select series_key, period_type, period_start, period_end, $source, value, status, release_id,
       published_at, valid_to
from batch_vintages
where opens
