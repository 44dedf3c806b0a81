-- Is each publisher up to date, as things stood at time `ts`? The one definition of overdue,
-- shared by v_freshness, the named query `freshness`, the report and the run's warning
-- (flows/orchestration/freshness.py).
--
-- A publisher owes the first release its calendar (release_calendar, written from
-- flows/core/calendars.py) expects after the latest period it has loaded: the oldest release
-- missing, not the newest one due. It is overdue once that release's expected day is before
-- `today` (the day of `ts`, or the current date if earlier): a day's grace, as publishers post
-- in the evening. days_overdue counts from that expected day, 0 until it has passed. A
-- publisher with no release yet owes the first period after the three months before today.
create or replace macro freshness_as_of(ts) as table
with clock as (
    -- midnight of the day. A timestamp, not a date, and read by scalar subqueries, not a
    -- cross join: DuckDB 1.5 writes a stored macro's DATE cast as "DATE" and its CROSS JOIN as
    -- a comma, so the definition would look changed on every load (and republish the file)
    select least(current_date::timestamp, date_trunc('day', ts::timestamp)) as today
), last_release as (
    select source, max(published_at) as last_published_at,
           max(reference_period) as last_period, count(*) as releases
    from release
    where published_at <= ts::timestamp
    group by source
), next_due as (
    select c.source, min(c.reference_period) as next_period
    from release_calendar c
    left join last_release l using (source)
    where c.reference_period > coalesce(
        l.last_period, strftime((select today from clock) - interval 4 month, '%Y-%m'))
    group by c.source
)
select
    s.source, s.name, s.precedence, l.releases, l.last_period, l.last_published_at,
    n.next_period, c.expected_on as next_expected_on,
    coalesce(c.expected_on < (select today from clock), false) as overdue,
    greatest(coalesce(date_diff('day', c.expected_on, (select today from clock)), 0), 0)
        as days_overdue
from source s
left join last_release l using (source)
left join next_due n using (source)
left join release_calendar c on c.source = n.source and c.reference_period = n.next_period;

comment on macro table freshness_as_of is
    'Each publisher''s freshness as it stood at a moment: freshness_as_of(ts) gives, per publisher, its releases published by ts, the first release its calendar expects after the latest period loaded, and whether that release is overdue (its expected day before the day of ts, or before today if earlier) and by how many days. v_freshness is freshness_as_of(''infinity'').';
