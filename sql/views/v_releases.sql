-- Every release with what it holds now: figures reported, vintages it opened (values it was
-- the first to publish or changed), revisions among them, and rows quarantined.
create or replace view v_releases as
with opened as (
    select release_id, count(*) as vintages from observation group by release_id
), revised as (
    select release_id, count(*) as revisions from v_revisions group by release_id
)
select
    r.release_id, r.source, r.dataset, r.reference_period, r.published_at, r.url, r.file_name,
    r.rows_reported, coalesce(o.vintages, 0) as vintages_opened,
    coalesce(v.revisions, 0) as revisions, r.rows_quarantined, r.fetched_at, r.loaded_at
from release r
left join opened o using (release_id)
left join revised v using (release_id);
