-- coverage: how much of each workbook release became figures (cell accounting).
--
-- Per release with cell accounting (table cell_account), the latest published first: the
-- sheets found, the kinds of table recognised, the numeric cells that became figures, sat in
-- quarantined rows, were skipped for a registered reason or are unaccounted, the share that
-- became figures, and the sheets with numeric cells where no table was recognised. The same
-- counts as `chiso coverage`. Releases that are not workbooks have no cell accounting.
--
-- parameter  type  default  example               meaning
-- source     text  ''       gso                   only this source; '' for all
-- release    text  ''       gso:2024-09:1a2b3c4d  only this release; '' for all
--
-- example: chiso query coverage --param source=gso
with asked as (
    select release_id, source, reference_period, published_at
    from release
    where ($source = '' or source = $source)
      and ($release = '' or release_id = $release)
), sheets as (
    -- one row per sheet: whether a table was recognised on it and whether it has cells
    select release_id, sheet, bool_and(table_kind = '') as unrecognised, sum(cells) as cells
    from cell_account
    group by release_id, sheet
), counted as (
    select
        release_id,
        count(distinct sheet) as sheets,
        count(distinct nullif(table_kind, '')) as table_kinds,
        sum(cells) filter (where outcome = 'figure') as figured,
        sum(cells) filter (where outcome = 'quarantined') as quarantined,
        sum(cells) filter (where outcome = 'skipped') as skipped,
        sum(cells) filter (where outcome = 'unaccounted') as unaccounted,
        sum(cells) as cells
    from cell_account
    group by release_id
), unrecognised as (
    select release_id, string_agg(sheet, ', ' order by sheet) as unrecognised_sheets
    from sheets
    where unrecognised and cells > 0
    group by release_id
)
select
    a.release_id, a.source, a.reference_period, a.published_at, c.sheets, c.table_kinds,
    coalesce(c.figured, 0) as figured, coalesce(c.quarantined, 0) as quarantined,
    coalesce(c.skipped, 0) as skipped, coalesce(c.unaccounted, 0) as unaccounted,
    round(100 * coalesce(c.figured, 0) / nullif(c.cells, 0), 1) as pct_figured,
    coalesce(u.unrecognised_sheets, '') as unrecognised_sheets
from asked a
join counted c using (release_id)
left join unrecognised u using (release_id)
order by a.published_at desc, a.release_id;
