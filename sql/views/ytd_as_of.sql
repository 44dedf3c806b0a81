-- The year to date of every cumulative series at each month end, as it stood at time `ts`.
--
-- GSO writes January to September as "9 tháng" (period_type YTD) but January to March as
-- "quý I" (Q), January to June as "6 tháng" (YTD) or the first half (H), January to December as
-- the year (A), and January alone as the month (M). A period that starts on 1 January is the
-- year to date at its last day, so those forms fill the holes, where the measure allows:
--   level, share, index_yoy, index_base, plan: the figure describes the period as a whole
--     (a flow summed over it, an average, a share of its total, an index against the same
--     months of last year or a base year), so Q1's figure is the January-March figure. Only in
--     series some publisher has given year to date at least once: that is what tells a flow
--     (exports, production) from a stock at a date (parks operating, occupancy), which is never
--     cumulated from January and whose end-of-March figure is not a January-March one.
--   index_pop, index_dec: never. Q1 against Q4, January against December: a comparison with
--     the period before, not with the same months of last year.
--   pct_of_plan, contribution_pp and any measure not named here: only as published year to
--     date. A quarter's share of "the plan" may be of the quarter's plan or the year's, and a
--     contribution may be to growth against last year or against the previous period.
-- When several forms cover the same months (a "3 tháng" column and a "quý I" one), one row is
-- kept: the most trusted source's (as in as_of), then the most recently published (a later
-- release revises an earlier estimate), then the form GSO labelled year to date (YTD, Q, H, M,
-- A in that order), then the release.
create or replace macro ytd_as_of(ts) as table
with current_then as (
    select *
    from v_vintages
    where valid_from <= ts::timestamp
      and (valid_to is null or valid_to > ts::timestamp)
      and period_type in ('YTD', 'M', 'Q', 'H', 'A')
      and period_start = make_date(year(period_end), 1, 1)
), cumulated as (
    -- the series published year to date, in any vintage: a property of the series (flow or
    -- stock), not of the moment, so a January before the first "2 tháng" still counts
    select distinct series_key
    from observation
    where period_type = 'YTD'
), year_to_date as (
    select c.*
    from current_then c
    where c.measure not in ('index_pop', 'index_dec')
      and (c.period_type = 'YTD'
           or (c.measure in ('level', 'share', 'index_yoy', 'index_base', 'plan')
               and c.series_key in (select series_key from cumulated)))
), ranked as (
    -- indicator and geo depend on series_key: naming them lets a filter on them run first
    select y.*, row_number() over (
        partition by y.series_key, y.indicator, y.geo, y.period_end
        order by s.precedence, y.source, y.published_at desc,
                 list_position(['YTD', 'Q', 'H', 'M', 'A'], y.period_type), y.release_id
    ) as rank
    from year_to_date y
    join source s using (source)
)
select
    series_key, indicator, geo, industry, product, measure, unit,
    'YTD' as period_type, period_start, period_end, period_type as period_type_published,
    value, status, source, release_id, published_at, partner, provenance
from ranked
where rank = 1;

comment on macro table ytd_as_of is
    'Year to date as it stood at a moment: ytd_as_of(ts) gives, for every series that cumulates from January (some publisher gave it year to date at least once), one row per month end with the January-to-that-month figure current at ts, from the most trusted publisher. Besides figures published as year to date it takes January (M), the first quarter (Q), the first half (H) and the year (A), which start on 1 January, for measures where such a figure is the year to date (level, share, index_yoy, index_base, plan; never index_pop or index_dec); period_type_published says which form GSO printed. Where two forms cover the same months, the most recently published wins, then the one labelled year to date. Its columns are those of v_ytd, which is ytd_as_of(''infinity'').';
