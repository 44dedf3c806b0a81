"""A throwaway PostgreSQL cluster for lake-mode tests: initdb in a temporary folder, a server
listening on a Unix socket only, one fresh database per test, everything removed at the end.

As root (CI containers), PostgreSQL refuses to run, so its commands run as the `postgres`
user that Debian's package creates.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from duckdb import DuckDBPyConnection as Connection

# Debian's postgresql package installs its server here (not on PATH); CHISO_PG_BIN overrides.
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
PORT = 5432  # the socket lives in a private folder, so the usual port never clashes


@dataclass(frozen=True)
class LakeServer:
    bin_dir: Path
    socket_dir: Path

    def catalog(self, database: str) -> str:
        """CHISO_LAKE for `database`: DuckLake's metadata in PostgreSQL over the socket."""
        return f"postgres:dbname={database} host={self.socket_dir} port={PORT} user=chiso"

    def createdb(self) -> str:
        name = f"lake_{uuid.uuid4().hex[:12]}"
        _run(self.bin_dir / "createdb", "-h", str(self.socket_dir), "-p", str(PORT),
             "-U", "chiso", name)
        return name


def pg_bin() -> Path:
    override = os.environ.get("CHISO_PG_BIN")
    found = [Path(override)] if override else [Path(p) for p in sorted(glob.glob(PG_BIN_GLOB))]
    for candidate in reversed(found):
        if (candidate / "initdb").exists():
            return candidate
    raise RuntimeError(
        "lake-mode tests need the PostgreSQL server: `apt-get install -y postgresql` (Debian, "
        "as .ci/run does) or set CHISO_PG_BIN to the folder holding initdb and pg_ctl"
    )


def _as_postgres() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _run(*command: str | Path) -> None:
    done = subprocess.run([*_as_postgres(), *map(str, command)], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} failed:\n{done.stdout}{done.stderr}")


@pytest.fixture(scope="session")
def lake_server() -> Iterator[LakeServer]:
    """A PostgreSQL server for the session, on a Unix socket in a temporary folder."""
    bin_dir = pg_bin()
    root = Path(tempfile.mkdtemp(prefix="chiso-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    data, log = root / "data", root / "server.log"
    _run(bin_dir / "initdb", "-D", data, "-U", "chiso", "--auth=trust", "-E", "UTF8",
         "--no-sync")
    _run(bin_dir / "pg_ctl", "-D", data, "-l", log, "-w", "start", "-o",
         f"-p {PORT} -k {root} -c listen_addresses='' -c fsync=off -c max_connections=200")
    try:
        yield LakeServer(bin_dir, root)
    finally:
        _run(bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def lake_env(lake_server: LakeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Lake mode on a fresh database with data and archive under tmp_path; returns CHISO_LAKE."""
    catalog = lake_server.catalog(lake_server.createdb())
    monkeypatch.setenv("CHISO_LAKE", catalog)
    monkeypatch.setenv("CHISO_LAKE_DATA", str(tmp_path / "lake-data"))
    monkeypatch.setenv("CHISO_WAREHOUSE", str(tmp_path / "unused" / "chiso.duckdb"))
    monkeypatch.setenv("CHISO_ARCHIVE", str(tmp_path / "archive"))
    monkeypatch.delenv("CHISO_MIRROR", raising=False)
    return catalog


# --- comparing a lake with the file-mode warehouse -------------------------------------------

# Every release a reader can see has all its figures (no half-loaded release).
WHOLE_RELEASES = """
select count(*) from release r
where r.rows_reported <> (select count(*) from reported p where p.release_id = r.release_id)
"""
# The keys the file-mode tables enforce and the lake's loads must keep unique.
KEYS = {
    "release": "source, sha256",
    "series": "series_key",
    "reported": "release_id, series_key, period_type, period_start, period_end",
    "observation": "series_key, period_type, period_start, period_end, source, valid_from",
}
# What must be equal between the lake and the file-mode warehouse, table by table
# (bookkeeping columns such as loaded_at and archive paths differ by design).
COMPARED = {
    "release": "release_id, source, dataset, reference_period, published_at, url, file_name, "
               "sha256, rows_reported, rows_quarantined",
    "series": "*",
    "reported": "*",
    "observation": "*",
    "quarantine": "*",
    "source": "*",
}


def count(con: Connection, query: str) -> int:
    return int(con.execute(f"select count(*) from ({query})").fetchone()[0])  # type: ignore[index]


def duplicates(con: Connection) -> dict[str, int]:
    """Rows beyond the first of each key, per table of the connection's default database."""
    return {table: count(con, f"select {key} from {table}") - count(
        con, f"select distinct {key} from {table}") for table, key in KEYS.items()}


def missing(con: Connection, source: str, target: str) -> dict[str, int]:
    """Rows of database `source`'s tables that database `target` lacks (as multisets)."""
    return {table: count(con, f"select {cols} from {source}.{table} "
                              f"except all select {cols} from {target}.{table}")
            for table, cols in COMPARED.items()}
