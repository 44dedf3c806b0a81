-- The report reader's indicators under GSO's codes. The prose reader (the Hải Phòng reports, the
-- press) named some concepts otherwise than GSO's workbook, so one figure published by the city
-- and by GSO had two keys that v_conflicts never compared. The reader now writes the
-- workbook's codes (flows/reference/prose_indicators.csv); this renames the keys it wrote
-- before, where the old key meant one concept:
-- - RETAIL_SALES (product _Z) is GSO's RETAIL, product _T (all of retail sales);
-- - INDUSTRIAL_OUTPUT is GSO's GROSS_IND_OUTPUT: the whole, industry _T, becomes the
--   workbook's total (industry _Z, product _T) for Viet Nam and its province row (_Z, _Z) for a
--   province; an industry keeps its VSIC code;
-- - VISITORS in COUNT (tourist arrivals, domestic and international) becomes TOURISTS, so that
--   VISITORS is only GSO's international arrivals in Viet Nam (in PERSONS, which no report
--   figure had).
-- INVESTMENT is not renamed: the reader filed total social investment ("vốn đầu tư phát triển
-- toàn xã hội") and state-budget investment ("vốn đầu tư thực hiện từ nguồn ngân sách nhà
-- nước") under it alike, and a key that meant two concepts cannot be split by renaming. The
-- reader now writes INV_TOTAL and INV_STATE_BUDGET for them (INVESTMENT only where the words
-- name no scope); `chiso rebuild --into NEW.duckdb` re-reads the archived reports with it.
--
-- Keys are kept by the load (006), so the rename checks them itself, as 012 did: a series row
-- may exist under both keys (from two sources) and becomes one; a release, or a source's chain
-- of vintages, that would hold one series and period under two keys that become one (an old
-- key beside its new one, or two old keys of one new one) cannot be merged by renaming, and
-- stops the migration with nothing changed.
-- It rewrites rows, so a lake runs it too (warehouse/lake.py, DATA_MIGRATIONS).

create temporary table key_rename as
with keys as (
    select series_key from series
    union select series_key from reported
    union select series_key from observation
    union select series_key from vintage_retired
), parts as (
    select
        series_key,
        split_part(series_key, '.', 1) as indicator,
        split_part(series_key, '.', 2) as geo,
        split_part(series_key, '.', 3) as industry,
        split_part(series_key, '.', 4) as product,
        split_part(series_key, '.', 5) as partner,
        split_part(series_key, '.', 6) as measure,
        split_part(series_key, '.', 7) as unit
    from keys
), renamed as (
    select *, 'RETAIL' as new_indicator, '_Z' as new_industry, '_T' as new_product
    from parts
    where indicator = 'RETAIL_SALES' and industry = '_Z' and product = '_Z'
    union all
    select *, 'GROSS_IND_OUTPUT',
        case when industry = '_T' then '_Z' else industry end,
        case when industry = '_T' and geo = 'VN' then '_T' else '_Z' end
    from parts
    where indicator = 'INDUSTRIAL_OUTPUT' and product = '_Z'
    union all
    select *, 'TOURISTS', industry, product
    from parts
    where indicator = 'VISITORS' and unit = 'COUNT' and industry = '_Z' and product = '_Z'
)
select
    series_key as old_key,
    concat_ws('.', new_indicator, geo, new_industry, new_product, partner, measure, unit)
        as new_key,
    new_indicator, new_industry, new_product
from renamed;

select error('migration 013: release ' || any_value(release_id) || ' would give '
             || any_value(new_key) || ' twice for ' || any_value(period_type) || ' '
             || any_value(period_end) || ' once its keys are renamed (' || count(*)
             || ' in all); rebuild the warehouse from the archive '
             || '(chiso rebuild --into NEW.duckdb) rather than migrate it')
from (
    select r.release_id, coalesce(k.new_key, r.series_key) as new_key, r.period_type,
           r.period_end
    from reported r
    left join key_rename k on r.series_key = k.old_key
    group by r.release_id, coalesce(k.new_key, r.series_key), r.period_type, r.period_start,
             r.period_end
    having count(distinct r.series_key) > 1
)
having count(*) > 0;

select error('migration 013: source ' || any_value(source) || ' holds vintages of '
             || any_value(new_key) || ' under two keys that the renaming makes one, for '
             || any_value(period_type) || ' ' || any_value(period_end)
             || ' (' || count(*) || ' in all), which cannot be merged into one chain; rebuild '
             || 'the warehouse from the archive (chiso rebuild --into NEW.duckdb) rather than '
             || 'migrate it')
from (
    select o.source, coalesce(k.new_key, o.series_key) as new_key, o.period_type, o.period_end
    from observation o
    left join key_rename k on o.series_key = k.old_key
    group by o.source, coalesce(k.new_key, o.series_key), o.period_type, o.period_start,
             o.period_end
    having count(distinct o.series_key) > 1
)
having count(*) > 0;

-- A series under both keys keeps the row of the new one (the rest of the row is the same: the
-- key is made of it); its place, partner, measure and unit do not change.
insert into series (series_key, indicator, geo, industry, product, partner, measure, unit)
select distinct on (k.new_key)
    k.new_key, k.new_indicator, s.geo, k.new_industry, k.new_product, s.partner, s.measure,
    s.unit
from series s
join key_rename k on s.series_key = k.old_key
where k.new_key not in (select series_key from series);
delete from series where series_key in (select old_key from key_rename);

update reported set series_key = k.new_key
from key_rename k where reported.series_key = k.old_key;
update observation set series_key = k.new_key
from key_rename k where observation.series_key = k.old_key;
update vintage_retired set series_key = k.new_key
from key_rename k where vintage_retired.series_key = k.old_key;

drop table key_rename;

-- 007 wrote this comment once; the views write their own each time they are made.
comment on column series.indicator is 'What is measured: IIP (industrial production index), EXPORTS and IMPORTS (value), EXPORTS_QTY and IMPORTS_QTY (quantity), CPI, GOLD_PRICE, USD_PRICE, CORE_INFLATION, and one per table of GSO''s workbook (INV_STATE_BUDGET, RETAIL, FDI_CAPITAL_NEW, ...), which reports use too for the same figure; from reports also GRDP, BUDGET_REVENUE, FDI, TOURISTS and others (flows/reference/prose_indicators.csv); World Bank GDP, MANUF_EXPORTS, FDI_NET_INFLOWS; registers IND_PARKS_OPERATING, IND_PARK_OCCUPANCY and others.';
