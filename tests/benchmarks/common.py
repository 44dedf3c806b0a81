"""What every benchmark shares: `--quick`, timing (wall and CPU), peak memory, figure lines.

Each script prints `figure: <name> = <value> <unit>` lines (run_all.py collects them into the
summary table of `make bench`; tests/test_benchmarks_quick.py checks they are printed).
Ratios are against a baseline run in the same process, so they carry over between machines
where absolute times do not. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as `python tests/benchmarks/x.py` from a fresh clone

# Offline Prefect: a temporary server; its first migrations take a while on a busy machine.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def arguments(doc: str | None, extra: Callable[[argparse.ArgumentParser], None] | None = None,
              ) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=doc,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes, seconds: checks the benchmark works, measures nothing")
    if extra:
        extra(parser)
    return parser.parse_args()


@dataclass
class Timing:
    """Wall and CPU (this process, all threads) seconds of each round."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)


def paired_ratio(measured: Timing, baseline: Timing) -> float:
    """The median of the rounds' ratios, each round's measurement over the baseline run just
    before it: a machine whose speed drifts between rounds moves both sides of a pair alike."""
    return statistics.median(round_ratios(measured, baseline))


def round_ratios(measured: Timing, baseline: Timing) -> list[float]:
    """Each round's measurement over the baseline run just before it, in round order: a target
    is met when every round meets it, not the median."""
    return [m / b for m, b in zip(measured.wall, baseline.wall, strict=True)]


@contextmanager
def timed(into: Timing) -> Iterator[None]:
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        into.wall.append(time.perf_counter() - wall)
        into.cpu.append(time.process_time() - cpu)


def figure(name: str, value: float, unit: str, target: str = "") -> None:
    """One result line; `target` ("<= 4x") is shown with whether it is met."""
    shown = f"{value:,.3f}" if abs(value) < 100 else f"{value:,.0f}"
    line = f"figure: {name} = {shown} {unit}"
    if target:
        line += f"  (target {target}: {'met' if _meets(value, target) else 'NOT met'})"
    print(line, flush=True)


def _meets(value: float, target: str) -> bool:
    op, _, number = target.partition(" ")
    limit = float(number)
    return {"<": value < limit, "<=": value <= limit, ">": value > limit,
            ">=": value >= limit}[op]


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_rss_mb() -> float:
    """The largest peak resident memory of any finished child process, in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


@contextmanager
def prefect_server() -> Iterator[None]:
    """The Prefect API flows report to: PREFECT_API_URL when set, else a temporary test
    server (prefect_test_harness), started before any timing."""
    if os.environ.get("PREFECT_API_URL"):
        yield
        return
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
