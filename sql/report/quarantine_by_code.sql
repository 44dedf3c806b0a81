-- quarantine_by_code: the quarantined rows of some releases, counted by error code.
--
-- For the releases of $release_ids: per error code (docs/codes.md says what each means) the
-- number of rows and the messages of the first $examples of them in cell order; the most
-- frequent code first.
--
-- parameter    type  default  example             meaning
-- release_ids  text  -        gso:2024-09:1a2b3c  the releases, comma-separated
-- examples     int   3        3                   messages shown per code
--
-- example: flows/present/artifacts.py (the data-quality artifact)
with quarantined as (
    select error_code, message, cell
    from quarantine
    where list_contains(string_split($release_ids, ','), release_id)
), by_code as (
    select error_code, count(*) as rows, list(message order by cell)[1:$examples] as examples
    from quarantined
    group by error_code
)
select error_code, rows, examples
from by_code
order by rows desc;
