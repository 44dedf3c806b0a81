-- Every vintage of every observation, with its series dimensions, the release behind it and
-- where in that release it was published (a workbook cell, a report's sentence).
create or replace view v_vintages as
-- series is joined before reported, so a filter on a dimension (indicator = ...) narrows the
-- vintages before their figures are looked up in reported, not after.
with vintages as (
    select o.*, r.published_at, s.indicator, s.geo, s.industry, s.product, s.measure, s.unit,
           s.partner
    from observation o
    join series s using (series_key)
    join release r using (release_id)
)
select
    v.series_key, v.indicator, v.geo, v.industry, v.product, v.measure, v.unit,
    v.period_type, v.period_start, v.period_end, v.value, v.status,
    v.source, v.release_id, v.published_at, v.valid_from, v.valid_to, v.partner, p.provenance, p.decimals
from vintages v
left join reported p using (release_id, series_key, period_type, period_start, period_end);

comment on view v_vintages is
    'Every vintage of every figure, publisher by publisher, with the series spelled out: one row per value a publisher has held for a series and period, and when it held it. Ask it for a figure''s full history.';
comment on column v_vintages.series_key is 'The series: indicator.geo.industry.product.partner.MEASURE.unit, e.g. IIP.VN._T._Z._Z.INDEX_YOY.INDEX (table series).';
comment on column v_vintages.indicator is 'What is measured, e.g. IIP (industrial production index), EXPORTS, IMPORTS, CPI, GRDP (series.indicator lists them).';
comment on column v_vintages.geo is 'Where: VN Viet Nam, VN-<GSO province code> a province (Hải Phòng VN-31), _Z no place.';
comment on column v_vintages.industry is 'Industry in VSIC 2018: a section letter (C manufacturing), a two-digit division (26 electronics and computers), _T the whole of industry, _Z not applicable.';
comment on column v_vintages.product is 'Commodity, sector or CPI group (RICE, PHONES, S_FDI, CP01, ...); _T all products, _Z not applicable.';
comment on column v_vintages.measure is 'How the value is expressed: level, share (per cent of a total), index_yoy (same period of last year = 100), index_pop (previous period = 100), index_dec (December of last year = 100), index_base (base year = 100), pct_of_plan, plan, contribution_pp (percentage points).';
comment on column v_vintages.unit is 'Unit of the value: USD_MN (million US dollars), BN_VND (billion dong), THOUS_T (thousand tonnes), PCT (per cent), INDEX, INDEX_2019 (2019 = 100), ... (series.unit lists them).';
comment on column v_vintages.period_type is 'Kind of period: M a month, Q a quarter, H a half year, YTD the year to date (January to period_end), A a year, D a single day.';
comment on column v_vintages.period_start is 'First day of the period (1 January for a year to date).';
comment on column v_vintages.period_end is 'Last day of the period: a month is keyed by its last day (September 2024 is 2024-09-30).';
comment on column v_vintages.value is 'The value during this vintage, in the unit and measure of the series.';
comment on column v_vintages.status is 'How final the publisher called the value: estimate (ước tính), preliminary (sơ bộ) or official (thực hiện, chính thức).';
comment on column v_vintages.source is 'The publisher (table source); each publisher keeps its own history.';
comment on column v_vintages.release_id is 'The release that first gave this value (table release).';
comment on column v_vintages.published_at is 'When that release was published, Viet Nam local time.';
comment on column v_vintages.valid_from is 'From when this was the publisher''s current value: its release''s publication time.';
comment on column v_vintages.valid_to is 'When the publisher replaced it with a new value or status; NULL while it is still current.';
comment on column v_vintages.partner is 'Trade partner country or area; _Z when the series has none.';
comment on column v_vintages.provenance is 'Where the release printed the value: a workbook cell (sheet!D9), a report''s sentence, an API row or an SDMX series key.';
comment on column v_vintages.decimals is 'Decimal places as printed (26.351,9 has 1); NULL when the file holds the exact number, as workbooks do.';
