-- How many vintages a release opened depends on which releases were loaded before it, so
-- storing it made the warehouse depend on the order of loading. v_releases derives it.
alter table release drop column rows_added;
alter table release drop column rows_revised;
