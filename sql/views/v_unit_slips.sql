-- Revisions by a power of a thousand: a vintage about 1,000 or 1,000,000 times the value it
-- replaced (or a thousandth, a millionth). No publisher revises a figure a thousandfold; a unit
-- printed a size off does it: April 2024's mobile phone components in "Nghìn tỷ đồng" with
-- figures in billions (40,143.8 where March's table had 44.3). The analyst checks the cell
-- (provenance) and the one it replaced; a slip in chiso's reading shows here as well.
-- A ratio counts as a power of a thousand within a factor of two either way (500-2,000 times,
-- 500,000-2,000,000 times): genuine revisions do not come near, and a rounded figure keeps
-- its slip in the band. Indexes are left out: a slip of their unit is not a thousandfold.
create or replace view v_unit_slips as
with ratios as (
    select *, value / previous_value as ratio
    from v_revisions
    where measure not like 'index%' and value <> 0 and previous_value <> 0
)
select
    series_key, indicator, geo, industry, product, partner, measure, unit, period_type,
    period_start, period_end, source, value, previous_value, ratio,
    case when abs(ratio) >= 1 then round(log10(abs(ratio)) / 3) * 3
         else -round(log10(1 / abs(ratio)) / 3) * 3 end::integer as power_of_ten,
    release_id, published_at, previous_published_at, provenance
from ratios
where abs(ratio) between 500 and 2000 or abs(ratio) between 500000 and 2000000
   or abs(ratio) between 1 / 2000 and 1 / 500 or abs(ratio) between 1 / 2000000 and 1 / 500000;

comment on view v_unit_slips is
    'Revisions by a power of a thousand: each vintage about 1,000 or 1,000,000 times the value it replaced (or a thousandth, a millionth), within a factor of two. A publisher does not revise a figure a thousandfold; a unit printed a size off does (April 2024''s phone components in "Nghìn tỷ đồng" with figures in billions). Levels and shares only; indexes are left out.';
comment on column v_unit_slips.series_key is 'The series: indicator.geo.industry.product.partner.MEASURE.unit (table series).';
comment on column v_unit_slips.indicator is 'What is measured, e.g. IND_PRODUCTION, EXPORTS (series.indicator lists them).';
comment on column v_unit_slips.geo is 'Where: VN Viet Nam, VN-<GSO province code> a province, _Z no place.';
comment on column v_unit_slips.industry is 'Industry in VSIC 2018, _T the whole, _Z not applicable.';
comment on column v_unit_slips.product is 'Commodity, sector or item; _T all, _Z not applicable.';
comment on column v_unit_slips.partner is 'Trade partner country or area; _Z when the series has none.';
comment on column v_unit_slips.measure is 'level, share, plan or pct_of_plan (indexes are not listed).';
comment on column v_unit_slips.unit is 'The unit the series is keyed by, as the release stated it (USD_MN, THOUS_BN_VND, ...).';
comment on column v_unit_slips.period_type is 'Kind of period: M a month, Q a quarter, H a half year, YTD the year to date, A a year, D a single day.';
comment on column v_unit_slips.period_start is 'First day of the period.';
comment on column v_unit_slips.period_end is 'Last day of the period.';
comment on column v_unit_slips.source is 'The publisher of both values.';
comment on column v_unit_slips.value is 'The later value.';
comment on column v_unit_slips.previous_value is 'The value it replaced: the same publisher''s previous vintage.';
comment on column v_unit_slips.ratio is 'value / previous_value.';
comment on column v_unit_slips.power_of_ten is 'The power of ten the ratio is nearest to among the multiples of three: 3 for a thousandfold, -3 for a thousandth, 6, -6.';
comment on column v_unit_slips.release_id is 'The release that brought the later value (table release).';
comment on column v_unit_slips.published_at is 'When the later value was published, Viet Nam local time.';
comment on column v_unit_slips.previous_published_at is 'When the replaced value had been published.';
comment on column v_unit_slips.provenance is 'Where the release printed the later value: a workbook cell (sheet!C36), a sentence, an API row.';
