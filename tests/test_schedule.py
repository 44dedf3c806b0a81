"""The deployments' schedules as `prefect deploy` makes them from prefect.yaml (its build step,
its templating, its schedule objects), evaluated by the Prefect server's own schedule code over
2024-2027: every due day of every calendar is polled through its publishing hours with no gap
over ten minutes, then daily for a few days, and not otherwise."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from prefect.cli.deploy._models import PrefectYamlModel
from prefect.cli.deploy._schedules import _construct_schedules
from prefect.server.schemas.schedules import RRuleSchedule
from prefect.utilities.importtools import import_object
from rich.console import Console

from flows.core.calendars import due_days
from flows.core.config import ROOT
from flows.orchestration import schedule

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
YEARS = range(2024, 2028)
MAX_GAP = timedelta(minutes=10)
# The publishing hours each publisher is watched through on its due day (Vietnam time).
WINDOWS = {"gso": (time(8), time(18)), "haiphong_stats": (time(8), time(20)),
           "haiphong_doit": (time(8), time(20))}


@pytest.fixture(scope="module")
def deployed() -> dict[str, list[dict[str, Any]]]:
    """Each deployment's schedules as `prefect deploy --all` builds them, deployed on
    1 January 2024: prefect.yaml checked against Prefect's own schema, each deployment's build
    steps run, then Prefect's own templating and schedule construction."""
    config = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    PrefectYamlModel.model_validate(config)
    built = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(schedule, "today", lambda: date(2024, 1, 1))
        for spec in config["deployments"]:
            outputs: dict[str, Any] = {}
            for step in spec.get("build") or []:  # as prefect's run_step calls them
                ((name, inputs),) = step.items()
                arguments = {k: v for k, v in inputs.items() if k not in ("id", "requires")}
                outputs[inputs["id"]] = import_object(name)(**arguments)
            built[spec["name"]] = _construct_schedules(
                spec, outputs, console=Console(), is_interactive=lambda: False) or []
    return built


def runs(deployed: list[dict[str, Any]], first: date, last: date) -> dict[date, list[datetime]]:
    """The run times the Prefect server's scheduler computes from these schedules for each
    day `first`..`last`, a month at a time (it looks at most 1,000 dates ahead per call)."""
    found: set[datetime] = set()
    servers = [RRuleSchedule.model_validate(entry["schedule"].model_dump()) for entry in deployed]
    month = datetime.combine(first.replace(day=1), time(0), VIETNAM)
    while month.date() <= last:
        following = (month + timedelta(days=32)).replace(day=1)
        for server in servers:
            found |= set(asyncio.run(server.get_dates(
                start=month, end=following - timedelta(seconds=1))))
        month = following
    days: dict[date, list[datetime]] = {
        first + timedelta(n): [] for n in range((last - first).days + 1)}
    for moment in sorted(found):
        if moment.date() in days:
            days[moment.date()].append(moment)
    return days


@pytest.mark.parametrize("source", sorted(WINDOWS))
def test_every_due_day_is_polled_every_few_minutes_through_its_hours(
    deployed: dict[str, list[dict[str, Any]]], source: str
) -> None:
    schedules = deployed[source]
    assert len(schedules) == schedule.YEARS  # a schedule a year, each year's its own
    assert all(entry["parameters"] == {"poll": True} for entry in schedules)
    assert len({entry["schedule"].rrule for entry in schedules}) == schedule.YEARS
    days = [day for year in YEARS for day in due_days(source, year)]
    assert len(days) >= 47  # a release a month for four years (2024's eleven GSO days)
    polled = runs(schedules, date(YEARS[0], 1, 1), date(YEARS[-1], 12, 31))
    opens, closes = WINDOWS[source]
    for day in days:
        window = (datetime.combine(day, opens, VIETNAM), datetime.combine(day, closes, VIETNAM))
        inside = [t for t in polled[day] if window[0] <= t <= window[1]]
        assert inside, f"{source}: no poll on its due day {day}"
        moments = [window[0], *inside, window[1]]
        gap = max(b - a for a, b in pairwise(moments))
        assert gap <= MAX_GAP, f"{source} {day}: a gap of {gap} in the publishing hours"


def test_tet_moves_gsos_february_2027_day_and_its_polls(
    deployed: dict[str, list[dict[str, Any]]],
) -> None:
    """Tết 2027 (6-10 February) moves January's report to Thursday 11 February: the five-
    minute polls move with it, and the 6th is left alone."""
    polled = runs(deployed["gso"], date(2027, 2, 1), date(2027, 2, 28))
    assert date(2027, 2, 11) in due_days("gso", 2027)
    assert len(polled[date(2027, 2, 11)]) == 120
    assert polled[date(2027, 2, 6)] == []
    assert [t.time() for t in polled[date(2027, 2, 12)]] == [time(9, 30)]  # the fallback


def test_off_the_due_days_a_poll_a_day_for_a_few_days_then_none(
    deployed: dict[str, list[dict[str, Any]]],
) -> None:
    days = due_days("gso", 2025)
    polled = runs(deployed["gso"], date(2025, 1, 1), date(2025, 12, 31))
    fallback = {day + timedelta(n) for day in days for n in range(1, 10)}
    for day, times in polled.items():
        if day in days:
            assert len(times) == 120, day
        elif day in fallback:
            assert [t.time() for t in times] == [time(9, 30)], day
        else:
            assert times == [], day
    assert sum(len(t) for t in polled.values()) == 12 * 120 + 12 * 9


def test_sources_without_a_calendar_keep_their_crons(
    deployed: dict[str, list[dict[str, Any]]],
) -> None:
    assert [entry["schedule"].cron for entry in deployed["worldbank"]] == ["0 6 * * 1"]
    assert [entry["schedule"].cron for entry in deployed["sdmx"]] == ["0 7 * * *"]
    assert deployed["backfill"] == []
