"""Crash safety: a load killed with SIGKILL at 30 moments, resumed each time, never leaves a
partial release, never harms an earlier vintage, and ends with exactly the rows of a load
that was never interrupted."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from flows.archive import Archive
from warehouse.checks import run_checks

KILLS = 30
# The loader script a child runs: the twelve bundled GSO workbooks and the World Bank answers,
# through discovery, fetch, archive, read, load and publish (one publish per release).
LOADER = """
import sys
from pathlib import Path
from flows.archive import Archive
from flows.config import BUNDLED_MIRROR
from flows.fetch import get_bytes
from flows.pipeline import fetch_release, load_archived
from flows.sources import SOURCES
from warehouse.connect import writer
Path(sys.argv[1]).touch()  # imports done: the kill clock starts
store = Archive(Path(sys.argv[2]))
for name in ("gso", "worldbank"):
    for ref in SOURCES[name].discover(lambda u: get_bytes(u, mirror=BUNDLED_MIRROR), None):
        files = fetch_release(ref, store, BUNDLED_MIRROR)
        with writer() as session:
            load_archived(files, session)
"""
COMPARED = {
    "release": "select * exclude (loaded_at, fetched_at) from release order by release_id",
    "reported": "select * from reported order by all",
    "observation": "select * from observation order by all",
    "series": "select * from series order by series_key",
}
WHOLE = ("select count(*) from release r where r.rows_reported <> "
         "(select count(*) from reported p where p.release_id = r.release_id)")


def run(root: Path, kill_after: float | None) -> int | None:
    """Run the loader; kill it `kill_after` seconds after its imports (None: let it finish)."""
    ready = root / "ready"
    ready.unlink(missing_ok=True)
    env = {**os.environ, "CHISO_WAREHOUSE": str(root / "chiso.duckdb")}
    child = subprocess.Popen([sys.executable, "-c", LOADER, str(ready), str(root / "archive")],
                             env=env, start_new_session=True)
    if kill_after is None:
        return child.wait(timeout=300)
    while not ready.exists() and child.poll() is None:
        time.sleep(0.01)
    time.sleep(kill_after)
    if child.poll() is None:
        os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    return child.returncode


def snapshot(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {name: con.execute(sql).fetchall() for name, sql in COMPARED.items()}


def test_killed_loads_leave_whole_releases_and_resume_exactly(tmp_path: Path) -> None:
    whole = tmp_path / "whole"
    whole.mkdir()
    assert run(whole, None) == 0
    expected = snapshot(whole / "chiso.duckdb")

    broken = tmp_path / "broken"
    broken.mkdir()
    moments = random.Random(20241006)
    killed = 0
    history: dict[str, list[tuple[object, ...]]] = {}
    for _ in range(KILLS):
        code = run(broken, moments.uniform(0.0, 1.5))
        killed += code == -signal.SIGKILL
        published = broken / "chiso.duckdb"
        if not published.exists():
            continue
        with duckdb.connect(str(published), read_only=True) as con:
            assert con.execute(WHOLE).fetchone() == (0,)  # no partial release
            assert not any(run_checks(con).values())
            vintages = con.execute(
                "select release_id, series_key, period_type, period_start, period_end, value "
                "from reported order by all").fetchall()
        # every figure published before this kill is still there, unchanged
        for release_id, rows in history.items():
            assert [r for r in vintages if r[0] == release_id] == rows
        history = {}
        for row in vintages:
            history.setdefault(str(row[0]), []).append(row)
    assert run(broken, None) == 0
    print(f"{KILLS} kills ({killed} landed before the load finished); resumed to "
          f"{len(expected['release'])} releases")
    assert killed >= KILLS // 2
    assert snapshot(broken / "chiso.duckdb") == expected
    orphans = [p for p in Archive(broken / "archive").verify() if "orphan" in p]
    assert orphans == []
