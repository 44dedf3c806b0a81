-- The load keeps the keys of reported and observation; DuckDB no longer does.
--
-- DuckDB maintains primary and foreign keys row by row. On releases of 250,000 figures that
-- upkeep was two thirds of the load (tests/benchmarks/bulk_load.py: 0.125x the raw insert
-- rate with the keys, 0.397x without), and DuckDB cannot drop a key from a table, so the two
-- tables are made again without them. What the keys guaranteed still holds, as it does in
-- lake mode, where DuckLake has no keys at all:
-- - one writer at a time (the flock in warehouse/connect.py), each release one transaction;
-- - a release is loaded once: its (source, sha256) is looked up inside that transaction;
-- - a release's figures are unique per series and period (flows/validate.py rejects a second
--   figure as duplicate-observation) and its series and release rows go in first;
-- - sql/checks/duplicate_keys.sql and overlapping_vintages.sql find any breach, and the
--   tests run them after every load, kill and rebuild.
create table reported_unkeyed (
    release_id    varchar not null,
    series_key    varchar not null,
    period_type   varchar not null,
    period_start  date not null,
    period_end    date not null,
    value         double not null,
    status        varchar not null,
    provenance    varchar,
    decimals      integer
);
insert into reported_unkeyed select * from reported;
drop table reported;
alter table reported_unkeyed rename to reported;

create table observation_unkeyed (
    series_key    varchar not null,
    period_type   varchar not null,
    period_start  date not null,
    period_end    date not null,
    source        varchar not null,
    value         double not null,
    status        varchar not null,
    release_id    varchar not null,
    valid_from    timestamp not null,
    valid_to      timestamp
);
insert into observation_unkeyed select * from observation order by series_key, valid_from;
drop table observation;
alter table observation_unkeyed rename to observation;

