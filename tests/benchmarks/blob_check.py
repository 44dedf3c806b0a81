"""Benchmark: what checking every archived blob against its sha256 adds to reading it
(flows.archive.check_blob, which flows.pipeline.read_archived calls before each read), against
a bare python-calamine read of every sheet of the same workbooks, in the same run.

    python tests/benchmarks/blob_check.py [FOLDER] [--quick]

FOLDER defaults to ../shared/releases/gso (every GSO workbook); --quick takes three
workbooks of the bundled mirror. The blobs are archived first, untimed. Target: the check
costs at most 5% of the bare read; the backfill pipeline takes 3-4 times the bare read
(tests/benchmarks/backfill.py), so that is under 2% of a backfill.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from common import ROOT, Timing, arguments, figure, paired_ratio, timed
from python_calamine import CalamineWorkbook

DEFAULT = ROOT.parent / "shared" / "releases" / "gso"
MIRROR = ROOT / "flows" / "mirror" / "www.gso.gov.vn"
ROUNDS = 3


def bare_read(files: list[Path]) -> None:
    for path in files:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()


def main() -> None:
    args = arguments(__doc__, lambda p: p.add_argument("folder", nargs="?", type=Path))
    from flows.archive import Archive, check_blob
    from flows.core.model import ReleaseRef

    if args.quick:
        files = sorted(MIRROR.rglob("*.xlsx"))[:3]
    else:
        folder = args.folder or DEFAULT
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".xlsx", ".xls"))
    with tempfile.TemporaryDirectory() as work:
        archive = Archive(Path(work))
        entries = [archive.store_local(p, ReleaseRef("gso", "benchmark", "", datetime(2024, 1, 1),
                                                     "", title=p.name)) for p in files]
        megabytes = sum(e.size for e in entries) / 1e6
        checks, reads = Timing(), Timing()
        for _ in range(1 if args.quick else ROUNDS):
            with timed(reads):
                bare_read([e.path for e in entries])
            with timed(checks):
                for entry in entries:
                    check_blob(entry)
    print(f"{len(entries)} workbooks, {megabytes:,.1f} MB, {len(checks.wall)} rounds")
    figure("blob check, every workbook", checks.median, "s")
    figure("blob check CPU, every workbook", checks.median_cpu, "s")
    figure("blob check / bare read", paired_ratio(checks, reads), "x", "<= 0.05")


if __name__ == "__main__":
    main()
