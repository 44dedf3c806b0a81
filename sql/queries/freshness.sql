-- freshness: every source's last release, the release its calendar expects next, and delays.
--
-- v_freshness at $as_of: the releases published by then, the next period each source's
-- calendar (release_calendar) expects after its last one, when, and whether that day had
-- passed (`overdue`, `days_overdue`, counted to today or to the $as_of date if earlier; 0
-- until the day has passed). Sources without a calendar (World Bank, SDMX, files, press) are
-- never overdue. Latest: the rows of v_freshness itself.
--
-- parameter  type  default  example  meaning
-- source     text  ''       gso      only this source; '' for all
--
-- example: chiso query freshness --as-of 2024-10-31
with clock as (
    select least(current_date, $as_of::timestamp::date) as today
), last_release as (
    select source, max(published_at) as last_published_at,
           max(reference_period) as last_period, count(*) as releases
    from release
    where published_at <= $as_of::timestamp
    group by source
), next_due as (
    -- the rule of v_freshness (sql/views/v_freshness.sql), with `today` for current_date
    select c.source, min(c.reference_period) as next_period
    from release_calendar c
    left join last_release l using (source)
    cross join clock
    where c.reference_period > coalesce(
        l.last_period, strftime(clock.today - interval 4 month, '%Y-%m'))
    group by c.source
)
select
    s.source, s.name, s.precedence, l.releases, l.last_period, l.last_published_at,
    n.next_period, c.expected_on as next_expected_on,
    coalesce(c.expected_on < clock.today, false) as overdue,
    greatest(coalesce(clock.today - c.expected_on, 0), 0) as days_overdue
from source s
cross join clock
left join last_release l using (source)
left join next_due n using (source)
left join release_calendar c on c.source = n.source and c.reference_period = n.next_period
where $source = '' or s.source = $source
order by s.precedence, s.source;
