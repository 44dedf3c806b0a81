-- Revisions no publisher makes, which a figure printed in the wrong form does:
-- * size: a level about 1,000 or 1,000,000 times the value it replaced (or a thousandth, a
--   millionth), within a factor of two either way: a unit printed a size off. April 2024's
--   mobile phone components in "Nghìn tỷ đồng" with figures in billions (40,143.8 where
--   March's table had 44.3). Genuine revisions do not come near a thousandfold.
-- * rate: an index revised by 100 points (within half a point), one of the two under 60: a
--   rate of change printed where the index belongs, or the index restored after one. December
--   2018's services exports, "So với cùng kỳ năm trước" over 8.91 (+8.91%) where September's
--   table gave 108.76 for the same quarter; March 2018's retail, put right in September.
-- The analyst checks the cell (provenance) and the one it replaced; a slip in chiso's own
-- reading would show here as well. `v_index_check` finds rates against their levels instead.
create or replace view v_unit_slips as
with revised as (
    select *, measure like 'index%' as is_index,
        case when previous_value <> 0 then value / previous_value end as ratio
    from v_revisions
)
select
    series_key, indicator, geo, industry, product, partner, measure, unit, period_type,
    period_start, period_end, source, value, previous_value,
    case when is_index then 'rate' else 'size' end as slip, ratio,
    case when not is_index and ratio <> 0 then
        case when abs(ratio) >= 1 then round(log10(abs(ratio)) / 3) * 3
             else -round(log10(1 / abs(ratio)) / 3) * 3 end
    end::integer as power_of_ten,
    release_id, published_at, previous_published_at, provenance
from revised
where (not is_index and value <> 0 and ratio is not null
       and (abs(ratio) between 500 and 2000 or abs(ratio) between 500000 and 2000000
            or abs(ratio) between 1 / 2000 and 1 / 500
            or abs(ratio) between 1 / 2000000 and 1 / 500000))
   or (is_index and abs(abs(value - previous_value) - 100) <= 0.5
       and least(value, previous_value) < 60);

comment on view v_unit_slips is
    'Revisions no publisher makes, which a figure printed in the wrong form does: a level about 1,000 or 1,000,000 times the value it replaced, or a thousandth, a millionth, within a factor of two (slip size: a unit printed a size off, as April 2024''s phone components in "Nghìn tỷ đồng" with figures in billions); an index revised by 100 points, one of the two under 60 (slip rate: a rate of change printed where the index belongs, as December 2018''s services exports, 8.91 for 108.76).';
comment on column v_unit_slips.series_key is 'The series: indicator.geo.industry.product.partner.MEASURE.unit (table series).';
comment on column v_unit_slips.indicator is 'What is measured, e.g. IND_PRODUCTION, EXPORTS (series.indicator lists them).';
comment on column v_unit_slips.geo is 'Where: VN Viet Nam, VN-<GSO province code> a province, _Z no place.';
comment on column v_unit_slips.industry is 'Industry in VSIC 2018, _T the whole, _Z not applicable.';
comment on column v_unit_slips.product is 'Commodity, sector or item; _T all, _Z not applicable.';
comment on column v_unit_slips.partner is 'Trade partner country or area; _Z when the series has none.';
comment on column v_unit_slips.measure is 'level, share, plan or pct_of_plan for a size slip; an index measure (index_yoy ...) for a rate slip.';
comment on column v_unit_slips.unit is 'The unit the series is keyed by, as the release stated it (USD_MN, THOUS_BN_VND, ...).';
comment on column v_unit_slips.period_type is 'Kind of period: M a month, Q a quarter, H a half year, YTD the year to date, A a year, D a single day.';
comment on column v_unit_slips.period_start is 'First day of the period.';
comment on column v_unit_slips.period_end is 'Last day of the period.';
comment on column v_unit_slips.source is 'The publisher of both values.';
comment on column v_unit_slips.value is 'The later value.';
comment on column v_unit_slips.previous_value is 'The value it replaced: the same publisher''s previous vintage.';
comment on column v_unit_slips.slip is 'size: a level a power of a thousand off the value it replaced; rate: an index 100 points off it, a rate of change printed where the index belongs (or the index put back).';
comment on column v_unit_slips.ratio is 'value / previous_value (null for a rate slip from 0).';
comment on column v_unit_slips.power_of_ten is 'For a size slip, the power of ten the ratio is nearest to among the multiples of three: 3 for a thousandfold, -3 for a thousandth, 6, -6; null for a rate slip.';
comment on column v_unit_slips.release_id is 'The release that brought the later value (table release).';
comment on column v_unit_slips.published_at is 'When the later value was published, Viet Nam local time.';
comment on column v_unit_slips.previous_published_at is 'When the replaced value had been published.';
comment on column v_unit_slips.provenance is 'Where the release printed the later value: a workbook cell (sheet!C36), a sentence, an API row.';
