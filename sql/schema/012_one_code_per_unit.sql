-- One code per unit. The unit ends the series key, and billion dong had two: GSO's workbooks
-- and the NSDP wrote BN_VND, the prose reader (the Hải Phòng reports, the press) and the SDMX
-- reader VND_BN, so one series from two of them had two keys that v_conflicts never compared.
-- Every reader now writes the workbooks' code (flows/reference/prose_phrases.csv,
-- prose_indicators.csv, sdmx_codes.csv); this renames the codes already loaded: the SDMX
-- reader's other currency multiples too (VND_TH, VND_MN, VND_TN, USD_TH, USD_TN).
--
-- Keys are kept by the load (006), so the rename checks them itself: a series row may exist
-- under both codes (from two sources) and becomes one; a release, or a source's chain of
-- vintages, holding one series and period under both codes cannot be merged by renaming, and
-- stops the migration with nothing changed (no reader wrote both codes, though an analyst's
-- files may hold both; `chiso rebuild` makes the warehouse from the archive instead).
-- It rewrites rows, so a lake runs it too (warehouse/lake.py, DATA_MIGRATIONS).

create temporary table unit_rename (old_unit varchar not null, new_unit varchar not null);
insert into unit_rename values
    ('VND_BN', 'BN_VND'),
    ('VND_TN', 'THOUS_BN_VND'),
    ('VND_MN', 'MN_VND'),
    ('VND_TH', 'THOUS_VND'),
    ('USD_TH', 'USD_THOUS'),
    ('USD_TN', 'USD_THOUS_BN');

-- Every key of an old code in any table that holds keys, with its new key: the unit is the
-- key's last part (flows/core/model.py), so only that part changes.
create temporary table key_rename as
with keys as (
    select series_key from series
    union select series_key from reported
    union select series_key from observation
    union select series_key from vintage_retired
)
select
    k.series_key as old_key,
    left(k.series_key, length(k.series_key) - length(r.old_unit)) || r.new_unit as new_key,
    r.new_unit
from keys k
join unit_rename r on regexp_extract(k.series_key, '[^.]*$') = r.old_unit;

select error('migration 012: release ' || any_value(a.release_id) || ' gives '
             || any_value(b.series_key) || ' under two unit codes for '
             || any_value(a.period_type) || ' ' || any_value(a.period_end)
             || ' (' || count(*) || ' figures in all); rebuild the warehouse from the archive '
             || '(chiso rebuild --into NEW.duckdb) rather than migrate it')
from reported a
join key_rename k on a.series_key = k.old_key
join reported b
  on b.series_key = k.new_key and b.release_id = a.release_id
 and b.period_type = a.period_type and b.period_start = a.period_start
 and b.period_end = a.period_end
having count(*) > 0;

select error('migration 012: source ' || any_value(a.source) || ' holds vintages of '
             || any_value(b.series_key) || ' under two unit codes for '
             || any_value(a.period_type) || ' ' || any_value(a.period_end)
             || ' (' || count(*) || ' in all), which cannot be merged into one chain; rebuild '
             || 'the warehouse from the archive (chiso rebuild --into NEW.duckdb) rather than '
             || 'migrate it')
from observation a
join key_rename k on a.series_key = k.old_key
join observation b
  on b.series_key = k.new_key and b.source = a.source
 and b.period_type = a.period_type and b.period_start = a.period_start
 and b.period_end = a.period_end
having count(*) > 0;

-- A series under both codes keeps the row of the new one (the rest of the row is the same:
-- the key is made of it).
insert into series (series_key, indicator, geo, industry, product, partner, measure, unit)
select k.new_key, s.indicator, s.geo, s.industry, s.product, s.partner, s.measure, k.new_unit
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
drop table unit_rename;

-- 007 wrote this comment once; the views write their own each time they are made.
comment on column series.unit is 'Unit of the value: USD_MN (million US dollars), BN_VND (billion dong), THOUS_T (thousand tonnes), UNIT and THOUS_UNIT (pieces, thousand pieces), COUNT, HA (hectares), PCT (per cent), INDEX, INDEX_2019 (2019 = 100), or a currency pair such as USD_PER_EUR.';
