-- release_names: every release's id and file name, and its source and reference period
-- (source:YYYY-MM), the names a correction may be given a release by.
select release_id, file_name, source || ':' || reference_period as period, published_at
from release
order by published_at, release_id
