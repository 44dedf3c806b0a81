-- Revisions only: each vintage that changed a value a source had already published, with the
-- value it replaced and the lag in days since that value and since the first publication.
-- A withdrawn release's vintages are left out: what it said was taken back, so it revised
-- nothing, and the figure its withdrawal brought back revises nothing either.
create or replace view v_revisions as
with chained as (
    select *,
        lag(value) over w as previous_value,
        lag(published_at) over w as previous_published_at,
        first_value(published_at) over w as first_published_at
    from v_vintages
    where release_id not in (select release_id from v_withdrawn)
    window w as (partition by series_key, period_type, period_start, period_end, source order by valid_from)
)
select
    series_key, indicator, geo, industry, product, measure, unit, period_type, period_start,
    period_end, value, status, source, release_id, published_at,
    previous_value,
    value - previous_value as revision,
    previous_published_at,
    date_diff('day', previous_published_at, published_at) as lag_days,
    date_diff('day', first_published_at, published_at) as days_since_first,
    partner, provenance
from chained
where previous_value is not null and value <> previous_value;

comment on view v_revisions is
    'Revisions only: each vintage in which a publisher changed a value it had already published, with the value it replaced and how long after. Changes of status alone (estimate to official at the same value) are not revisions, and neither are the figures of a withdrawn release (v_withdrawn) nor the value its withdrawal brought back.';
comment on column v_revisions.series_key is 'The series: indicator.geo.industry.product.partner.MEASURE.unit, e.g. IIP.VN._T._Z._Z.INDEX_YOY.INDEX (table series).';
comment on column v_revisions.indicator is 'What is measured, e.g. IIP (industrial production index), EXPORTS, IMPORTS, CPI, GRDP (series.indicator lists them).';
comment on column v_revisions.geo is 'Where: VN Viet Nam, VN-<GSO province code> a province (Hải Phòng VN-31), _Z no place.';
comment on column v_revisions.industry is 'Industry in VSIC 2018: a section letter (C manufacturing), a two-digit division (26 electronics and computers), _T the whole of industry, _Z not applicable.';
comment on column v_revisions.product is 'Commodity, sector or CPI group (RICE, PHONES, S_FDI, CP01, ...); _T all products, _Z not applicable.';
comment on column v_revisions.measure is 'How the value is expressed: level, share (per cent of a total), index_yoy (same period of last year = 100), index_pop (previous period = 100), index_dec (December of last year = 100), index_base (base year = 100), pct_of_plan, plan, contribution_pp (percentage points).';
comment on column v_revisions.unit is 'Unit of the value: USD_MN (million US dollars), BN_VND (billion dong), THOUS_T (thousand tonnes), PCT (per cent), INDEX, INDEX_2019 (2019 = 100), ... (series.unit lists them).';
comment on column v_revisions.period_type is 'Kind of period: M a month, Q a quarter, H a half year, YTD the year to date (January to period_end), A a year, D a single day.';
comment on column v_revisions.period_start is 'First day of the period (1 January for a year to date).';
comment on column v_revisions.period_end is 'Last day of the period: a month is keyed by its last day (September 2024 is 2024-09-30).';
comment on column v_revisions.value is 'The revised value, in the unit and measure of the series.';
comment on column v_revisions.status is 'How final the publisher called the value: estimate (ước tính), preliminary (sơ bộ) or official (thực hiện, chính thức).';
comment on column v_revisions.source is 'The publisher that revised its own figure (comparisons between publishers are in v_conflicts).';
comment on column v_revisions.release_id is 'The release that brought the revision (table release).';
comment on column v_revisions.published_at is 'When the revision was published, Viet Nam local time.';
comment on column v_revisions.previous_value is 'The value this one replaced: the same publisher''s previous vintage.';
comment on column v_revisions.revision is 'value minus previous_value, in the unit of the series (for an index, in index points).';
comment on column v_revisions.previous_published_at is 'When the replaced value had been published.';
comment on column v_revisions.lag_days is 'Days between the replaced value''s publication and this revision.';
comment on column v_revisions.days_since_first is 'Days between the first publication of the figure and this revision.';
comment on column v_revisions.partner is 'Trade partner country or area; _Z when the series has none.';
comment on column v_revisions.provenance is 'Where the release printed the value: a workbook cell (sheet!D9), a report''s sentence, an API row or an SDMX series key.';
