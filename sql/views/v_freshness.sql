-- Each source's last release, the release expected next by its calendar, and whether that one
-- is overdue: freshness_as_of (sql/views/freshness_as_of.sql) today. Sources without a
-- calendar (polled APIs, files and press) are never overdue.
create or replace view v_freshness as
select * from freshness_as_of('infinity');

comment on view v_freshness is
    'One row per publisher: its last release, the first release its calendar expects after it, and whether that one is overdue (freshness_as_of(''infinity'')). Publishers without a calendar (World Bank, SDMX, files, press) are never overdue.';
comment on column v_freshness.source is 'The publisher (table source).';
comment on column v_freshness.name is 'The publisher''s full name.';
comment on column v_freshness.precedence is 'The publisher''s precedence (table source): 1 is the most trusted.';
comment on column v_freshness.releases is 'How many of its releases are loaded; NULL when none.';
comment on column v_freshness.last_period is 'The latest period loaded, as YYYY-MM; NULL when none.';
comment on column v_freshness.last_published_at is 'When the latest loaded release was published; NULL when none.';
comment on column v_freshness.next_period is 'The first period after last_period whose release the calendar expects, as YYYY-MM: the oldest release missing. NULL for a publisher without a calendar.';
comment on column v_freshness.next_expected_on is 'The day that release is expected (table release_calendar); NULL without a calendar.';
comment on column v_freshness.overdue is 'True when next_expected_on is before today (a day''s grace: publishers post in the evening).';
comment on column v_freshness.days_overdue is 'Days from next_expected_on to today when overdue; 0 while the release is still to come and for a publisher without a calendar.';
