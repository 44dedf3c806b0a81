"""Fan-out: a backfill whose releases are read on a Dask cluster of two worker processes builds
the same warehouse as the default runner, with the loads still one at a time in order."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

# Everything but the fetch and load timestamps and the archive's paths.
COMPARED = {
    "release": "select * exclude (loaded_at, fetched_at, archive_path) from release order by all",
    "series": "select * from series order by all",
    "reported": "select * from reported order by all",
    "observation": "select * from observation order by all",
    "quarantine": "select * from quarantine order by all",
}


def _backfill(root: Path, monkeypatch: pytest.MonkeyPatch, dask: bool) -> dict[str, list[object]]:
    from prefect_dask.task_runners import DaskTaskRunner

    from flows.orchestration.flows import backfill_flow

    monkeypatch.setenv("CHISO_WAREHOUSE", str(root / "chiso.duckdb"))
    monkeypatch.setenv("CHISO_ARCHIVE", str(root / "archive"))
    monkeypatch.setenv("CHISO_MIRROR", "bundled")
    flow = backfill_flow
    if dask:
        cluster = {"n_workers": 2, "processes": True, "threads_per_worker": 1}
        flow = backfill_flow.with_options(task_runner=DaskTaskRunner(cluster_kwargs=cluster))
    outcomes = flow("gso", "2024-01", "2024-12")
    assert [o.status for o in outcomes] == ["new"] * 12
    with duckdb.connect(str(root / "chiso.duckdb"), read_only=True) as con:
        return {name: con.execute(sql).fetchall() for name, sql in COMPARED.items()}


@pytest.mark.flow
@pytest.mark.slow
def test_dask_backfill_builds_the_same_warehouse(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads = _backfill(tmp_path / "threads", monkeypatch, dask=False)
    dask = _backfill(tmp_path / "dask", monkeypatch, dask=True)
    print(f"\nthreads vs dask (2 worker processes): {len(threads['release'])} releases, "
          f"{len(threads['reported'])} vs {len(dask['reported'])} figures, "
          f"{len(threads['observation'])} vs {len(dask['observation'])} vintages")
    assert dask == threads
