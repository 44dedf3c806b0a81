-- The latest value of every series and period, from the most trusted source that has it:
-- the warehouse as of the end of time (the current vintage of each source, ranked).
create or replace view v_latest as
select * from as_of('infinity');

comment on view v_latest is
    'The current value of every series and period, from the most trusted publisher that has it (lowest precedence in table source); v_conflicts shows where another publisher''s current value differs. The same as as_of(''infinity'').';
comment on column v_latest.series_key is 'The series: indicator.geo.industry.product.partner.MEASURE.unit, e.g. IIP.VN._T._Z._Z.INDEX_YOY.INDEX (table series).';
comment on column v_latest.indicator is 'What is measured, e.g. IIP (industrial production index), EXPORTS, IMPORTS, CPI, GRDP (series.indicator lists them).';
comment on column v_latest.geo is 'Where: VN Viet Nam, VN-<GSO province code> a province (Hải Phòng VN-31), _Z no place.';
comment on column v_latest.industry is 'Industry in VSIC 2018: a section letter (C manufacturing), a two-digit division (26 electronics and computers), _T the whole of industry, _Z not applicable.';
comment on column v_latest.product is 'Commodity, sector or CPI group (RICE, PHONES, S_FDI, CP01, ...); _T all products, _Z not applicable.';
comment on column v_latest.measure is 'How the value is expressed: level, share (per cent of a total), index_yoy (same period of last year = 100), index_pop (previous period = 100), index_dec (December of last year = 100), index_base (base year = 100), pct_of_plan, plan, contribution_pp (percentage points).';
comment on column v_latest.unit is 'Unit of the value: USD_MN (million US dollars), BN_VND (billion dong), THOUS_T (thousand tonnes), PCT (per cent), INDEX, INDEX_2019 (2019 = 100), ... (series.unit lists them).';
comment on column v_latest.period_type is 'Kind of period: M a month, Q a quarter, H a half year, YTD the year to date (January to period_end), A a year, D a single day.';
comment on column v_latest.period_start is 'First day of the period (1 January for a year to date).';
comment on column v_latest.period_end is 'Last day of the period: a month is keyed by its last day (September 2024 is 2024-09-30).';
comment on column v_latest.value is 'The current value, in the unit and measure of the series.';
comment on column v_latest.status is 'How final the publisher called the value: estimate (ước tính), preliminary (sơ bộ) or official (thực hiện, chính thức).';
comment on column v_latest.source is 'The publisher the value comes from: the most trusted one (lowest precedence in table source) that has the series and period.';
comment on column v_latest.release_id is 'The release that gave the value (table release).';
comment on column v_latest.published_at is 'When that release was published, Viet Nam local time.';
comment on column v_latest.partner is 'Trade partner country or area; _Z when the series has none.';
comment on column v_latest.provenance is 'Where the release printed the value: a workbook cell (sheet!D9), a report''s sentence, an API row or an SDMX series key.';
