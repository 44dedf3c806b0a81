-- close_batch_vintages: end the current vintages the batch's releases replace, at the
-- publication of the first release that changes them (`closing`, warehouse/batch_vintages.py).
update observation set valid_to = c.valid_to
from closing c
where observation.rowid = c.closes
