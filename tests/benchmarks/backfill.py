"""Benchmark: every GSO workbook through archive, read, normalise, validate, load and publish,
against a bare python-calamine read of every sheet of the same files, in the same run; then
the same pipeline inside a Prefect flow with one task per workbook (flows.orchestration's
`release_task`, as `chiso backfill` runs it), against the same bare read.

    python tests/benchmarks/backfill.py [FOLDER] [--quick]

The target is on read, normalise, validate, load and publish, with the workbooks archived
first, untimed; the same with archiving timed too is printed beside it. FOLDER defaults to
../shared/releases/gso (110 workbooks, 2000-2024); --quick takes three workbooks of the
bundled mirror and one round. Each round reads bare, then runs the pipelines; a ratio is the
median of the rounds' ratios, each against its round's bare read. Target: pipeline <= 4x the
bare read.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from common import ROOT, Timing, arguments, figure, paired_ratio, prefect_server, timed
from python_calamine import CalamineWorkbook

if TYPE_CHECKING:
    from flows.release import ReleaseRef

DEFAULT = ROOT.parent / "shared" / "releases" / "gso"
MIRROR = ROOT / "flows" / "mirror" / "www.gso.gov.vn"
ROUNDS = 5


def bare_read(files: list[Path]) -> None:
    for path in files:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()


def refs(files: list[Path]) -> list[ReleaseRef]:
    """One GSO release per workbook; published on the date its name starts with (the shared
    folder's convention), else one day apart in file order (the mirror's)."""
    from flows.release import ReleaseRef

    found = []
    for n, path in enumerate(files):
        try:
            published = datetime.fromisoformat(path.name[:10])
        except ValueError:
            published = datetime(2000, 1, 1) + timedelta(days=n)
        found.append(ReleaseRef("gso", "monthly-workbook", path.resolve().as_uri(), published,
                                "", title=path.name))
    return found


def pipeline(files: list[Path], work: Path) -> Counter[str]:
    """The plain functions of flows.pipeline, one writer session (published once, at the end)."""
    from flows.archive import Archive
    from flows.pipeline import fetch_release, load_archived
    from warehouse.connect import writer

    archive = Archive(work / "archive")
    outcomes: Counter[str] = Counter()
    with writer(work / "chiso.duckdb") as session:
        for ref in refs(files):
            archived = fetch_release(ref, archive, None)
            assert archived is not None
            outcome = load_archived(archived, session)
            outcomes[_key(outcome)] += 1
    return outcomes


def stages_pipeline(files: list[Path], work: Path, into: Timing) -> Counter[str]:
    """The issue's stages alone: the workbooks are archived first, untimed, then read,
    normalised, validated, loaded and published (the writer session's end) under `into`."""
    from flows.archive import Archive
    from flows.pipeline import fetch_release, load_archived
    from warehouse.connect import writer

    archive = Archive(work / "archive")
    archived = [fetch_release(ref, archive, None) for ref in refs(files)]
    outcomes: Counter[str] = Counter()
    with timed(into), writer(work / "chiso.duckdb") as session:
        for release in archived:
            outcomes[_key(load_archived(release, session))] += 1
    return outcomes


def fanned_pipeline(files: list[Path], work: Path, workers: int = 2) -> Counter[str]:
    """The same, with archiving, reading and normalising on `workers` processes
    (flows.backfill.prepare, what a backfill with CHISO_TASK_RUNNER=dask runs on its workers)
    while this process loads, in order, one release at a time: the warehouse is the same."""
    from concurrent.futures import ProcessPoolExecutor

    from flows.archive import Archive
    from flows.backfill import load_prepared, prepare
    from warehouse.connect import writer

    archive = Archive(work / "archive")
    outcomes: Counter[str] = Counter()
    with ProcessPoolExecutor(workers) as pool, writer(work / "chiso.duckdb") as session:
        ready = [pool.submit(prepare, ref, archive, None, frozenset()) for ref in refs(files)]
        for prepared in ready:
            outcomes[_key(load_prepared(prepared.result(), session))] += 1
    return outcomes


def prefect_pipeline(files: list[Path], work: Path) -> Counter[str]:
    """The same releases through a Prefect flow, one `release_task` run per workbook."""
    from prefect import flow

    from flows.archive import Archive
    from flows.orchestration import release_task
    from warehouse.connect import writer

    @flow(name="benchmark-backfill")
    def backfill() -> Counter[str]:
        archive = Archive(work / "archive")
        outcomes: Counter[str] = Counter()
        with writer(work / "chiso.duckdb") as session:
            for ref in refs(files):
                outcomes[_key(release_task(ref, archive, session, None))] += 1
        return outcomes

    return backfill()


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
    for name in ("flows.pipeline", "flows.orchestration", "prefect"):
        logging.getLogger(name).setLevel(logging.CRITICAL)  # failures are counted below
    os.environ.pop("CHISO_MIRROR", None)

    bare, plain, stages, orchestrated = Timing(), Timing(), Timing(), Timing()
    outcomes: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as scratch:
        with tempfile.TemporaryDirectory() as work, timed(Timing()):
            pipeline(files[:1], Path(work))  # imports and first-use costs, not timed
        for _ in range(rounds):
            with timed(bare):
                bare_read(files)
            with tempfile.TemporaryDirectory(dir=scratch) as work:
                staged = stages_pipeline(files, Path(work), stages)
            with tempfile.TemporaryDirectory(dir=scratch) as work, timed(plain):
                outcomes = pipeline(files, Path(work))
            assert staged == outcomes, (staged, outcomes)
        failed = [key.removeprefix("failed: ") for key in outcomes if key.startswith("failed")]
        print(f"{len(files)} workbooks, {outcomes['new']} loaded, failed: "
              f"{', '.join(failed) or 0}; medians of {rounds} round(s)")
        print(f"bare calamine read of every sheet:             {bare.median:7.2f} s "
              f"(CPU {bare.median_cpu:.2f} s)")
        print(f"read+normalise+validate+load+publish:          {stages.median:7.2f} s "
              f"(CPU {stages.median_cpu:.2f} s; archived beforehand, untimed)")
        print(f"archive+read+normalise+validate+load+publish:  {plain.median:7.2f} s "
              f"(CPU {plain.median_cpu:.2f} s)")
        figure("backfill pipeline / bare read", paired_ratio(stages, bare), "x", "<= 4")
        figure("backfill pipeline / bare read, CPU time", stages.median_cpu / bare.median_cpu,
               "x")
        figure("backfill pipeline with archiving / bare read", paired_ratio(plain, bare), "x")
        fanned, fanned_bare = Timing(), Timing()
        for _ in range(rounds):
            with timed(fanned_bare):
                bare_read(files)
            with tempfile.TemporaryDirectory(dir=scratch) as work, timed(fanned):
                fanned_outcomes = fanned_pipeline(files, Path(work))
            assert fanned_outcomes == outcomes, (fanned_outcomes, outcomes)
        print(f"the same, archive+read+normalise on 2 processes: {fanned.median:7.2f} s "
              f"(bare read this time {fanned_bare.median:.2f} s)")
        figure("backfill pipeline, archive+read on 2 processes / bare read",
               paired_ratio(fanned, fanned_bare), "x", "<= 4")
        if args.no_prefect:
            return
        with prefect_server():
            with tempfile.TemporaryDirectory(dir=scratch) as work:
                prefect_pipeline(files[:1], Path(work))  # the flow's first run, not timed
            prefect_bare = Timing()
            for _ in range(rounds):
                with timed(prefect_bare):
                    bare_read(files)
                with tempfile.TemporaryDirectory(dir=scratch) as work, timed(orchestrated):
                    flow_outcomes = prefect_pipeline(files, Path(work))
                assert flow_outcomes == outcomes, (flow_outcomes, outcomes)
        print(f"the same in a Prefect flow, a task per workbook: {orchestrated.median:7.2f} s "
              f"(bare read this time {prefect_bare.median:.2f} s)")
        print(f"Prefect's flow and task overhead: "
              f"{orchestrated.median - plain.median:+.2f} s, "
              f"{(orchestrated.median - plain.median) / len(files) * 1000:+.0f} ms a workbook")
        figure("backfill in Prefect / bare read", paired_ratio(orchestrated, prefect_bare), "x")


if __name__ == "__main__":
    main()
