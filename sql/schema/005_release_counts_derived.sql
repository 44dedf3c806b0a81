-- How many vintages a release opened depends on which releases were loaded before it, so a
-- stored count made the warehouse depend on the order of loading: release.rows_added and
-- release.rows_revised are no longer written (always 0) and v_releases derives both.
-- (They stay as columns: DuckDB cannot alter a table that other tables reference.)
select 1;
