"""Benchmark: every GSO workbook through read, normalise, validate, load and publish, against
a bare python-calamine read of every sheet of the same files, in the same run.

    python tests/benchmarks/backfill.py [FOLDER]   (default ../shared/releases/gso)
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT.parent / "shared" / "releases" / "gso"
ROUNDS = 3


def bare_read(files: list[Path]) -> None:
    for path in files:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()


def pipeline(files: list[Path], work: Path) -> Counter[str]:
    from flows.archive import Archive
    from flows.pipeline import load_archived
    from flows.release import ReleaseRef
    from warehouse.connect import writer

    archive = Archive(work / "archive")
    os.environ["CHISO_WAREHOUSE"] = str(work / "chiso.duckdb")
    outcomes: Counter[str] = Counter()
    with writer() as session:
        for path in files:
            published = datetime.fromisoformat(path.name[:10])
            ref = ReleaseRef("gso", "monthly-workbook", "", published, "", title=path.name)
            outcome = load_archived([archive.store_local(path, ref)], session)
            outcomes[outcome.status if outcome.status != "failed" else f"failed: {path.name}"] += 1
    return outcomes


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    files = sorted(folder.glob("*.xls*"))
    if not files:
        sys.exit(f"no workbooks in {folder}: pass a folder of GSO workbooks")
    logging.getLogger("flows.pipeline").setLevel(logging.CRITICAL)  # counted below instead
    bare, full = [], []
    outcomes: Counter[str] = Counter()
    for _ in range(ROUNDS):
        start = time.perf_counter()
        bare_read(files)
        bare.append(time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as work:
            start = time.perf_counter()
            outcomes = pipeline(files, Path(work))
            full.append(time.perf_counter() - start)
    b, f = statistics.median(bare), statistics.median(full)
    failed = [key.removeprefix("failed: ") for key in outcomes if key.startswith("failed")]
    print(f"{len(files)} workbooks, {outcomes['new']} loaded, failed: {', '.join(failed) or 0}; "
          f"median of {ROUNDS} rounds")
    print(f"bare calamine read of every sheet: {b:7.2f} s")
    print(f"archive+read+normalise+validate+load+publish: {f:7.2f} s")
    print(f"ratio pipeline / bare read: {f / b:.2f}x")


if __name__ == "__main__":
    main()
