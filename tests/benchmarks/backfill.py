"""Benchmark: every GSO workbook through archive, read, normalise, validate, load and publish,
against a bare python-calamine read of every sheet of the same files, in the same run; then
the same pipeline inside a Prefect flow with one task per workbook (flows.orchestration.flows's
`read_task` and batched loads, as `chiso backfill` runs them), against the same bare read.

    python tests/benchmarks/backfill.py [FOLDER] [--quick]

The target is on read, normalise, validate, load and publish, with the workbooks archived
first, untimed, and (issue 13's wording: archiving included) on the same with archiving
timed too, printed beside it. FOLDER defaults to ../shared/releases/gso (125 workbooks,
2000-2024); --quick takes three workbooks of the bundled mirror and one round. Each round
reads bare, then runs one pipeline; a ratio is the median of the rounds' ratios, each against
its round's bare read, printed with every round's. Target: pipeline <= 4x the bare read in every
round (the worst round's ratio).
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from common import (
    ROOT,
    Timing,
    arguments,
    figure,
    paired_ratio,
    prefect_server,
    round_ratios,
    timed,
)
from python_calamine import CalamineWorkbook

if TYPE_CHECKING:
    from flows.core.model import ReleaseRef

DEFAULT = ROOT.parent / "shared" / "releases" / "gso"
MIRROR = ROOT / "flows" / "mirror" / "www.gso.gov.vn"
# A pipeline under test: the workbooks, a fresh folder, the timing to add its run to.
Runner = Callable[[list[Path], Path, Timing], Counter[str]]
ROUNDS = 5


def bare_read(files: list[Path]) -> None:
    for path in files:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()


def refs(files: list[Path]) -> list[ReleaseRef]:
    """One GSO release per workbook; published on the date its name starts with (the shared
    folder's convention), else one day apart in file order (the mirror's)."""
    from flows.core.model import ReleaseRef

    found = []
    for n, path in enumerate(files):
        try:
            published = datetime.fromisoformat(path.name[:10])
        except ValueError:
            published = datetime(2000, 1, 1) + timedelta(days=n)
        found.append(ReleaseRef("gso", "monthly-workbook", path.resolve().as_uri(), published,
                                "", title=path.name))
    return found


def pipeline(files: list[Path], work: Path, into: Timing,
             archived_first: bool = False) -> Counter[str]:
    """The plain functions of flows.pipeline, one writer session (published once, at the end),
    the releases loaded in batches as `chiso backfill` loads them
    (flows.orchestration.backfill.load_in_batches), timed into `into`. `archived_first`: the
    workbooks are archived beforehand, untimed, so only reading, normalising, validating,
    loading and publishing are timed."""
    from flows.archive import Archive
    from flows.orchestration.backfill import Prepared, load_in_batches
    from flows.pipeline import fetch_release
    from warehouse.connect import writer

    archive = Archive(work / "archive")
    releases = refs(files)
    archived = [fetch_release(ref, archive, None) for ref in releases] if archived_first else []
    outcomes: Counter[str] = Counter()
    with timed(into), writer(work / "chiso.duckdb") as session:
        fetched = (Prepared(ref, archived[n] if archived_first
                            else fetch_release(ref, archive, None))
                   for n, ref in enumerate(releases))
        for outcome in load_in_batches(fetched, session):
            outcomes[_key(outcome)] += 1
    return outcomes


def archived_pipeline(files: list[Path], work: Path, into: Timing) -> Counter[str]:
    return pipeline(files, work, into, archived_first=True)


def fanned_pipeline(files: list[Path], work: Path, into: Timing, workers: int = 2
                    ) -> Counter[str]:
    """The same, with archiving, reading and normalising on `workers` processes
    (flows.orchestration.backfill.prepare, what a backfill with CHISO_TASK_RUNNER=dask runs on
    its workers)
    while this process loads, in order, in batches: the warehouse is the same."""
    from concurrent.futures import ProcessPoolExecutor

    from flows.archive import Archive
    from flows.orchestration.backfill import load_in_batches, prepare
    from warehouse.connect import writer

    archive = Archive(work / "archive")
    outcomes: Counter[str] = Counter()
    with (timed(into), ProcessPoolExecutor(workers) as pool,
          writer(work / "chiso.duckdb") as session):
        ready = [pool.submit(prepare, ref, archive, None, frozenset(), framed=True)
                 for ref in refs(files)]
        for outcome in load_in_batches((prepared.result() for prepared in ready), session):
            outcomes[_key(outcome)] += 1
    return outcomes


def prefect_pipeline(files: list[Path], work: Path, into: Timing) -> Counter[str]:
    """The same releases through a Prefect flow as `chiso backfill` runs them: one `read_task`
    run per workbook (fetch, archive, read, normalise, validate), the loads in batches."""
    from prefect import flow

    from flows.archive import Archive
    from flows.orchestration.backfill import load_in_batches
    from flows.orchestration.flows import read_task
    from warehouse.connect import writer

    @flow(name="benchmark-backfill")
    def backfill() -> Counter[str]:
        archive = Archive(work / "archive")
        outcomes: Counter[str] = Counter()
        with writer(work / "chiso.duckdb") as session:
            read = (read_task(ref, archive, None, frozenset()) for ref in refs(files))
            for outcome in load_in_batches(read, session):
                outcomes[_key(outcome)] += 1
        return outcomes

    with timed(into):
        return backfill()


def against_bare(run: Runner, files: list[Path], scratch: str, rounds: int
                 ) -> tuple[Timing, Timing, Counter[str]]:
    """`rounds` rounds of a bare read then `run` in a fresh folder: both timings, and what the
    last run loaded."""
    measured, bare = Timing(), Timing()
    outcomes: Counter[str] = Counter()
    for _ in range(rounds):
        with timed(bare):
            bare_read(files)
        with tempfile.TemporaryDirectory(dir=scratch) as work:
            outcomes = run(files, Path(work), measured)
    return measured, bare, outcomes


def targeted(name: str, measured: Timing, bare: Timing, target: str = "<= 4") -> None:
    """The median ratio, each round's, and the worst round's against the target: the target
    holds for every round, not for the median."""
    ratios = round_ratios(measured, bare)
    figure(name, paired_ratio(measured, bare), "x")
    print(f"  rounds: {' '.join(f'{r:.3f}' for r in ratios)}")
    figure(f"{name}, worst round", max(ratios), "x", target)


def _key(outcome) -> str:  # type: ignore[no-untyped-def]
    return outcome.status if outcome.status != "failed" else f"failed: {outcome.file_name}"


def main() -> None:
    def extra(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("folder", nargs="?", type=Path, help="a folder of GSO workbooks")
        parser.add_argument("--no-prefect", action="store_true",
                            help="skip the Prefect flow (no temporary server)")

    args = arguments(__doc__, extra)
    if args.quick:
        files = sorted(MIRROR.rglob("*.xls*"))[:3]
        rounds = 1
    else:
        folder = args.folder or DEFAULT
        files = sorted(folder.glob("*.xls*"))
        rounds = ROUNDS
    if not files:
        raise SystemExit(f"no workbooks in {args.folder or DEFAULT}: pass a folder of GSO "
                         "workbooks (or ../shared/releases/gso)")
    for name in ("flows.pipeline", "flows.orchestration.flows", "prefect"):
        logging.getLogger(name).setLevel(logging.CRITICAL)  # failures are counted below
    os.environ.pop("CHISO_MIRROR", None)

    with tempfile.TemporaryDirectory() as scratch:
        with tempfile.TemporaryDirectory() as work:
            pipeline(files[:1], Path(work), Timing())  # imports and first-use costs, not timed
        stages, bare, outcomes = against_bare(archived_pipeline, files, scratch, rounds)
        failed = [key.removeprefix("failed: ") for key in outcomes if key.startswith("failed")]
        print(f"{len(files)} workbooks, {outcomes['new']} loaded, failed: "
              f"{', '.join(failed) or 0}; medians of {rounds} round(s)")
        print(f"bare calamine read of every sheet:             {bare.median:7.2f} s "
              f"(CPU {bare.median_cpu:.2f} s)")
        print(f"read+normalise+validate+load+publish:          {stages.median:7.2f} s "
              f"(CPU {stages.median_cpu:.2f} s; archived beforehand, untimed)")
        targeted("backfill pipeline / bare read", stages, bare)
        figure("backfill pipeline / bare read, CPU time", stages.median_cpu / bare.median_cpu,
               "x")

        def compare(run: Runner, label: str, name: str, target: str = "") -> Timing:
            timing, its_bare, its_outcomes = against_bare(run, files, scratch, rounds)
            assert its_outcomes == outcomes, (its_outcomes, outcomes)
            print(f"{label} {timing.median:7.2f} s (bare read this time {its_bare.median:.2f} s)")
            if target:
                targeted(name, timing, its_bare)
            else:
                figure(name, paired_ratio(timing, its_bare), "x")
            return timing

        plain = compare(pipeline, "the same with archiving timed too:              ",
                        "backfill pipeline with archiving / bare read", "<= 4")
        compare(fanned_pipeline, "the same, archive+read+normalise on 2 processes:",
                "backfill pipeline, archive+read on 2 processes / bare read", "<= 4")
        if args.no_prefect:
            return
        with prefect_server():
            with tempfile.TemporaryDirectory(dir=scratch) as work:
                prefect_pipeline(files[:1], Path(work), Timing())  # first run, not timed
            orchestrated, prefect_bare, flow_outcomes = against_bare(
                prefect_pipeline, files, scratch, rounds)
            assert flow_outcomes == outcomes, (flow_outcomes, outcomes)
        print(f"the same in a Prefect flow, a task per workbook: {orchestrated.median:7.2f} s "
              f"(bare read this time {prefect_bare.median:.2f} s)")
        print(f"Prefect's flow and task overhead: "
              f"{orchestrated.median - plain.median:+.2f} s, "
              f"{(orchestrated.median - plain.median) / len(files) * 1000:+.0f} ms a workbook")
        figure("backfill in Prefect / bare read", paired_ratio(orchestrated, prefect_bare), "x")


if __name__ == "__main__":
    main()
