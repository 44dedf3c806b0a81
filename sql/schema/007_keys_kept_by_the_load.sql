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

-- the comments of 006, which went with the old tables
comment on table reported is
    'Every figure exactly as each release published it, repeats of known figures included: the facts the vintages in table observation are derived from. One row per release, series and period. Key, kept by the load rather than by DuckDB (sql/checks/duplicate_keys.sql finds a breach): release_id, series_key, period_type, period_start, period_end.';
comment on column reported.release_id is 'The release that published the figure (table release).';
comment on column reported.series_key is 'The series (table series).';
comment on column reported.period_type is 'Kind of period: M a month, Q a quarter, H a half year, YTD the year to date (January to period_end), A a year, D a single day.';
comment on column reported.period_start is 'First day of the period (1 January for a year to date).';
comment on column reported.period_end is 'Last day of the period: September 2024 is 2024-09-30, January to September 2024 is also 2024-09-30 with period_type YTD.';
comment on column reported.value is 'The figure as published, in the series'' unit and measure.';
comment on column reported.status is 'How final the publisher called it: estimate (ước tính), preliminary (sơ bộ) or official (thực hiện, chính thức).';
comment on column reported.provenance is 'Where the release printed the figure: a workbook cell (sheet!D9), a report''s sentence, an API row or an SDMX series key.';
comment on column reported.decimals is 'Decimal places as printed (26.351,9 has 1), so publishers are compared at the coarser precision; NULL when the file holds the exact number, as workbooks do.';

comment on table observation is
    'The vintages: for each series, period and publisher, one row per value the publisher has held, valid from the release that gave it until the release that changed it. A release repeating the current figure adds no row; a change of status (estimate to official) opens a new one. Key, kept by the load rather than by DuckDB (sql/checks/duplicate_keys.sql finds a breach): series_key, period_type, period_start, period_end, source, valid_from.';
comment on column observation.series_key is 'The series (table series).';
comment on column observation.period_type is 'Kind of period: M a month, Q a quarter, H a half year, YTD the year to date (January to period_end), A a year, D a single day.';
comment on column observation.period_start is 'First day of the period (1 January for a year to date).';
comment on column observation.period_end is 'Last day of the period (a month is keyed by its last day: 2024-09-30).';
comment on column observation.source is 'The publisher whose figure this is; each publisher keeps its own history.';
comment on column observation.value is 'The value during this vintage, in the series'' unit and measure.';
comment on column observation.status is 'How final the publisher called it: estimate, preliminary or official.';
comment on column observation.release_id is 'The release that first gave this value (table release).';
comment on column observation.valid_from is 'When this value was published (its release''s published_at): from then on it was the publisher''s current figure.';
comment on column observation.valid_to is 'When the publisher replaced this value (the next vintage''s valid_from); NULL while it is still current.';
