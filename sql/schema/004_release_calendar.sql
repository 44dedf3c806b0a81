-- When each publisher is expected to release each period (flows/core/calendars.py writes it), so
-- freshness is plain SQL.
create table release_calendar (
    source            varchar not null,
    reference_period  varchar not null,   -- YYYY-MM
    expected_on       date not null,
    primary key (source, reference_period)
);
