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

comment on view v_releases is
    'Every release loaded, with what it holds now: figures reported, the vintages it opened (values it was the first to publish or that it changed), revisions among them, and rows set aside in quarantine.';
comment on column v_releases.release_id is 'The release''s identifier: source, reference period and the start of the file''s SHA-256 checksum (table release).';
comment on column v_releases.source is 'The publisher (table source).';
comment on column v_releases.dataset is 'Which of the publisher''s products: monthly-workbook, monthly-report, a World Bank indicator code, an SDMX dataset, local-file.';
comment on column v_releases.reference_period is 'The latest period the release covers, as YYYY-MM.';
comment on column v_releases.published_at is 'When the publisher released it, Viet Nam local time: the vintage time of its figures.';
comment on column v_releases.url is 'Where the file was downloaded from; NULL for a file given by hand.';
comment on column v_releases.file_name is 'The file''s name as the publisher or the analyst gave it.';
comment on column v_releases.rows_reported is 'How many figures the release gave.';
comment on column v_releases.vintages_opened is 'How many of its figures opened a vintage: values the publisher gave for the first time, or changed. Repeats of the current value open none.';
comment on column v_releases.revisions is 'How many of those vintages changed a value the publisher had already published (rows of v_revisions).';
comment on column v_releases.rows_quarantined is 'Rows, cells or sentences set aside in table quarantine.';
comment on column v_releases.fetched_at is 'When chiso downloaded the file (for a file given by hand, when it was archived).';
comment on column v_releases.loaded_at is 'When chiso loaded it into the warehouse.';
