"""Benchmark: the serial backfill (backfill.py --no-prefect) with the table finder, the
normaliser and validation compiled by mypyc, then the same on the sources, in one run: what
compiled modules would give. chiso ships and installs its sources only; this measures the
option for the project's owner (docs/benchmarks.md, the eleventh round), it ships nothing.

    python tests/benchmarks/compiled.py [FOLDER] [--quick]

The checkout's sources are copied to a temporary folder, mypyc (mypy's compiler, a dev
dependency, which needs a C compiler) compiles MODULES there, and backfill.py runs from the
copy, the copy first on PYTHONPATH; then from this checkout. Each figure line is printed
with "(compiled)" or "(sources)" after its name. FOLDER and --quick go to backfill.py.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from backfill import DEFAULT
from common import ROOT, arguments

# The hottest modules that compile as they are (the ninth round's list): `model` does not
# (mypyc refuses object.__new__ on its classes), `grid` and `tcvn3` ran slower compiled.
MODULES = [
    "flows/normalise/gso_items.py", "flows/normalise/gso.py", "flows/normalise/gso_cells.py",
    "flows/validate.py", "flows/readers/workbook/rows.py", "flows/readers/workbook/tables.py",
    "flows/readers/workbook/headers.py",
]
COPIED = ["flows", "warehouse", "sql", "tests/benchmarks", "pyproject.toml"]


def copy_sources(into: Path) -> None:
    for name in COPIED:
        source, target = ROOT / name, into / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns(
                "__pycache__", "*.so"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def compile_modules(folder: Path) -> None:
    """MODULES compiled in place in `folder`; SystemExit with mypyc's output when it fails."""
    done = subprocess.run([sys.executable, "-m", "mypyc", *MODULES], cwd=folder,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"mypyc failed (it needs a C compiler: gcc or clang):\n"
                         f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
    compiled = subprocess.run(
        [sys.executable, "-c", "import importlib, sys\n"
         "for name in sys.argv[1:]:\n"
         "    print(importlib.import_module(name).__file__)",
         *(m.removesuffix(".py").replace("/", ".") for m in MODULES)],
        cwd=folder, env=_env(folder), capture_output=True, text=True, check=True)
    loaded = compiled.stdout.splitlines()
    if not all(path.endswith(".so") for path in loaded):
        raise SystemExit(f"not every module loads compiled: {loaded}")
    print(f"compiled {len(loaded)} modules with mypyc: {', '.join(MODULES)}", flush=True)


def backfill(checkout: Path, label: str, extra: list[str]) -> str:
    """backfill.py --no-prefect from `checkout`, its figure lines marked with `label`; returns
    its line of what loaded and what failed."""
    process = subprocess.Popen(
        [sys.executable, str(checkout / "tests" / "benchmarks" / "backfill.py"),
         "--no-prefect", *extra],
        cwd=checkout, env=_env(checkout), stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    outcomes = ""
    for line in process.stdout:
        if " loaded, failed: " in line:
            outcomes = line.strip()
        if line.startswith("figure: "):
            name, _, rest = line.partition(" = ")
            line = f"{name} ({label}) = {rest}"
        print(line, end="", flush=True)
    if process.wait() != 0:
        raise SystemExit(f"backfill.py from {checkout} failed")
    return outcomes


def _env(first: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(first)}


def main() -> None:
    def extra(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("folder", nargs="?", type=Path, help="a folder of GSO workbooks")

    args = arguments(__doc__, extra)
    # (the copy's backfill.py would look for ../shared beside the temporary folder)
    folder = (args.folder or DEFAULT).resolve()
    if not args.quick and not any(folder.glob("*.xls*")):
        raise SystemExit(f"no workbooks in {folder}: pass a folder of GSO workbooks "
                         "(or ../shared/releases/gso)")
    passed = ["--quick"] if args.quick else [str(folder)]
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch)
        copy_sources(copy)
        compile_modules(copy)
        print("== compiled", flush=True)
        compiled = backfill(copy, "compiled", passed)
    print("== sources", flush=True)
    sources = backfill(ROOT, "sources", passed)
    # compiled code checks the annotations as it runs: a workbook it failed would show here
    if compiled != sources:
        raise SystemExit(f"the compiled run loaded otherwise: {compiled!r} against {sources!r}")


if __name__ == "__main__":
    main()
