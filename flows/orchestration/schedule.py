"""The deployments' schedules, generated from the publishers' calendars (flows/core/calendars.py).

A release is wanted within minutes of its posting, yet a publisher posts on one known day a
month. So each source with a calendar is polled every POLL_MINUTES minutes through the
publishing hours of its due days, then once a day for a few days (a late release), and not
at all otherwise. Prefect cannot say "the 6th, or the next working day after a holiday" in
cron, and a five-minute interval all year would start ~100,000 runs a year that do nothing;
so the run times are computed from the calendar, one RRule set per source and year (the
due days' bursts as yearly rules counted from 1 January, the fallback days as RDATEs).

In prefect.yaml each such deployment runs `calendar_polls` as its build step and templates its
YEARS schedules from the output (prefect.yaml's schema wants the list of schedules written
out; each one's `rrule` is a template), so `prefect deploy --all` (and `make serve`) installs
what the calendar says for this year and the next YEARS - 1, and nothing is copied by hand.
Scheduled runs pass `poll: true` to the source flow: they ask the publisher's listing
conditionally first (flows/watch.py) and stop after that one request when nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flows.core.calendars import due_days

TIMEZONE = "Asia/Ho_Chi_Minh"
# Five minutes between polls: a release posted at any moment is found within five minutes,
# and a due day costs 120 conditional requests of a listing page at most.
POLL_MINUTES = 5
# Schedules cover the deploy's year and the next four; `make serve` (or `prefect deploy
# --all`) run again in any later year renews them.
YEARS = 5


@dataclass(frozen=True)
class Rhythm:
    """When a source is polled: `opens` to `closes` every POLL_MINUTES on a due day, then
    daily at `daily` for `fallback_days` days until the release is in. `opens` is on the
    hour: the day's rule counts its slots from the hour's first minute."""

    opens: time
    closes: time
    daily: time
    fallback_days: int


# GSO presents the figures at a morning press conference and posts the workbook during the
# working day (DOMAIN.md); the city offices post their reports during office hours, often
# late. A poll after the release is in stops at once (flows.orchestration.flows).
RHYTHMS = {
    "gso": Rhythm(time(8, 0), time(18, 0), time(9, 30), fallback_days=9),
    "haiphong_stats": Rhythm(time(8, 0), time(20, 0), time(18, 0), fallback_days=5),
    "haiphong_doit": Rhythm(time(8, 0), time(20, 0), time(18, 0), fallback_days=5),
}


def publishing_hours(source: str, day: date) -> tuple[datetime, datetime]:
    """The window of `day` (a due day) in which `source` is polled every POLL_MINUTES, as
    naive Vietnam times."""
    rhythm = RHYTHMS[source]
    return datetime.combine(day, rhythm.opens), datetime.combine(day, rhythm.closes)


def year_rrule(source: str, year: int) -> str:
    """The RRule set (RFC 5545 text, Vietnam time) of `source`'s polls whose due day falls
    in `year`: a yearly rule per due day, counted from 1 January so it fires in `year` only,
    and the fallback days as RDATEs."""
    rhythm = RHYTHMS[source]
    minutes = ",".join(str(m) for m in range(0, 60, POLL_MINUTES))
    lines = [f"DTSTART:{year}0101T000000"]
    fallback: list[datetime] = []
    for day in due_days(source, year):
        opens, closes = publishing_hours(source, day)
        slots = int((closes - opens) / timedelta(minutes=POLL_MINUTES))
        hours = ",".join(str(h) for h in range(opens.hour, closes.hour + (closes.minute > 0)))
        lines.append(f"RRULE:FREQ=YEARLY;COUNT={slots};BYMONTH={day.month};"
                     f"BYMONTHDAY={day.day};BYHOUR={hours};BYMINUTE={minutes};BYSECOND=0")
        fallback += [datetime.combine(day + timedelta(days=n), rhythm.daily)
                     for n in range(1, rhythm.fallback_days + 1)]
    if fallback:
        lines.append("RDATE:" + ",".join(f"{moment:%Y%m%dT%H%M%S}" for moment in fallback))
    return "\n".join(lines)


def rrules(source: str, first_year: int, years: int = YEARS) -> list[str]:
    """`source`'s RRule sets for `years` years from `first_year`, one a year."""
    return [year_rrule(source, year) for year in range(first_year, first_year + years)]


def today() -> date:
    """The deploy's day (a seam: tests deploy as if on another day)."""
    return date.today()


def calendar_polls(source: str) -> dict[str, list[str]]:
    """prefect.yaml's build step of a calendar source's deployment: its RRule sets from this
    year on, which its `schedules:` take one by one (`rrule: "{{ calendar.years[0] }}"`)."""
    return {"years": rrules(source, today().year)}
