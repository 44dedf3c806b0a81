"""Backfills: a range of periods from a folder, interrupted and resumed without loading twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from warehouse.file_backend import writer_path

# What must be equal between two warehouses: everything but fetch and load timestamps.
COMPARED = {
    "release": "select * exclude (loaded_at, fetched_at) from release order by release_id",
    "series": "select * from series order by series_key",
    "reported": "select * from reported order by all",
    "observation": "select * from observation order by all",
    "quarantine": "select * from quarantine order by all",
}
# The workbooks backfilled: every era's (2000-2016) and the last four years', 77 of the
# shared folder's 125; the first run is killed once this many are archived, after its first
# batch of 64 (flows/orchestration/backfill.py) is loaded, so the second run resumes a
# warehouse that already holds releases.
ERAS = (range(2000, 2017), range(2021, 2025))
KILL_AFTER_FILES = 70


def _eras(shared: Path, folder: Path) -> Path:
    """`folder` holding links to the shared workbooks of ERAS' years."""
    folder.mkdir()
    for path in shared.iterdir():
        if path.suffix in (".xls", ".xlsx") and any(int(path.name[:4]) in years
                                                    for years in ERAS):
            (folder / path.name).symlink_to(path)
    return folder


def backfill(env: dict[str, str], folder: Path, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "flows.present.cli", "backfill", "gso", "--from", "2000-01",
         "--to", "2024-12", "--folder", str(folder)],
        env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
    )


def environment(root: Path) -> dict[str, str]:
    """A warehouse and archive of its own; one Prefect home for all runs (its database is
    migrated once)."""
    prefect_home = root.parent / "prefect"
    prefect_home.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "CHISO_WAREHOUSE": str(root / "chiso.duckdb"),
            "CHISO_ARCHIVE": str(root / "archive"), "PREFECT_HOME": str(prefect_home),
            "PREFECT_LOGGING_LEVEL": "WARNING"}


def snapshot(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {name: con.execute(sql).fetchall() for name, sql in COMPARED.items()}


@pytest.mark.extended
@pytest.mark.kill
def test_an_interrupted_backfill_resumes_to_the_same_warehouse(
    shared_releases: Path, tmp_path: Path
) -> None:
    folder = _eras(shared_releases / "gso", tmp_path / "gso")
    assert len(list(folder.iterdir())) > KILL_AFTER_FILES
    whole = environment(tmp_path / "whole")
    # Every workbook loads.
    assert backfill(whole, folder, tmp_path / "whole.log").wait(timeout=600) == 0

    broken = environment(tmp_path / "broken")
    manifest = tmp_path / "broken" / "archive" / "manifest.jsonl"
    child = backfill(broken, folder, tmp_path / "broken.log")
    deadline = time.monotonic() + 600
    while not (manifest.exists() and len(manifest.read_bytes().splitlines()) >= KILL_AFTER_FILES):
        assert child.poll() is None, "the backfill ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    with duckdb.connect(str(writer_path(tmp_path / "broken" / "chiso.duckdb"))) as con:
        held = con.execute("select count(*) from release").fetchone()
    assert held is not None and 0 < held[0] < len(list(folder.iterdir())), held
    assert backfill(broken, folder, tmp_path / "broken.log").wait(timeout=600) == 0

    whole_rows = snapshot(tmp_path / "whole" / "chiso.duckdb")
    broken_rows = snapshot(tmp_path / "broken" / "chiso.duckdb")
    workbooks = [p for p in folder.iterdir() if p.suffix in (".xls", ".xlsx")]
    assert len(whole_rows["release"]) == len(workbooks)
    for table in COMPARED:
        assert broken_rows[table] == whole_rows[table], table
