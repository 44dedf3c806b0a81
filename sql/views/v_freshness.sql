-- Each source's last release, the release expected next by its calendar, and whether that one
-- is overdue. Sources without a calendar (polled APIs, files and press) are never overdue.
create or replace view v_freshness as
with last_release as (
    select source, max(published_at) as last_published_at,
           max(reference_period) as last_period, count(*) as releases
    from release
    group by source
), next_due as (
    select c.source, min(c.reference_period) as next_period
    from release_calendar c
    left join last_release l using (source)
    -- a source with no release yet waits for the latest period already due
    where c.reference_period > coalesce(
        l.last_period, strftime(current_date - interval 4 month, '%Y-%m'))
    group by c.source
)
select
    s.source, s.name, l.releases, l.last_period, l.last_published_at,
    n.next_period, c.expected_on as next_expected_on,
    coalesce(c.expected_on < current_date, false) as overdue,
    coalesce(current_date - c.expected_on, 0) as days_overdue
from source s
left join last_release l using (source)
left join next_due n using (source)
left join release_calendar c on c.source = n.source and c.reference_period = n.next_period;

comment on view v_freshness is
    'One row per publisher: its last release, the release its calendar expects next, and whether that one is overdue. Publishers without a calendar (World Bank, SDMX, files, press) are never overdue.';
comment on column v_freshness.source is 'The publisher (table source).';
comment on column v_freshness.name is 'The publisher''s full name.';
comment on column v_freshness.releases is 'How many of its releases are loaded; NULL when none.';
comment on column v_freshness.last_period is 'The latest period loaded, as YYYY-MM; NULL when none.';
comment on column v_freshness.last_published_at is 'When the latest loaded release was published; NULL when none.';
comment on column v_freshness.next_period is 'The period whose release is expected next, as YYYY-MM; NULL for a publisher without a calendar.';
comment on column v_freshness.next_expected_on is 'The day that release is expected (table release_calendar); NULL without a calendar.';
comment on column v_freshness.overdue is 'True when next_expected_on is before today.';
comment on column v_freshness.days_overdue is 'Days from next_expected_on to today: positive when overdue, negative while the release is still to come, 0 for a publisher without a calendar.';
