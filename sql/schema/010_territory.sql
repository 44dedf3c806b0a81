-- Territories (issue 16): each version of a province's borders with the dates it was in force,
-- copied from flows/reference/territories.csv at every migration (warehouse/territories.py), so
-- v_territory_changes can tell which series a border change touches. A series' geo is a
-- territory code: the merged Hải Phòng of 1 July 2025 is VN-31-2025, never the old city's VN-31.
create table territory (
    geo           varchar primary key,   -- the territory code, as in series.geo
    province      varchar not null,      -- the province it is a version of (VN-31 for both)
    name_vi       varchar not null,
    name_en       varchar not null,
    valid_from    date,                  -- NULL: before any figure chiso reads
    valid_to      date,                  -- NULL: still in force
    unknown_from  date,                  -- the reference cannot follow it from this day
    successor     varchar,               -- the territory it became, NULL when none
    basis         varchar                -- the legal act behind the change
);

comment on table territory is
    'Each version of a province''s borders, with the dates it was in force and what it became: one row per territory code of flows/reference/territories.csv, rewritten from that file at every migration. The merged Hải Phòng of 1 July 2025 (old Hải Phòng + Hải Dương) is VN-31-2025; the city before it keeps VN-31. v_territory_changes lists the series a change touches.';
comment on column territory.geo is 'The territory code, as series.geo holds it: VN-<GSO province code> for the borders in force before the 2025 merger, VN-<code>-<year> for a version that began in that year (VN-31-2025).';
comment on column territory.province is 'The province the territory is a version of (VN-31 for both VN-31 and VN-31-2025): queries asked for a province return all its territories.';
comment on column territory.name_vi is 'The province''s Vietnamese name.';
comment on column territory.name_en is 'The province''s English name.';
comment on column territory.valid_from is 'First day these borders were in force; NULL when earlier than any figure chiso reads.';
comment on column territory.valid_to is 'Last day these borders were in force (30 June 2025 for the two cities merged into Hải Phòng); NULL while in force.';
comment on column territory.unknown_from is 'The day from which the reference data does not know this territory (1 July 2025 for provinces whose 2025 successor shared/DOMAIN.md does not list): figures after it are quarantined, not guessed.';
comment on column territory.successor is 'The territory this one became (VN-31-2025 for VN-30 Hải Dương and VN-31); NULL when none.';
comment on column territory.basis is 'The act behind the change: Resolution 202/2025/QH15 and Decision 19/2025/QĐ-TTg for the 2025 merger.';
