"""Lake mode under the real service: a `prefect server start`, the `chiso` process pool without
the single file's one-run limit, the deployments of prefect.yaml and two `prefect worker start`
processes loading different sources into one lake (catalog in a real PostgreSQL) at the same
time while an analyst queries it. Every run is accounted to the worker Prefect records for it;
the lake ends up holding exactly what the file-mode warehouse holds after the same releases."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import signal
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.client.schemas.objects import FlowRun

from flows.core.config import ROOT
from flows.orchestration.processes import Background, wait_until
from flows.orchestration.service import (
    LAKE_POOL_CONCURRENCY,
    POOL,
    PROCESSES,
    WORKER_TIMEOUT_SECONDS,
    Service,
    deploy,
    ensure_pool,
    start_server,
    stop,
    worker_command,
)

from lake_server import (  # noqa: F401  (lake_server is a fixture)
    WHOLE_RELEASES,
    LakeServer,
    count,
    duplicates,
    lake_server,
    missing,
)

pytestmark = [
    pytest.mark.lake,
    pytest.mark.service,
    # apprise (behind Prefect's Slack and Teams blocks) still imports imghdr
    pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning"),
]

# Two workers, each running at most three flow runs at a time, so the runs queued at once
# spread over both.
WORKERS = ("lake-a", "lake-b")
WORKER_LIMIT = 3
# The workers take only the runs this test sends to this queue: on a release day the schedules
# create runs due within minutes, which would load the lake before the test's own runs.
TEST_QUEUE = "tests"
REGISTERS = "flows/reference/registers"
# Every bundled release, as the demo loads it: one run per source (gso, the longest, first so
# the other worker takes the rest meanwhile), and the two registers through ingest-file.
RUNS: list[tuple[str, dict[str, Any]]] = [
    ("source/gso", {}),
    ("source/worldbank", {}),
    ("source/haiphong_stats", {}),
    ("source/haiphong_doit", {}),
    ("source/sdmx", {}),
    ("source/nsdp", {}),
    ("ingest-file/ingest-file", {}),  # the deployment's defaults: the industrial parks
    ("ingest-file/ingest-file", {"path": f"{REGISTERS}/haiphong_industrial_park_totals.csv",
                                 "parts": [f"{REGISTERS}/haiphong_industrial_park_totals.toml"]}),
]
# A bounded wait for every run: ~40 s here with both workers busy.
RUNS_TIMEOUT_SECONDS = 300
# The analyst pauses between queries so it does not take a core from the workers.
READ_PAUSE_SECONDS = 1.0
# How often the test asks the server whether the runs have ended (one request each time).
POLL_SECONDS = 1.0


@dataclass
class LakeService:
    service: Service
    file_mode: Path  # the same releases loaded into a file-mode warehouse (bundled_warehouse)
    seconds: float


@pytest.fixture
def lake_service(lake_server: LakeServer, tmp_path: Path,  # noqa: F811
                 monkeypatch: pytest.MonkeyPatch,
                 request: pytest.FixtureRequest) -> Iterator[LakeService]:
    """The service in lake mode, in a temporary PREFECT_HOME on a free port: server, pool,
    deployments and two workers whose runs load the bundled mirror into a fresh lake."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from warehouse.connect import writer

    monkeypatch.setenv("CHISO_LAKE", lake_server.catalog(lake_server.createdb()))
    monkeypatch.setenv("CHISO_LAKE_DATA", str(tmp_path / "lake-data"))
    monkeypatch.setenv("CHISO_ARCHIVE", str(tmp_path / "archive"))  # shared by both workers
    monkeypatch.setenv("CHISO_WAREHOUSE", str(tmp_path / "unused" / "chiso.duckdb"))
    monkeypatch.setenv("CHISO_MIRROR", "bundled")
    monkeypatch.setenv("PREFECT_WORKER_QUERY_SECONDS", "1")  # pick up runs at once (default 10 s)
    home = tmp_path / "prefect"
    workers = [Background(home, name, PROCESSES["worker"]) for name in WORKERS]
    started = time.monotonic()
    try:
        # The server migrates its new database (~10 s) while this process creates the lake
        # (once, when chiso is deployed; workers start after) and the file-mode warehouse.
        with ThreadPoolExecutor(max_workers=1) as background:
            starting = background.submit(start_server, home, 0)
            with writer():
                pass
            file_mode = request.getfixturevalue("bundled_warehouse")
        service = starting.result()
        with temporary_settings({PREFECT_API_URL: service.api_url}):
            ensure_pool()
            since = datetime.now(UTC) - timedelta(seconds=1)
            for worker in workers:  # they start up while prefect.yaml is deployed
                worker.start(worker_command(worker.name, WORKER_LIMIT, TEST_QUEUE), ROOT,
                             service.env())
            try:
                deploy(service)
                _wait_for_workers(workers, since)
                yield LakeService(service, file_mode, time.monotonic() - started)
            finally:
                for worker in workers:  # first: they report their runs' end to the server
                    worker.stop()
                _end_runs_left()
    finally:
        for worker in workers:
            worker.stop()
        stop(home)


def _end_runs_left() -> None:
    """A flow run runs in a session of its own, so stopping its worker may leave it going (when
    the test failed): end every run process Prefect recorded that is still a flow run."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        pids = [int(run.infrastructure_pid.rsplit(":", 1)[-1])
                for run in client.read_flow_runs() if run.infrastructure_pid]
    for pid in pids:
        with suppress(OSError):  # gone already
            if b"prefect.engine" in Path(f"/proc/{pid}/cmdline").read_bytes():
                os.kill(pid, signal.SIGKILL)


def _wait_for_workers(workers: list[Background], since: datetime) -> None:
    from prefect.client.orchestration import get_client

    def up() -> bool:
        with get_client(sync_client=True) as client:
            beats = {w.name for w in client.read_workers_for_work_pool(POOL)
                     if w.last_heartbeat_time is not None and w.last_heartbeat_time >= since}
        return beats >= set(WORKERS) or any(w.exited() for w in workers)

    wait_until(up, WORKER_TIMEOUT_SECONDS)
    for worker in workers:
        assert not worker.exited(), f"worker {worker.name} exited; its log ends:\n{worker.tail()}"


def _read(stop_file: str, out: str) -> None:
    """An analyst: connect, check, query, disconnect, pause, until told to stop."""
    from warehouse.connect import reader

    errors: list[str] = []
    queries = torn = 0
    releases: list[int] = []
    while not Path(stop_file).exists():
        try:
            con = reader()
            try:
                torn += con.execute(WHOLE_RELEASES).fetchone()[0]  # type: ignore[index]
                con.execute("select count(*) from v_latest").fetchone()
                releases.append(count(con, "select * from release"))
                queries += 1
            finally:
                con.close()
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        time.sleep(READ_PAUSE_SECONDS)
    went_back = sum(b < a for a, b in itertools.pairwise(releases))
    Path(out).write_text(json.dumps({"errors": errors, "queries": queries, "torn": torn,
                                     "releases": sorted(set(releases)), "went_back": went_back}))


def _run_all() -> list[FlowRun]:
    """Queue every run at once (timeout=0), then wait for all of them to end."""
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment

    ids = [run_deployment(name, parameters=parameters, timeout=0,
                          work_queue_name=TEST_QUEUE).id  # type: ignore[union-attr]
           for name, parameters in RUNS]
    mine = FlowRunFilter(id=FlowRunFilterId(any_=ids))
    runs: list[FlowRun] = []
    with get_client(sync_client=True) as client:
        deadline = time.monotonic() + RUNS_TIMEOUT_SECONDS
        while not (len(runs) == len(ids) and all(r.state and r.state.is_final() for r in runs)):
            assert time.monotonic() < deadline, f"runs not ended in time: {_states(runs)}"
            time.sleep(POLL_SECONDS)
            runs = client.read_flow_runs(flow_run_filter=mine)
    return sorted(runs, key=lambda run: ids.index(run.id))


def _states(runs: list[FlowRun]) -> dict[str, str]:
    return {run.name: str(run.state_name) for run in runs}


def _outcomes(run_ids: list[UUID]) -> dict[UUID, list[dict[str, Any]]]:
    """Each run's table artifact `chiso-<source>-run`: one row per release it handled."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=run_ids)))
    rows: dict[UUID, list[dict[str, Any]]] = defaultdict(list)
    for artifact in artifacts:
        if artifact.type == "table" and (artifact.key or "").endswith("-run"):
            assert artifact.flow_run_id is not None and isinstance(artifact.data, str)
            rows[artifact.flow_run_id] += json.loads(artifact.data)
    return rows


def _most_at_once(runs: list[FlowRun]) -> int:
    """The most runs that were running at the same moment, from Prefect's start and end times."""
    edges = sorted([(r.start_time, 1) for r in runs] + [(r.end_time, -1) for r in runs])
    running = most = 0
    for _, step in edges:
        running += step
        most = max(most, running)
    return most


def _overlapping(runs: list[FlowRun], worker: dict[UUID, str]) -> list[str]:
    """Pairs of runs of different workers that were running at the same time."""
    return [f"{a.name} + {b.name}" for a, b in itertools.combinations(runs, 2)
            if worker[a.id] != worker[b.id] and a.start_time and b.start_time and a.end_time
            and b.end_time and a.start_time < b.end_time and b.start_time < a.end_time]


def test_two_workers_load_the_lake_at_once(lake_service: LakeService, tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client

    from warehouse.lake import reader

    with get_client(sync_client=True) as client:
        pool = client.read_work_pool(POOL)
    assert (pool.type, pool.concurrency_limit) == ("process", LAKE_POOL_CONCURRENCY)

    stop_file, read_out = tmp_path / "stop", tmp_path / "reader.json"
    analyst = multiprocessing.get_context("spawn").Process(
        target=_read, args=(str(stop_file), str(read_out)))
    analyst.start()
    loading = time.monotonic()
    try:
        runs = _run_all()
    finally:
        stop_file.touch()
        analyst.join(timeout=60)
        if analyst.is_alive():
            analyst.kill()
    loading = time.monotonic() - loading
    assert analyst.exitcode == 0
    read = json.loads(read_out.read_text())

    assert [r.state_name for r in runs] == ["Completed"] * len(RUNS), [
        (r.name, r.state and r.state.message) for r in runs]
    by_worker = {r.id: str(r.labels.get("prefect.worker.name")) for r in runs}
    outcomes = _outcomes([r.id for r in runs])
    written: dict[str, Counter[str]] = defaultdict(Counter)
    loaded: list[str] = []
    for run in runs:
        for row in outcomes[run.id]:
            assert row["status"] == "new", row
            written[by_worker[run.id]][row["source"]] += row["figures"]
            loaded.append(f"{row['source']} {row['file']}")
    runs_per_worker = Counter(by_worker.values())
    pids = {r.name: str(r.infrastructure_pid) for r in runs}
    together = _overlapping(runs, by_worker)

    con = reader()
    try:
        con.execute(f"attach '{lake_service.file_mode}' as file_mode (read_only)")
        in_lake = count(con, "select * from reported")
        doubled = duplicates(con)
        lost = missing(con, "file_mode", "lake")
        extra = missing(con, "lake", "file_mode")
        latest = count(con, "(select * from lake.v_latest except all select * from "
                            "file_mode.v_latest) union all (select * from file_mode.v_latest "
                            "except all select * from lake.v_latest)")
        releases = count(con, "select * from release")
    finally:
        con.close()
    print(f"\nset up in {lake_service.seconds:.1f} s (server, pool limit "
          f"{pool.concurrency_limit}, deployments, workers {', '.join(WORKERS)} with --limit "
          f"{WORKER_LIMIT}, file-mode warehouse); {len(runs)} runs loaded in {loading:.1f} s, "
          f"at most {_most_at_once(runs)} at once; {len(together)} pairs of runs of both "
          f"workers at the same time\n"
          f"flow runs completed per worker: {dict(runs_per_worker)}\n"
          f"flow runs (infrastructure pid): {pids}\n"
          f"rows written per worker: { {w: sum(c.values()) for w, c in written.items()} }; "
          f"per worker and source: { {w: dict(c) for w, c in written.items()} }\n"
          f"releases in the lake {releases}; rows in the lake {in_lake}; "
          f"duplicates {sum(doubled.values())} {doubled}; lost {sum(lost.values())}; "
          f"extra {sum(extra.values())}; v_latest differences {latest}\n"
          f"reader: {read['queries']} queries, errors {len(read['errors'])}, half-loaded "
          f"releases seen {read['torn']}, release counts seen {read['releases']}")

    assert sorted(runs_per_worker) == sorted(WORKERS)  # both workers ran flows
    assert sum(runs_per_worker.values()) == len(RUNS)
    assert "None" not in pids.values()  # each run was a process a worker started
    assert together  # different sources loading at the same time, on different workers
    assert len(loaded) == len(set(loaded)) == releases == 41  # each release once, by one run
    assert sum(sum(c.values()) for c in written.values()) == in_lake
    assert doubled == dict.fromkeys(doubled, 0)
    assert lost == dict.fromkeys(lost, 0)
    assert extra == dict.fromkeys(extra, 0)
    assert latest == 0
    assert read["errors"] == []
    assert read["torn"] == 0 and read["went_back"] == 0
    assert read["queries"] > 0
