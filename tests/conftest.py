"""Shared fixtures: a private warehouse and archive per test, the bundled mirror, and the
Prefect test harness for the few tests that run flows."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

# Flows started offline spin up a temporary Prefect server; its first migrations are slow.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

from samples import SHARED_RELEASES


@pytest.fixture
def warehouse_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point chiso at a fresh warehouse and archive under tmp_path; returns the warehouse path."""
    path = tmp_path / "wh" / "chiso.duckdb"
    monkeypatch.setenv("CHISO_WAREHOUSE", str(path))
    monkeypatch.setenv("CHISO_ARCHIVE", str(tmp_path / "wh" / "archive"))
    monkeypatch.delenv("CHISO_MIRROR", raising=False)
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
