"""Backfills: a range of periods from a folder, interrupted and resumed without loading twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from flows.archive import Archive
from flows.core.errors import ConfigError
from flows.core.model import ReleaseRef
from flows.orchestration import backfill as batches
from flows.orchestration.backfill import Prepared, folder_refs, load_in_batches, prepare
from flows.readers.workbook.grid import read_workbook
from flows.readers.workbook.gso import read_gso_tables, reference_month
from flows.readers.workbook.tables import title_kind
from flows.sources.base import Contents
from tests.test_files import write_xlsx
from warehouse.connect import writer
from warehouse.file_backend import writer_path

MIRROR = Path(__file__).resolve().parents[1] / "flows" / "mirror" / "www.gso.gov.vn"

# What must be equal between two warehouses: everything but fetch and load timestamps.
COMPARED = {
    "release": "select * exclude (loaded_at, fetched_at) from release order by release_id",
    "series": "select * from series order by series_key",
    "reported": "select * from reported order by all",
    "observation": "select * from observation order by all",
    "quarantine": "select * from quarantine order by all",
}
# The workbooks backfilled: every era's (2000-2016) and the last four years', 77 of the
# shared folder's 125 (about 170,000 figures, one batch by default). The interrupted run loads
# in batches of BATCH_FIGURES figures (CHISO_BATCH_FIGURES) and is killed once this many
# workbooks are archived, after its first batch is loaded, so the second run resumes a
# warehouse that already holds releases.
ERAS = (range(2000, 2017), range(2021, 2025))
BATCH_FIGURES = 60_000
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


def test_a_folder_is_dated_by_the_month_its_core_tables_report(tmp_path: Path) -> None:
    """folder_refs reads only the sheets of the monthly core to date each file (and the
    calendar to date its publication): the month the whole workbook's reading gives."""
    folder = tmp_path / "gso"
    folder.mkdir()
    workbooks = sorted(MIRROR.rglob("*.xlsx"))
    for path in workbooks:
        (folder / path.name).symlink_to(path)
    (folder / "notes.txt").write_text("not a workbook", encoding="utf-8")
    refs = folder_refs("gso", folder)
    assert sorted(r.reference_period for r in refs) == [f"2024-{m:02}" for m in range(1, 13)]
    assert {r.title for r in refs} == {p.name for p in workbooks}
    # Published on the calendar's day for the month: September 2024's workbook on 6 October.
    assert next(r for r in refs if r.reference_period == "2024-09").published_at.date() \
        == date(2024, 10, 6)
    for path in workbooks[:3]:
        assert reference_month(path) == read_gso_tables(path).reference_period


def test_a_workbook_without_the_monthly_core_is_dated_by_all_its_tables(tmp_path: Path) -> None:
    """September 2024's retail table alone, copied cell for cell into a workbook of its own."""
    september = next(MIRROR.rglob("2.Bieu-T9.2024.xlsx"))
    retail = next(g for g in read_workbook(september) if title_kind(g) == "retail")
    alone = write_xlsx(tmp_path / "retail.xlsx", retail.sheet, retail.rows)
    assert str(reference_month(alone)) == str(read_gso_tables(alone).reference_period) \
        == "2024-09"


def _load_mirror(root: Path, pool: Executor | None = None) -> list[int]:
    """The bundled mirror's twelve 2024 workbooks read and loaded as `chiso backfill` does
    (each read by `prepare`, then loaded in batches), into a warehouse of their own under
    `root`; the number of releases in each batch. With a `pool` of worker processes, each is
    read on a worker, as a fan-out backfill reads them (framed)."""
    sizes: list[int] = []
    load_batch = batches._load_batch

    def spied(batch: list[Prepared], session: object) -> object:
        sizes.append(len(batch))
        return load_batch(batch, session)  # type: ignore[arg-type]

    archive = Archive(root / "archive")
    refs = [ReleaseRef("gso", "monthly-workbook", path.resolve().as_uri(),
                       datetime(2024, 2, 1) + timedelta(days=31 * n), "", title=path.name)
            for n, path in enumerate(sorted(MIRROR.rglob("*.xlsx")))]
    with pytest.MonkeyPatch.context() as patch, writer(root / "chiso.duckdb") as session:
        patch.setattr(batches, "_load_batch", spied)
        read = ((prepare(ref, archive, None, frozenset()) for ref in refs) if pool is None
                else (future.result() for future in [
                    pool.submit(prepare, ref, archive, None, frozenset(), framed=True)
                    for ref in refs]))
        outcomes = list(load_in_batches(read, session))
    assert [o.status for o in outcomes] == ["new"] * len(refs)
    return sizes


def test_smaller_batches_load_the_same_warehouse(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """CHISO_BATCH_FIGURES bounds what a backfill holds before loading it: the twelve workbooks
    (1,800 to 5,000 figures each) load in one batch by default, in batches of one to three at
    5,000 figures, and give the same warehouse."""
    assert _load_mirror(tmp_path / "one") == [12]
    monkeypatch.setenv("CHISO_BATCH_FIGURES", "5_000")
    small = _load_mirror(tmp_path / "small")
    assert sum(small) == 12 and set(small) <= {1, 2, 3} and len(small) >= 4, small
    assert snapshot(tmp_path / "small" / "chiso.duckdb") \
        == snapshot(tmp_path / "one" / "chiso.duckdb")
    monkeypatch.setenv("CHISO_BATCH_FIGURES", "lots")
    with pytest.raises(ConfigError, match="CHISO_BATCH_FIGURES='lots': give a whole number"):
        _load_mirror(tmp_path / "wrong")


def test_releases_read_in_other_processes_load_the_same_warehouse(tmp_path: Path) -> None:
    """A fan-out worker hands back a release's figures as an Arrow table (`prepare`'s
    `framed`), not as objects: the twelve workbooks read on two worker processes load into
    the warehouse the ones read here give, cell accounting included."""
    here = _load_mirror(tmp_path / "here")
    with ProcessPoolExecutor(2) as pool:
        there = _load_mirror(tmp_path / "there", pool)
    assert here == there == [12]
    accounting = "select * from cell_account order by all"
    with (duckdb.connect(str(tmp_path / "here" / "chiso.duckdb"), read_only=True) as one,
          duckdb.connect(str(tmp_path / "there" / "chiso.duckdb"), read_only=True) as other):
        assert one.execute(accounting).fetchall() == other.execute(accounting).fetchall()
        assert one.execute("select count(*) from cell_account").fetchone() != (0,)
    assert snapshot(tmp_path / "there" / "chiso.duckdb") \
        == snapshot(tmp_path / "here" / "chiso.duckdb")
    # What a worker hands back: the figures framed, no Observation left to pickle.
    ref = ReleaseRef("gso", "monthly-workbook", next(MIRROR.rglob("*.xlsx")).as_uri(),
                     datetime(2024, 2, 1), "")
    read = prepare(ref, Archive(tmp_path / "one"), None, frozenset(), framed=True).read
    assert isinstance(read, Contents) and read.frame is not None
    assert read.observations == [] and read.figure_count == read.frame.num_rows > 1_000


@pytest.mark.extended
def test_every_shared_workbook_is_dated_as_reading_it_whole_dates_it(
    shared_releases: Path,
) -> None:
    for path in sorted((shared_releases / "gso").glob("*.xls*")):
        assert reference_month(path) == read_gso_tables(path).reference_period, path.name


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

    broken = {**environment(tmp_path / "broken"), "CHISO_BATCH_FIGURES": str(BATCH_FIGURES)}
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
