"""Publishing: an analyst holding the warehouse open neither stops a load nor is broken by it,
and a second writer waits its turn or stops with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from flows.archive import Archive
from flows.core.errors import WarehouseBusyError, WarehouseDamagedError
from flows.core.model import ReleaseRef
from flows.pipeline import load_archived
from warehouse.connect import writer
from warehouse.file_backend import writer_path
from warehouse.query import sql

from samples import AUGUST_2024, SEPTEMBER_2024

# An analyst's session in another process, as the `duckdb` CLI opens a file: read-write.
ANALYST = textwrap.dedent("""
    import sys, duckdb
    con = duckdb.connect(sys.argv[1])
    print(con.execute("select count(*) from release").fetchone()[0], flush=True)
    sys.stdin.readline()          # the test loads another release meanwhile
    print(con.execute("select count(*) from release").fetchone()[0], flush=True)
""")


def load(path: Path, published: str, period: str, archive: Archive) -> str:
    ref = ReleaseRef("gso", "local-file", "", datetime.fromisoformat(published), period,
                     title=path.name)
    with writer() as session:
        return load_archived([archive.store_local(path, ref)], session).status


def test_an_open_analyst_session_does_not_block_a_load(warehouse_env: Path, tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    assert load(AUGUST_2024, "2024-09-06", "2024-08", archive) == "new"
    analyst = subprocess.Popen(
        [sys.executable, "-c", ANALYST, str(warehouse_env)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert analyst.stdout is not None and analyst.stdin is not None
        assert analyst.stdout.readline().strip() == "1"
        assert load(SEPTEMBER_2024, "2024-10-06", "2024-09", archive) == "new"
        analyst.stdin.write("\n")
        analyst.stdin.flush()
        assert analyst.stdout.readline().strip() == "1"  # still their snapshot, no error
        assert analyst.wait(timeout=30) == 0
    finally:
        analyst.kill()
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        assert con.execute("select count(*) from release").fetchone() == (2,)


def test_a_second_writer_stops_with_a_clear_message(warehouse_env: Path) -> None:
    busy = pytest.raises(WarehouseBusyError, match="another chiso process is loading")
    with writer(), busy, writer(wait=0.3):
        pass


def test_a_new_view_is_published_without_a_load(warehouse_env: Path) -> None:
    from warehouse.file_backend import writer_path

    with writer():
        pass
    # the warehouse as a chiso without v_ytd left it: its views are older than sql/views
    for path in (warehouse_env, writer_path(warehouse_env)):
        with duckdb.connect(str(path)) as con:
            con.execute("drop view v_ytd")
    published = warehouse_env.stat().st_mtime_ns
    with writer():
        pass  # nothing to load: the views alone changed
    assert warehouse_env.stat().st_mtime_ns != published
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        assert con.execute("select count(*) from v_ytd").fetchone() == (0,)
    published = warehouse_env.stat().st_mtime_ns
    with writer():
        pass  # nothing changed at all: nothing published
    assert warehouse_env.stat().st_mtime_ns == published


def releases(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select count(*) from release").fetchone()[0]  # type: ignore[index]


def test_a_reader_publishes_a_truncated_file_again(warehouse_env: Path, tmp_path: Path) -> None:
    assert load(AUGUST_2024, "2024-09-06", "2024-08", Archive(tmp_path / "archive")) == "new"
    os.truncate(warehouse_env, 100_000)
    assert sql("select count(*) as n from release")["n"].tolist() == [1]
    assert releases(warehouse_env) == 1


def test_an_unchanged_load_publishes_an_overwritten_file_again(
    warehouse_env: Path, tmp_path: Path
) -> None:
    archive = Archive(tmp_path / "archive")
    assert load(AUGUST_2024, "2024-09-06", "2024-08", archive) == "new"
    with warehouse_env.open("r+b") as handle:
        handle.write(b"\0" * 4096)  # the header: no longer a DuckDB file
    assert load(AUGUST_2024, "2024-09-06", "2024-08", archive) == "unchanged"
    assert releases(warehouse_env) == 1


def test_a_damaged_writer_file_says_how_to_rebuild_in_one_line(
    warehouse_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from flows.present.cli import main

    assert load(AUGUST_2024, "2024-09-06", "2024-08", Archive(tmp_path / "archive")) == "new"
    for path in (warehouse_env, writer_path(warehouse_env)):
        os.truncate(path, 100_000)
    assert main(["sql", "select count(*) from release"]) == 1
    said = capsys.readouterr().err
    assert said.count("\n") == 1 and "Traceback" not in said
    assert f"{writer_path(warehouse_env)}, the writer's file, is damaged" in said
    assert f"`chiso rebuild --into {tmp_path}/wh/chiso.rebuilt.duckdb`" in said
    with pytest.raises(WarehouseDamagedError, match="chiso rebuild --into"), writer():
        pass
