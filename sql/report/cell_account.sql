-- cell_account: the cell accounting of releases, latest first.
--
-- One row per release, sheet, table kind, outcome and reason (table cell_account) of the
-- releases asked for, the latest published first; a release without cell accounting (not a
-- workbook, or loaded before the warehouse kept it) gives one row with sheet NULL, so the
-- caller can say so.
--
-- parameter    type  default  example             meaning
-- release_ids  text  ''       gso:2024-09:1a2b3c  only these releases, comma-separated; '' for all
-- source       text  ''       gso                 only this source; '' for all
--
-- example: flows/present/coverage.py (chiso coverage, the run's data-quality artifact)
with asked as (
    select release_id, published_at
    from release
    where ($release_ids = '' or list_contains(string_split($release_ids, ','), release_id))
      and ($source = '' or source = $source)
)
select a.release_id, c.sheet, c.table_kind, c.outcome, c.reason, c.cells
from asked a
left join cell_account c using (release_id)
order by a.published_at desc, a.release_id, c.sheet, c.table_kind, c.outcome, c.reason;
