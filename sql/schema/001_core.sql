-- The vintage-aware core: publishers, releases (vintages), series, what each release reported,
-- the observation vintages derived from it, and quarantined rows.

create table source (
    source      varchar primary key,
    name        varchar not null,
    precedence  integer not null,   -- lower wins when sources disagree
    homepage    varchar
);

create table release (
    release_id        varchar primary key,   -- <source>:<reference period>:<sha256 prefix>
    source            varchar not null references source (source),
    dataset           varchar not null,
    reference_period  varchar,               -- latest period reported, YYYY-MM
    published_at      timestamp not null,    -- the publisher's date: the vintage time
    fetched_at        timestamp,
    url               varchar,
    file_name         varchar,
    sha256            varchar not null,
    archive_path      varchar,
    rows_reported     integer not null,
    rows_added        integer not null,      -- unused since 005 (always 0): see v_releases
    rows_revised      integer not null,      -- unused since 005 (always 0): see v_releases
    rows_quarantined  integer not null,
    loaded_at         timestamp not null,
    unique (source, sha256)
);

create table series (
    series_key  varchar primary key,   -- indicator.geo.industry.product.partner.MEASURE.unit
    indicator   varchar not null,
    geo         varchar not null,
    industry    varchar not null,
    product     varchar not null,
    partner     varchar not null,
    measure     varchar not null,
    unit        varchar not null
);

-- Every figure exactly as each release published it: the facts vintages are derived from.
-- A period is identified by type, start and end: "9 tháng" and "8 tháng" both start in January.
create table reported (
    release_id    varchar not null references release (release_id),
    series_key    varchar not null references series (series_key),
    period_type   varchar not null,
    period_start  date not null,
    period_end    date not null,
    value         double not null,
    status        varchar not null,
    cell          varchar,             -- sheet!A1 reference of the figure in the file
    primary key (release_id, series_key, period_type, period_start, period_end)
);

-- Vintages: one row per value a source held for a series and period, valid from the
-- publication that first gave it until the publication that changed it.
create table observation (
    series_key    varchar not null,
    period_type   varchar not null,
    period_start  date not null,
    period_end    date not null,
    source        varchar not null,
    value         double not null,
    status        varchar not null,
    release_id    varchar not null,
    valid_from    timestamp not null,
    valid_to      timestamp,           -- null while current
    primary key (series_key, period_type, period_start, period_end, source, valid_from)
);

create table quarantine (
    release_id  varchar not null,
    sheet       varchar,
    cell        varchar,
    label       varchar,
    raw         varchar,
    error_code  varchar not null,
    message     varchar not null
);

-- Files that could not be loaded at all; kept so a run report can name them. A later run
-- tries the same file again (fixing an alias table is enough to make it load).
create table load_failure (
    sha256      varchar not null,
    source      varchar not null,
    url         varchar,
    file_name   varchar,
    error       varchar not null,
    message     varchar not null,
    failed_at   timestamp not null
);
