-- release_vintage_counts: for each release being loaded (`release_rows`), the vintages it
-- opened (of those derive_vintages.sql derived), and how many of them changed a value the
-- source published before (revisions).
select release_id, count(*) as opened, count(*) filter (where revises) as revised
from derived
where release_id in (select release_id from release_rows)
group by release_id
