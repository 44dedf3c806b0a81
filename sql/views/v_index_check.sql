-- Every current year-on-year index checked against its own levels. Where a publisher gives a
-- series both as a level and as an index against the same period a year before (same
-- indicator, place, industry, product and partner: the series keys differ only in MEASURE and
-- unit), 100 x level / level a year before is that index. The current figures (latest vintage
-- of each source) that disagree with it are listed, so an analyst sees an index that is not
-- what its levels say: a rate of change GSO printed under its usual index header
-- ("So với cùng kỳ năm trước (%)": 8.91 meaning +8.91%, stored as an index of 8.91 where the
-- truth is 108.91), a column read against the wrong period, a level revised since.
-- Nothing in a header tells such a rate from a real index, and no plausible range does
-- (visitors' indexes fell below 10 in 2020-2021), so the levels decide: reads_as_rate marks
-- the rows where index + 100 is what the levels give.
--
-- The tolerance: each value counts as rounded to the places it was printed at, at most one
-- (workbooks hold exact numbers; GSO prints its levels and indexes to one or two places, so
-- one is the generous reading): a half unit h = 0.5 x 10^-places. The levels' rounding moves
-- their ratio (x 100) by up to 100 x (h_level / before + level x h_before / before^2); the
-- index's own rounding adds h_index. A level revised since the index was computed shows as a
-- disagreement: it is one, between the figures the warehouse holds now.
--
-- The level a year before comes from the index's own publisher where it has one; else from an
-- analyst's table (source files) that states the publisher's figure under the same series,
-- for a year whose releases the warehouse does not hold (level_year_before_source says which).
create or replace view v_index_check as
with current_figures as (
    select *, 0.5 * pow(10, -least(coalesce(decimals, written_places(value)), 1)) as half_unit
    from v_vintages
    where valid_to is null and measure in ('index_yoy', 'level')
), indexes as (
    select *,
        -- the same period a year before: a period that ends on a month's last day (every
        -- kind but a single day) ends on that month's last day a year before (29 February
        -- 2024, 28 February 2023); a single day is the same date, 29 February the 28th
        case when period_type = 'D'
             then make_date(year(period_start) - 1, month(period_start),
                            case when month(period_start) = 2 and day(period_start) = 29
                                 then 28 else day(period_start) end)
             else make_date(year(period_start) - 1, month(period_start), day(period_start))
        end as start_before,
        case when period_type = 'D'
             then make_date(year(period_end) - 1, month(period_end),
                            case when month(period_end) = 2 and day(period_end) = 29
                                 then 28 else day(period_end) end)
             else last_day(make_date(year(period_end) - 1, month(period_end), 1))
        end as end_before
    from current_figures
    where measure = 'index_yoy'
), levels as (
    select * from current_figures where measure = 'level'
), derived as (
    select
        i.series_key, i.source, i.period_type, i.period_start, i.period_end,
        i.value as index_value, now.value as level, before.value as level_year_before,
        100 * now.value / before.value as derived_index,
        i.half_unit
            + 100 * (now.half_unit / abs(before.value)
                     + abs(now.value) * before.half_unit / (before.value * before.value))
            as tolerance,
        now.series_key as level_series_key,
        i.provenance, now.provenance as level_provenance,
        before.provenance as level_year_before_provenance,
        i.release_id, before.source as level_year_before_source,
        before.release_id as level_year_before_release_id
    from indexes i
    join levels now
      on now.source = i.source and now.indicator = i.indicator and now.geo = i.geo
     and now.industry = i.industry and now.product = i.product and now.partner = i.partner
     and now.period_type = i.period_type and now.period_start = i.period_start
     and now.period_end = i.period_end
    join levels before
      on before.series_key = now.series_key
     and (before.source = now.source or before.source = 'files')
     and before.period_type = now.period_type and before.period_start = i.start_before
     and before.period_end = i.end_before
    where before.value <> 0
    -- the publisher's own level a year before where it has one, else an analyst's
    qualify row_number() over (
        partition by i.series_key, i.source, i.period_type, i.period_start, i.period_end,
                     now.series_key
        order by before.source = now.source desc) = 1
)
select
    series_key, source, period_type, period_start, period_end, index_value, level,
    level_year_before, derived_index, tolerance,
    abs(index_value + 100 - derived_index) <= tolerance as reads_as_rate,
    level_series_key, provenance, level_provenance, level_year_before_provenance,
    release_id, level_year_before_source, level_year_before_release_id
from derived
where abs(index_value - derived_index) > tolerance;

comment on view v_index_check is
    'Current year-on-year indexes that disagree with their own levels: where the same publisher gives the series as a level too, 100 x level / level of the same period a year before differs from the index by more than the rounding of the three figures allows. reads_as_rate marks an index that is really a rate of change printed under an index header (October 2024 retail, Jan-Oct: 8.53 where the levels give 108.53).';
comment on column v_index_check.series_key is 'The index''s series: indicator.geo.industry.product.partner.INDEX_YOY.unit (table series).';
comment on column v_index_check.source is 'The publisher of the index and of its level (table source), each its current value; the level a year before is the same publisher''s too unless level_year_before_source says files.';
comment on column v_index_check.period_type is 'Kind of period: M a month, Q a quarter, H a half year, YTD the year to date (January to period_end), A a year, D a single day.';
comment on column v_index_check.period_start is 'First day of the period (1 January for a year to date).';
comment on column v_index_check.period_end is 'Last day of the period: a month is keyed by its last day (September 2024 is 2024-09-30).';
comment on column v_index_check.index_value is 'The index as the warehouse holds it (same period of the year before = 100).';
comment on column v_index_check.level is 'The level of the same series for the period, in the level series'' unit (level_series_key).';
comment on column v_index_check.level_year_before is 'The level for the same period a year before.';
comment on column v_index_check.derived_index is '100 x level / level_year_before: the index the levels give.';
comment on column v_index_check.tolerance is 'How far index_value may lie from derived_index and still agree: each figure counted as rounded to the places it was printed at, at most one (half a unit h), the levels'' rounding carried through the ratio, 100 x (h_level / level_year_before + level x h_before / level_year_before^2), plus the index''s h.';
comment on column v_index_check.reads_as_rate is 'True when index_value + 100 agrees with derived_index within tolerance: a rate of change (8.91 for +8.91%) printed where an index (108.91) belongs.';
comment on column v_index_check.level_series_key is 'The level series the index was checked against: the index''s key with LEVEL and the level''s unit.';
comment on column v_index_check.provenance is 'Where the release printed the index: a workbook cell (sheet!F12), a report''s sentence, an API row.';
comment on column v_index_check.level_provenance is 'Where the level was printed.';
comment on column v_index_check.level_year_before_provenance is 'Where the level a year before was printed.';
comment on column v_index_check.release_id is 'The release that gave the index (table release).';
comment on column v_index_check.level_year_before_source is 'Who gave the level a year before: the index''s own publisher, or files where only an analyst''s table states it.';
comment on column v_index_check.level_year_before_release_id is 'The release that gave the level a year before (table release).';
