-- coverage: how much of each workbook release became figures (cell accounting).
--
-- Per release published by $as_of, the latest first, from its cell accounting (table
-- cell_account): the sheets found, the kinds of table recognised, the numeric cells that
-- became figures, sat in quarantined rows, were skipped for a registered reason, were hidden
-- by the workbook (skip reason hidden-cell, not in `skipped`) or are unaccounted, the share of
-- the cells shown (all but the hidden) that became figures, and the sheets with numeric cells
-- where no table was recognised; the counts of `chiso coverage`. A release without cell accounting
-- (not a workbook, or loaded before the warehouse kept it) has its counts NULL.
--
-- parameter  type  default  example               meaning
-- source     text  ''       gso                   only this source; '' for all
-- release    text  ''       gso:2024-09:1a2b3c4d  only this release; '' for all
--
-- example: chiso query coverage --param source=gso
with asked as (
    select release_id, source, reference_period, published_at
    from release
    where published_at <= $as_of::timestamp
      and ($source = '' or source = $source)
      and ($release = '' or release_id = $release)
), sheets as (
    -- one row per sheet: whether a table was recognised on it and whether it shows cells
    select release_id, sheet, bool_and(table_kind = '') as unrecognised,
        coalesce(sum(cells) filter (where reason <> 'hidden-cell'), 0) as cells
    from cell_account
    group by release_id, sheet
), counted as (
    select
        release_id,
        count(distinct sheet) as sheets,
        count(distinct nullif(table_kind, '')) as table_kinds,
        coalesce(sum(cells) filter (where outcome = 'figure'), 0) as figured,
        coalesce(sum(cells) filter (where outcome = 'quarantined'), 0) as quarantined,
        coalesce(sum(cells) filter (where outcome = 'skipped' and reason <> 'hidden-cell'), 0)
            as skipped,
        coalesce(sum(cells) filter (where reason = 'hidden-cell'), 0) as hidden,
        coalesce(sum(cells) filter (where outcome = 'unaccounted'), 0) as unaccounted,
        sum(cells) filter (where reason is distinct from 'hidden-cell') as shown
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
    c.figured, c.quarantined, c.skipped, c.hidden, c.unaccounted,
    round(100 * c.figured / nullif(c.shown, 0), 2) as pct_figured,
    case when c.release_id is not null then coalesce(u.unrecognised_sheets, '') end
        as unrecognised_sheets
from asked a
left join counted c using (release_id)
left join unrecognised u using (release_id)
order by a.published_at desc, a.release_id;
