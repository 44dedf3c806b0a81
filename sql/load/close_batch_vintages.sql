-- close_batch_vintages: end the current vintages the batch's releases replace, at the
-- publication of the first release that changes them (derive_batch_vintages.sql).
update observation set valid_to = d.valid_to
from derived d
where observation.rowid = d.closes and d.valid_to is not null
