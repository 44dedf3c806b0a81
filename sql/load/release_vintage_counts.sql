-- release_vintage_counts: for each release being loaded (`release_rows`), the vintages it
-- opened (of those derive_vintages.sql derived), and how many of
-- them changed a value the source published before (revisions). Counted a release first and
-- then kept to those being loaded: DuckDB chose to hash every derived row for the join
-- otherwise (0.022 s against 0.007 s for a batch of the 125 shared workbooks).
with opened as (
    select release_id, count(*) as opened, count(*) filter (where revises) as revised
    from derived
    group by release_id
)
select release_id, opened, revised
from opened
where release_id in (select release_id from release_rows)
