"""Open the warehouse through its storage backend: the one place file or lake mode is chosen.

`backend()` reads the configuration: DuckLake when CHISO_LAKE names a catalog
(warehouse/lake.py), else the single DuckDB file (warehouse/file_backend.py); an explicit
file path is always file mode (a rebuild into a new file, a test's warehouse). `writer`,
`reader` and `load_release` are the doors the flows use; a connection already open loads
through the backend it belongs to (`backend_of`), whatever the configuration says now.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa

from flows.core.config import lake_catalog
from flows.core.model import CellTally, Observation, Rejected
from warehouse import file_backend
from warehouse.backend import Backend, Writer
from warehouse.file_backend import LOCK_WAIT_SECONDS, FileBackend
from warehouse.lake import LakeBackend, attached
from warehouse.load import LoadResult, PendingRelease, ReleaseRecord

__all__ = ["Backend", "Writer", "backend", "backend_of", "load_frame", "load_release",
           "load_releases", "reader", "writer"]


def backend(published: Path | None = None, wait: float = LOCK_WAIT_SECONDS) -> Backend:
    """The configured backend; `published` names a warehouse file and so chooses file mode
    (`wait`: how long its writer waits for another to finish)."""
    if published is None and lake_catalog():
        return LakeBackend()
    return FileBackend(published, wait)


def backend_of(con: duckdb.DuckDBPyConnection) -> Backend:
    """The backend an open connection works on: the lake when it has the lake attached."""
    return LakeBackend() if attached(con) else FileBackend()


@contextmanager
def writer(published: Path | None = None, wait: float = LOCK_WAIT_SECONDS) -> Iterator[Writer]:
    """A migrated connection for loading (see each backend's `writer`)."""
    with backend(published, wait).writer() as session:
        yield session


def reader(published: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse (or the lake, in DuckLake mode)."""
    return backend(published).reader()


def load_release(
    con: duckdb.DuckDBPyConnection,
    record: ReleaseRecord,
    observations: list[Observation],
    rejected: list[Rejected],
    cells: Sequence[CellTally] = (),
) -> LoadResult:
    """Load a release's observations, its release row, its quarantine and its cell accounting
    (a workbook's Contents.cells) in one transaction."""
    return backend_of(con).load(con, record, observations, rejected, cells)


def load_frame(
    con: duckdb.DuckDBPyConnection,
    record: ReleaseRecord,
    frame: pa.Table,
    rejected: list[Rejected],
    cells: Sequence[CellTally] = (),
) -> LoadResult:
    """`load_release` for figures already in an Arrow table of FRAME_SCHEMA (a bulk reader's
    output, or a chunk of one): no Python object per figure on the way in."""
    return backend_of(con).load(con, record, frame, rejected, cells)


def load_releases(
    con: duckdb.DuckDBPyConnection, releases: Sequence[PendingRelease]
) -> list[LoadResult]:
    """Several releases of one source, in order of publication (a backfill's batch): in file
    mode one transaction for them all where they can go together
    (warehouse.file_backend.load_releases); in the lake, where loads run side by side, one
    transaction each."""
    if attached(con):
        lake = LakeBackend()
        return [lake.load(con, r.record, r.figures, r.rejected, r.cells) for r in releases]
    return file_backend.load_releases(con, releases)
