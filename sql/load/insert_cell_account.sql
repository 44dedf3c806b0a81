-- insert_cell_account: the release's cell accounting (`cell_rows`), one row per sheet, table
-- kind, outcome and reason; a reader that counted one of them in parts is summed here.
insert into cell_account
select release_id, sheet, table_kind, outcome, reason, sum(cells)
from cell_rows
group by release_id, sheet, table_kind, outcome, reason
