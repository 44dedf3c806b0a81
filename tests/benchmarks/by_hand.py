"""Benchmark: commands typed by hand, each a fresh process, against `chiso --help`.

    python tests/benchmarks/by_hand.py [--quick] [--rounds N] [--demo WAREHOUSE]

Each round runs, one after the other, `chiso --help` (the cost of starting Python and the
command line), `chiso ingest press --file <the department's September 2024 article>` into a
fresh copy of the demo warehouse (a new release: loaded, published, the report refreshed) and
`chiso sql "select 1"` on it. No Prefect server is configured (PREFECT_API_URL is removed from
the commands' environment), so the ingest loads in its own process, as it does by hand.
Target: each command at most 3x `chiso --help` (the median of each round's ratio).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, Timing, arguments, figure, paired_ratio

# A small real press article (13 figures): what an analyst adds by hand.
ARTICLE = ROOT / "tests" / "fixtures" / "prose" / "haiphong-doit-2024-09.txt"
CHISO = [sys.executable, "-m", "flows.present.cli"]


def timed_run(argv: list[str], env: dict[str, str], into: Timing) -> None:
    """Run `chiso ARGV` in a new process, its wall time appended to `into`; it must succeed."""
    began = time.perf_counter()
    done = subprocess.run([*CHISO, *argv], env=env, cwd=ROOT, capture_output=True, text=True,
                          check=False)
    into.wall.append(time.perf_counter() - began)
    if done.returncode != 0:
        raise SystemExit(f"chiso {' '.join(argv)} failed ({done.returncode}):\n{done.stderr}")


def demo_warehouse(work: Path) -> Path:
    """The demo warehouse (every bundled release), built once, not timed."""
    sys.path.insert(0, str(ROOT / "tests"))
    from bundled import build

    return build(work / "demo" / "chiso.duckdb", work / "demo" / "archive")


def main() -> None:
    def extra(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--rounds", type=int, default=9)
        parser.add_argument("--demo", type=Path,
                            help="a demo warehouse already built, copied instead of building one")

    args = arguments(__doc__, extra)
    rounds = 2 if args.quick else args.rounds
    help_, ingest, sql = Timing(), Timing(), Timing()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        demo = args.demo or demo_warehouse(work)
        base = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        base["PYTHONPATH"] = str(ROOT)
        for n in range(rounds):
            folder = work / f"round-{n}"
            folder.mkdir()
            shutil.copyfile(demo, folder / "chiso.duckdb")
            env = base | {"CHISO_WAREHOUSE": str(folder / "chiso.duckdb"),
                          "CHISO_ARCHIVE": str(folder / "archive"),
                          "PREFECT_HOME": str(work / "prefect")}
            timed_run(["--help"], env, help_)
            timed_run(["ingest", "press", "--file", str(ARTICLE), "--published-at",
                       "2024-10-15"], env, ingest)
            timed_run(["sql", "select 1"], env, sql)
        started_prefect = (work / "prefect").exists()
    print(f"{rounds} rounds, each command a new process; seconds, in round order")
    for name, timing in (("chiso --help", help_), ("chiso ingest press --file ARTICLE", ingest),
                         ('chiso sql "select 1"', sql)):
        runs = " ".join(f"{s:.2f}" for s in timing.wall)
        print(f"  {name:36} median {statistics.median(timing.wall):5.2f}   runs {runs}")
    if started_prefect:
        print("PREFECT_HOME was written: a Prefect server or client ran (it should not)")
    figure("chiso --help", help_.median, "s")
    figure("chiso ingest press, one article", ingest.median, "s")
    figure('chiso sql "select 1"', sql.median, "s")
    figure("chiso ingest press / chiso --help", paired_ratio(ingest, help_), "x", "<= 3")
    figure('chiso sql "select 1" / chiso --help', paired_ratio(sql, help_), "x", "<= 3")


if __name__ == "__main__":
    main()
