-- freshness: every source's last release, the release its calendar expects next, and delays.
--
-- freshness_as_of($as_of) (sql/views/freshness_as_of.sql, the one definition of overdue): the
-- releases published by then, the first period each source's calendar (release_calendar)
-- expects after its last one, when, and whether that day had passed (`overdue`,
-- `days_overdue`, counted to today or to the $as_of date if earlier; 0 until the day has
-- passed). Sources without a calendar (World Bank, SDMX, files, press) are never overdue.
-- Latest: the rows of v_freshness itself.
--
-- parameter  type  default  example  meaning
-- source     text  ''       gso      only this source; '' for all
--
-- example: chiso query freshness --as-of 2024-10-31
select *
from freshness_as_of($as_of)
where $source = '' or source = $source
order by precedence, source;
