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

from samples import SHARED_RELEASES

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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that starts the Prefect harness is a `flow` test (left out of test-fast: the
    harness alone takes ~10 s to start), whether or not its module says so."""
    for item in items:
        if "prefect_harness" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.flow)


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
