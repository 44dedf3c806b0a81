"""Benchmark: what finding error and formula-only cells (flows/readers/workbook/xlsx_cells.py)
adds to reading a GSO workbook, against the same read with the scan switched off, in the same run.
Times are CPU seconds of this process (time.process_time): on a shared machine wall time
mostly measures the neighbours.

    python tests/benchmarks/error_cells.py [WORKBOOK ...]   (default: September 2024)
"""

from __future__ import annotations

import statistics
import sys
import time
import zipfile
from pathlib import Path

from flows.core.config import BUNDLED_MIRROR
from flows.pipeline import read_gso_workbook
from flows.readers.workbook import xlsx_cells
from flows.readers.workbook.grid import MAX_UNZIPPED_BYTES, read_workbook
from flows.readers.workbook.tables import has_known_title

# tests/samples.py's SEPTEMBER_2024
SEPTEMBER_2024 = BUNDLED_MIRROR / "www.gso.gov.vn/wp-content/uploads/2024/10/2.Bieu-T9.2024.xlsx"
ROUNDS = 21


def read(path: Path) -> float:
    start = time.process_time()
    read_gso_workbook(path, "2024-09")
    return time.process_time() - start


def scan_alone(path: Path) -> float:
    """The scan by itself: every sheet the GSO reader keeps, through one HiddenCells."""
    sheets = [g.sheet for g in read_workbook(path, keep=has_known_title)]
    start = time.process_time()
    hidden = xlsx_cells.HiddenCells(zipfile.ZipFile(path), MAX_UNZIPPED_BYTES)
    for sheet in sheets:
        hidden.of(sheet)
    hidden.close()
    return time.process_time() - start


def no_scan(self: xlsx_cells.HiddenCells, sheet: str) -> dict[xlsx_cells.Position, str]:
    return {}


def main(paths: list[Path]) -> None:
    """Each round reads with and without the scan, so load from elsewhere hits both alike."""
    scan = xlsx_cells.HiddenCells.of
    for path in paths:
        read(path)  # warm-up: file cache, reference data
        with_scan, without = [], []
        for round_ in range(ROUNDS):
            if round_ % 2:  # which goes first alternates too
                with_scan.append(read(path))
            xlsx_cells.HiddenCells.of = no_scan  # type: ignore[method-assign]
            try:
                without.append(read(path))
            finally:
                xlsx_cells.HiddenCells.of = scan  # type: ignore[method-assign]
            if not round_ % 2:
                with_scan.append(read(path))
        on, off = statistics.median(with_scan), statistics.median(without)
        alone = statistics.median(scan_alone(path) for _ in range(ROUNDS))
        print(f"{path.name}: read_gso_workbook, median CPU of {ROUNDS} rounds: without the scan "
              f"{off * 1000:.1f} ms, with it {on * 1000:.1f} ms, ratio {on / off:.3f} "
              f"({(on - off) * 1000:+.1f} ms); the scan alone {alone * 1000:.1f} ms "
              f"({alone / off:.1%} of the read)")


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[1:]] or [SEPTEMBER_2024])
