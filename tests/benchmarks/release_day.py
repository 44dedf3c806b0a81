"""Benchmark: GSO's release day against a local server standing in for its site, polled as the
deployed gso schedule polls it.

    python tests/benchmarks/release_day.py [--quick]

The site (tests/gso_site.py) lists November 2024's report, loaded first (not timed); at 10:17
on 6 January 2025, December's due day, it posts December's. Every run the gso deployment's
schedules (flows/orchestration/schedule.py, as deployed on 1 January 2025) make in January
2025 is then run in order, each a real `source_flow("gso", poll=True)` on its day:
- the polls before the post: nothing new, one conditional request each (304);
- the poll after it: finds, loads, publishes and announces the release; timed, and from its
  start to a reader's first query of v_latest returning December's figures;
- the polls after that: the month is in, they stop without asking the publisher.
Shown: the poll that finds the release (wall time, started to queryable), and the month's
no-op polls (runs, requests, seconds), with a hello-world flow run for Prefect's own cost.
--quick runs the due day's polls around the post and three fallback days only.
"""

from __future__ import annotations

import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from common import ROOT, arguments, figure, prefect_server

sys.path.insert(0, str(ROOT / "tests"))  # the local GSO site the tests use
os.environ["PREFECT_LOGGING_LEVEL"] = "ERROR"

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
POSTED = datetime(2025, 1, 6, 10, 17, tzinfo=VIETNAM)
IIP_DECEMBER = ("select value from v_latest where series_key = 'IIP.VN._T._Z._Z.INDEX_YOY.INDEX' "
                "and period_type = 'M' and period_end = date '2024-12-31'")


class _Clock:
    """The day the flows see as today: the scheduled run's day."""

    day = date(2025, 1, 5)


class _ScheduledDay(date):
    @classmethod
    def today(cls) -> _ScheduledDay:
        day = _Clock.day
        return cls(day.year, day.month, day.day)


@dataclass
class Polls:
    """Runs of one kind: how many, their requests to the publisher, their seconds."""

    seconds: list[float] = field(default_factory=list)
    requests: int = 0


def month_of_runs(quick: bool) -> list[datetime]:
    """The gso deployment's runs in January 2025 (the RRule sets its build step makes), by
    Prefect's server-side schedule code."""
    from prefect.server.schemas.schedules import RRuleSchedule

    from flows.orchestration import schedule

    start, end = datetime(2025, 1, 1, tzinfo=VIETNAM), datetime(2025, 2, 1, tzinfo=VIETNAM)
    runs: list[datetime] = []
    for rrule in schedule.rrules("gso", 2025):
        rule = RRuleSchedule(rrule=rrule, timezone=schedule.TIMEZONE)
        runs += asyncio.run(rule.get_dates(start=start, end=end - timedelta(seconds=1)))
    runs.sort()
    if quick:
        before = [t for t in runs if t < POSTED][-3:]
        after = [t for t in runs if t >= POSTED]
        return [*before, *after[:2], *[t for t in after if t.date() > POSTED.date()][:3]]
    return runs


def main() -> None:
    args = arguments(__doc__)
    logging.getLogger("prefect").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as work:
        os.environ["CHISO_WAREHOUSE"] = str(Path(work) / "chiso.duckdb")
        os.environ["CHISO_ARCHIVE"] = str(Path(work) / "archive")
        os.environ.pop("CHISO_MIRROR", None)
        os.environ["NO_PROXY"] = "127.0.0.1,localhost"
        with prefect_server():
            from prefect import flow

            import flows.orchestration.flows as orchestration
            from flows.orchestration import steps
            from flows.sources import gso
            from warehouse.connect import reader

            from gso_site import DECEMBER_2024, NOVEMBER_2024, ReleaseDaySite

            @flow(name="hello-world")
            def hello() -> str:
                return "hello"

            hello()
            setattr(steps, "date", _ScheduledDay)  # noqa: B010
            site = ReleaseDaySite(shown=[NOVEMBER_2024], new=DECEMBER_2024)
            with site:
                os.environ[gso.BASE_URL_ENV] = site.url("")
                first = orchestration.source_flow("gso", poll=True)  # the day before, not timed
                assert [o.reference_period for o in first] == ["2024-11"], first
                hello_s = []
                for _ in range(3):
                    began = time.perf_counter()
                    hello()
                    hello_s.append(time.perf_counter() - began)
                runs = month_of_runs(args.quick)
                before, after = Polls(), Polls()
                found_s = queryable_s = 0.0
                for moment in runs:
                    if moment >= POSTED and not site.posted:
                        site.post()
                    _Clock.day = moment.date()
                    asked = len(site.seen)
                    began = time.perf_counter()
                    outcomes = orchestration.source_flow("gso", poll=True)
                    took = time.perf_counter() - began
                    if any(o.status == "new" for o in outcomes):
                        con = reader()
                        try:
                            value = con.execute(IIP_DECEMBER).fetchone()
                        finally:
                            con.close()
                        assert value is not None, "December is not queryable"
                        found_s, queryable_s = took, time.perf_counter() - began
                        print(f"{moment:%d %b %H:%M}: the poll after the post (10:17) loaded "
                              f"{[o.reference_period for o in outcomes if o.status == 'new']} "
                              f"in {took:.2f} s, {len(site.seen) - asked} requests")
                        continue
                    assert outcomes == [], outcomes
                    kind = after if site.posted else before
                    kind.seconds.append(took)
                    kind.requests += len(site.seen) - asked
    noop = before.seconds + after.seconds
    print(f"January 2025, {len(runs)} scheduled runs: {len(before.seconds)} before the post "
          f"({before.requests} requests, all conditional), 1 loading December, "
          f"{len(after.seconds)} after it ({after.requests} requests)")
    print(f"hello-world flow run: {statistics.median(hello_s) * 1000:.0f} ms (Prefect's own)")
    figure("poll finding a new release: wall time", found_s, "s")
    figure("poll finding a new release: started to queryable in v_latest", queryable_s, "s")
    figure("posted to queryable, worst case (5 min to the next poll + the poll)",
           300 + queryable_s, "s", "<= 600")
    figure("no-op polls in the month", len(noop), "runs")
    figure("no-op polls: requests to the publisher in the month",
           before.requests + after.requests, "requests")
    figure("no-op poll before the release: requests per poll",
           before.requests / max(len(before.seconds), 1), "requests", "<= 1")
    figure("no-op polls: seconds in the month", sum(noop), "s")
    figure("no-op poll: median wall time", statistics.median(noop), "s")
    figure("no-op poll before the release (one 304): median", statistics.median(before.seconds),
           "s")
    figure("no-op poll after it (release in, no request): median",
           statistics.median(after.seconds), "s")
    figure("no-op poll / hello-world flow", statistics.median(noop) / statistics.median(hello_s),
           "x")


if __name__ == "__main__":
    main()
