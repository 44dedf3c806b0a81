-- releases_published: how many releases were published by $as_of, and the last one's date.
--
-- The report's opening line: the count of release rows published on or before $as_of and
-- the latest published_at among them ('infinity': every release).
--
-- example: flows/present/report.py (the introduction)
with published as (
    select published_at
    from release
    where published_at <= $as_of::timestamp
)
select count(*) as releases, max(published_at) as last_published_at
from published;
