-- The value each series and period had when first published, from the most trusted source;
-- a withdrawn release's figures (v_withdrawn) were taken back, so they are not first.
create or replace view v_first_release as
with firsts as (
    select *, row_number() over (
        partition by series_key, period_type, period_start, period_end, source order by valid_from
    ) as nth
    from v_vintages
    where release_id not in (select release_id from v_withdrawn)
), ranked as (
    select f.*, row_number() over (
        partition by f.series_key, f.period_type, f.period_start, f.period_end
        order by s.precedence, f.source
    ) as rank
    from firsts f
    join source s using (source)
    where f.nth = 1
)
select
    series_key, indicator, geo, industry, product, measure, unit, period_type, period_start,
    period_end, value, status, source, release_id, published_at, partner, provenance
from ranked
where rank = 1;

comment on view v_first_release is
    'Every series and period as first published, by the most trusted publisher that has it: compare with v_latest to see how much revisions moved a figure. A withdrawn release''s figures (v_withdrawn) do not count as first.';
comment on column v_first_release.series_key is 'The series: indicator.geo.industry.product.partner.MEASURE.unit, e.g. IIP.VN._T._Z._Z.INDEX_YOY.INDEX (table series).';
comment on column v_first_release.indicator is 'What is measured, e.g. IIP (industrial production index), EXPORTS, IMPORTS, CPI, GRDP (series.indicator lists them).';
comment on column v_first_release.geo is 'Where: VN Viet Nam, VN-<GSO province code> a province (Hải Phòng VN-31), _Z no place.';
comment on column v_first_release.industry is 'Industry in VSIC 2018: a section letter (C manufacturing), a two-digit division (26 electronics and computers), _T the whole of industry, _Z not applicable.';
comment on column v_first_release.product is 'Commodity, sector or CPI group (RICE, PHONES, S_FDI, CP01, ...); _T all products, _Z not applicable.';
comment on column v_first_release.measure is 'How the value is expressed: level, share (per cent of a total), index_yoy (same period of last year = 100), index_pop (previous period = 100), index_dec (December of last year = 100), index_base (base year = 100), pct_of_plan, plan, contribution_pp (percentage points).';
comment on column v_first_release.unit is 'Unit of the value: USD_MN (million US dollars), BN_VND (billion dong), THOUS_T (thousand tonnes), PCT (per cent), INDEX, INDEX_2019 (2019 = 100), ... (series.unit lists them).';
comment on column v_first_release.period_type is 'Kind of period: M a month, Q a quarter, H a half year, YTD the year to date (January to period_end), A a year, D a single day.';
comment on column v_first_release.period_start is 'First day of the period (1 January for a year to date).';
comment on column v_first_release.period_end is 'Last day of the period: a month is keyed by its last day (September 2024 is 2024-09-30).';
comment on column v_first_release.value is 'The value as first published, in the unit and measure of the series.';
comment on column v_first_release.status is 'How final the publisher called the first value: estimate, preliminary or official.';
comment on column v_first_release.source is 'The publisher the value comes from: the most trusted one (lowest precedence in table source) that has the series and period.';
comment on column v_first_release.release_id is 'The release that first published the value (table release).';
comment on column v_first_release.published_at is 'When the value was first published, Viet Nam local time.';
comment on column v_first_release.partner is 'Trade partner country or area; _Z when the series has none.';
comment on column v_first_release.provenance is 'Where the release printed the value: a workbook cell (sheet!D9), a report''s sentence, an API row or an SDMX series key.';
