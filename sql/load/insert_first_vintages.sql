-- insert_first_vintages: the vintages of a source's first batch into `observation`: the
-- figures of `first_vintages` (`incoming` with `opens` and `valid_to`, worked out by
-- warehouse/first_vintages.py) that open one.
insert into observation
select series_key, period_type, period_start, period_end, $source, value, status, release_id,
       published_at, valid_to
from first_vintages
where opens
