"""Readers during loads: analysts querying the published warehouse while a writer loads
release after release never error, never wait long, and only ever see whole releases."""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from pathlib import Path

import duckdb
import pytest

from flows.core.config import BUNDLED_MIRROR

READERS = 3
# Not a speed test: a reader blocked by the writer's lock would hang until the load ends.
HANG_GUARD_SECONDS = 10.0
# Each reader checks this: every release it can see has all its reported rows.
WHOLE_RELEASES = """
select count(*) from release r
where r.rows_reported <> (select count(*) from reported p where p.release_id = r.release_id)
"""


def _write(warehouse: str, archive: str) -> None:
    """The writer: the twelve bundled GSO workbooks, one transaction and one publish each."""
    os.environ["CHISO_WAREHOUSE"] = warehouse
    from flows.archive import Archive
    from flows.fetch import get_bytes
    from flows.pipeline import fetch_release, load_archived
    from flows.sources import SOURCES
    from warehouse.connect import writer

    discover = SOURCES["gso"].discover
    assert discover is not None
    store = Archive(Path(archive))
    for ref in discover(lambda url: get_bytes(url, mirror=BUNDLED_MIRROR), None):
        files = fetch_release(ref, store, BUNDLED_MIRROR)
        assert files is not None
        with writer() as session:  # publishes after each release
            load_archived(files, session)


def _read(warehouse: str, stop_file: str, out: str) -> None:
    """A reader: connect, check, query, disconnect, as fast as it can until told to stop."""
    errors: list[str] = []
    waits: list[float] = []
    torn = 0
    seen = 0
    while not Path(stop_file).exists():
        start = time.monotonic()
        try:
            with duckdb.connect(warehouse, read_only=True) as con:
                torn += con.execute(WHOLE_RELEASES).fetchone()[0]  # type: ignore[index]
                count = con.execute("select count(*) from release").fetchone()[0]  # type: ignore[index]
                seen = max(seen, count)
                con.execute("select count(*) from v_latest").fetchone()
        except duckdb.Error as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        waits.append(time.monotonic() - start)
    Path(out).write_text(json.dumps({"errors": errors, "queries": len(waits),
                                     "longest": max(waits, default=0.0), "torn": torn,
                                     "seen": seen}))


@pytest.mark.slow
def test_readers_see_whole_releases_and_never_wait(tmp_path: Path) -> None:
    warehouse = str(tmp_path / "chiso.duckdb")
    stop = tmp_path / "stop"
    context = multiprocessing.get_context("spawn")
    writer_process = context.Process(target=_write, args=(warehouse, str(tmp_path / "archive")))
    writer_process.start()
    while not Path(warehouse).exists():  # readers start once the first release is published
        assert writer_process.is_alive() or writer_process.exitcode == 0
        time.sleep(0.02)
    results = [tmp_path / f"reader{n}.json" for n in range(READERS)]
    readers = [context.Process(target=_read, args=(warehouse, str(stop), str(out)))
               for out in results]
    for reader in readers:
        reader.start()
    writer_process.join(timeout=300)
    assert writer_process.exitcode == 0
    time.sleep(0.5)  # let the readers see the last publish
    stop.touch()
    for reader in readers:
        reader.join(timeout=60)
    found = [json.loads(out.read_text()) for out in results]
    longest = max(r["longest"] for r in found)
    print(f"{READERS} readers, {sum(r['queries'] for r in found)} queries during 12 loads: "
          f"errors {sum(len(r['errors']) for r in found)}, torn releases seen "
          f"{sum(r['torn'] for r in found)}, longest query {longest:.3f} s")
    assert [r["errors"] for r in found] == [[]] * READERS
    assert [r["torn"] for r in found] == [0] * READERS
    assert [r["seen"] for r in found] == [12] * READERS
    assert longest < HANG_GUARD_SECONDS
