-- insert_derived_vintages: the vintages derive_vintages.sql derived, into `observation`.
insert into observation
select series_key, period_type, period_start, period_end, source, value, status, release_id,
       valid_from, valid_to
from derived
