"""Benchmark: a scheduled poll that finds nothing new, against a hello-world Prefect flow, in
the same process and against the same Prefect API.

    python tests/benchmarks/noop_poll.py [--quick] [--rounds N]

The warehouse is first loaded from the bundled mirror (`source_flow("gso")`, not timed). Then:
- the poll the schedule runs most days: `source_flow("gso")` again on a day when GSO's
  calendar says the release due (2024-12, expected 2025-01-06) is already loaded, so the flow
  checks the warehouse and stops (the clock is set to 2025-01-20 inside flows.orchestration.steps);
- a hello-world flow, which is Prefect's own cost of starting and finishing a flow run.
Target: the poll's own work (poll - hello world) under 1 s. Also shown: the poll on today's
date, when a release is due and the publisher's pages are listed again and every release on
them turns out unchanged (the bundled mirror stands in for the publisher).
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from common import arguments, figure, prefect_server

os.environ["PREFECT_LOGGING_LEVEL"] = "ERROR"  # the overdue warning of every poll is noise here

CURRENT_DAY = date(2025, 1, 20)  # GSO's 2024-12 release is due (2025-01-06) and loaded


class _CalendarDay(date):
    """date with today() fixed to CURRENT_DAY."""

    @classmethod
    def today(cls) -> _CalendarDay:
        return cls(CURRENT_DAY.year, CURRENT_DAY.month, CURRENT_DAY.day)


def median_seconds(run: object, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    def extra(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--rounds", type=int, default=15)

    args = arguments(__doc__, extra)
    rounds = 3 if args.quick else args.rounds
    logging.getLogger("prefect").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as work:
        os.environ["CHISO_WAREHOUSE"] = str(Path(work) / "chiso.duckdb")
        os.environ["CHISO_ARCHIVE"] = str(Path(work) / "archive")
        os.environ["CHISO_MIRROR"] = "bundled"
        with prefect_server():
            from prefect import flow

            import flows.orchestration.flows as orchestration
            from flows.orchestration import steps

            @flow(name="hello-world")
            def hello() -> str:
                return "hello"

            hello()  # first runs register the flows; not timed
            loaded = orchestration.source_flow("gso")
            new = sum(o.status == "new" for o in loaded)
            print(f"first poll (not timed): {new} GSO releases loaded from the bundled mirror")

            hello_s = median_seconds(hello, rounds)
            real_date = getattr(steps, "date")  # noqa: B009 (not an exported name)
            setattr(steps, "date", _CalendarDay)  # noqa: B010
            try:
                assert orchestration.source_flow("gso") == [], "the calendar should say current"
                poll_s = median_seconds(lambda: orchestration.source_flow("gso"), rounds)
            finally:
                setattr(steps, "date", real_date)  # noqa: B010
            listed = orchestration.source_flow("gso")
            assert all(o.status == "unchanged" for o in listed), listed
            relist_s = median_seconds(lambda: orchestration.source_flow("gso"),
                                      1 if args.quick else 3)
    print(f"median of {rounds} runs each, same process, same Prefect API")
    print(f"hello-world flow:                                   {hello_s * 1000:8.0f} ms")
    print(f"no-op poll, calendar says current (source_flow):    {poll_s * 1000:8.0f} ms")
    print(f"no-op poll, release due, {len(listed)} listed, all unchanged:   "
          f"{relist_s * 1000:8.0f} ms")
    figure("no-op poll - hello-world flow", poll_s - hello_s, "s", "< 1")
    figure("no-op poll / hello-world flow", poll_s / hello_s, "x")
    figure("poll with nothing new at the publisher / hello-world flow", relist_s / hello_s, "x")


if __name__ == "__main__":
    main()
