-- Series a border change touches: one row per series and change of its territory (table
-- territory, from flows/reference/territories.csv), with the date, what the territory became or
-- came from, and that territory's series of the same figure where the warehouse has it.
-- `series show` reads it for one series_key.
create or replace view v_territory_changes as
with ended as (
    -- a territory that ended: its series stop the day before and go on under the successor
    select geo, valid_to + 1 as changed_on, 'ended' as change,
           successor as related_geo
    from territory
    where valid_to is not null and successor is not null
), absorbed as (
    -- a territory that took another in and kept its code (Hà Nội and Hà Tây, 2008)
    select s.geo, t.valid_to + 1, 'absorbed', t.geo
    from territory t
    join territory s on s.geo = t.successor
    where t.valid_to is not null and (s.valid_from is null or s.valid_from <= t.valid_to)
), formed as (
    -- a territory that began when others merged into it (VN-31-2025 from VN-31 and VN-30)
    select s.geo, s.valid_from, 'formed', t.geo
    from territory t
    join territory s on s.geo = t.successor
    where s.valid_from = t.valid_to + 1
), changes as (
    -- (nested so that DuckDB writes the view back as it reads it: a chain of three UNION ALLs
    -- comes back regrouped after a reopen, and the view would count as changed at every open)
    select * from (select * from ended union all select * from absorbed)
    union all select * from formed
), touched as (
    select s.*, c.changed_on, c.change, c.related_geo
    from series s
    join changes c using (geo)
), spans as (
    select series_key, min(period_start) as first_period_start,
           max(period_end) as last_period_end
    from observation
    where series_key in (select series_key from touched)
    group by series_key
)
select
    t.series_key, t.indicator, t.geo, here.name_vi as territory_vi, here.valid_from,
    here.valid_to, p.first_period_start, p.last_period_end, t.change, t.changed_on,
    t.related_geo, there.name_vi as related_territory_vi, there.valid_from as related_valid_from,
    there.valid_to as related_valid_to, r.series_key as related_series_key,
    -- figures on both sides of the date under one code: its borders changed within the series
    t.change <> 'formed' and p.first_period_start < t.changed_on
        and p.last_period_end >= t.changed_on as break_in_span
from touched t
join territory here on here.geo = t.geo
join territory there on there.geo = t.related_geo
left join spans p using (series_key)
left join series r on r.series_key = concat_ws('.', t.indicator, t.related_geo, t.industry,
    t.product, t.partner, upper(t.measure), t.unit);

comment on view v_territory_changes is
    'Series whose territory a border change touches, one row per series and change, with the date: ended (the territory stopped; its series end the day before and continue under related_geo), absorbed (it took in related_geo and kept its code, so its figures before and after are on different borders) or formed (it began when related_geo merged into it). break_in_span marks a series with figures on both sides of a change under one code. A border change is never a revision: each territory has its own geo, hence its own series.';
comment on column v_territory_changes.series_key is 'The series touched (series.series_key).';
comment on column v_territory_changes.indicator is 'What the series measures (series.indicator).';
comment on column v_territory_changes.geo is 'The series'' territory code (table territory): VN-31 Hải Phòng to 30 June 2025, VN-31-2025 the merged city from 1 July 2025, VN-30 Hải Dương to 30 June 2025.';
comment on column v_territory_changes.territory_vi is 'The territory''s Vietnamese name.';
comment on column v_territory_changes.valid_from is 'First day the series'' territory was in force (NULL: before any figure chiso reads).';
comment on column v_territory_changes.valid_to is 'Last day the series'' territory was in force (NULL: still in force).';
comment on column v_territory_changes.first_period_start is 'First day of the earliest period the series has a figure for (any source, any vintage).';
comment on column v_territory_changes.last_period_end is 'Last day of the latest period the series has a figure for.';
comment on column v_territory_changes.change is 'ended, absorbed or formed (see the view).';
comment on column v_territory_changes.changed_on is 'The first day under the new borders (2025-07-01 for the Hải Phòng merger).';
comment on column v_territory_changes.related_geo is 'The other territory of the change: the successor of one that ended, the one absorbed, or a predecessor of one formed.';
comment on column v_territory_changes.related_territory_vi is 'The other territory''s Vietnamese name.';
comment on column v_territory_changes.related_valid_from is 'First day the other territory was in force.';
comment on column v_territory_changes.related_valid_to is 'Last day the other territory was in force.';
comment on column v_territory_changes.related_series_key is 'The same figure (indicator, industry, product, partner, measure, unit) on the other territory, where the warehouse has that series; NULL otherwise. Never spliced: a comparison across the border needs figures recomputed on one territory.';
comment on column v_territory_changes.break_in_span is 'True when the series has figures both before and on or after changed_on under one code (an absorption in place, or figures filed under a territory after it ended): its borders changed within its span.';
