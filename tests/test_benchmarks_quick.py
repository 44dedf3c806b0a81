"""Every benchmark's quick mode still runs and prints its figures (speed is not checked here:
the benchmarks print it, `make bench` runs them at full size)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

# Each runs a benchmark script in a subprocess, several seconds apiece.
pytestmark = pytest.mark.slow

BENCHMARKS = Path(__file__).resolve().parent / "benchmarks"


def run_quick(script: str, *extra: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), "--quick", *extra],
        capture_output=True, text=True, timeout=600, env=_env(), check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _env() -> dict[str, str]:
    """This process's environment with the Prefect API the session's harness started, if any,
    so the scripts' flows report to it instead of starting a server each."""
    env = dict(os.environ)
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if url:
        env["PREFECT_API_URL"] = url
    return env


def figures(output: str) -> dict[str, float]:
    found = {}
    for line in output.splitlines():
        if line.startswith("figure: "):
            name, _, rest = line.removeprefix("figure: ").partition(" = ")
            found[name] = float(rest.split()[0].replace(",", ""))
    return found


@pytest.mark.usefixtures("prefect_harness")
def test_backfill_quick_prints_both_ratios() -> None:
    output = run_quick("backfill.py")
    assert "3 workbooks, 3 loaded, failed: 0" in output
    found = figures(output)
    assert found["backfill pipeline / bare read"] > 0
    # one round in --quick: the worst round is that round
    assert (found["backfill pipeline / bare read, worst round"]
            == found["backfill pipeline / bare read"])
    assert found["backfill in Prefect / bare read"] > 0


@pytest.mark.skipif(
    not (shutil.which("cc") or shutil.which("gcc"))
    or not Path(sysconfig.get_paths()["include"], "Python.h").exists(),
    reason="mypyc compiles to C: no C compiler or no Python headers on this machine")
def test_compiled_quick_runs_the_backfill_compiled_then_on_the_sources() -> None:
    output = run_quick("compiled.py")
    assert "compiled 7 modules with mypyc" in output  # (it checks each loads compiled)
    assert output.count("3 workbooks, 3 loaded, failed: 0") == 2
    found = figures(output)
    for label in ("compiled", "sources"):
        assert found[f"backfill pipeline with archiving / bare read ({label})"] > 0


def test_blob_check_quick_compares_with_the_bare_read() -> None:
    output = run_quick("blob_check.py")
    assert "3 workbooks," in output
    found = figures(output)
    assert found["blob check, every workbook"] > 0 and found["blob check / bare read"] > 0


def test_bulk_load_quick_loads_every_row_and_reports_rate_and_memory() -> None:
    output = run_quick("bulk_load.py")
    # 40 series x 50 periods: 2,000 first vintages; 2 more vintages each revise 10% of them
    assert "6,000 observations in 6 releases" in output
    assert "vintages opened 2,400, revisions 400" in output
    found = figures(output)
    assert found["bulk load rate / raw insert rate"] > 0
    assert 0 < found["bulk load peak RSS"] < 2048


@pytest.mark.usefixtures("prefect_harness")
def test_noop_poll_quick_compares_with_hello_world() -> None:
    output = run_quick("noop_poll.py")
    assert "12 GSO releases loaded from the bundled mirror" in output
    found = figures(output)
    assert found["no-op poll / hello-world flow"] > 0
    assert "no-op poll - hello-world flow" in found


@pytest.mark.usefixtures("prefect_harness")
def test_release_day_quick_finds_the_release_and_counts_the_no_op_polls() -> None:
    output = run_quick("release_day.py")
    assert "06 Jan 10:20: the poll after the post (10:17) loaded ['2024-12']" in output
    found = figures(output)
    assert found["poll finding a new release: started to queryable in v_latest"] > 0
    assert found["no-op poll before the release: requests per poll"] == 1
    assert found["no-op polls in the month"] == 7  # --quick: 3 before the post, 4 after


def test_queries_quick_answers_both_questions() -> None:
    output = run_quick("queries.py")
    assert "720 observation vintages" in output
    assert "for one series (12 rows)" in output  # 12 periods of one series
    assert "for one indicator (60 rows)" in output  # 5 series x 12 periods
    found = figures(output)
    assert found["as_of, one series"] > 0 and found["v_latest, one indicator"] > 0


def test_table_kinds_quick_charges_every_figure_to_a_kind() -> None:
    from flows.normalise.gso import normalise_workbook
    from flows.readers.workbook.gso import read_gso_tables

    output = run_quick("table_kinds.py", "--top", "3")
    workbooks = sorted((BENCHMARKS.parents[1] / "flows/mirror/www.gso.gov.vn").rglob("*.xls*"))[:3]
    found = [normalise_workbook(read_gso_tables(path)) for path in workbooks]
    figures_read = sum(len(observations) for observations, _ in found)
    assert f"3 workbooks, {figures_read:,} figures" in output
    rows = [line.split(" | ") for line in output.splitlines() if line.startswith("| ")]
    kinds = rows[2:-2]  # after the header and its rule: three kinds, the others, all
    assert len(kinds) == 3 and rows[-2][0].startswith("| the other")
    assert sum(int(row[1].replace(",", "")) for row in rows[2:-1]) == figures_read
    assert rows[-1][1] == f"{figures_read:,}"
    assert figures(output)["read+normalise per figure"] > 0


def test_by_hand_quick_times_each_command_against_help(bundled_warehouse: Path) -> None:
    output = run_quick("by_hand.py", "--demo", str(bundled_warehouse))
    found = figures(output)
    assert found["chiso ingest press / chiso --help"] > 0
    assert found['chiso sql "select 1" / chiso --help'] > 0
    assert "PREFECT_HOME was written" not in output  # the ingest ran without Prefect


def test_corrections_quick_times_the_derivation_and_a_correction() -> None:
    found = figures(run_quick("corrections.py"))
    assert found["derivation with a release withdrawn vs none"] > 0
    assert found["withdraw and reinstate a release"] > 0


def test_archive_manifest_quick_times_stores_and_lookups_at_both_sizes() -> None:
    output = run_quick("archive_manifest.py")
    assert "N = 20: 20 stores and lookups" in output and "20 manifest entries" in output
    assert "N = 100: 100 stores and lookups" in output and "100 manifest entries" in output
    found = figures(output)
    for count in (20, 100):
        assert found[f"store_local per file, N={count}"] > 0
        assert found[f"latest_for per call, N={count}"] > 0
