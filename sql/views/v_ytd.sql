-- The current year to date of every cumulative series at each month end, however GSO wrote it
-- ("9 tháng", "quý I", "6 tháng", "Năm 2024", the month of January): ytd_as_of at the end of
-- time. The rules (which measures, which series, which form wins) are in ytd_as_of.sql.
create or replace view v_ytd as
select * from ytd_as_of('infinity');

comment on view v_ytd is
    'The current year-to-date figure of every series that cumulates from January, one row per month end: as published year to date ("9 tháng"), or from a period that starts on 1 January and so is the year to date (January M, first quarter Q, first half H, the year A) for level, share, index_yoy, index_base and plan. Never index_pop or index_dec: Q1 against Q4 is not a year to date. Where two forms cover the same months (a "3 tháng" and a "quý I" column) the most trusted publisher wins, then the most recently published, then the form labelled year to date. The same as ytd_as_of(''infinity'').';
comment on column v_ytd.series_key is 'The series: indicator.geo.industry.product.partner.MEASURE.unit, e.g. EXPORTS.VN._Z._T._Z.LEVEL.USD_MN (table series).';
comment on column v_ytd.indicator is 'What is measured, e.g. IIP (industrial production index), EXPORTS, IMPORTS, CPI, GRDP (series.indicator lists them).';
comment on column v_ytd.geo is 'Where: VN Viet Nam, VN-<GSO province code> a province (Hải Phòng VN-31), _Z no place.';
comment on column v_ytd.industry is 'Industry in VSIC 2018: a section letter (C manufacturing), a two-digit division (26 electronics and computers), _T the whole of industry, _Z not applicable.';
comment on column v_ytd.product is 'Commodity, sector or CPI group (RICE, PHONES, S_FDI, CP01, ...); _T all products, _Z not applicable.';
comment on column v_ytd.measure is 'How the value is expressed: level, share, index_yoy (same months of last year = 100), index_base (base year = 100), plan, or a measure published only year to date (pct_of_plan, contribution_pp).';
comment on column v_ytd.unit is 'Unit of the value: USD_MN (million US dollars), BN_VND (billion dong), THOUS_T (thousand tonnes), PCT (per cent), INDEX, INDEX_2019 (2019 = 100), ... (series.unit lists them).';
comment on column v_ytd.period_type is 'Always YTD: every row is January to period_end, whatever form it was published in (period_type_published).';
comment on column v_ytd.period_start is '1 January of the year.';
comment on column v_ytd.period_end is 'The month end the year to date runs to: 2024-03-31 is January to March 2024, 2024-12-31 the whole year.';
comment on column v_ytd.period_type_published is 'The form the publisher printed, and the period_type of the figure in v_latest and reported: YTD ("9 tháng"), M (January), Q (first quarter, "quý I"), H (first half) or A (the year, "Năm 2024").';
comment on column v_ytd.value is 'The current value, in the unit and measure of the series.';
comment on column v_ytd.status is 'How final the publisher called the value: estimate (ước tính), preliminary (sơ bộ) or official (thực hiện, chính thức).';
comment on column v_ytd.source is 'The publisher the value comes from: the most trusted one (lowest precedence in table source) that has the year to date for that month, in any form.';
comment on column v_ytd.release_id is 'The release that gave the value (table release).';
comment on column v_ytd.published_at is 'When that release was published, Viet Nam local time.';
comment on column v_ytd.partner is 'Trade partner country or area; _Z when the series has none.';
comment on column v_ytd.provenance is 'Where the release printed the value: a workbook cell (sheet!D9), a report''s sentence, an API row or an SDMX series key.';
