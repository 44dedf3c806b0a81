"""When each publisher is expected to release: the calendar behind schedules and freshness."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache

import holidays

# Decree 62/2024/ND-CP: from the August 2024 report GSO publishes on the 6th of the following
# month, moved to the next working day when the 6th is a public holiday. A weekend alone does
# not move it: the September 2024 report came out on Sunday 6 October 2024.
GSO_DECREE_62_FIRST_PERIOD = (2024, 8)
GSO_RELEASE_DAY = 6
# Before the decree the report came out around the 29th of the reference month itself.
GSO_OLD_RELEASE_DAY = 29
# The city offices date their monthly reports in the last days of the reference month.
CITY_RELEASE_DAY = 29


@cache
def vietnam_holidays(year: int) -> frozenset[date]:
    """Vietnam's public holidays in `year` (the `holidays` package, with substituted days)."""
    return frozenset(holidays.country_holidays("VN", years=year))


def is_holiday(day: date) -> bool:
    return day in vietnam_holidays(day.year)


def next_working_day(day: date) -> date:
    """`day` itself unless it is a holiday; else the first later day that is neither a holiday
    nor a weekend."""
    if not is_holiday(day):
        return day
    day += timedelta(days=1)
    while is_holiday(day) or day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def expected_release(source: str, period: str) -> date | None:
    """The day `source` is expected to publish its release for `period` (YYYY-MM); None for
    sources without a calendar (World Bank, SDMX providers, files and press are polled)."""
    year, month = (int(part) for part in period.split("-"))
    if source == "gso":
        if (year, month) < GSO_DECREE_62_FIRST_PERIOD:
            return date(year, month, min(GSO_OLD_RELEASE_DAY, _last_day(year, month)))
        following = date(year + month // 12, month % 12 + 1, GSO_RELEASE_DAY)
        return next_working_day(following)
    if source in ("haiphong_stats", "haiphong_doit"):
        return date(year, month, min(CITY_RELEASE_DAY, _last_day(year, month)))
    return None


def next_expected(source: str, after: date) -> tuple[str, date] | None:
    """The first release of `source` expected on or after `after`, as (period, day)."""
    for period in _periods_around(after):
        expected = expected_release(source, period)
        if expected is None:
            return None
        if expected >= after:
            return period, expected
    return None


def due_days(source: str, year: int) -> list[date]:
    """The days of `year` on which `source` is due to publish a release (its calendar's
    expected days, holidays included), in order; empty for sources without a calendar."""
    days = set()
    for month in range(-1, 13):  # a release follows its month: December's comes in January
        period = f"{year + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}"
        expected = expected_release(source, period)
        if expected is not None and expected.year == year:
            days.add(expected)
    return sorted(days)


def _periods_around(day: date) -> Iterator[str]:
    """Reference periods from two months before `day` onwards (a release follows its month)."""
    year, month = day.year, day.month - 2
    for _ in range(15):
        if month < 1:
            year, month = year - 1, month + 12
        yield f"{year}-{month:02d}"
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]
