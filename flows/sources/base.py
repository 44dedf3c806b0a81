"""What a source is: how it discovers its releases, reads one archived release and normalises it.

The pipeline (flows/pipeline.py) runs a release through `Source.read`, `Source.normalise`, the
one validation of flows/validate.py, then `Source.settle` when the source has one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Generic, TypeVar

import pyarrow as pa

from flows.core.model import CellTally, Observation, Rejected, ReleaseRef
from flows.core.secrets import ApiKey

# Fetches a URL (through the shared session or the mirror) and returns its bytes.
Get = Callable[[str], bytes]
# What a source's reader gives its normaliser: tables of a workbook, prose figures, an SDMX
# message, API pages, a table file and its mapping.
R = TypeVar("R")


@dataclass(frozen=True)
class Contents:
    """A release in the canonical model: observations, rejects, and its latest month."""

    observations: list[Observation]
    rejected: list[Rejected]
    reference_period: str  # YYYY-MM
    # What makes two fetches one release when their bytes differ for no reason (an SDMX service
    # stamps its answer's header anew at every request): a hash of what the release says. None:
    # the release is its files' sha256.
    identity: str | None = None
    # Where validation rejects go: an observation's provenance -> (sheet, cell, label) of the
    # reader's own addressing (prose: the heading, "s12", the sentence). Empty: the provenance.
    addresses: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    # Cell accounting of a workbook release: every numeric cell of every sheet as a figure,
    # quarantined, skipped for a registered reason or unaccounted, counted per sheet. Empty for
    # sources whose files are not grids of cells (prose, SDMX, API pages).
    cells: list[CellTally] = field(default_factory=list)
    # Where validation set aside a figure that repeats one the release already gave with the
    # same value (a national total printed again in a later table): provenances, for the
    # cell accounting (which counts a cell that also holds a kept figure as a figure).
    repeated: frozenset[str] = frozenset()
    # The observations as an Arrow table (warehouse.load.FRAME_SCHEMA, its release_id blank:
    # the loading process names the release) in place of `observations`, which is then empty:
    # a fan-out worker hands a release to the loading process so (flows.orchestration.
    # backfill.prepare), for unpickling 300,000 objects took that process longer than loading
    # them.
    frame: pa.Table | None = None

    @property
    def figure_count(self) -> int:
        """How many figures the release gives, framed or not."""
        return len(self.observations) if self.frame is None else self.frame.num_rows


@dataclass(frozen=True)
class Source(Generic[R]):
    """A publisher's way in.

    `read` takes the archived files of one release (the main file first, then its parts) and
    the release's reference, and gives what the files say; `normalise` turns that into
    Contents, unvalidated; `settle`, when given, fills in what depends on the figures that
    passed validation (the latest month, the identity). `discover` lists the releases a source
    can see, or is None for sources that only take files given by hand (`press`, `files`).
    """

    name: str
    read: Callable[[list[Path], ReleaseRef], R]
    normalise: Callable[[R, ReleaseRef], Contents]
    discover: Callable[[Get, date | None], list[ReleaseRef]] | None = None
    # The file kinds `chiso ingest` accepts for this source, for its help text.
    accepts: tuple[str, ...] = field(default=(".xlsx", ".xls"))
    # Where the source's optional API key goes (flows/core/secrets.py); None: it takes no key.
    api_key: ApiKey | None = None
    settle: Callable[[R, Contents, ReleaseRef], Contents] | None = None
    # The pages a new release shows up on (the listing's first page): a scheduled poll asks
    # them conditionally first and stops when none changed (flows/watch.py). None: a poll
    # always discovers in full.
    watch: Callable[[], tuple[str, ...]] | None = None

