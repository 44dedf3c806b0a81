"""Benchmark: what a store into the raw archive and a `latest_for` cost as the manifest grows,
at N = 100 and N = 2,000 releases (years of monthly releases from several sources).

    python tests/benchmarks/archive_manifest.py [--quick]

Each of N small local files (distinct bytes, its own URL) is archived the way a backfill does
it (flows.pipeline.fetch_release): `latest_for` its URL (the conditional GET's validators),
then `store_local`, one manifest line each, into a fresh archive. Figures: the mean of each
over the last LAST of the N, when the manifest holds nearly N lines; flat from N = 100 to N =
2,000 means neither reads the whole manifest. Every store fsyncs its blob and its line, so on
a slow disk that floor shows in both sizes alike. --quick: N = 20 and 100.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from common import arguments, figure

# The figures are means over the stores made when the manifest is nearly full.
LAST = 50


def archive_n(work: Path, count: int) -> tuple[list[float], list[float], float, int]:
    """Seconds of each `latest_for` and each `store_local` of `count` releases, of all of
    them, and the manifest's entries after (untimed)."""
    from flows.archive import Archive
    from flows.core.model import ReleaseRef

    sources = work / "files"
    sources.mkdir()
    paths = []
    for n in range(count):
        path = sources / f"release-{n:05}.xlsx"
        path.write_bytes(f"release {n} ".encode() * 40)
        paths.append(path)
    archive = Archive(work / "archive")
    lookups, stores = [], []
    began = time.perf_counter()
    for n, path in enumerate(paths):
        url = f"https://www.gso.gov.vn/benchmark/{n % 7}/{path.name}"  # seven sources' URLs
        ref = ReleaseRef(f"source{n % 7}", "benchmark", url,
                         datetime(2000, 1, 6) + timedelta(days=30 * n), f"period {n}")
        start = time.perf_counter()
        archive.latest_for(url)
        middle = time.perf_counter()
        archive.store_local(path, ref)
        lookups.append(middle - start)
        stores.append(time.perf_counter() - middle)
    return lookups, stores, time.perf_counter() - began, len(archive.entries())


def main() -> None:
    args = arguments(__doc__)
    for count in (20, 100) if args.quick else (100, 2000):
        with tempfile.TemporaryDirectory() as work:
            lookups, stores, total, entries = archive_n(Path(work), count)
        last = min(LAST, count)
        print(f"N = {count:,}: {count:,} stores and lookups in {total:.2f} s, "
              f"{entries:,} manifest entries")
        figure(f"store_local per file, N={count}", statistics.mean(stores[-last:]) * 1e3, "ms")
        figure(f"latest_for per call, N={count}", statistics.mean(lookups[-last:]) * 1e3, "ms")


if __name__ == "__main__":
    main()
