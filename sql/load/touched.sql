-- touched: every (series, period) `incoming` gives, whose vintage chains are derived again
-- (a release not newer than every other of its source), numbered: derive_vintages.sql
-- partitions by the number, cheaper to sort than the four columns.
create or replace temp table touched as
select *, row_number() over () as key_id
from (select distinct series_key, period_type, period_start, period_end from incoming)
