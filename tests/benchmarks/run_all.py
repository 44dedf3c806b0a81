"""Run every benchmark (`make bench`), show each one's output as it comes, then a summary
table of every figure line.

    python tests/benchmarks/run_all.py [--quick]
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["backfill.py", "table_kinds.py", "bulk_load.py", "noop_poll.py", "release_day.py",
           "queries.py", "by_hand.py"]
FIGURE = re.compile(r"^figure: (?P<name>.+?) = (?P<value>\S+) (?P<unit>\S+)(?:  \(target "
                    r"(?P<target>[^:]+): (?P<met>met|NOT met)\))?$")


def main() -> int:
    extra = sys.argv[1:]
    rows: list[tuple[str, str, str, str, str]] = []
    failed = []
    for script in SCRIPTS:
        print(f"\n== {script} {' '.join(extra)}", flush=True)
        began = time.perf_counter()
        process = subprocess.Popen([sys.executable, str(HERE / script), *extra],
                                   stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None
        for line in process.stdout:
            print(line, end="", flush=True)
            match = FIGURE.match(line.rstrip("\n"))
            if match:
                rows.append((script, match["name"], f"{match['value']} {match['unit']}",
                             match["target"] or "", match["met"] or ""))
        if process.wait() != 0:
            failed.append(script)
        print(f"({script}: {time.perf_counter() - began:.0f} s)")
    print("\n| benchmark | figure | value | target | met |\n| --- | --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
