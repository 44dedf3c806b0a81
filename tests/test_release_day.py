"""Release day end to end: GSO's site (a local server) posts the December 2024 report at a
random moment of its due day, 6 January 2025; the deployed gso schedule's poll before that
moment costs one conditional request and loads nothing, the poll after it loads the release,
publishes it (v_latest) and announces it with a Prefect event carrying its headline figures."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pytest
from prefect.server.schemas.schedules import RRuleSchedule

# Imported at collection: Prefect configures logging as its flow module loads.
import flows.orchestration.flows as orchestration
from flows.orchestration import announce, schedule, steps
from flows.pipeline import read_gso_workbook
from flows.sources import gso

from gso_site import DECEMBER_2024, DECEMBER_2024_WORKBOOK, NOVEMBER_2024, ReleaseDaySite, workbook

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = date(2025, 1, 6)  # GSO's calendar: December 2024's report, the 6th (a Monday)
IIP = "IIP.VN._T._Z._Z.INDEX_YOY.INDEX"


class _DueDay(date):
    """date with today() on the due day, as the scheduled runs would see it."""

    @classmethod
    def today(cls) -> _DueDay:
        return cls(DUE.year, DUE.month, DUE.day)


@pytest.fixture
def site(warehouse_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ReleaseDaySite]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server = ReleaseDaySite(shown=[NOVEMBER_2024], new=DECEMBER_2024)
    with server:
        monkeypatch.setenv(gso.BASE_URL_ENV, server.url(""))
        yield server


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The events announce emits, captured at its seam instead of sent."""
    caught: list[dict[str, Any]] = []
    monkeypatch.setattr(announce, "emit_event",
                        lambda event, **fields: caught.append({"event": event, **fields}))
    return caught


def due_day_polls() -> list[datetime]:
    """The gso deployment's runs on the due day, from the RRule sets its build step makes,
    by Prefect's server-side schedule code."""
    start = datetime.combine(DUE, time(0), VIETNAM)
    times: list[datetime] = []
    for rrule in schedule.rrules("gso", DUE.year):
        rule = RRuleSchedule(rrule=rrule, timezone=schedule.TIMEZONE)
        times += asyncio.run(rule.get_dates(start=start, end=start + timedelta(days=1)))
    return sorted(times)


@pytest.mark.slow
def test_a_report_posted_at_a_random_moment_is_loaded_and_announced_by_the_next_poll(
    prefect_harness: None, site: ReleaseDaySite, warehouse_env: Path,
    events: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(steps, "date", _DueDay)
    # The day before: the first poll loads what the listing already shows (November).
    assert [o.reference_period for o in orchestration.source_flow("gso", poll=True)] == [
        "2024-11"]
    assert [e["payload"]["period"] for e in events] == ["2024-11"]
    events.clear()
    polls = due_day_polls()
    seed = random.randrange(2**32)
    opens = datetime.combine(DUE, time(8), VIETNAM)
    moment = opens + timedelta(seconds=random.Random(seed).randrange(10 * 3600))
    before = [t for t in polls if t < moment]
    after = next(t for t in polls if t >= moment)
    told = f"(seed {seed}: posted at {moment:%H:%M:%S}, polls at {before[-1]:%H:%M} and " \
           f"{after:%H:%M})"
    assert after - moment <= timedelta(minutes=schedule.POLL_MINUTES), told

    # The poll before the moment: one conditional request, answered 304; nothing loaded.
    asked = len(site.seen)
    assert orchestration.source_flow("gso", poll=True) == [], told
    assert [s.target for s in site.seen[asked:]] == [gso.LISTING_PATH], told
    assert "If-None-Match" in site.seen[-1].headers and site.not_modified == 1, told

    site.post()  # the moment: GSO posts the report
    outcomes = orchestration.source_flow("gso", poll=True)
    assert [(o.reference_period, o.status) for o in outcomes] == [
        ("2024-11", "unchanged"), ("2024-12", "new")], told
    december = outcomes[1]

    # Published: v_latest serves the December figures of the release just loaded.
    printed = read_gso_workbook(_saved(warehouse_env.parent, DECEMBER_2024_WORKBOOK), "2024-12")
    iip = next(o.value for o in printed.observations
               if o.series_key == IIP and str(o.period) == "2024-12")
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        latest = con.execute(
            "select value, release_id from v_latest where series_key = ? and period_type = 'M' "
            "and period_end = date '2024-12-31'", [IIP]).fetchone()
    assert latest == (iip, december.release_id), told

    # Announced in the same run, with the headline figures as published.
    [event] = [e for e in events if e["event"] == announce.PUBLISHED_EVENT]
    payload = event["payload"]
    assert (payload["source"], payload["period"], payload["release_id"]) == (
        "gso", "2024-12", december.release_id)
    assert event["resource"]["prefect.resource.id"] == "chiso.source.gso"
    monthly = {(f["series_key"], f["period_type"]): f["value"] for f in payload["headline"]}
    assert monthly[(IIP, "M")] == iip
    assert {f["indicator"] for f in payload["headline"]} >= {"IIP", "CPI", "EXPORTS", "IMPORTS"}
    assert {f["period_end"] for f in payload["headline"]} == {"2024-12-31"}

    # The polls after it: the month is in, they stop without asking the publisher.
    asked = len(site.seen)
    assert orchestration.source_flow("gso", poll=True) == []
    assert len(site.seen) == asked
    print(f"\nrelease day {told}: loaded {december.reported} figures, announced "
          f"{len(payload['headline'])} headline figures, IIP {iip}")


def _saved(root: Path, target: str) -> Path:
    """The workbook as the site serves it, written beside the warehouse for an independent
    read."""
    path = root / Path(target).name
    path.write_bytes(workbook(target))
    return path
