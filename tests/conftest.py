"""Shared fixtures: a private warehouse and archive per test, the bundled mirror, and the
Prefect test harness for the few tests that run flows."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pytest

# Flows started offline spin up a temporary Prefect server; its first migrations are slow.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
# Under pytest-xdist (`make test` runs two workers) each worker gets a PREFECT_HOME of its own,
# beside the usual one: flow runs write their results there (storage/), and a flow run outside
# the harness would start a temporary server on a SQLite database there, which two workers
# must not migrate and write at once.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if WORKER:
    _home = os.environ.get("PREFECT_HOME") or str(Path.home() / ".prefect")
    os.environ["PREFECT_HOME"] = str(Path(_home) / f"xdist-{WORKER}")
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)  # Prefect makes one level

from samples import SHARED_RELEASES  # noqa: E402  (after PREFECT_HOME: it imports prefect)

# Names a test may connect to; any loopback address (127.0.0.0/8, ::1) is allowed as well.
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain"})


class NetworkBlocked(RuntimeError):
    """A test opened a socket to something other than this machine.

    Not an OSError, so code that retries or tolerates network errors cannot swallow it.
    """


@dataclass
class NetworkGuard:
    """The connections the guard refused during one test (the guard fails the test for them)."""

    blocked: list[str] = field(default_factory=list)

    def check(self, family: int, address: Any, via: str) -> None:
        if family == getattr(socket, "AF_UNIX", None) or _is_local(address):
            return
        what = f"{via}({address!r})"
        self.blocked.append(what)
        raise NetworkBlocked(
            f"{what}: tests may not reach the network, only 127.0.0.1, ::1 and localhost "
            "(tests/conftest.py). Serve the response from a local server (tests/httpserver.py) "
            "or the mirror, or mark the test `live`."
        )


def _is_local(address: Any) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if not isinstance(host, str):
        return False
    if host.lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False  # a host name other than localhost: resolving it is already the network


@pytest.fixture(autouse=True)
def network_guard(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[NetworkGuard]:
    """Refuse (and fail the test for) any socket opened to another machine; `live` tests are
    exempt. Patches socket.socket.connect/connect_ex and socket.create_connection."""
    guard = NetworkGuard()
    if request.node.get_closest_marker("live"):
        yield guard
        return
    connect, connect_ex, create_connection = (
        socket.socket.connect, socket.socket.connect_ex, socket.create_connection)

    def guarded_connect(self: socket.socket, address: Any) -> None:
        guard.check(self.family, address, "socket.connect")
        connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> int:
        guard.check(self.family, address, "socket.connect_ex")
        return connect_ex(self, address)

    def guarded_create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        guard.check(socket.AF_INET, address, "socket.create_connection")
        return create_connection(address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "create_connection", guarded_create_connection)
    yield guard
    if guard.blocked:
        pytest.fail("the test tried to reach the network: " + "; ".join(guard.blocked))


# Under pytest-xdist (`make test`: -n 2 --dist loadfile), a module's tests run on one worker;
# LANES puts a few modules together as well, so one worker starts the server they share and
# the other never does: `postgres`, tests/lake_server.py's cluster (with the two-worker lake
# load); `prefect`, the session's Prefect harness (the modules with tests using prefect_harness).
# A module left out only costs a second cluster or harness, never a failure.
LANES = {
    **dict.fromkeys(("tests/test_lake.py", "tests/test_lake_corrections.py",
                     "tests/test_lake_workers.py"), "postgres"),
    **dict.fromkeys(("tests/test_benchmarks_quick.py", "tests/test_cli_usage.py",
                     "tests/test_fanout.py", "tests/test_files.py",
                     "tests/test_network_faults_flow.py", "tests/test_orchestration.py",
                     "tests/test_release_day.py", "tests/test_report.py",
                     "tests/test_run_artifacts.py", "tests/test_secrets.py"), "prefect"),
}
# The longest lanes and modules (~20 s or more serially), handed out first: each worker starts
# on one and both then share the quick modules, so they finish together.
LONGEST_FIRST = (
    "postgres", "prefect", "tests/test_service.py", "tests/test_crash_safety.py",
    "tests/test_backfill.py", "tests/test_cli_queries.py", "tests/test_no_orphans.py",
    "tests/test_readers_during_loads.py", "tests/test_rebuild.py",
)


def lane(nodeid: str) -> str:
    """The work unit a test belongs to under xdist: its module, or the module's lane."""
    module = nodeid.split("::", 1)[0]
    return LANES.get(module, module)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadfile`, with LANES' modules as one unit. (Not `--dist loadgroup` with
    xdist_group marks: pytest 9.2 ignores the node ids xdist 3.8 rewrites for groups, so the
    marks silently do nothing: pytest-xdist issue #1386.)"""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class LaneScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return lane(nodeid)

    return LaneScheduling(config, log)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist, on the controller: tell each worker the COLUMNS the run was started with."""
    node.workerinput["columns"] = os.environ.get("COLUMNS")


def pytest_configure(config: pytest.Config) -> None:
    """An xdist worker starts with COLUMNS=80 in its environment whatever the run's terminal;
    chiso's tables cut to COLUMNS (flows/present/terminal.py), so each worker gets the run's
    own COLUMNS back (none, for `make test` in CI), as a run without xdist has."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None:
        return
    if workerinput.get("columns") is None:
        os.environ.pop("COLUMNS", None)
    else:
        os.environ["COLUMNS"] = workerinput["columns"]


@pytest.hookimpl(tryfirst=True)  # sorted before pytest groups tests by fixture, which keeps it
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that starts the Prefect harness is a `flow` test (left out of test-fast: the
    harness alone takes ~10 s to start), whether or not its module says so. On an xdist worker
    the longest lanes come first (with `--no-loadscope-reorder` xdist hands the work units out
    in collection order)."""
    for item in items:
        if "prefect_harness" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.flow)
    if WORKER:
        rank = {name: n for n, name in enumerate(LONGEST_FIRST)}
        items.sort(key=lambda item: rank.get(lane(item.nodeid), len(rank)))


@pytest.fixture
def warehouse_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point chiso at a fresh warehouse and archive under tmp_path; returns the warehouse path.
    A command run by hand loads in the test's process: no Prefect server the developer has
    configured (PREFECT_API_URL, `make serve` running) receives the test's runs."""
    from flows.orchestration import service

    path = tmp_path / "wh" / "chiso.duckdb"
    monkeypatch.setenv("CHISO_WAREHOUSE", str(path))
    monkeypatch.setenv("CHISO_ARCHIVE", str(tmp_path / "wh" / "archive"))
    monkeypatch.delenv("CHISO_MIRROR", raising=False)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setattr(service, "default_home", lambda: tmp_path / "no-service")
    return path


@pytest.fixture
def published(warehouse_env: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the published warehouse, opened lazily by the test."""
    connections: list[duckdb.DuckDBPyConnection] = []

    def open_() -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(str(warehouse_env), read_only=True)
        connections.append(con)
        return con

    yield open_  # type: ignore[misc]
    for con in connections:
        con.close()


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One Prefect test server for the whole session, started only if a flow test asks."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def bundled_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse (every bundled release), built once per session; open it read-only."""
    from bundled import build

    root = tmp_path_factory.mktemp("bundled")
    return build(root / "chiso.duckdb", root / "archive")


@pytest.fixture
def shared_releases() -> Path:
    if not SHARED_RELEASES.is_dir():
        pytest.skip(f"extended test: {SHARED_RELEASES} (the workplace's releases) is absent")
    return SHARED_RELEASES
