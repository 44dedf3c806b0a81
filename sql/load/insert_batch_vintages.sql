-- insert_batch_vintages: the vintages the batch's releases open (derive_batch_vintages.sql),
-- into `observation`; the current vintages they continue are there already.
insert into observation
select series_key, period_type, period_start, period_end, source, value, status, release_id,
       valid_from, valid_to
from derived
where closes is null
