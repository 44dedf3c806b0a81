"""The scheduled service: a local Prefect server, the chiso pool, deployments, alerts, a worker.

    python -m flows.orchestration.service serve [--port 4200]  # start (or complete) it all
    python -m flows.orchestration.service status     # what runs, and the next scheduled runs
    python -m flows.orchestration.service stop       # stop the worker, then the server

The server listens on 127.0.0.1 only (it has no authentication) and keeps its SQLite database,
PID files and logs in PREFECT_HOME (`.prefect/` in the checkout). Every step of `serve` makes
sure something exists, so running it again changes nothing that is already right.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from flows.core.config import ROOT, lake_catalog
from flows.core.errors import ChisoError
from flows.orchestration.processes import Background, wait_until

HOST = "127.0.0.1"
# Prefect's own default port, so its documentation reads the same; 0 picks any free port.
DEFAULT_PORT = 4200
POOL = "chiso"
# One flow run at a time on the pool: the warehouse has one writer (it also has its own lock).
POOL_CONCURRENCY = 1
# In lake mode (CHISO_LAKE) runs on the pool load at once, each load one lake transaction; as
# many as warehouse/lake.py sizes its retries for (a dozen workers). `--limit` on each worker
# caps what one machine runs.
LAKE_POOL_CONCURRENCY = 12
# A new SQLite database runs every migration first: ~10 s here, slower on a cold CI machine.
STARTUP_TIMEOUT_SECONDS = 180.0
# A worker registers with its first heartbeat, a few seconds after it starts.
WORKER_TIMEOUT_SECONDS = 60.0
# Each background process and words of its command line (a stale PID file is never trusted).
PROCESSES = {"worker": ("prefect", "worker", "start"), "server": ("prefect", "server", "start")}
# The Prefect command line of this interpreter (the project's virtual environment).
PREFECT = (sys.executable, "-m", "prefect")
# The port of the running service, written by serve, read by status and the next serve.
STATE_FILE = "service.json"


class ServiceError(ChisoError):
    """The scheduled service could not start, deploy or stop (see the log it names)."""


@dataclass(frozen=True)
class Service:
    """Where one local service lives: PREFECT_HOME and the server's port."""

    home: Path
    port: int
    host: str = HOST

    @property
    def ui_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.ui_url}/api"

    def process(self, name: str) -> Background:
        """The server or the worker: NAME.pid and NAME.log in PREFECT_HOME."""
        return Background(self.home, name, PROCESSES[name])

    def env(self) -> dict[str, str]:
        """The environment of every process the service starts."""
        env = dict(os.environ)
        env.update({
            "PREFECT_HOME": str(self.home),
            "PREFECT_API_URL": self.api_url,
            "PREFECT_UI_URL": self.ui_url,         # links in alerts point at this server
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1",
            "PREFECT_CLI_PROMPT": "false",
            "CHISO_HOME": str(ROOT),               # the pull step's working directory
        })
        # Its own database file: `make run` keeps using a temporary server on prefect.db.
        env.setdefault("PREFECT_API_DATABASE_CONNECTION_URL",
                       f"sqlite+aiosqlite:///{self.home / 'server.db'}")
        return env


def default_home() -> Path:
    return ROOT / ".prefect"


def serve(port: int = DEFAULT_PORT, home: Path | None = None,
          webhook_url: str | None = None, work_queue: str | None = None) -> Service:
    """Start the server (or reuse the running one), create the pool, deploy prefect.yaml, set up
    the alerts and start a worker. `webhook_url` defaults to CHISO_WEBHOOK_URL. `work_queue`:
    the worker takes only the runs sent to that queue of the pool (tests send theirs there, so
    the runs the schedules create on a release day are created but never executed)."""
    import httpx
    from prefect.exceptions import PrefectHTTPStatusError
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.orchestration import alerts

    service = start_server(home or default_home(), port)
    try:
        with temporary_settings({PREFECT_API_URL: service.api_url}):
            ensure_pool()
            deploy(service)
            url = webhook_url or alerts.webhook_url()
            automations = alerts.ensure_alerts(flow_names(), url)
            print(f"alerts: {', '.join(automations)} "
                  + (f"notify through block {alerts.BLOCK_NAME!r} ({urlsplit(url).hostname})"
                     if url else "(CHISO_WEBHOOK_URL not set: they fire, shown in the UI's "
                     "event feed, but send nothing)"))
            _start_worker(service, work_queue)
    except (PrefectHTTPStatusError, httpx.HTTPError) as exc:
        raise ServiceError(f"the Prefect server at {service.api_url} refused a request: {exc}; "
                           f"see {service.process('server').log_file}") from None
    print(f"chiso is served: UI {service.ui_url}")
    return service


def stop(home: Path | None = None) -> list[str]:
    """Stop the worker, then the server; returns what was stopped."""
    service = Service(home or default_home(), 0)
    stopped = []
    for name in PROCESSES:  # the worker first: it reports its runs' end to the server
        pid = service.process(name).stop()
        if pid is not None:
            stopped.append(f"{name} (pid {pid})")
    (service.home / STATE_FILE).unlink(missing_ok=True)
    return stopped


def status(home: Path | None = None) -> str:
    """One line per process; then, if the server answers, the deployments' next runs and the
    last runs."""
    service = _recorded(home or default_home())
    if service is None:
        return "chiso service: not running (start it with `make serve`)"
    lines = [f"{name}: {service.process(name).describe()}" for name in reversed(PROCESSES)]
    if _healthy(service):
        from flows.orchestration.service_status import last_runs, next_runs

        lines += [f"UI {service.ui_url}  API {service.api_url}", "deployments:",
                  *next_runs(service.api_url), "last runs:", *last_runs(service.api_url)]
    return "\n".join(lines)


def running(home: Path | None = None) -> Service | None:
    """The service `make serve` started in `home`, if its server process is still running."""
    service = _recorded(home or default_home())
    return service if service is not None and service.process("server").running() else None


def working_directory() -> dict[str, str]:
    """Pull step (prefect.yaml): run flows in CHISO_HOME, else in this package's checkout."""
    from prefect.deployments.steps.pull import set_working_directory

    return set_working_directory(os.environ.get("CHISO_HOME") or str(ROOT))


def flow_names() -> list[str]:
    """The names of chiso's flows (every Prefect flow in flows.orchestration.flows)."""
    from prefect import Flow

    from flows.orchestration import flows as orchestration

    return sorted({obj.name for obj in vars(orchestration).values() if isinstance(obj, Flow)})


def pool_concurrency() -> int:
    """Flow runs the pool runs at once: one for the single file, LAKE_POOL_CONCURRENCY in
    lake mode."""
    return LAKE_POOL_CONCURRENCY if lake_catalog() else POOL_CONCURRENCY


def ensure_pool() -> None:
    """The `chiso` process work pool with its concurrency limit, created or corrected."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate, WorkPoolUpdate
    from prefect.exceptions import ObjectNotFound
    from prefect.workers.process import ProcessWorker

    with get_client(sync_client=True) as client:
        try:
            pool = client.read_work_pool(POOL)
        except ObjectNotFound:
            client.create_work_pool(WorkPoolCreate(
                name=POOL, type="process", concurrency_limit=pool_concurrency(),
                base_job_template=ProcessWorker.get_default_base_job_template(),
                description="chiso's flows; " + ("loading the lake at once" if lake_catalog()
                                                 else "one at a time (one writer)"),
            ))
            return
        if pool.type != "process":
            raise ServiceError(f"work pool {POOL!r} exists with type {pool.type!r}, not "
                               f"'process': delete it (prefect work-pool delete {POOL}) and "
                               "serve again")
        if pool.concurrency_limit != pool_concurrency():
            client.update_work_pool(POOL, WorkPoolUpdate(concurrency_limit=pool_concurrency()))


def deploy(service: Service) -> None:
    """`prefect deploy --all` from the checkout, without prompts; output in deploy.log."""
    log = service.home / "deploy.log"
    result = subprocess.run(
        [*PREFECT, "--no-prompt", "deploy", "--all"],
        cwd=ROOT, env=service.env(), capture_output=True, text=True, check=False,
    )
    log.write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-25:])
        raise ServiceError(f"`prefect deploy --all` failed (exit {result.returncode}); see "
                           f"{log}:\n{tail}")
    print(f"deployed prefect.yaml ({log.name}): {', '.join(_deployed_names())}")


def _deployed_names() -> list[str]:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        flows = {flow.id: flow.name for flow in client.read_flows()}
        return sorted(f"{flows.get(d.flow_id, '?')}/{d.name}" for d in client.read_deployments())


# --- the server ------------------------------------------------------------------------------

def start_server(home: Path, port: int) -> Service:
    """The Prefect server of PREFECT_HOME `home`: the running one, or a new one on `port`
    (0: a free one), once it answers /health."""
    running = _recorded(home)
    if running is not None and running.process("server").running():
        _wait_healthy(running)
        print(f"server: already running (pid {running.process('server').pid()}) "
              f"at {running.ui_url}")
        return running
    service = Service(home, port or _free_port())
    _check_port_free(service)
    server = service.process("server")
    pid = server.start([*PREFECT, "server", "start", "--host", service.host,
                        "--port", str(service.port)], ROOT, service.env())
    (home / STATE_FILE).write_text(json.dumps({"port": service.port}), encoding="utf-8")
    started = time.monotonic()
    try:
        _wait_healthy(service)
    except ServiceError:
        stop(home)  # leave nothing half-started behind
        raise
    print(f"server: started (pid {pid}) at {service.ui_url} in "
          f"{time.monotonic() - started:.1f} s; log {server.log_file}")
    return service


def _check_port_free(service: Service) -> None:
    with socket.socket() as probe:
        # as the server binds: a port a stopped server left in TIME_WAIT is free to take
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((service.host, service.port))
        except OSError:
            raise ServiceError(
                f"port {service.port} on {service.host} is in use (another Prefect server?): "
                "stop it, or pick another port (`make serve SERVE_PORT=4300`; 0 = any free "
                "port)") from None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _wait_healthy(service: Service) -> None:
    server = service.process("server")
    wait_until(lambda: _healthy(service) or server.exited(), STARTUP_TIMEOUT_SECONDS)
    if _healthy(service):
        return
    if server.exited():
        raise ServiceError(f"the Prefect server exited while starting; its log "
                           f"{server.log_file} ends:\n{server.tail()}")
    raise ServiceError(f"the Prefect server at {service.api_url} did not answer /health within "
                       f"{STARTUP_TIMEOUT_SECONDS:.0f} s; see {server.log_file}")


def _healthy(service: Service) -> bool:
    try:
        with urllib.request.urlopen(f"{service.api_url}/health", timeout=2) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def _recorded(home: Path) -> Service | None:
    """The service the last serve recorded in `home`, if any."""
    try:
        state = json.loads((home / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Service(home, int(state["port"]))


# --- the worker ------------------------------------------------------------------------------

def _start_worker(service: Service, work_queue: str | None = None) -> None:
    worker = service.process("worker")
    if worker.running():
        print(f"worker: already running (pid {worker.pid()})")
        return
    started = datetime.now(UTC) - timedelta(seconds=1)
    pid = worker.start(worker_command(POOL, queue=work_queue), ROOT, service.env())
    if not wait_until(lambda: _heartbeat_since(started) or worker.exited(),
                      WORKER_TIMEOUT_SECONDS) or worker.exited():
        raise ServiceError(f"the worker did not come up on pool {POOL!r}; its log "
                           f"{worker.log_file} ends:\n{worker.tail()}")
    print(f"worker: started (pid {pid}) on pool {POOL!r}; log {worker.log_file}")


def worker_command(name: str, limit: int | None = None, queue: str | None = None) -> list[str]:
    """`prefect worker start` on the pool as worker `name`, `limit` flow runs at a time
    (None: as many as the pool allows), from the pool's `queue` only (None: every queue)."""
    return [*PREFECT, "worker", "start", "--pool", POOL, "--type", "process", "--name", name,
            "--install-policy", "never", "--no-create-pool-if-not-found",
            *(["--limit", str(limit)] if limit is not None else []),
            *(["--work-queue", queue] if queue is not None else [])]


def _heartbeat_since(started: datetime) -> bool:
    """Whether a worker of the pool has sent a heartbeat since `started`."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        beats = [w.last_heartbeat_time for w in client.read_workers_for_work_pool(POOL)]
    return any(beat is not None and beat >= started for beat in beats)


# --- command line ----------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    """`python -m flows.orchestration.service serve|stop|status`."""
    parser = argparse.ArgumentParser(prog="python -m flows.orchestration.service",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["serve", "stop", "status"])
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"serve: the server's port (default {DEFAULT_PORT}; 0 = a free one)")
    parser.add_argument("--home", type=Path, default=None,
                        help="PREFECT_HOME of the service (default: .prefect in the checkout)")
    args = parser.parse_args(argv)
    try:
        if args.command == "serve":
            service = serve(args.port, args.home)
            print(f"\nrun a deployment by hand:\n  export PREFECT_API_URL={service.api_url}\n"
                  "  prefect deployment run 'source/gso' --param period=2024-09\n"
                  "stop everything: make stop (python -m flows.orchestration.service stop)")
        elif args.command == "stop":
            stopped = stop(args.home)
            print("stopped: " + ", ".join(stopped) if stopped else "nothing was running")
        else:
            print(status(args.home))
    except ChisoError as exc:
        print(f"chiso: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
