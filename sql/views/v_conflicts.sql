-- Series and periods where the current values of two sources differ beyond the precision
-- they were published at (34,049.626711 and "34.049,6" agree; 115.14 and 114.09 do not).
-- `source` is the one v_latest prefers (lower precedence), `other_source` the one it does not.
create or replace view v_conflicts as
with current_values as (
    select v.*, s.precedence
    from v_vintages v
    join source s using (source)
    where v.valid_to is null
), pairs as (
    select
        a.series_key, a.indicator, a.geo, a.industry, a.product, a.measure, a.unit,
        a.period_type, a.period_start, a.period_end,
        a.source, a.value, b.source as other_source, b.value as other_value,
        compared_places(a.value, a.decimals, b.value, b.decimals) as compared_decimals,
        a.release_id, b.release_id as other_release_id,
        a.published_at, b.published_at as other_published_at,
        a.provenance, b.provenance as other_provenance
    from current_values a
    join current_values b
      on a.series_key = b.series_key and a.period_type = b.period_type
     and a.period_start = b.period_start and a.period_end = b.period_end
     and (a.precedence < b.precedence or (a.precedence = b.precedence and a.source < b.source))
)
select *, other_value - value as difference
from pairs
where round(value, compared_decimals) <> round(other_value, compared_decimals);

comment on view v_conflicts is
    'Series and periods where the current values of two publishers differ by more than the precision they were printed at (34,049.626711 and 34.049,6 agree; 115.14 and 114.09 do not). One row per pair of publishers: source is the one v_latest shows, other_source the one it does not.';
comment on column v_conflicts.series_key is 'The series: indicator.geo.industry.product.partner.MEASURE.unit, e.g. IIP.VN._T._Z._Z.INDEX_YOY.INDEX (table series).';
comment on column v_conflicts.indicator is 'What is measured, e.g. IIP (industrial production index), EXPORTS, IMPORTS, CPI, GRDP (series.indicator lists them).';
comment on column v_conflicts.geo is 'Where: VN Viet Nam, VN-<GSO province code> a province (Hải Phòng VN-31), _Z no place.';
comment on column v_conflicts.industry is 'Industry in VSIC 2018: a section letter (C manufacturing), a two-digit division (26 electronics and computers), _T the whole of industry, _Z not applicable.';
comment on column v_conflicts.product is 'Commodity, sector or CPI group (RICE, PHONES, S_FDI, CP01, ...); _T all products, _Z not applicable.';
comment on column v_conflicts.measure is 'How the value is expressed: level, share (per cent of a total), index_yoy (same period of last year = 100), index_pop (previous period = 100), index_dec (December of last year = 100), index_base (base year = 100), pct_of_plan, plan, contribution_pp (percentage points).';
comment on column v_conflicts.unit is 'Unit of the value: USD_MN (million US dollars), BN_VND (billion dong), THOUS_T (thousand tonnes), PCT (per cent), INDEX, INDEX_2019 (2019 = 100), ... (series.unit lists them).';
comment on column v_conflicts.period_type is 'Kind of period: M a month, Q a quarter, H a half year, YTD the year to date (January to period_end), A a year, D a single day.';
comment on column v_conflicts.period_start is 'First day of the period (1 January for a year to date).';
comment on column v_conflicts.period_end is 'Last day of the period: a month is keyed by its last day (September 2024 is 2024-09-30).';
comment on column v_conflicts.source is 'The more trusted publisher of the pair, whose value v_latest shows.';
comment on column v_conflicts.value is 'Its current value, in the unit and measure of the series.';
comment on column v_conflicts.other_source is 'The less trusted publisher of the pair.';
comment on column v_conflicts.other_value is 'Its current value, in the same unit and measure.';
comment on column v_conflicts.compared_decimals is 'Decimal places the two values were compared at: the fewer of the two publishers printed, a value with none stated counting the places of its number written shortest (macro compared_places).';
comment on column v_conflicts.release_id is 'The release behind value (table release).';
comment on column v_conflicts.other_release_id is 'The release behind other_value.';
comment on column v_conflicts.published_at is 'When value was published, Viet Nam local time.';
comment on column v_conflicts.other_published_at is 'When other_value was published.';
comment on column v_conflicts.provenance is 'Where value was printed: a workbook cell, a report''s sentence, an API row or an SDMX series key.';
comment on column v_conflicts.other_provenance is 'Where other_value was printed.';
comment on column v_conflicts.difference is 'other_value minus value, in the unit of the series.';
