-- What every base table and column means, in words an economist reads without the code:
-- `duckdb` shows them (duckdb_tables(), duckdb_columns()) and docs/data-dictionary.md is
-- generated from them. Views and macros carry their own comments in sql/views/.
-- DuckDB allows COMMENT ON tables that other tables reference (unlike ALTER TABLE).

comment on table schema_migration is
    'Bookkeeping, not statistics: the numbered schema changes (sql/schema/NNN_name.sql) applied to this warehouse file, one row each.';
comment on column schema_migration.version is 'The change''s number, NNN in sql/schema/NNN_name.sql.';
comment on column schema_migration.name is 'The change''s file name without .sql.';
comment on column schema_migration.applied_at is 'When the change was applied to this warehouse file.';

comment on table source is
    'The publishers chiso reads, one row each, with the precedence that decides whose figure v_latest and as_of show when two publishers give one series and period. Updated from flows/reference/sources.csv at every load.';
comment on column source.source is 'Short code of the publisher used throughout the warehouse: gso, haiphong_stats, haiphong_doit, worldbank, sdmx, files, press.';
comment on column source.name is 'The publisher''s full name.';
comment on column source.precedence is 'Rank of trust when publishers disagree: the lower number wins (gso 10 beats haiphong_stats 20, press 90 comes last).';
comment on column source.homepage is 'The publisher''s website; NULL for analysts'' own files and press articles.';

comment on table release is
    'Every release loaded, one row each: one publication of one publisher (GSO''s September 2024 workbook, a Hải Phòng monthly report, a World Bank indicator as last updated). A release is a vintage: every figure in it dates from its published_at.';
comment on column release.release_id is 'The release''s identifier: source, reference period and the first 12 characters of the file''s SHA-256 checksum, e.g. gso:2024-09:1a2b3c4d5e6f.';
comment on column release.source is 'The publisher (table source).';
comment on column release.dataset is 'Which of the publisher''s products: monthly-workbook (GSO), monthly-report (the Hải Phòng offices), the World Bank indicator code, the SDMX dataset name (flows/reference/sdmx_datasets.csv), or local-file (a file or article loaded by hand, unless a publisher was given).';
comment on column release.reference_period is 'The latest period the release covers, as YYYY-MM: September 2024''s monthly report is 2024-09; a yearly figure for 2024 is 2024-12.';
comment on column release.published_at is 'When the publisher released it, Viet Nam local time (midnight when only the day is known). This is the vintage time: each figure of the release is valid from this moment, however late it was loaded.';
comment on column release.fetched_at is 'When chiso downloaded the file (for a file given by hand, when it was put in the archive).';
comment on column release.url is 'Where the file was downloaded from; NULL for a file given by hand.';
comment on column release.file_name is 'The file''s name as the publisher or the analyst gave it.';
comment on column release.sha256 is 'SHA-256 checksum of the file exactly as received; a publisher''s identical file is loaded only once.';
comment on column release.archive_path is 'Where the untouched file is kept, relative to the raw archive folder (CHISO_ARCHIVE, by default warehouse/archive).';
comment on column release.rows_reported is 'How many figures the release gave (its rows in table reported).';
comment on column release.rows_added is 'Not used since schema change 005: always 0. See vintages_opened in v_releases.';
comment on column release.rows_revised is 'Not used since schema change 005: always 0. See revisions in v_releases.';
comment on column release.rows_quarantined is 'How many rows, cells or sentences of the release could not be turned into figures and were set aside in table quarantine.';
comment on column release.loaded_at is 'When chiso loaded the release into the warehouse (bookkeeping only: history is dated by published_at).';

comment on table series is
    'Every statistical series, one row each: a combination of indicator, place, industry, product, trade partner, measure and unit. Figures refer to a series by series_key.';
comment on column series.series_key is 'The series'' identifier, its seven codes joined by dots: indicator.geo.industry.product.partner.MEASURE.unit, e.g. IIP.VN._T._Z._Z.INDEX_YOY.INDEX (Viet Nam''s industrial production index, whole industry, same period of last year = 100). In every code _Z means not applicable and _T the total.';
comment on column series.indicator is 'What is measured: IIP (industrial production index), EXPORTS and IMPORTS (value), EXPORTS_QTY and IMPORTS_QTY (quantity), CPI, GOLD_PRICE, USD_PRICE, CORE_INFLATION; from reports also GRDP, BUDGET_REVENUE, FDI, RETAIL_SALES and others (flows/reference/prose_indicators.csv); World Bank GDP, MANUF_EXPORTS, FDI_NET_INFLOWS; registers IND_PARKS_OPERATING, IND_PARK_OCCUPANCY and others.';
comment on column series.geo is 'Where: VN is Viet Nam, VN-<GSO province code> a province (Hải Phòng is VN-31); _Z when the figure has no place (an exchange rate).';
comment on column series.industry is 'Industry in VSIC 2018: a section letter (C manufacturing), a two-digit division (26 computers and electronics, 29 motor vehicles), _T the whole of industry, _Z not applicable.';
comment on column series.product is 'Commodity (RICE, PHONES, ...), group of traders (S_FDI the foreign-invested sector) or CPI group (CP01 ...), from flows/reference; _T all products, _Z not applicable.';
comment on column series.partner is 'Trade partner country or area; _Z when the series has none (almost all).';
comment on column series.measure is 'How the value is expressed: level (the amount itself), share (per cent of a total), index_yoy (same period of last year = 100, so 108.64 is growth of 8.64 per cent), index_pop (previous period = 100), index_dec (December of last year = 100), index_base (a base year = 100, the year in unit), pct_of_plan (per cent of the plan), plan (the target itself), contribution_pp (percentage points of growth).';
comment on column series.unit is 'Unit of the value: USD_MN (million US dollars), VND_BN (billion dong), THOUS_T (thousand tonnes), UNIT and THOUS_UNIT (pieces, thousand pieces), COUNT, HA (hectares), PCT (per cent), INDEX, INDEX_2019 (2019 = 100), or a currency pair such as USD_PER_EUR.';

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

comment on table quarantine is
    'Rows, cells and sentences of a release that could not become figures, with the reason: set aside, never dropped, so they can be fixed (usually in flows/reference) and the release loaded again.';
comment on column quarantine.release_id is 'The release they came from (table release).';
comment on column quarantine.sheet is 'Where in the release: the workbook sheet, the report''s heading or the API page.';
comment on column quarantine.cell is 'The place within it: a cell (D9), a sentence number (s12) or a row.';
comment on column quarantine.label is 'The row label, the sentence or the series concerned.';
comment on column quarantine.raw is 'The value as it stood in the file.';
comment on column quarantine.error_code is 'Why it was set aside, e.g. unknown-label (a row label with no code in flows/reference), unknown-indicator, value-unparseable, header-unparseable, value-out-of-range, duplicate-observation.';
comment on column quarantine.message is 'The reason in words, naming what to do about it.';

comment on table load_failure is
    'Files that could not be loaded at all (not a workbook, truncated, none of the expected tables), one row per attempt. A later run tries the same file again.';
comment on column load_failure.sha256 is 'SHA-256 checksum of the file that failed.';
comment on column load_failure.source is 'The publisher (table source).';
comment on column load_failure.url is 'Where the file came from; NULL for a file given by hand.';
comment on column load_failure.file_name is 'The file''s name as the publisher or the analyst gave it.';
comment on column load_failure.error is 'The kind of failure, e.g. NotAWorkbookError, CorruptFileError, NoTablesError.';
comment on column load_failure.message is 'What went wrong, naming the file, and what to do.';
comment on column load_failure.failed_at is 'When the attempt failed.';

comment on table release_calendar is
    'When each publisher is expected to release each period, from its calendar (flows/core/calendars.py): GSO on the 6th of the following month from the August 2024 report on (the next working day when the 6th is a holiday), before that on the 29th of the month reported; the Hải Phòng offices on the 29th (or the last day) of the month reported. Publishers without a calendar (APIs, files, press) have no rows.';
comment on column release_calendar.source is 'The publisher (table source).';
comment on column release_calendar.reference_period is 'The month the release covers, as YYYY-MM.';
comment on column release_calendar.expected_on is 'The day the release is expected.';
