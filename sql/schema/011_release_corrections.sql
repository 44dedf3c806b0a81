-- Corrections of a release after it was loaded (issue 15): a publication date that was wrong
-- (`--published-at 2099-01-01` shadowed every later release in v_latest, and loading the file
-- again with the right date changed nothing), or a release withdrawn. A correction never
-- deletes history: it is a row of release_correction, and every vintage it replaced is kept
-- in vintage_retired as it stood (warehouse/corrections.py; docs/trust.md says how to use it).
create table release_correction (
    correction_id     integer not null,   -- 1, 2, ... in the order recorded
    release_id        varchar not null,
    action            varchar not null,   -- redate | withdraw | reinstate
    old_published_at  timestamp not null,
    new_published_at  timestamp not null,
    effective_at      timestamp not null,
    reason            varchar not null,
    recorded_at       timestamp not null
);

-- The vintages of observation a correction replaced, as they were before it (a vintage that a
-- correction only closed stays in observation, closed; this row keeps it open as it was).
create table vintage_retired (
    series_key     varchar not null,
    period_type    varchar not null,
    period_start   date not null,
    period_end     date not null,
    source         varchar not null,
    value          double not null,
    status         varchar not null,
    release_id     varchar not null,
    valid_from     timestamp not null,
    valid_to       timestamp,
    correction_id  integer not null
);

comment on table release_correction is
    'Every correction of a release after it was loaded, one row each, never deleted: a wrong publication date set right (redate), a release withdrawn by its publisher or found wrong (withdraw), or a withdrawn release brought back (reinstate). The vintages each correction replaced are kept in vintage_retired. `chiso release redate | withdraw | reinstate` records them, in the archive too, so `chiso rebuild` makes them again.';
comment on column release_correction.correction_id is 'Order of the corrections: 1 for the first recorded in this warehouse.';
comment on column release_correction.release_id is 'The release corrected (table release).';
comment on column release_correction.action is 'What was done: redate (its publication date corrected), withdraw (its figures stop counting from effective_at) or reinstate (a withdrawn release counts again).';
comment on column release_correction.old_published_at is 'The release''s publication date before the correction: the wrong date, for a redate.';
comment on column release_correction.new_published_at is 'Its publication date after the correction (the same as old_published_at unless action is redate); table release holds the current one.';
comment on column release_correction.effective_at is 'From when the correction holds in the warehouse''s history, Viet Nam local time: a withdrawn release''s figures are current until then in as_of and gone after; for a redate, when it was recorded.';
comment on column release_correction.reason is 'Why, in the words of whoever corrected it.';
comment on column release_correction.recorded_at is 'When the correction was recorded (UTC).';

comment on table vintage_retired is
    'Vintages a correction (table release_correction) replaced, exactly as they were in table observation before it: a vintage dated by a wrong publication date, or one a withdrawal closed (observation keeps it, now closed). Not read by any view: the record of what the warehouse said before.';
comment on column vintage_retired.series_key is 'The series (table series).';
comment on column vintage_retired.period_type is 'Kind of period: M a month, Q a quarter, H a half year, YTD the year to date (January to period_end), A a year, D a single day.';
comment on column vintage_retired.period_start is 'First day of the period (1 January for a year to date).';
comment on column vintage_retired.period_end is 'Last day of the period (a month is keyed by its last day: 2024-09-30).';
comment on column vintage_retired.source is 'The publisher whose figure this was.';
comment on column vintage_retired.value is 'The value of the vintage, in the series'' unit and measure.';
comment on column vintage_retired.status is 'How final the publisher called it: estimate, preliminary or official.';
comment on column vintage_retired.release_id is 'The release that gave the value (table release).';
comment on column vintage_retired.valid_from is 'When the vintage began, before the correction.';
comment on column vintage_retired.valid_to is 'When it ended before the correction; NULL when it was then current.';
comment on column vintage_retired.correction_id is 'The correction that replaced it (table release_correction).';
