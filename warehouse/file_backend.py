"""File mode: one DuckDB file, loaded by one writer under a lock and published for readers.

DuckDB lets one process open a file for writing and then locks out every other process,
readers included. So loads write to a private file (`<name>.writer.duckdb`) that only the
holder of `<name>.lock` opens, and analysts read the published file, which a load replaces
atomically when it finishes (see warehouse/publish.py). `FileBackend` is this mode behind
the storage interface (warehouse/backend.py).
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path

import duckdb
import pyarrow as pa

from flows.core.config import warehouse_path
from flows.core.errors import WarehouseBusyError, WarehouseDamagedError
from flows.core.killpoints import killpoint
from flows.core.model import CellTally, Observation, Rejected
from warehouse import damage, sandbox
from warehouse.backend import Writer
from warehouse.load import (
    LoadResult,
    PendingRelease,
    ReleaseRecord,
    release_state,
    sql_text,
    write_release,
    write_releases,
)
from warehouse.migrate import migrate, view_definitions
from warehouse.publish import publish

log = logging.getLogger(__name__)

# A second writer waits this long for the first to finish before giving up.
LOCK_WAIT_SECONDS = 600.0
LOCK_POLL_SECONDS = 0.2

# The writer checkpoints when it closes, before publishing, rather than at every 16 MB of
# log (DuckDB's default): a checkpoint rewrites the row groups whose vintages a load closed,
# and a backfill closes vintages all over `observation`. Measured by
# tests/benchmarks/bulk_load.py, which opens its warehouse with the same settings.
# One thread: the load's statements are inserts and window queries over a few hundred
# thousand rows, which DuckDB's worker threads split into more work than they share out. On
# two cores, one thread took the backfill of the 125 shared workbooks from 2.8 to 2.2 s of
# CPU (the two inserts of a batch from 0.5 to 0.08 s each) and bulk_load.py's million figures
# from 3.7 to 2.4 s; the same rows go in. On one thread a Ctrl-C also stops the query at
# once: on several, DuckDB 1.5 noticed it only when the query ended (tests/test_no_orphans).
# A new warehouse file is written in DuckDB 1.5's storage format, not 1.0's (DuckDB's default,
# for older readers): its string compression costs less to choose and apply. Loading the 125
# shared workbooks into a new file took 0.22 s less CPU (the commit and the checkpoint at
# close), and the file is 19 MB instead of 21; analysts' queries took as long. DuckDB before
# 1.5 cannot open such a file (chiso pins 1.5.5); a file made before keeps its format.
WRITER_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "checkpoint_threshold": "1GB", "threads": 1, "storage_compatibility_version": "v1.5.0"}


def writer_path(published: Path) -> Path:
    return published.with_name(published.stem + ".writer.duckdb")


def lock_path(published: Path) -> Path:
    return published.with_name(published.stem + ".lock")


def unpublished_path(published: Path) -> Path:
    """Present while a writer session is open: if it outlives its process, publish again."""
    return published.with_name(published.stem + ".unpublished")


class FileBackend:
    """The warehouse in one DuckDB file: `published` (default CHISO_WAREHOUSE's, resolved when
    opened), loaded by one writer at a time, which waits up to `wait` seconds for the lock."""

    def __init__(self, published: Path | None = None, wait: float = LOCK_WAIT_SECONDS) -> None:
        self._published = published
        self.wait = wait

    @property
    def published(self) -> Path:
        return self._published or warehouse_path()

    def writer(self) -> AbstractContextManager[Writer]:
        return writer(self.published, self.wait)

    def reader(self) -> duckdb.DuckDBPyConnection:
        return reader(self.published)

    def load(self, con: duckdb.DuckDBPyConnection, record: ReleaseRecord,
             figures: list[Observation] | pa.Table, rejected: list[Rejected],
             cells: Sequence[CellTally] = ()) -> LoadResult:
        return load_release(con, record, figures, rejected, cells)


@contextmanager
def writer(published: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[Writer]:
    """The migrated writer connection to `published`, held under the exclusive writer lock.

    On the way out the connection is closed (which checkpoints it) and, if anything was
    committed, the file is published, still under the lock so no other load can interleave.
    Whatever was committed is published even when the block raised: every commit is a whole
    release. A writer killed before publishing leaves `<name>.unpublished` behind, so the next
    one publishes what the killed one committed.
    """
    published.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(lock_path(published), wait):
        private = writer_path(published)
        if not private.exists() and published.exists():
            broken = damage.problem(published)
            if broken:
                raise WarehouseDamagedError(
                    f"{published} is damaged ({broken}) and there is no writer file {private} "
                    f"to publish again; {damage.rebuild_advice(published, private)}")
            seed = private.with_name(private.name + ".seeding")  # a kill mid-copy leaves no file
            shutil.copyfile(published, seed)  # start from what analysts already see
            os.replace(seed, private)
        try:
            con = duckdb.connect(str(private), config=WRITER_CONFIG)
        except damage.DAMAGE as exc:
            raise WarehouseDamagedError(
                f"{private}, the writer's file, is damaged ({damage.first_line(exc)}); "
                f"{damage.rebuild_advice(published, private)}") from None
        unpublished = unpublished_path(published)
        session = Writer(con, published, changed=not published.exists() or unpublished.exists())
        unpublished.touch()
        try:
            if session.changed:  # published anyway: no need to ask whether views changed
                migrate(con)
            else:
                views = view_definitions(con)
                session.changed = bool(migrate(con)) or view_definitions(con) != views
            yield session
        finally:
            con.close()
            # a published copy DuckDB cannot open is published again, by any load
            broken = None if session.changed else damage.problem(published)
            if session.changed or broken:
                killpoint("publish.start")
                publish(private, published)
            if broken:
                log.warning("%s was damaged (%s): published %s again", published, broken,
                            private)
            unpublished.unlink(missing_ok=True)


@contextmanager
def _exclusive(path: Path, wait: float) -> Iterator[None]:
    handle = path.open("a+")
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusyError(
                        f"another chiso process is loading into {path.with_suffix('.duckdb')} "
                        f"(lock {path}); waited {wait:.0f} s. Let it finish, then run again"
                    ) from None
                time.sleep(LOCK_POLL_SECONDS)
        yield
    finally:
        handle.close()


def reader(published: Path, sandboxed: bool = False) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse; `sandboxed`: one that can read
    nothing else (warehouse/sandbox.py: lock it down with `sandbox.lock_down`).

    A published file DuckDB cannot open is published again from the writer's file first
    (`republish`); WarehouseDamagedError when that cannot be done here, saying what to do.
    """
    if not published.exists():
        raise FileNotFoundError(f"{published} does not exist yet: run `chiso run` first")

    def open_() -> duckdb.DuckDBPyConnection:
        if sandboxed:
            return sandbox.attached(published)
        return duckdb.connect(str(published), read_only=True)

    try:
        return open_()
    except damage.DAMAGE as exc:
        republish(published, damage.first_line(exc))
    return open_()


def republish(published: Path, problem: str) -> None:
    """Publish the writer's file again over a damaged published copy, if no load is running
    (a running load does it when it ends: `writer` checks the published copy)."""
    try:
        with writer(published, wait=0) as session:
            session.changed = True
    except WarehouseBusyError:
        raise WarehouseDamagedError(
            f"{published} is damaged ({problem}); the load running now publishes it again when "
            "it ends: try again then") from None
    except OSError as exc:  # e.g. no right to write beside the published file
        raise WarehouseDamagedError(
            f"{published} is damaged ({problem}) and could not be published again from "
            f"{writer_path(published)} ({exc}); run any load (`chiso run`) as the warehouse's "
            "owner to publish it again") from None


def load_release(
    con: duckdb.DuckDBPyConnection,
    record: ReleaseRecord,
    figures: list[Observation] | pa.Table,
    rejected: list[Rejected],
    cells: Sequence[CellTally] = (),
) -> LoadResult:
    """Load a release's figures, its release row, its quarantine and its cell accounting in
    one transaction; a file
    already loaded changes nothing. One writer holds the file, so the question whether it is
    loaded, asked before the transaction, stays answered."""
    loaded, newest = release_state(con, record)
    if loaded:
        return LoadResult(record.release_id, loaded=False)
    con.execute("begin")
    killpoint("load.begun")
    try:
        result = write_release(con, record, figures, rejected, newest, cells)
        killpoint("load.committing")
        con.execute("commit")
        killpoint("load.committed")
    except Exception:
        con.execute("rollback")
        raise
    return result


def load_releases(
    con: duckdb.DuckDBPyConnection, releases: Sequence[PendingRelease]
) -> list[LoadResult]:
    """Several releases of one source, in order of publication, as one transaction (a
    backfill's batch: warehouse.load.write_releases), or nothing of them.

    They go one by one, each in a transaction of its own (`load_release`), when they cannot
    go together (other sources, out of order, not after every release of the source already
    loaded, or one of them loaded already) and when the batch fails: then the release at
    fault fails alone, as it would have in a load of one release at a time.
    """
    if len(releases) > 1 and _together(con, releases):
        con.execute("begin")
        killpoint("load.begun")
        try:
            results = write_releases(con, releases)
            killpoint("load.committing")
            con.execute("commit")
            killpoint("load.committed")
            return results
        except Exception:
            with suppress(duckdb.TransactionException):  # a failed commit already ended it
                con.execute("rollback")
    return [load_release(con, r.record, r.figures, r.rejected, r.cells) for r in releases]


def _together(con: duckdb.DuckDBPyConnection, releases: Sequence[PendingRelease]) -> bool:
    """Whether `releases` can load as one batch (see `load_releases`)."""
    records = [r.record for r in releases]
    published = [r.published_at for r in records]
    if len({r.source for r in records}) > 1 or published != sorted(set(published)):
        return False
    row = con.execute(sql_text("batch_state"), {
        "source": records[0].source, "published": published[0],
        "sha256": [r.sha256 for r in records],
    }).fetchone()
    return bool(row and row[0])
