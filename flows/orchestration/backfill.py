"""Backfills: the releases of a range of periods, from the publisher or from a local folder."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, time
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from flows.archive import Archive, ArchivedFile
from flows.core import config
from flows.core.calendars import expected_release
from flows.core.errors import ChisoError, ConfigError
from flows.core.model import ReleaseRef
from flows.pipeline import (
    Outcome,
    fetch_release,
    file_name,
    load_archived,
    load_archived_together,
    read_archived,
    release_hash,
)
from flows.readers.workbook.gso import reference_month
from flows.sources.base import Contents
from warehouse.connect import Writer
from warehouse.load import to_frame

# Local folders hold workbooks; other files (notes, READMEs) are not releases.
WORKBOOK_SUFFIXES = (".xlsx", ".xls")
# A backfill loads the releases it has read in batches, each batch one transaction
# (flows.pipeline.load_archived_together): a dozen statements a release were most of its load
# time. A batch ends at this many releases or at config.batch_figures() figures, whichever
# comes first: the releases waiting for it are held in memory, and a killed backfill reads
# one batch again. Fewer, larger batches load faster: DuckDB writes an insert of a row group
# (122,880 rows) or more straight into the database file, a smaller one into its log at the
# commit (the four commits of batches of 32 GSO workbooks took 0.4-0.5 s of the shared
# workbooks' 2.6 s load, the two of batches of 64 0.1 s), and each batch after the first
# closes vintages the ones before opened, whose row groups the checkpoint then rewrites: the
# close after a second batch of the 125 shared workbooks took 0.35 s of CPU, after one 0.09 s.
BATCH_RELEASES = 256


def in_range(refs: list[ReleaseRef], start: str, end: str) -> list[ReleaseRef]:
    """The releases whose reference period (YYYY-MM) lies in [start, end], oldest first; files
    whose period could not be read stay in, so they fail visibly rather than vanish."""
    chosen = [r for r in refs if not r.reference_period or start <= r.reference_period <= end]
    return sorted(chosen, key=lambda r: (r.reference_period, r.published_at, r.url))


def folder_refs(source: str, folder: Path) -> list[ReleaseRef]:
    """Releases from a folder of GSO workbooks downloaded by hand.

    Each file's period is the latest month its tables report; its publication date comes
    from GSO's release calendar (a file's own date is when someone saved it).
    """
    if source != "gso":
        raise ConfigError(f"backfill from a folder reads GSO workbooks only, not {source!r}")
    if not folder.is_dir():
        raise ConfigError(f"{folder} is not a folder of workbooks")
    refs = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in WORKBOOK_SUFFIXES:
            continue
        try:
            period = f"{reference_month(path).start:%Y-%m}"
        except ChisoError:
            period = ""  # unreadable: still a release, so it fails visibly when loaded
        expected = expected_release(source, period) if period else None
        published = datetime.combine(expected, time()) if expected else datetime(1970, 1, 1)
        refs.append(ReleaseRef(source, "local-folder", path.resolve().as_uri(), published,
                               period, title=path.name))
    return refs


@dataclass
class Prepared:
    """A release fetched, archived and read (or what went wrong), ready to load."""

    ref: ReleaseRef
    files: list[ArchivedFile] | None  # None: the fetch failed, `message` says why
    read: Contents | ChisoError | None = None  # None: already loaded, not read again
    message: str = ""


def prepare(ref: ReleaseRef, archive: Archive, mirror: Path | None,
            loaded: frozenset[str], framed: bool = False) -> Prepared:
    """Everything before the load, for a fan-out worker: it needs no warehouse connection.

    `loaded` holds the sha256 of the releases already loaded, so a resumed backfill does not
    read them again. `framed`: the figures go back as an Arrow table (Contents.frame), for a
    worker in another process. Pickled as objects, the 125 shared workbooks' 315,000 figures
    took the loading process longer to unpickle than to load; a table goes as a few buffers.
    """
    try:
        files = fetch_release(ref, archive, mirror)
    except ChisoError as exc:
        return Prepared(ref, None, message=str(exc))
    if release_hash(files) in loaded:
        return Prepared(ref, files)
    try:
        read = read_archived(files)
    except ChisoError as exc:
        return Prepared(ref, files, exc)
    return Prepared(ref, files, _framed(read) if framed else read)


def _framed(contents: Contents) -> Contents:
    """`contents` with its observations in an Arrow table, `frame` (their release unnamed)."""
    return replace(contents, observations=[], frame=to_frame([("", contents.observations)]))


def load_prepared(prepared: Prepared, session: Writer) -> Outcome:
    """Load what `prepare` gave, in the writer's process."""
    ref = prepared.ref
    if prepared.files is None:
        status = "failed" if prepared.message else "unchanged"
        return Outcome(ref.source, ref.reference_period, file_name(ref), status,
                       message=prepared.message or "not modified since the last fetch")
    return load_archived(prepared.files, session, prepared.read)


def load_in_batches(prepared: Iterable[Prepared], session: Writer) -> Iterator[Outcome]:
    """`load_prepared` of each release in turn, with the same outcomes, the releases of a
    batch (BATCH_RELEASES, config.batch_figures()) loaded together, each batch read and
    loaded with the cyclic garbage collector paused (`collector_paused`)."""
    releases = iter(prepared)
    most = config.batch_figures()
    while True:
        with collector_paused():
            batch: list[Prepared] = []
            figures = 0
            for release in releases:
                batch.append(release)
                figures += (release.read.figure_count if isinstance(release.read, Contents)
                            else 0)
                if len(batch) >= BATCH_RELEASES or figures >= most:
                    break
            outcomes = _load_batch(batch, session) if batch else []
        yield from outcomes
        if len(batch) < BATCH_RELEASES and figures < most:
            return


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a while (it is back on as it was after).

    Reading and loading a batch makes hundreds of thousands of objects that live until the
    batch is loaded (each workbook's rows and cells, its observations) and next to no
    reference cycles (37 in a backfill of the 125 shared workbooks): reference counting frees
    them. Left on, the collector walks every live object again each time their number grows
    by a quarter, a seventh of a backfill's time (docs/benchmarks.md). The few cycles a batch
    leaves go at the collector's next run, once it is back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_batch(batch: list[Prepared], session: Writer) -> list[Outcome]:
    fetched = [(p.files, p.read) for p in batch if p.files is not None]
    loaded = iter(load_archived_together(fetched, session))
    return [next(loaded) if p.files is not None else load_prepared(p, session) for p in batch]


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[str], None]]:
    """A progress bar on the terminal (nothing when output is not a terminal); yields a
    function to call after each release with a word on it."""
    if not sys.stderr.isatty():
        yield lambda _note: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn(), TextColumn("{task.fields[note]}"))
    with Progress(*columns, transient=False) as progress:
        task = progress.add_task(label, total=total, note="")
        yield lambda note: progress.update(task, advance=1, note=note)
