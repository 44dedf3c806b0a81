-- insert_reported: the release's figures as published, from `incoming`.
insert into reported
select release_id, series_key, period_type, period_start, period_end, value, status,
       provenance, decimals
from incoming
