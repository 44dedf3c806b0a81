-- Cell accounting (issue 13): how every numeric cell of every sheet of a workbook release
-- ended, counted per sheet, so "nothing lost" is a query. Written by the load in the
-- release's own transaction (sql/load/insert_cell_account.sql); releases that are not
-- workbooks (prose, SDMX, API pages) and those loaded before this change have no rows.
create table cell_account (
    release_id  varchar not null,
    sheet       varchar not null,
    table_kind  varchar not null,   -- '' where no table was recognised on the sheet
    outcome     varchar not null,   -- figure | quarantined | skipped | unaccounted
    reason      varchar not null,   -- the quarantine code or skip reason, else ''
    cells       integer not null,
    primary key (release_id, sheet, table_kind, outcome, reason)
);

comment on table cell_account is
    'How every numeric cell of every sheet of a workbook release ended, counted per sheet: as a figure (in table reported), in a quarantined row (table quarantine), skipped for a registered reason (docs/codes.md, kind skip), or unaccounted (read by no rule: a gap in chiso, to report). One row per release, sheet, table kind, outcome and reason. Releases that are not workbooks (reports, SDMX, API pages) have none. `chiso coverage` summarises it.';
comment on column cell_account.release_id is 'The release the workbook was (table release).';
comment on column cell_account.sheet is 'The workbook sheet, by its name in the file.';
comment on column cell_account.table_kind is 'The kind of table recognised on the sheet (flows/reference/gso_tables.csv, e.g. iip_by_industry); empty when no table was recognised there: an unrecognised sheet, whose numeric cells are all skipped or unaccounted.';
comment on column cell_account.outcome is 'How the cells ended: figure (became a figure), quarantined (in a row set aside in table quarantine), skipped (not a figure, for a registered reason) or unaccounted (no rule read them).';
comment on column cell_account.reason is 'Why: the quarantine error code (quarantined) or the registered skip reason (skipped), both explained in docs/codes.md; empty for figure and unaccounted.';
comment on column cell_account.cells is 'How many numeric cells of the sheet ended this way.';
