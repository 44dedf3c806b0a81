-- Two publications of the same industrial production, checked against each other. The NSDP
-- (source nsdp) gives the index as levels, 2015 = 100; GSO's monthly workbook gives it against
-- the same month of the year before. A level over the level twelve months earlier is that
-- year-on-year index: where it differs from GSO's, first published or latest, by more than
-- the two-decimal precision both print allows, the month is listed, so an analyst sees which
-- figure moved (September 2024: 165.34 / 152.30 give 108.56; GSO said 110.84, then 108.30).
--
-- The tolerance: each level is rounded to 0.005, which moves their ratio (x 100) by up to
-- 100 * 0.005 * (1 / before + level / before^2); GSO's index is rounded to 0.005 too.
create or replace view v_iip_yoy_check as
with levels as (
    select industry, period_start, period_end, value, release_id, published_at
    from v_vintages
    where source = 'nsdp' and indicator = 'IIP' and geo = 'VN' and measure = 'index_base'
      and period_type = 'M' and valid_to is null
), derived as (
    select
        now.industry, now.period_start, now.period_end,
        now.value as level, before.value as level_year_before,
        100 * now.value / before.value as derived_yoy,
        100 * 0.005 * (1 / before.value + now.value / (before.value * before.value)) + 0.005
            as tolerance,
        now.release_id as nsdp_release_id, now.published_at as nsdp_published_at
    from levels now
    join levels before
      on before.industry = now.industry
     and year(before.period_start) = year(now.period_start) - 1
     and month(before.period_start) = month(now.period_start)
), gso as (
    select
        f.industry, f.period_start, f.period_end,
        f.value as gso_first, f.published_at as gso_first_at,
        l.value as gso_latest, l.published_at as gso_latest_at
    from v_first_release f
    join v_vintages l
      on l.series_key = f.series_key and l.period_type = f.period_type
     and l.period_start = f.period_start and l.period_end = f.period_end
     and l.source = 'gso' and l.valid_to is null
    where f.source = 'gso' and f.indicator = 'IIP' and f.geo = 'VN'
      and f.measure = 'index_yoy' and f.period_type = 'M'
), compared as (
    select
        d.industry, d.period_start, d.period_end, d.level, d.level_year_before,
        round(d.derived_yoy, 2) as derived_yoy, d.tolerance,
        g.gso_first, g.gso_first_at, g.gso_latest, g.gso_latest_at,
        abs(d.derived_yoy - g.gso_first) > d.tolerance as first_disagrees,
        abs(d.derived_yoy - g.gso_latest) > d.tolerance as latest_disagrees,
        d.nsdp_release_id, d.nsdp_published_at
    from derived d
    join gso g using (industry, period_start, period_end)
)
select * from compared
where first_disagrees or latest_disagrees;

comment on view v_iip_yoy_check is
    'Months where the year-on-year industrial production index derived from the NSDP''s levels (2015 = 100: level over the level twelve months before, x 100) disagrees with GSO''s published index, first published or latest, beyond the two-decimal precision both print. September 2024, whole industry: 165.34 / 152.30 give 108.56; GSO published 110.84 first and 108.30 latest.';
comment on column v_iip_yoy_check.industry is 'Industry in VSIC 2018: _T the whole of industry (sections B-E), B, C, D or E a section.';
comment on column v_iip_yoy_check.period_start is 'First day of the month.';
comment on column v_iip_yoy_check.period_end is 'Last day of the month (September 2024 is 2024-09-30).';
comment on column v_iip_yoy_check.level is 'The NSDP''s index level for the month, 2015 = 100 (its current vintage).';
comment on column v_iip_yoy_check.level_year_before is 'The NSDP''s level for the same month a year before.';
comment on column v_iip_yoy_check.derived_yoy is 'level / level_year_before x 100, rounded to two decimals as GSO prints its index.';
comment on column v_iip_yoy_check.tolerance is 'How far the derived index may lie from GSO''s and still agree: the rounding of both levels to two decimals carried through the ratio, plus the rounding of GSO''s index.';
comment on column v_iip_yoy_check.gso_first is 'GSO''s index against the same month a year before, as first published.';
comment on column v_iip_yoy_check.gso_first_at is 'When GSO first published it, Viet Nam local time.';
comment on column v_iip_yoy_check.gso_latest is 'GSO''s index as it stands now (its latest revision).';
comment on column v_iip_yoy_check.gso_latest_at is 'When GSO published the latest value.';
comment on column v_iip_yoy_check.first_disagrees is 'True when the derived index and GSO''s first figure differ by more than tolerance.';
comment on column v_iip_yoy_check.latest_disagrees is 'True when the derived index and GSO''s latest figure differ by more than tolerance.';
comment on column v_iip_yoy_check.nsdp_release_id is 'The NSDP release the level comes from (table release).';
comment on column v_iip_yoy_check.nsdp_published_at is 'When the NSDP published that release (the message''s Prepared time, Viet Nam local time).';
