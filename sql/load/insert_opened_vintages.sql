-- insert_opened_vintages: the vintages the release opens, current until a later release
-- closes them. Parameters: $source, $release, $published.
insert into observation
select series_key, period_type, period_start, period_end, $source, value, status, $release,
       $published, null
from opened
