"""The storage interface: what a backend does, and the writer session it hands out.

Two backends implement it: the single DuckDB file (warehouse/file_backend.py: one writer
under a lock, readers on a published copy) and DuckLake (warehouse/lake.py: many writers,
every commit a snapshot readers see). warehouse/connect.py picks one; both load through the
same statements (warehouse/load.py).

    backend = connect.backend()          # FileBackend or LakeBackend, from the configuration
    with backend.writer() as session:    # a migrated connection for loading
        backend.load(session.con, record, observations, rejected, cells)
    con = backend.reader()               # read-only: the published file or the lake
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import duckdb
import pyarrow as pa

from flows.core.model import CellTally, Observation, Rejected
from warehouse.load import LoadResult, ReleaseRecord


@dataclass
class Writer:
    """The writer's connection; set `changed` after a commit so the file gets published."""

    con: duckdb.DuckDBPyConnection
    published: Path
    changed: bool = False


class Backend(Protocol):
    """Where the warehouse lives, and how a load and a reader get to it."""

    def writer(self) -> AbstractContextManager[Writer]:
        """A migrated connection for loading; what it committed is published on the way out
        (the file backend copies its private file for readers; a lake commit is already seen)."""
        ...

    def reader(self) -> duckdb.DuckDBPyConnection:
        """A read-only connection to what readers see; FileNotFoundError before any load."""
        ...

    def load(
        self,
        con: duckdb.DuckDBPyConnection,
        record: ReleaseRecord,
        figures: list[Observation] | pa.Table,
        rejected: list[Rejected],
        cells: Sequence[CellTally] = (),
    ) -> LoadResult:
        """Load a release (figures, release row, quarantine, cell accounting) as one
        transaction, or nothing;
        a file already loaded is not loaded again (`loaded=False`)."""
        ...
